# The single entry point of the AL-INVEST 5.0 assistant.  `make help` lists it.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONDONTWRITEBYTECODE := 1

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
# npm writes this file on every `npm ci`: it stands for node_modules being current.
NODE_STAMP := node_modules/.package-lock.json
MODEL := models/al-invest.tar.gz
# Everything the model is trained from: a change to any retrains on `make train`.
TRAIN_INPUTS := config.yml domain.yml $(shell find data -name '*.yml') $(wildcard nlu_components/*.py)
# Held-out NLU test set: the suite fails below this intent macro F1.
NLU_MIN_F1 ?= 0.85
# The newest blind round (tests/blind/): the suite fails below this share of
# right answers or above this share of wrong ones.  At the level reached on
# round 5 (0.891 right, 0.065 wrong); issue 10's target, 0.95 / 0.01, is not
# reached yet: raise these as the understanding improves.
BLIND_MIN_RIGHT ?= 0.954
BLIND_MAX_WRONG ?= 0.025

.PHONY: help install system-deps train validate lint check report eval test test-blind test-unit test-tools test-conversations test-nlu test-blind test-e2e test-browser test-telegram test-hardening test-scaleout test-sessions test-cluster serve-cluster load chat serve bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-20s %s\n", $$1, $$2}'

install: $(STAMP) $(NODE_STAMP) system-deps ## .venv (Python 3.10) with the pinned lock, npm packages, Chromium

system-deps: ## Debian's chromium (browser tests) and nginx (cluster), only if missing
	@scripts/install-system-deps

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(STAMP): requirements.lock
	@test -x $(PY) || $$(scripts/find-python310) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check pip==24.0
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock
	@touch $@

train: $(MODEL) ## Train the model if the data, domain or config changed

$(MODEL): $(STAMP) $(TRAIN_INPUTS)
	$(BIN)/rasa data validate --fail-on-warnings
	$(BIN)/rasa train --fixed-model-name al-invest --out models/.training
	@# Replace the model in one step: a server starting now never reads half a file.
	mv models/.training/al-invest.tar.gz $@ && rmdir models/.training

validate: $(STAMP) ## Check the training data and domain (warnings fail)
	$(BIN)/rasa data validate --fail-on-warnings

lint: $(STAMP) ## Ruff (pinned): unused imports and names, lines over 120 (ruff.toml)
	$(BIN)/ruff check .

chat: $(MODEL) ## Talk to the assistant in this terminal (rasa shell)
	scripts/chat.sh

serve: $(MODEL) $(NODE_STAMP) ## Web widget + REST (+ Telegram if TELEGRAM_TOKEN) on http://127.0.0.1:5005/webchat/
	scripts/serve.sh

test: install lint validate check test-unit test-tools train test-conversations test-nlu test-blind test-e2e test-sessions test-hardening test-scaleout test-cluster test-browser test-telegram ## Run the whole test suite
	@echo "make test: todo en orden"

test-unit: $(STAMP) ## Knowledge layer, actions and data checks (no servers)
	$(PY) -m pytest -q tests/unit

test-tools: $(STAMP) ## Tests of `make report` (20,000 generated conversations) and `make check`
	$(PY) -m pytest -q tests/report tests/check

check: $(STAMP) ## What the knowledge, NLU data, tests and responses miss (fails if anything)
	$(PY) -m tools.check

report: $(STAMP) ## Unanswered questions and rated answers -> results/report/ (ARGS="--since 2026-11-01 --channel telegram")
	$(PY) -m tools.report $(ARGS)

test-conversations: $(MODEL) ## Conversation tests through the trained model
	$(BIN)/rasa test core --model $(MODEL) --stories tests/conversations --fail-on-prediction-errors --out results/conversations

test-nlu: $(MODEL) ## Intent F1 on the held-out set (never trained on)
	$(BIN)/rasa test nlu --model $(MODEL) --nlu tests/nlu/heldout.yml --out results/nlu
	$(PY) tests/check_nlu_f1.py results/nlu/intent_report.json $(NLU_MIN_F1)
	$(PY) -m pytest -q tests/nlu

test-blind: $(MODEL) ## The newest blind question round through real servers (gate: BLIND_MIN_RIGHT, BLIND_MAX_WRONG)
	BLIND_MIN_RIGHT=$(BLIND_MIN_RIGHT) BLIND_MAX_WRONG=$(BLIND_MAX_WRONG) $(PY) -m pytest -q tests/blind

eval: $(MODEL) ## Every blind round: right / asked back / miss / wrong per style, and the misses (ARGS="--round 2")
	$(PY) -m tests.blind.evaluate $(ARGS)

test-e2e: $(MODEL) ## Real servers on free loopback ports: REST and a pty
	$(PY) -m pytest -q tests/e2e

test-sessions: $(MODEL) ## One 321-turn conversation: sessions roll over (SESSION_MAX_TURNS), follow-ups and the whole history kept
	$(PY) -m pytest -q tests/sessions

test-hardening: $(MODEL) ## REST channel: bad requests, limits, action server down, fuzz
	$(PY) -m pytest -q tests/hardening

test-scaleout: $(MODEL) ## Two replicas on PostgreSQL + Redis (127.0.0.1): shared conversations, lock, SIGKILL
	$(PY) -m pytest -q tests/scaleout

test-cluster: $(MODEL) system-deps ## Two replicas behind our nginx (deploy/): REST, socket.io, Telegram webhook, one replica SIGKILLed
	$(PY) -m pytest -q tests/cluster

test-browser: $(MODEL) $(NODE_STAMP) system-deps ## The web widget in headless Chromium (Playwright)
	$(PY) -m pytest -q tests/browser

test-telegram: $(MODEL) ## Telegram connector: real rasa run against a fake Bot API on 127.0.0.1
	$(PY) -m pytest -q tests/telegram

serve-cluster: $(MODEL) $(NODE_STAMP) system-deps ## REPLICAS (2) replicas on PostgreSQL + Redis behind nginx on http://127.0.0.1:8080 (CLUSTER_PORT)
	$(PY) -m deploy.cluster --replicas $(or $(REPLICAS),2) --port $(or $(CLUSTER_PORT),8080)

bench: $(MODEL) ## Ours against a bare `rasa init` bot: start-up, latency, throughput at 50, memory; turn 300 vs 10; F1 (ARGS="--skip-train --soak 10")
	$(PY) -m tools.bench $(ARGS)

load: $(STAMP) ## Load a running bot, every answer checked (ARGS="--url http://127.0.0.1:5005 --channel socketio")
	$(PY) -m tools.load $(or $(ARGS),--url http://127.0.0.1:5005 --conversations 50 --turns 4 --concurrency 50 --duration-limit 60)

clean: ## Remove the model, results and the local conversation store
	rm -rf models results tracker.db tracker.db-wal tracker.db-shm
