# 甘肃省社区服务体系建设管理平台 — the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
SCALE ?= 1

.PHONY: install run worker setup serve test test-browser lint lock bench bench-tiny clean-db

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.lock
	$(PIP) install -q --no-deps -e .
	touch $@

# Set up everything on a fresh machine and serve the portal on http://127.0.0.1:8000, with a
# background worker (db_worker: imports, reports, the daily reminders as jobs) beside it that
# stops with the server.
run: setup
	@LOCAL_RUN=1 $(PY) manage.py jobs_schedule
	@LOCAL_RUN=1 $(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	LOCAL_RUN=1 $(PY) manage.py runserver $(HOST):$(PORT)

# The background worker alone (one more beside `make serve`, or on another machine).
worker: install
	$(PY) manage.py db_worker --no-reload

setup: install
	DEBUG=1 $(PY) manage.py migrate --noinput -v 1
	DEBUG=1 $(PY) manage.py load_divisions
	DEBUG=1 $(PY) manage.py seed_demo --scale $(SCALE) --if-empty

# Serve with gunicorn + whitenoise (production settings: SECRET_KEY, ALLOWED_HOSTS and
# DATABASE_URL come from the environment; see README, Deploying). Background jobs need a
# worker as a service of its own beside it: `manage.py db_worker` (or `make worker`), with
# TASKS_BACKEND=rq `manage.py rqworker --job-class django_tasks_rq.Job` on each machine.
serve: install
	$(PY) manage.py check --deploy --fail-level ERROR
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v 0
	$(VENV)/bin/gunicorn gansu_community.wsgi -c gansu_community/gunicorn_conf.py

# Measure DESIGN.md's performance budgets; writes docs/benchmarks.md and docs/benchmarks.json.
bench: install
	$(PY) bench/run.py

bench-tiny: install
	$(PY) bench/run.py --tiny

# Run the whole suite (browser tests included when /usr/bin/chromium is installed).
test: install
	$(VENV)/bin/ruff check .
	DJANGO_SETTINGS_MODULE=gansu_community.test_settings $(VENV)/bin/pytest -n 2 --dist loadgroup -q

test-browser: install
	DJANGO_SETTINGS_MODULE=gansu_community.test_settings $(VENV)/bin/pytest -q -m browser

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Regenerate the lock file of exact versions from pyproject.toml's ranges, in a clean venv.
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install -q --upgrade pip
	.lockenv/bin/pip install -q -e '.[dev]'
	.lockenv/bin/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock
	rm -rf .lockenv

clean-db:
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
