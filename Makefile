# Commonroom: `make demo` starts the app with demo data; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
VENDOR := static/vendor

.PHONY: demo test install assets migrate serve lint clean

# The embedded default: SQLite in var/, tasks in process, mail printed to the console.
demo: export DEBUG ?= true
demo: install assets migrate
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: install assets
	$(PY) -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-fund --no-audit
	touch $@

assets: $(VENDOR)/.built

$(VENDOR)/.built: node_modules/.installed static/src/commonroom.scss Makefile
	mkdir -p $(VENDOR)/govuk $(VENDOR)/htmx $(VENDOR)/axe
	npx sass --no-source-map --style=compressed --quiet-deps --silence-deprecation=import \
		--load-path=node_modules/govuk-frontend/dist static/src/commonroom.scss $(VENDOR)/commonroom.css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(VENDOR)/govuk/
	rm -rf $(VENDOR)/govuk/assets  # GOV.UK's images and fonts are the government brand: not served
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe/
	touch $@

migrate: export DEBUG ?= true
migrate: install
	$(PY) manage.py migrate --noinput

serve: export DEBUG ?= true
serve: install assets
	$(PY) manage.py runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) node_modules $(VENDOR) staticfiles
