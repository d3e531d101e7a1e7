# SENDcase: `make demo` serves the demo council, `make test` runs the whole suite.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
UV := .tools/bin/uv
SENDCASE := $(PY) -m sendcase.cli
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
DEMO_ENV = SECRET_KEY=$$(cat var/demo-secret-key) SECURE_COOKIES=false SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0 SENDCASE_DEMO=true SENDCASE_DEMO_SKIP_2FA=true ALLOWED_HOSTS=127.0.0.1,localhost

.PHONY: setup demo test test-sqlite test-postgres lint bench clean

$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv==0.13.9

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --quiet
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

src/sendcase/static/sendcase/sendcase.css: assets/sendcase.scss node_modules/.installed
	npm run --silent build

var/demo-secret-key:
	mkdir -p var
	python3 -c "import secrets; print(secrets.token_urlsafe(48))" > $@

setup: $(VENV)/.synced src/sendcase/static/sendcase/sendcase.css

## make demo: set up everything, build the demo council (once), and serve it on http://127.0.0.1:$(PORT)
demo: setup var/demo-secret-key
	scripts/system-packages.sh --documents
	$(DEMO_ENV) $(SENDCASE) migrate --noinput -v 0
	$(DEMO_ENV) $(SENDCASE) demo --if-empty
	$(DEMO_ENV) $(SENDCASE) collectstatic --noinput -v 0
	@echo "SENDcase is at http://127.0.0.1:$(PORT)/ (Ctrl+C to stop)"
	$(DEMO_ENV) $(VENV)/bin/gunicorn sendcase.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile -

## make test: set up everything and run the whole suite on SQLite and on PostgreSQL
test: setup lint
	scripts/system-packages.sh
	$(MAKE) --no-print-directory test-sqlite test-postgres

test-sqlite: setup
	$(PY) -m pytest -q

test-postgres: setup
	scripts/with-postgres.sh $(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy

## make bench: the speed targets, on PostgreSQL
bench: setup
	scripts/system-packages.sh
	scripts/with-postgres.sh $(PY) bench/run.py

clean:
	rm -rf $(VENV) .tools node_modules var src/sendcase/static/sendcase/sendcase.css
