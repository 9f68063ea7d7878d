#!/usr/bin/env bash
# Train the Rasa model when anything it depends on changed. Rasa's own fingerprinting sees the data, the
# config and each component class, but not the plain modules those classes call (nlu/text.py, the lexicons):
# a stamp of nlu/ forces a retrain when they change.
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2
stamp=$(find nlu -type f \( -name '*.py' -o -name '*.yml' -o -name '*.json' \) -not -path '*/__pycache__/*' \
        -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)
force=()
if [ ! -f models/.nlu-stamp ] || [ "$(cat models/.nlu-stamp)" != "$stamp" ]; then force=(--force); fi
mkdir -p models
start=$(date +%s)
.venv-rasa/bin/rasa train --data data --config config.yml --domain domain.yml --out models "${force[@]}" \
  --num-threads 2 2>&1 | grep -vE "^\s*$|UserWarning|warnings.warn|DeprecationWarning|^ +[a-z_]+ = " || true
ls models/*.tar.gz >/dev/null 2>&1 || { echo "train: no model was produced" >&2; exit 1; }
echo "$stamp" > models/.nlu-stamp
# keep the three newest models
ls -t models/*.tar.gz | tail -n +4 | xargs -r rm -f
echo "train: model $(ls -t models/*.tar.gz | head -1) ($(( $(date +%s) - start )) s)"
