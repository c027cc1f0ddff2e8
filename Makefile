# Norderstedt GO! — two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n 2 --dist loadfile

.DEFAULT_GOAL := help
.PHONY: help install install-dev run test lint format bench messages clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): requirements.txt | $(PY)
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP) $@

install: $(STAMP) ## Create .venv and install the runtime requirements

install-dev: $(DEV_STAMP) ## Install runtime and test requirements

# Links in emails and the demo devices' push endpoint follow HOST and PORT unless SITE_URL is set.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: $(STAMP) ## Start the portal with demo content at http://127.0.0.1:8000 (SQLite, task worker, simulated lockers)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py portal_serve --host $(HOST) --port $(PORT)

test: $(DEV_STAMP) ## Run the test suite (SQLite unless DATABASE_URL is set)
	$(BIN)/pytest $(PYTEST_ARGS); status=$$?; if [ $$status -eq 5 ]; then echo "pytest collected no tests"; fi; exit $$status

lint: $(DEV_STAMP) ## ruff check and format check, Django checks, missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py makemigrations --check --dry-run

format: $(DEV_STAMP) ## Format and fix imports with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(DEV_STAMP) ## Run the benchmarks that apply to this machine
	@for module in $$(ls bench/*.py | grep -v __init__ | sed 's#/#.#; s#\.py$$##'); do echo "== $$module"; $(PY) -m $$module || exit 1; done

messages: $(DEV_STAMP) ## Update the English catalogue, compile it and the Leichte Sprache frame (needs GNU gettext)
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	msgfmt --check -o locale/en/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.po
	msgfmt --check -o locale/de_LS/LC_MESSAGES/django.mo locale/de_LS/LC_MESSAGES/django.po

clean: ## Remove the virtualenv, the SQLite database and generated files
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* var
