#!/usr/bin/env bash
# `make messages`: gather every marked string into locale/<lang>/LC_MESSAGES/django.po and
# djangojs.po for the product's languages (docs/i18n.md). Translators fill the .po files; the
# .mo files are built by `make run`, `make test` and the test session, never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
langs=(nl ro es)
args=()
for lang in "${langs[@]}"; do args+=(-l "$lang"); done
ignore=(--ignore=.venv --ignore=tests --ignore=bench --ignore=var --ignore=staticfiles
        --ignore=static/vendor --ignore=build --ignore=test-artifacts)
# --add-location file: a string's files without line numbers, so a moved line changes no .po.
.venv/bin/python manage.py makemessages "${args[@]}" "${ignore[@]}" --no-obsolete --add-location file -v0
.venv/bin/python manage.py makemessages -d djangojs "${args[@]}" "${ignore[@]}" --no-obsolete --add-location file -v0
# makemessages writes no djangojs.po while no script marks a string: keep an empty catalog (its
# header only) so the domain exists for translators and `compilemessages`.
for lang in "${langs[@]}"; do
  js="locale/$lang/LC_MESSAGES/djangojs.po"
  if [ ! -f "$js" ]; then
    sed '/^$/q' "locale/$lang/LC_MESSAGES/django.po" > "$js"
  fi
done
for lang in "${langs[@]}"; do
  for domain in django djangojs; do
    printf '%s %s: ' "$lang" "$domain"
    msgfmt --statistics -o /dev/null "locale/$lang/LC_MESSAGES/$domain.po" 2>&1
  done
done
