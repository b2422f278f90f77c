# The documented entry points. `make run` and `make test` are the quick start.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint format check-deploy bench load backup restore e2e clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed.")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	@$(PY) scripts/check_system.py
	@touch $@

## run: create .venv, install, migrate, load the demo partnership, serve on 127.0.0.1:8000 with the task worker beside it
run: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo
	@echo
	@echo "Open http://$(HOST):$(PORT)/ and sign in as one of the demo people above (each line says who they are and what to try first)."
	DEBUG=1 $(PY) scripts/run_dev.py $(HOST):$(PORT)

## test: install, check the app boundaries (import-linter) and types (mypy), run the whole suite
## (PostgreSQL when DATABASE_URL points at it)
test: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy .
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## check-deploy: Django's deployment checklist under production settings
check-deploy: $(VENV)/.installed
	DEBUG=0 SECRET_KEY=check-deploy-$$RANDOM-a-long-enough-random-secret-key-for-the-check ALLOWED_HOSTS=csp.example.org SITE_URL=https://csp.example.org \
		$(PY) manage.py check --deploy --fail-level WARNING

## bench: every benchmark in bench/, one table of figures
bench: $(VENV)/.installed
	$(PY) bench/run.py

## e2e: the browser tests (Playwright driving /usr/bin/chromium) and the permission matrix
e2e: $(VENV)/.installed
	$(VENV)/bin/pytest tests/e2e $(PYTEST_ARGS)

## load: gunicorn (2 workers) on 127.0.0.1 with the demo data, 50 concurrent clients
## load LOAD_SERVERS=2: one server, then two on one Redis, side by side
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/csp_load
LOAD_SERVERS ?= 1
load: $(VENV)/.installed
	LOAD_DATABASE_URL=$(LOAD_DATABASE_URL) LOAD_SERVERS=$(LOAD_SERVERS) $(PY) scripts/load.py

## backup: the database (pg_dump) and MEDIA_ROOT in one archive, backups/<timestamp>.tar.gz (0600)
backup:
	@scripts/backup.sh

## restore FILE=backups/<timestamp>.tar.gz: the database (pg_restore --clean) and MEDIA_ROOT back
restore:
	@scripts/restore.sh "$(FILE)"

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles var
