#!/usr/bin/env bash
# Installs Python `websockets` (PyPI) into a virtualenv for the codec-ws interop tests:
#   ~/.cache/realtime-codecs/py-websockets (override with PY_WEBSOCKETS_VENV).
# Idempotent. The tests find it there (or use $PYTHON_WEBSOCKETS / a python3 that has it).
set -euo pipefail
VENV=${PY_WEBSOCKETS_VENV:-$HOME/.cache/realtime-codecs/py-websockets}
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import websockets" 2>/dev/null; then
  exit 0
fi
PY=${PYTHON3:-python3}
"$PY" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "websockets>=13"
"$VENV/bin/python" -c "import websockets; print('websockets', websockets.__version__)"
