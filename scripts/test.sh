#!/usr/bin/env bash
# `make test`: install what is missing, start the servers, lint, check, then the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test
scripts/services.sh

export DJANGO_ENV=test
export DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bposla}"
export CELERY_BROKER_URL="${TEST_CELERY_BROKER_URL:-redis://127.0.0.1:6379/15}"
export VAR_DIR="${VAR_DIR:-$PWD/var/test}"
mkdir -p "$VAR_DIR"

echo "== ruff check"; .venv/bin/ruff check .
echo "== ruff format --check"; .venv/bin/ruff format --check .
echo "== mypy (domain modules)"; .venv/bin/mypy
echo "== manage.py check"; .venv/bin/python manage.py check
echo "== makemigrations --check"; .venv/bin/python manage.py makemigrations --check --dry-run
echo "== pytest"
exec .venv/bin/python -m pytest "$@"
