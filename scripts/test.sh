#!/usr/bin/env bash
# The whole test suite: ruff (lint and format), the Python 3.11 suite (which starts the real Rasa and action servers once per
# session), then the checks that need the Rasa environment itself (tests/rasa_env/), if any.
#   scripts/test.sh            everything, as CI runs it (make test)
#   scripts/test.sh --fast     the inner loop (make test-fast): the same two suites without the tests marked
#                              `servers` (they start servers, or train or load a Rasa model)
# Other arguments go to the first pytest. The duration is printed last.
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
name="make test" select=()
if [ "${1:-}" = "--fast" ]; then
  shift
  name="make test-fast" select=(-m "not servers")
fi
start=$(date +%s)
status=0

# pytest exits 5 when it collects nothing: with the `servers` tests left out a suite may have none left,
# which is not a failure of the fast loop (in a full run it would be, so it stays one there).
suite() {
  local code=0
  "$@" || code=$?
  if [ "$code" -eq 5 ] && [ ${#select[@]} -gt 0 ]; then code=0; fi
  if [ "$code" -ne 0 ]; then status=$code; fi
}

# The real engines the cluster and back-office tests start (PostgreSQL, Redis, nginx, Chromium): installed from
# Debian's packages when missing, before anything else, so a machine without them fails here with the reason.
if [ ${#select[@]} -eq 0 ]; then
  bash scripts/engines.sh || status=$?
fi

# Lint and format first: a finding fails the run (configured in pyproject.toml).
suite .venv/bin/ruff check --quiet .
suite .venv/bin/ruff format --check --quiet .
suite .venv/bin/python -m pytest -p no:cacheprovider ${select[@]+"${select[@]}"} "$@"
if [ -d tests/rasa_env ] && ls tests/rasa_env/test_*.py >/dev/null 2>&1; then
  suite .venv-rasa/bin/python -m pytest -p no:cacheprovider ${select[@]+"${select[@]}"} tests/rasa_env
fi
echo "$name: $(( $(date +%s) - start )) s"
exit $status
