#!/usr/bin/env bash
# Builds locale/*/LC_MESSAGES/*.mo from the committed .po files (only those older than their .po).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python manage.py compilemessages -v0 --ignore=.venv --ignore=var --ignore=staticfiles \
  --ignore=node_modules --ignore=build
