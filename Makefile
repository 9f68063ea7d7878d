# Berkane Assistant. Every target sets up what it needs first (both virtual environments, the model, the index).
SHELL := /bin/bash
export RASA_TELEMETRY_ENABLED := false
PY := .venv/bin/python

.PHONY: setup train index run serve test test-fast bench kb clean

setup:
	@bash scripts/setup.sh

train: setup
	@bash scripts/train.sh

index: setup
	@$(PY) -m knowledge rebuild --if-changed

run: train index
	@$(PY) -m stack run $(if $(SHAPING),--shaping $(SHAPING))

serve: train index
	@$(PY) -m stack serve

test: train index
	@bash scripts/test.sh

# The inner loop: every test not marked `servers` (no Rasa or action server, no Rasa model), in both environments.
test-fast: index
	@bash scripts/test.sh --fast

bench: train index
	@$(PY) -m bench $(ARGS)

kb: setup
	@$(PY) -m knowledge $(ARGS)

clean:
	rm -rf models var .pytest_cache
