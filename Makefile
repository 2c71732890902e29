# The README's two commands are `make run` and `make test`; everything they need is
# installed on the way (uv, Python and npm packages, the UI build, the embedding model).
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
# Recipes and what they start (the browser tests start `uv run supportdesk serve`) find
# uv even where pip put it outside PATH.
export PATH := $(dir $(UV)):$(PATH)
export UV_PYTHON_PREFERENCE := only-system
UI_SOURCES := $(shell find frontend/src frontend/index.html frontend/package.json -type f 2>/dev/null)

.PHONY: run test test-python test-api-fuzz test-ui test-e2e lint bench setup model seed

run: setup
	$(UV) run supportdesk seed --if-empty --count 300 --ai
	$(UV) run supportdesk serve

test: setup
	$(MAKE) lint
	$(UV) run pytest
	$(MAKE) test-api-fuzz
	$(MAKE) test-ui test-e2e

test-python: setup
	$(UV) run pytest

# schemathesis against a live server on SQLite and on PostgreSQL, both at once; MAX_EXAMPLES
# (50) sets the cases per operation and phase: over 5,000 in all.
test-api-fuzz: setup
	bash tests/schemathesis/run.sh

test-ui: frontend/node_modules
	cd frontend && npm run typecheck && npm test

test-e2e: setup tests/e2e/node_modules
	node --test tests/e2e/

lint: setup
	$(UV) run ruff check supportdesk tests bench
	$(UV) run ruff format --check supportdesk tests bench
	$(UV) run mypy
	$(UV) run lint-imports
	cd frontend && npm run typecheck

bench: setup
	$(UV) run python -m bench.run

setup: $(UV) .venv/.synced frontend/dist/index.html model

$(UV):
	python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen
	touch $@

frontend/node_modules: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

tests/e2e/node_modules: tests/e2e/package-lock.json
	cd tests/e2e && npm ci --no-audit --no-fund
	touch $@

frontend/dist/index.html: frontend/node_modules $(UI_SOURCES)
	cd frontend && npm run build

model: .venv/.synced
	bash scripts/build-model.sh
	$(UV) run supportdesk triage build --if-changed
