#!/usr/bin/env bash
# Installs what is missing: Debian packages (when root), a .venv with the pinned dependencies.
# Usage: scripts/bootstrap.sh [run|test]   ("test" also installs the browser and PDF tools)
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-run}"

# gettext: msgfmt builds the message catalogs (make run, make test; docs/i18n.md).
debs=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext)
if [ "$purpose" = test ]; then
  debs+=(chromium chromium-driver poppler-utils redis-server postgresql)
fi
missing=()
for pkg in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing Debian packages (run as root or install them): ${missing[*]}" >&2
    exit 1
  fi
fi

PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null || PY=python3
if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv with $($PY --version)"
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "Installing Python dependencies into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check ".[dev]"
  rm -rf build ./*.egg-info
  rm -f .venv/.installed-*
  touch "$stamp"
fi
