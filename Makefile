# SENDcase: `make demo` serves the demo council, `make test` runs the whole suite.
SHELL := /bin/bash
PORT ?= 8000
# The demo's OpenID Connect provider (sendcase oidc-provider) on loopback: staff single sign-on
# and the portal's sign-in (standing in for Entra ID and GOV.UK One Login).
OIDC_PORT ?= 8001
OIDC_ISSUER := http://127.0.0.1:$(OIDC_PORT)
OIDC := var/oidc
VENV := .venv
PY := $(VENV)/bin/python
UV := .tools/bin/uv
SENDCASE := $(PY) -m sendcase.cli
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
DEMO_ENV = SECRET_KEY=$$(cat var/demo-secret-key) SECURE_COOKIES=false SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0 SENDCASE_DEMO=true SENDCASE_DEMO_SKIP_2FA=true ALLOWED_HOSTS=127.0.0.1,localhost \
	SENDCASE_SSO_DISCOVERY_URL=$(OIDC_ISSUER)/.well-known/openid-configuration SENDCASE_SSO_CLIENT_ID=sendcase-staff SENDCASE_SSO_CLIENT_SECRET=$$(cat $(OIDC)/staff-client-secret) \
	SENDCASE_SSO_ROLE_GROUPS=sendcase-case-officers=case_officer,sendcase-team-managers=team_manager,sendcase-head-of-service=head_of_service,sendcase-finance=finance_officer,sendcase-data=data_officer,sendcase-administrators=administrator,sendcase-information-governance=information_governance \
	SENDCASE_ONE_LOGIN_DISCOVERY_URL=$(OIDC_ISSUER)/.well-known/openid-configuration SENDCASE_ONE_LOGIN_CLIENT_ID=sendcase-portal SENDCASE_ONE_LOGIN_PRIVATE_KEY_FILE=$(OIDC)/portal-client-key.pem \
	SENDCASE_PORTAL_URL=http://127.0.0.1:$(PORT)/portal/

.PHONY: setup native-clock demo test test-sqlite test-postgres lint bench clean

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

$(OIDC)/staff-client-secret:
	mkdir -p $(OIDC)
	python3 -c "import secrets; print(secrets.token_urlsafe(32))" > $@

$(OIDC)/portal-client-key.pem: | $(VENV)/.synced
	mkdir -p $(OIDC)
	$(PY) -c "import sys; from sendcase.oidc_provider.directory import make_client_key; open(sys.argv[1], 'w').write(make_client_key()[0])" $@

# The optional compiled statutory clock (mypyc; see docs/clock.md): rebuilt when engine.py or a
# module mypyc reads for it changes, or the environment (and so mypyc) does. A build that fails
# says so in one line and the pure-Python engine runs; `make native-clock` tries again.
CLOCK := src/sendcase/statutory
var/native-clock.built: $(CLOCK)/engine.py $(CLOCK)/dates.py $(CLOCK)/events.py $(CLOCK)/rules.py \
		scripts/build-native-clock.sh $(VENV)/.synced
	@scripts/build-native-clock.sh $(PY)
	@touch $@

native-clock:
	@rm -f var/native-clock.built
	@$(MAKE) --no-print-directory var/native-clock.built

setup: $(VENV)/.synced src/sendcase/static/sendcase/sendcase.css var/native-clock.built

## make demo: set up everything, build the demo council (once), start the demo identity provider
## on $(OIDC_ISSUER) in the background, and serve SENDcase on http://127.0.0.1:$(PORT)
demo: setup var/demo-secret-key $(OIDC)/staff-client-secret $(OIDC)/portal-client-key.pem
	scripts/system-packages.sh --documents
	$(DEMO_ENV) $(SENDCASE) migrate --noinput -v 0
	$(DEMO_ENV) $(SENDCASE) demo --if-empty
	$(DEMO_ENV) $(SENDCASE) demo-sign-in --directory $(OIDC)/directory.json --issuer $(OIDC_ISSUER) --staff-secret-file $(OIDC)/staff-client-secret --portal-key-file $(OIDC)/portal-client-key.pem --url http://127.0.0.1:$(PORT)
	$(DEMO_ENV) $(SENDCASE) collectstatic --noinput -v 0
	@echo "SENDcase is at http://127.0.0.1:$(PORT)/ and the demo identity provider at $(OIDC_ISSUER)/ (Ctrl+C to stop both)"
	$(SENDCASE) oidc-provider --port $(OIDC_PORT) --directory $(OIDC)/directory.json & provider=$$!; \
	trap 'kill $$provider 2>/dev/null' EXIT; \
	$(DEMO_ENV) $(VENV)/bin/gunicorn sendcase.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile -

## make test: set up everything and run the whole suite on SQLite and on PostgreSQL
test: setup lint
	scripts/system-packages.sh
	$(MAKE) --no-print-directory test-sqlite test-postgres

# Two test processes (pytest-xdist), a test file each at a time. The browser tests run once,
# against PostgreSQL, the production database; the rest of the suite runs on both databases.
WORKERS ?= 2
PYTEST := $(PY) -m pytest -q -n $(WORKERS) --dist loadfile

test-sqlite: setup
	$(PYTEST) -m "not browser"

test-postgres: setup
	scripts/with-postgres.sh $(PYTEST)

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
	rm -f $(CLOCK)/engine.digest $(CLOCK)/engine.*.so $(CLOCK)/engine__mypyc.*.so
