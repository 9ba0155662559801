#!/usr/bin/env bash
# `make run`: install what is missing, migrate, load the demo, start web, worker and beat.
# Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh run
mkdir -p var/broker/queue var/broker/processed var/media var/mail var/log

PORT="${PORT:-8000}"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_demo > var/log/demo.txt
.venv/bin/python manage.py collectstatic --noinput -v0

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "Stopping web, worker and beat"
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

.venv/bin/celery -A config worker --loglevel INFO --concurrency 2 > var/log/worker.log 2>&1 &
pids+=($!)
.venv/bin/celery -A config beat --loglevel INFO -s var/celerybeat-schedule > var/log/beat.log 2>&1 &
pids+=($!)
.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --threads 4 \
  --access-logfile var/log/access.log --error-logfile var/log/web.log &
pids+=($!)

for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
echo
echo "SLA tracker is running at http://127.0.0.1:$PORT/"
echo "  health: http://127.0.0.1:$PORT/healthz   API docs: http://127.0.0.1:$PORT/api/docs/"
cat var/log/demo.txt
echo "Logs in var/log/. Press Ctrl-C to stop."
wait -n "${pids[@]}"
