#!/usr/bin/env bash
# Build both virtual environments, idempotently: each requirements file is installed again only when
# its content (or the project's pyproject.toml) changed since the last successful install.
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false PIP_DISABLE_PIP_VERSION_CHECK=1

works() { [ -n "$1" ] && "$1" -c 'import sys' >/dev/null 2>&1; }

find_python() {  # $1 = minor version (3.10), $2 = override variable value
  local want=$1 override=$2 candidate
  if [ -n "$override" ]; then
    works "$override" && { echo "$override"; return; }
    echo "setup: '$override' (from the environment) does not run" >&2; return 1
  fi
  if works "python$want" && [ "$("python$want" -c 'import sys;print("%d.%d"%sys.version_info[:2])')" = "$want" ]; then
    echo "python$want"; return
  fi
  if command -v pyenv >/dev/null 2>&1; then
    for candidate in "$(pyenv root)"/versions/"$want".*/bin/python; do
      works "$candidate" && { echo "$candidate"; return; }
    done
  fi
  echo "setup: no working Python $want found. Install Python $want (for example 'pyenv install $want')" \
       "or point ${3} at it." >&2
  return 1
}

# What an install depends on: the requirements and pyproject.toml up to its test and lint sections, which
# come last there (editing them must not reinstall both environments).
stamp_of() { { cat "$@"; sed '/^\[tool\.\(pytest\|ruff\)/,$d' pyproject.toml; } | sha256sum | cut -c1-16; }

build_env() {  # $1 = venv dir, $2 = python, $3.. = requirements files
  local venv=$1 python=$2; shift 2
  local stamp; stamp=$(stamp_of "$@")
  if [ -f "$venv/.stamp" ] && [ "$(cat "$venv/.stamp")" = "$stamp" ] && [ -x "$venv/bin/python" ]; then
    echo "setup: $venv is up to date"; return
  fi
  echo "setup: building $venv with $python ($(date +%T))"
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade "pip<25"
  local req
  for req in "$@"; do
    # torch first and alone, so that nothing else can pick a CUDA build for it
    if grep -q '^torch==' "$req"; then "$venv/bin/python" -m pip install -q "$(grep '^torch==' "$req")"; fi
    "$venv/bin/python" -m pip install -q -r "$req"
  done
  "$venv/bin/python" -m pip install -q --no-deps --no-build-isolation --config-settings editable_mode=compat -e .
  echo "$stamp" > "$venv/.stamp"
  echo "setup: $venv ready ($(date +%T))"
}

PY311=$(find_python 3.11 "${PYTHON:-}" PYTHON)
PY310=$(find_python 3.10 "${RASA_PYTHON:-}" RASA_PYTHON)
build_env .venv "$PY311" requirements.txt
build_env .venv-rasa "$PY310" requirements-rasa.txt
