#!/usr/bin/env bash
# `make run`: install what is missing, migrate, load the demo, start web, worker and beat.
# A worker or beat that dies is started again (the web stays up meanwhile); Ctrl-C stops
# everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh run
mkdir -p var/broker/queue var/broker/processed var/media var/mail var/log

PORT="${PORT:-8000}"
# One worker on every queue here; production runs one per queue (README).
QUEUES="${CELERY_QUEUES:-ingestion,evaluation,reports,email,default}"
scripts/compile_messages.sh
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_demo > var/log/demo.txt
.venv/bin/python manage.py collectstatic --noinput -v0

pids=()
stopping=0
stop() {
  stopping=1
  trap - INT TERM EXIT
  echo; echo "Stopping web, worker and beat"
  # A supervisor passes TERM on to its program (a worker finishes its tasks: warm shutdown).
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

# supervise NAME LOG COMMAND...: run COMMAND, start it again 2 s after it exits (5 quick exits
# in a row in under a minute: give up and say so). Runs in the background, one per program.
supervise() {
  local name=$1 log=$2; shift 2
  local quick=0 child=""
  trap 'if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; fi; exit 0' TERM INT
  while true; do
    local started=$SECONDS
    "$@" >> "$log" 2>&1 &
    child=$!
    wait "$child" || true
    child=""
    if (( SECONDS - started < 60 )); then quick=$((quick + 1)); else quick=0; fi
    if (( quick >= 5 )); then
      echo "$name keeps stopping; see $log" >&2
      return 1
    fi
    echo "$name stopped; starting it again (log: $log)" >&2
    sleep 2
  done
}

set -m  # background jobs get their own process group, so Ctrl-C reaches only this script
supervise worker var/log/worker.log \
  .venv/bin/celery -A config worker --loglevel INFO --concurrency 2 -Q "$QUEUES" &
pids+=($!)
supervise beat var/log/beat.log \
  .venv/bin/celery -A config beat --loglevel INFO -s var/celerybeat-schedule &
pids+=($!)
.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --threads 4 \
  --access-logfile var/log/access.log --error-logfile var/log/web.log &
pids+=($!)
set +m

for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
echo
echo "SLA tracker is running at http://127.0.0.1:$PORT/"
echo "  health: http://127.0.0.1:$PORT/readyz   status: http://127.0.0.1:$PORT/status/   API docs: http://127.0.0.1:$PORT/api/docs/"
cat var/log/demo.txt
echo "Logs in var/log/. Press Ctrl-C to stop."
# The web server stopping ends the run; a worker or beat stopping is handled by its supervisor.
wait "${pids[2]}" || true
