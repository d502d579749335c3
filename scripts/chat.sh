#!/usr/bin/env bash
# `make chat`: start the action server, open `rasa shell`, and stop the action
# server when the shell ends (normally, /stop, Ctrl-C or Ctrl-D).
set -euo pipefail
cd "$(dirname "$0")/.."
# ACTION_PORT and ENDPOINTS must agree (endpoints.yml says 5055); the tests
# set both to run on free ports.  CREDENTIALS: the channels file (default credentials.yml).
port="${ACTION_PORT:-5055}"
endpoints="${ENDPOINTS:-endpoints.yml}"
credentials="${CREDENTIALS:-credentials.yml}"
log="${TMPDIR:-/tmp}/al-invest-actions.$$.log"

# Every configuration problem at once (file:line or variable), before anything starts.
.venv/bin/python -m channels.preflight --credentials "$credentials" --endpoints "$endpoints" --action-port "$port" || exit 2

.venv/bin/python -m actions.serve --port "$port" >"$log" 2>&1 &
actions_pid=$!
trap 'kill "$actions_pid" 2>/dev/null || true; wait "$actions_pid" 2>/dev/null || true; rm -f "$log"' EXIT

for _ in $(seq 1 120); do
  if ! kill -0 "$actions_pid" 2>/dev/null; then
    echo "ERROR: el servidor de acciones no arrancó:" >&2; cat "$log" >&2; exit 1
  fi
  if .venv/bin/python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/health', timeout=1)" 2>/dev/null; then
    break
  fi
  sleep 0.5
done

echo "Servidor de acciones listo en el puerto $port. Escribe /stop para salir."
.venv/bin/rasa shell --model "${MODEL:-models/al-invest.tar.gz}" --endpoints "$endpoints" --credentials "$credentials"
