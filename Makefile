# Teilhabe – two commands for a newcomer: `make demo` and `make test`. Needs only python3 (>= 3.11), make, git.
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Compiled bytecode at install: management commands start without compiling ~2,000 modules (decision 0120).
export UV_COMPILE_BYTECODE := 1

.PHONY: demo test lint install assets serve clean-demo stack-test

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==0.13.9"

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	touch $@

static_src/vendor/.installed: package.json package-lock.json $(VENV)/.installed
	$(VENV)/bin/npm ci --no-audit --no-fund --silent
	$(PY) scripts/copy_assets.py
	touch $@

install: $(VENV)/.installed static_src/vendor/.installed

assets: static_src/vendor/.installed

# The web platform with a demo district on the embedded SQLite default (TEILHABE_KREIS picks the Kreis).
demo: install
	TEILHABE_DEMO=1 $(PY) scripts/demo.py

# The whole suite on SQLite and on PostgreSQL, plus ruff, mypy and the migrations check.
test: install
	$(PY) scripts/run_tests.py

# The production stack (gunicorn, worker, scheduler, JSON logs) on loopback against a throw-away PostgreSQL
# database, with a smoke test: TOTP login, register import, report build, public search (docs/operations).
stack-test: install
	DATABASE_URL=$${STACK_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/teilhabe_stack} $(PY) scripts/stack_test.py

lint: install
	$(PY) scripts/run_tests.py --lint-only
