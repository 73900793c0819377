# The README's two commands: `make run` serves the demo, `make test` runs lint and tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DOTENV := .env

.PHONY: run test lint pytest bench serve clean demo worker

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(INSTALLED)

# The local settings (DEBUG=1, a generated SECRET_KEY) that manage.py reads, so every
# README command works without variables. Written once; an existing file is kept. Run by
# the project's Python: importing the config package loads Celery.
$(DOTENV): | $(INSTALLED)
	$(BIN)/python -m config.envfile $(DOTENV)

run: $(INSTALLED) $(DOTENV)
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

demo: $(INSTALLED) $(DOTENV)
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

# Production: DEBUG off, whitenoise serving compressed hashed static files, gunicorn.
# Needs SECRET_KEY; reads DATABASE_URL, REDIS_URL, ALLOWED_HOSTS, WEB_CONCURRENCY, BIND
# and the SECURE_* variables listed in config/settings.py. Over plain HTTP on your own
# machine: make serve SECRET_KEY=... SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0
serve: $(INSTALLED)
	@test -n "$(SECRET_KEY)" || { echo "make serve: set SECRET_KEY (a long random string)" >&2; exit 2; }
	mkdir -p var
	DEBUG=0 $(BIN)/python manage.py collectstatic --noinput -v 0
	DEBUG=0 $(BIN)/python manage.py migrate --noinput
	DEBUG=0 $(BIN)/gunicorn -c config/gunicorn.conf.py

# The Celery worker that sends campaigns; needs REDIS_URL (or CELERY_BROKER_URL), and the
# same DATABASE_URL and mail settings as the site.
worker: $(INSTALLED)
	@test -n "$(REDIS_URL)$(CELERY_BROKER_URL)" || { echo "make worker: set REDIS_URL" >&2; exit 2; }
	$(BIN)/celery -A config worker --loglevel=info --concurrency=$${WORKER_CONCURRENCY:-2}

lint: $(INSTALLED)
	$(BIN)/ruff check .

# The CPU-time bounds (marker "timing") run in a second, serial pass: beside a busy
# xdist worker a parse's CPU time grows by a third and a 1 s bound would fail at random.
pytest: $(INSTALLED)
	$(BIN)/pytest -n auto -q -m "not timing"
	$(BIN)/pytest -q -m timing

test: lint pytest

bench: $(INSTALLED)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var/db.sqlite3
