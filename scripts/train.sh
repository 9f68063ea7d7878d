#!/usr/bin/env bash
# Train the Rasa model only when something it is made of changed; prune old models; copy the language model.
#
# Rasa itself knows what changed: each node of its training graph is fingerprinted (class source, config,
# inputs) and our components add the plain nlu modules and lexicons they use (fingerprint_addon, see
# nlu/fingerprint.py), so only the parts that depend on a change are trained again (the rest comes from
# .rasa/cache). But `rasa train` always writes a new model file, and merely starting Rasa to ask it takes
# ~30 s, so:
#   1. inputs unchanged since the active model was trained (a hash of data/, config, domain, nlu/ and the
#      Rasa environment, kept in models/.inputs)  -> nothing to do, Rasa is not even started;
#   2. else `rasa train --dry-run`: no component needs training (e.g. only a comment changed in a module
#      no component uses) and domain.yml is the one packaged in the active model
#                                                  -> the active model stays, the hash is recorded;
#   3. else `rasa train`, which retrains what changed (a changed response retrains nothing, but the domain
#      is packaged in the model: a new model carries it).
# Rasa's output goes to var/logs/train.log; the screen gets one line per component being trained.
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS=ignore
RASA=.venv-rasa/bin/rasa
ARGS=(--data data --config config.yml --domain domain.yml --out models --num-threads 2)
KEEP=3                     # the active model and the two before it
logs="${BERKANE_VAR:-var}/logs"
mkdir -p models "$logs"
log="$logs/train.log"

active() { ls -t models/*.tar.gz 2>/dev/null | head -1 || true; }   # "" on a fresh clone (no model yet)
inputs() {
  { find data nlu -type f \( -name '*.py' -o -name '*.yml' -o -name '*.json' \) -not -path '*/__pycache__/*' \
      -print0 | sort -z | xargs -0 sha256sum; sha256sum config.yml domain.yml; cat .venv-rasa/.stamp; } \
    | sha256sum | cut -c1-16
}
# The language model the LanguageIdentifier component trained, for the processes without Rasa (nlu/langid.py).
copy_langid() {
  local tmp; tmp=$(mktemp -d models/.langid.XXXX)
  tar -xzf "$1" -C "$tmp" --wildcards --no-anchored '*LanguageIdentifier*/langid.*'
  rm -rf models/langid && mv "$tmp"/components/*LanguageIdentifier* models/langid && rm -rf "$tmp"
}
done_with() {  # $1 = model, $2 = what happened
  echo "$stamp $(basename "$1") $domain" > models/.inputs
  [ -d models/langid ] && [ models/langid -nt "$1" ] || copy_langid "$1"
  echo "train: $2: $1"
}

stamp=$(inputs)
domain=$(sha256sum domain.yml | cut -c1-16)
model=$(active)
recorded=$(cat models/.inputs 2>/dev/null || true)
if [ -n "$model" ] && [ "$recorded" = "$stamp $(basename "$model") $domain" ]; then
  done_with "$model" "nothing changed, model up to date"; exit 0
fi
start=$(date +%s)
if [ -n "$model" ] && [ "${recorded#* }" = "$(basename "$model") $domain" ]; then
  echo "train: data, config or nlu code changed; asking Rasa which components need training (log $log)"
  if $RASA train "${ARGS[@]}" --dry-run >"$log" 2>&1; then
    done_with "$model" "no component needs training ($(( $(date +%s) - start )) s), model up to date"; exit 0
  fi
fi
echo "train: training the Rasa model (log $log)"
set +e
$RASA train "${ARGS[@]}" 2>&1 | tee -a "$log" \
  | grep --line-buffered -oE "(Starting to train|Restored) component '[^']+'" \
  | sed -u -E -e "s/Starting to train component '(.*)'/train:   training \1/" \
              -e "s/Restored component '(.*)'/train:   \1 unchanged/"
status=${PIPESTATUS[0]}
set -e
model=$(active)
if [ "$status" -ne 0 ] || [ -z "$model" ]; then
  echo "train: Rasa failed (exit $status); the end of $log:" >&2; tail -n 15 "$log" >&2; exit 1
fi
ls -t models/*.tar.gz | tail -n +$((KEEP + 1)) | xargs -r rm -f
rm -f models/.nlu-stamp    # the stamp of earlier versions of this script
done_with "$model" "model written in $(( $(date +%s) - start )) s"
