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

# The linters run first and any finding fails the run (CI runs `make lint` as its own step, then SKIP_LINT=1).
test: install $(if $(SKIP_LINT),,lint) assets
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

# Every linter runs, so one run shows every finding; any finding fails. Bandit reports medium severity and
# above; a false positive is marked `# nosec BXXX` with the reason on the line.
BANDIT_PATHS := core accounts schools partnerships meetings finance subscriptions reports config
lint: install
	@status=0; \
	echo "ruff check ."; $(VENV)/bin/ruff check . || status=1; \
	echo "ruff format --check ."; $(VENV)/bin/ruff format --check . || status=1; \
	echo "lint-imports"; $(VENV)/bin/lint-imports || status=1; \
	echo "bandit -ll"; $(VENV)/bin/bandit -q -c pyproject.toml -r $(BANDIT_PATHS) -ll || status=1; \
	exit $$status

clean:
	rm -rf $(VENV) node_modules $(VENDOR) staticfiles
