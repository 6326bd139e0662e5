#!/usr/bin/env bash
# Installs wstest (Autobahn|Testsuite 25.10.1) into a Python 2.7 virtualenv:
#   $(pyenv prefix 2.7.18)/bin/python -m pip install "virtualenv<20.22"; virtualenv; pip install autobahntestsuite
# Idempotent. Without Python 2.7 it prints a notice and exits 0, unless CI is set (then it fails).
set -euo pipefail
VENV=${AUTOBAHN_VENV:-$HOME/.cache/realtime-codecs/autobahn-venv}

if [ -x "$VENV/bin/wstest" ]; then
  exit 0
fi

PY27=""
if command -v pyenv >/dev/null 2>&1 && PREFIX=$(pyenv prefix 2.7.18 2>/dev/null); then
  PY27="$PREFIX/bin/python"
elif command -v python2.7 >/dev/null 2>&1; then
  PY27=$(command -v python2.7)
fi
if [ -z "$PY27" ] || [ ! -x "$PY27" ]; then
  if [ -n "${CI:-}" ]; then
    echo "error: Python 2.7 is required for Autobahn|Testsuite under CI" >&2
    exit 1
  fi
  echo "notice: no Python 2.7 (pyenv 2.7.18): Autobahn|Testsuite not installed; its step will skip" >&2
  exit 0
fi

echo "==> installing wstest into $VENV" >&2
mkdir -p "$(dirname "$VENV")"
"$PY27" -m pip install --quiet --disable-pip-version-check "virtualenv<20.22"
"$PY27" -m virtualenv --quiet "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check autobahntestsuite
"$VENV/bin/wstest" --help >/dev/null 2>&1 || "$VENV/bin/wstest" -a >/dev/null 2>&1 || true
test -x "$VENV/bin/wstest"
