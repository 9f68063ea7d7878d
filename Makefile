# Berkane Assistant. Every target sets up what it needs first (both virtual environments, the model, the index).
SHELL := /bin/bash
export RASA_TELEMETRY_ENABLED := false
PY := .venv/bin/python

.PHONY: setup train index run serve test test-fast bench kb clean cluster cluster-stop

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

# Several Rasa and action servers behind nginx on PostgreSQL and Redis (stack/cluster.py); Ctrl-C or
# `make cluster-stop` stops them all. `make cluster RASA=3 ACTIONS=2`.
cluster: train index
	@bash scripts/engines.sh postgresql redis nginx
	@$(PY) -m stack.cluster start $(if $(RASA),--rasa $(RASA)) $(if $(ACTIONS),--actions $(ACTIONS))

cluster-stop:
	@$(PY) -m stack.cluster stop

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

# The back office (web/) on BERKANE_ADMIN_HOST:BERKANE_ADMIN_PORT (127.0.0.1:8080), beside `make serve`;
# the first account: `.venv/bin/python -m web create-admin NAME` (asks for the password).
.PHONY: admin
admin: index
	@$(PY) -m web serve
