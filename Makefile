# The README's two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export PYTHONPATH := src

.PHONY: install run test check lint format messages lock chromium sandbox clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

## make run: the platform on its embedded defaults (SQLite, local files, Celery on a SQLite broker), demo call loaded.
run: install sandbox
	scripts/run-demo.sh

## make test: lint, then the whole suite (unit, API, schema, broker, browser).
test: install chromium sandbox lint
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=src $(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=convergence.settings_test

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Browser tests drive Debian's chromium; install it where it is missing.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; \
	fi

# Scoring programs run in bubblewrap (competitions/sandbox.py); install it where it is missing.
sandbox:
	@if ! command -v bwrap >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q bubblewrap; \
	fi

messages: install
	cd src/convergence && ../../$(BIN)/python ../../manage.py makemessages -l fr --no-location --no-wrap -i settings_test.py --settings=convergence.settings_test
	cd src/convergence && ../../$(BIN)/python ../../manage.py compilemessages -l fr --settings=convergence.settings_test

lock:
	rm -rf /tmp/convergence-lock && $(PYTHON) -m venv /tmp/convergence-lock
	/tmp/convergence-lock/bin/pip install --quiet -r requirements.in
	{ echo "# Pinned runtime dependencies (generated from requirements.in: make lock)"; /tmp/convergence-lock/bin/pip freeze; } > requirements.lock
	/tmp/convergence-lock/bin/pip install --quiet -r requirements-dev.in
	{ echo "# Pinned test and lint dependencies (generated from requirements-dev.in: make lock)"; /tmp/convergence-lock/bin/pip freeze | grep -vxF -f requirements.lock; } > requirements-dev.lock

clean:
	rm -rf $(VENV) var
