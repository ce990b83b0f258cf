# Two entry points for a fresh machine (Python 3.10+, Node 20, apt):
#   make demo   install, build, start the sandbox AWS and JupyterLab with the panel
#   make test   install what the tests need, then lint, jest, Galata (Chromium) and pytest (last)
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(abspath $(VENV))/bin
export PATH := $(BIN):$(PATH)
# yarn (jlpm) must use the same npm registry the machine's npm is configured with.
export YARN_NPM_REGISTRY_SERVER ?= $(shell npm config get registry 2>/dev/null | sed 's:/*$$::')
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
CHROMIUM ?= /usr/bin/chromium
DEMO_PORT ?= 8888
SANDBOX_PORT ?= 5555

.PHONY: help demo test install install-ui-tests chromium lint jest ui-test pytest clean scheduler-venv test-scheduler

help:
	@echo "make demo   # JupyterLab with the panel against a seeded local AWS (no account needed)"
	@echo "make test   # everything: lint, jest, Galata UI tests in Chromium, pytest"

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# The editable install runs jlpm install + build through hatch-jupyter-builder.
install: $(PY)
	$(PY) -m pip install -q -e ".[test]"
	jupyter labextension develop . --overwrite
	jupyter server extension enable --sys-prefix jupyter_nbjob_iam

demo: install
	$(PY) -m jupyter_nbjob_iam demo --port $(DEMO_PORT) --sandbox-port $(SANDBOX_PORT)

chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  echo "Installing Chromium from apt"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

install-ui-tests:
	cd ui-tests && jlpm install

# The same linters run from .pre-commit-config.yaml (lint:check is stylelint, prettier and eslint).
PY_SOURCES := jupyter_nbjob_iam tests tests_scheduler benchmarks
lint:
	$(PY) -m ruff check $(PY_SOURCES)
	$(PY) -m ruff format --check $(PY_SOURCES)
	$(PY) -m mypy
	jlpm lint:check

jest:
	jlpm test

ui-test: chromium install-ui-tests
	cd ui-tests && jlpm playwright test

pytest:
	$(PY) -m pytest -q

# The real SageMaker scheduler in a venv of its own: it pins botocore through aiobotocore, so it never
# joins the project's venv. It gets this project's wheel, built from the labextension `make install`
# already built (pyproject's skip-if-exists: no second JavaScript build).
SCHED_VENV ?= .venv-scheduler
SCHED_PY := $(SCHED_VENV)/bin/python
SCHED_BIN := $(abspath $(SCHED_VENV))/bin
SCHEDULER_PIN ?= amazon-sagemaker-jupyter-scheduler==3.2.2

$(SCHED_PY):
	python3 -m venv $(SCHED_VENV)
	$(SCHED_PY) -m pip install -q --upgrade pip
	$(SCHED_PY) -m pip install -q "$(SCHEDULER_PIN)" "moto[server]>=5.0" "pytest>=7" pytest-timeout

scheduler-venv: install $(SCHED_PY)
	rm -rf dist/scheduler-wheel
	$(PY) -m pip wheel -q --no-deps --no-build-isolation -w dist/scheduler-wheel .
	$(SCHED_PY) -m pip install -q --no-deps --force-reinstall dist/scheduler-wheel/jupyter_nbjob_iam-*.whl
	PATH=$(SCHED_BIN):$$PATH jupyter server extension list 2>&1 | grep "jupyter_nbjob_iam .*OK" >/dev/null

# Contract tests (tests_scheduler/, run with -P so the installed wheel is what they import), then the
# Galata spec with both extensions in the scheduler venv's JupyterLab, on a free port.
test-scheduler: scheduler-venv chromium install-ui-tests
	PATH=$(SCHED_BIN):$$PATH $(SCHED_PY) -P -m pytest -q tests_scheduler
	cd ui-tests && PATH=$(SCHED_BIN):$$PATH \
	  NBJOB_IAM_SCHED_UI_PORT=$${NBJOB_IAM_SCHED_UI_PORT:-$$($(SCHED_PY) -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')} \
	  jlpm playwright test --config playwright.scheduler.config.js

# pytest last: CI reads its closing line.
test: install chromium install-ui-tests lint jest ui-test test-scheduler
	$(PY) -m pytest -q

clean:
	rm -rf lib jupyter_nbjob_iam/labextension tsconfig.tsbuildinfo ui-tests/test-results
