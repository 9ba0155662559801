#!/usr/bin/env bash
# `make test`: install what is missing, start the servers, lint, check, then the whole suite on
# PostgreSQL and the part of it that does not need PostgreSQL again on SQLite (`make run`'s
# database), with the filesystem broker; non-zero if either run failed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test
scripts/services.sh

export DJANGO_ENV=test
export DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bposla}"
export CELERY_BROKER_URL="${TEST_CELERY_BROKER_URL:-redis://127.0.0.1:6379/15}"
export VAR_DIR="${VAR_DIR:-$PWD/var/test}"
mkdir -p "$VAR_DIR"

echo "== compilemessages"; scripts/compile_messages.sh
echo "== ruff check"; .venv/bin/ruff check .
echo "== ruff format --check"; .venv/bin/ruff format --check .
echo "== mypy (domain modules)"; .venv/bin/mypy
echo "== manage.py check"; .venv/bin/python manage.py check
echo "== makemigrations --check"; .venv/bin/python manage.py makemigrations --check --dry-run
echo "== lint-imports"; .venv/bin/lint-imports

status=0
echo "== pytest (PostgreSQL, Redis)"
.venv/bin/python -m pytest "$@" || status=$?

# Browser tests drive the live server and the fuzz tests the live API: both are about the
# pages and the API, not the database, and are the slowest part; they run on PostgreSQL only.
# So do the worker tests: the SQLite test database is in memory with a shared cache, where a
# worker thread's write locks a table against the test's reads ("database table is locked")
# at random; `make run` itself uses a file in WAL mode, which readers and writers share.
echo "== pytest (SQLite, filesystem broker)"
sqlite_dir="$VAR_DIR/sqlite"
rm -rf "$sqlite_dir"
mkdir -p "$sqlite_dir"
sqlite_status=0
DATABASE_URL="sqlite:///$sqlite_dir/test.sqlite3" CELERY_BROKER_URL="filesystem://" \
  VAR_DIR="$sqlite_dir" \
  .venv/bin/python -m pytest -m "not postgres and not browser and not fuzz and not worker" "$@" || sqlite_status=$?
if [ "$status" = 0 ]; then status=$sqlite_status; fi
exit "$status"
