# peerlab — one command to run, one to test. See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export PEERLAB_INSTANCE ?= $(CURDIR)/instance

.PHONY: setup run reset-demo test test-fast lint format bench clean assets translations db \
	missing-translations screenshots run-cluster

setup: $(VENV)/.installed node_modules/.installed static/vendor/.built translations

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "peerlab needs Python 3.11 (found %s)" % sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "peerlab needs Node.js and npm to build its front-end assets"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/vendor/.built: node_modules/.installed scripts/build_assets.py
	$(BIN)/python scripts/build_assets.py
	touch $@

assets: static/vendor/.built

translations: $(VENV)/.installed
	$(BIN)/python scripts/build_translations.py

db: setup
	$(BIN)/peerlab db upgrade

# PEERLAB_DEV_MAIL=console: sign-in, reset and invitation mails also appear in this terminal.
run: db
	$(BIN)/peerlab demo --if-empty
	PEERLAB_DEV_MAIL=console PORT=$(PORT) $(BIN)/peerlab run

# Two web processes (gunicorn, gevent), the scheduler and a small proxy on 127.0.0.1:5100
# against the local PostgreSQL and Redis (docs/deployment.md); says what is missing.
run-cluster: setup
	$(BIN)/python -m pip install --quiet -e '.[deploy]'
	$(BIN)/python scripts/run_cluster.py

# Deletes every row (demo or not) and loads the demo data again; stop `make run` first.
reset-demo: db
	$(BIN)/peerlab demo --reset --yes

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: setup
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup
	$(BIN)/python -m bench.run --format all $(BENCH_ARGS)
	$(BIN)/python -m bench.http $(BENCH_HTTP_ARGS)

# The README's screenshots (docs/screenshots/*.png): demo data in a temporary instance, Chromium.
screenshots: setup
	$(BIN)/python scripts/screenshots.py

# Lists German source strings that no English part translates yet.
missing-translations: $(VENV)/.installed
	$(BIN)/python scripts/missing_translations.py

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache
