# MICRO platform. Quick start on a fresh machine: `make run`, then `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
HOST   ?= 127.0.0.1
PORT   ?= 8000

# The first interpreter >= 3.12 found (pyenv shims honour .python-version = 3.13.0).
PYTHON_CANDIDATES := python3.13 python3.12 python3 python
FIND_PYTHON = $(shell for p in $(PYTHON_CANDIDATES); do \
	  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null && { echo $$p; break; }; \
	done)

.PHONY: help run test test-postgres test-e2e lint typecheck format messages translations backup restore lock clean demo check-deploy bench

help:
	@echo "make run            build everything and serve http://$(HOST):$(PORT) with demo data (SQLite)"
	@echo "make test           build the test environment and run every test"
	@echo "make test-postgres  run the database tests against DATABASE_URL (PostgreSQL)"
	@echo "make lint           ruff format check + lint, mypy"
	@echo "make messages       extract UI strings into locale/*/LC_MESSAGES/django.po"
	@echo "make backup / make restore FILE=...   back up / restore the embedded SQLite database"
	@echo "make bench          benchmark suite on the local PostgreSQL (~15 min), results in bench/results/"

$(PY):
	@py="$(FIND_PYTHON)"; \
	if [ -z "$$py" ]; then \
	  echo "Python 3.12 or newer is needed (3.13 recommended, see .python-version)."; \
	  echo "Install it, e.g. 'pyenv install 3.13.0' or 'apt-get install python3.13 python3.13-venv', then run make again."; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$py ($$($$py --version))"; \
	$$py -m venv $(VENV) && $(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.lock | $(PY)
	$(BIN)/pip install -q -r requirements.lock
	@touch $@

$(VENV)/.dev: requirements-dev.lock $(VENV)/.runtime
	$(BIN)/pip install -q -r requirements-dev.lock
	@touch $@

translations: $(VENV)/.runtime | var
	@$(PY) manage.py compile_translations

var:
	@mkdir -p var

run: $(VENV)/.runtime translations | var
	@$(PY) manage.py migrate --no-input -v0
	@$(PY) manage.py content_import
	@$(PY) manage.py course_import
	@$(PY) manage.py demo_load
	@$(PY) manage.py collectstatic --no-input -v0 >/dev/null 2>&1 || true
	@echo ""
	@echo "  MICRO platform: http://$(HOST):$(PORT)/"
	@echo "  Demo accounts (password: micro-demo):"
	@echo "    coordinator@demo.micro.example   coordinator (also the admin at /en/admin/)"
	@echo "    partner@demo.micro.example       partner admin, Ente Nazionale per il Microcredito"
	@echo "    trainer@demo.micro.example       trainer"
	@echo "    operator@demo.micro.example      operator, Ce.S.F.Or"
	@echo "    operator2@demo.micro.example     operator, Acción contra el Hambre"
	@echo "    migrant@demo.micro.example       a migrant entrepreneur with an account"
	@echo ""
	@$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev translations
	@bash scripts/ensure-chromium.sh || true
	$(BIN)/pytest

test-postgres: $(VENV)/.dev translations
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/micro"; exit 2; }
	$(BIN)/pytest -m "not e2e"

test-e2e: $(VENV)/.dev translations
	$(BIN)/pytest -m e2e

lint: $(VENV)/.dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy .

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(VENV)/.runtime
	$(PY) manage.py makemessages --no-obsolete --no-location --ignore ".venv/*" --ignore "var/*" $(foreach l,it es fr de nl ar uk ro tr,-l $(l))

check-deploy: $(VENV)/.runtime
	SECRET_KEY=$$(head -c 64 /dev/urandom | base64 | tr -d '\n/+=' | head -c 64) ALLOWED_HOSTS=micro.example.org \
	  DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py check --deploy --fail-level WARNING

backup: $(VENV)/.runtime | var
	$(PY) manage.py backup_sqlite

restore: $(VENV)/.runtime | var
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=var/backups/micro-YYYYmmdd-HHMMSS.sqlite3"; exit 2; }
	$(PY) manage.py restore_sqlite "$(FILE)"

lock:
	bash scripts/lock.sh

# The benchmark suite (issue 8): production mode on the local PostgreSQL, ≤ 20 minutes, results in bench/results/.
bench: $(VENV)/.dev translations
	@bash scripts/ensure-chromium.sh || true
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/static .pytest_cache .mypy_cache .ruff_cache
