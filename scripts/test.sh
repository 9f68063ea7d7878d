#!/usr/bin/env bash
# The whole test suite: the Python 3.11 suite (which starts the real Rasa and action servers once per
# session), then the checks that need the Rasa environment itself (tests/rasa_env/), if any.
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
start=$(date +%s)
status=0
.venv/bin/python -m pytest -p no:cacheprovider "$@" || status=$?
if [ -d tests/rasa_env ] && ls tests/rasa_env/test_*.py >/dev/null 2>&1; then
  .venv-rasa/bin/python -m pytest -p no:cacheprovider tests/rasa_env || status=$?
fi
echo "make test: $(( $(date +%s) - start )) s"
exit $status
