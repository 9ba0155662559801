#!/usr/bin/env bash
# `make fuzz`: schemathesis with random draws against a live server on the demo data, as every
# role, for FUZZ_MINUTES (default 20) in all: examples, coverage, fuzzing and the stateful phase
# (links between operations). Fails on any 5xx, a response that breaks the schema or a wrong
# content type. Reports (JUnit, NDJSON events) and the server's logs go to $VAR_DIR/fuzz/.
#
#   FUZZ_MINUTES=5 make fuzz                       # a shorter run
#   DATABASE_URL=postgres://... CELERY_BROKER_URL=redis://... make fuzz
#   FUZZ_ROLES="manager vendor-northwind" make fuzz
#   FUZZ_SEED=123 make fuzz                        # the same draw again
#
# It loads the demo into a fresh database of its own each run (see below); the server runs
# with DEBUG off as in production, and no worker: queued jobs just wait.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test

export VAR_DIR="${VAR_DIR:-$PWD/var/fuzz-run}"
export DJANGO_ENV="${DJANGO_ENV:-development}"
export DJANGO_DEBUG=0
out="$VAR_DIR/fuzz"
mkdir -p "$VAR_DIR/broker/queue" "$VAR_DIR/broker/processed" "$VAR_DIR/media" "$VAR_DIR/mail" "$out"

PORT="${FUZZ_PORT:-8765}"
MINUTES="${FUZZ_MINUTES:-20}"
ROLES=(${FUZZ_ROLES:-procurement manager auditor vendor-northwind admin})
WORKERS="${FUZZ_WORKERS:-2}"
SEED_ARGS=()
if [ -n "${FUZZ_SEED:-}" ]; then SEED_ARGS=(--seed "$FUZZ_SEED"); fi

# A fresh database each run (the fuzzer changes the demo data as it goes): on PostgreSQL one
# named after DATABASE_URL's with "_fuzz" added (DATABASE_URL's own database is never touched),
# else a SQLite file under $VAR_DIR.
if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  base="${DATABASE_URL%/*}"
  db="${DATABASE_URL##*/}_fuzz"
  psql "$base/postgres" -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)"
  psql "$base/postgres" -qc "CREATE DATABASE \"$db\""
  export DATABASE_URL="$base/$db"
else
  rm -f "$VAR_DIR/fuzz.sqlite3"
  export DATABASE_URL="sqlite:///$VAR_DIR/fuzz.sqlite3"
fi

.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_demo > "$out/demo.txt"
.venv/bin/python manage.py collectstatic --noinput -v0

server=""
stop() {
  trap - INT TERM EXIT
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
}
trap stop INT TERM EXIT
.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --threads 2 --timeout 120 \
  --access-logfile "$out/access.log" --error-logfile "$out/web.log" >>"$out/web.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done

per_role=$(( MINUTES * 60 / ${#ROLES[@]} ))
[ "$per_role" -ge 1 ] || per_role=1
status=0
for username in "${ROLES[@]}"; do
  # A fresh token for each role's run, so a token revoked during an earlier run does not matter.
  token=$(.venv/bin/python manage.py shell -v0 -c "
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
user = get_user_model().objects.get(username='$username')
Token.objects.filter(user=user).delete()
print(Token.objects.create(user=user).key)")
  echo "== schemathesis as $username for ${per_role}s"
  .venv/bin/schemathesis run "http://127.0.0.1:$PORT/api/schema/" \
    --phases examples,coverage,fuzzing,stateful \
    --checks not_a_server_error,response_schema_conformance,content_type_conformance \
    --max-time "$per_role" --workers "$WORKERS" --request-timeout 60 \
    --suppress-health-check all --continue-on-failure --warnings off \
    -H "Authorization: Token $token" "${SEED_ARGS[@]}" \
    --report junit,ndjson --report-dir "$out/$username" || status=$?
done
requests=$(grep -c ' /api/' "$out/access.log" || true)
errors=$(awk '$9 ~ /^5/' "$out/access.log" | wc -l)
echo "== $requests API requests in all; $errors answered 5xx (access log: $out/access.log)"
exit "$status"
