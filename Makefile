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

.PHONY: help demo test install install-ui-tests chromium lint jest ui-test pytest clean

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
PY_SOURCES := jupyter_nbjob_iam tests benchmarks
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

# pytest last: CI reads its closing line.
test: install chromium install-ui-tests lint jest ui-test
	$(PY) -m pytest -q

clean:
	rm -rf lib jupyter_nbjob_iam/labextension tsconfig.tsbuildinfo ui-tests/test-results
