#!/usr/bin/env bash
# `make serve`: the action server and `rasa run` with the web chat widget
# (socket.io channel, channels/webchat/) and the REST channel, until Ctrl-C
# or SIGTERM; then both process groups are stopped (no orphans).
#
# Environment (defaults in brackets; see docs/webchat.md):
#   BOT_HOST [127.0.0.1]   interface of `rasa run` (0.0.0.0 to publish it)
#   BOT_PORT [5005]        port of `rasa run`: widget, socket.io, REST
#   ACTION_PORT [5055]     port of the action server (always on 127.0.0.1)
#   WEBCHAT_ALLOWED_ORIGINS [http://localhost:*,http://127.0.0.1:*]
#                          other web origins allowed to open the chat socket
#   RASA_API_TOKEN [unset] if set, Rasa's HTTP API is enabled with this token;
#                          without it the API stays closed
#   CORS_ORIGINS [unset]   origins allowed by CORS on Rasa's HTTP routes
#                          (`rasa run --cors`); unset: no CORS headers (docs/hardening.md)
#   CREDENTIALS [credentials.yml], ENDPOINTS [endpoints.yml]  the files Rasa reads
#   MODEL [models/al-invest.tar.gz]
#
# Before anything starts, `python -m channels.preflight` checks both files and
# every setting variable, and stops here (exit 2) listing each problem with
# its file and line or its variable.
set -euo pipefail
cd "$(dirname "$0")/.."

BOT_HOST="${BOT_HOST:-127.0.0.1}"
BOT_PORT="${BOT_PORT:-5005}"
ACTION_PORT="${ACTION_PORT:-5055}"
MODEL="${MODEL:-models/al-invest.tar.gz}"
CREDENTIALS="${CREDENTIALS:-credentials.yml}"
ENDPOINTS="${ENDPOINTS:-endpoints.yml}"
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"

die() { echo "ERROR: $*" >&2; exit 1; }

# Every configuration problem at once, before any server starts.  When
# ACTION_PORT is the default the endpoints file is used as it is, so its
# action_endpoint.url must point at the action server started below.
preflight_args=(--credentials "$CREDENTIALS" --endpoints "$ENDPOINTS")
[[ "$ACTION_PORT" == 5055 ]] && preflight_args+=(--action-port 5055)
.venv/bin/python -m channels.preflight "${preflight_args[@]}" || exit 2

[[ -f "$MODEL" ]] || die "no hay modelo en $MODEL: ejecuta \`make train\` (o \`make serve\`, que entrena si hace falta)."
[[ -f node_modules/socket.io-client/dist/socket.io.min.js ]] \
  || die "falta el cliente socket.io del widget: ejecuta \`npm ci\` (parte de \`make install\`)."
# Telegram (docs/telegram.md): on with TELEGRAM_TOKEN (the preflight already checked TELEGRAM_*).
telegram_status="$(.venv/bin/python -m channels.telegram.config)" || exit 2

tmp="$(mktemp -d "${TMPDIR:-/tmp}/al-invest-serve.XXXXXX")"
pids=()

stop_all() {
  trap - INT TERM EXIT
  local pid
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for _ in $(seq 1 40); do  # up to 20 s for a clean shutdown
    local alive=0
    for pid in "${pids[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
    (( alive )) || break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap 'echo; echo "Deteniendo el asistente…"; stop_all; exit 0' INT TERM
trap stop_all EXIT

# Each server in its own session (setsid): its whole process group is stopped.
start() { setsid "$@" & pids+=("$!"); }

wait_http() {  # name pid url
  for _ in $(seq 1 360); do
    kill -0 "$2" 2>/dev/null || die "$1 terminó durante el arranque (mira los mensajes de arriba)."
    if .venv/bin/python -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)" "$3" 2>/dev/null; then
      return 0
    fi
    sleep 0.5
  done
  die "$1 no respondió en 180 s en $3"
}

# Rasa reads the action server's URL from the endpoints file: write one for
# another port (the tracker store and the rest stay as in $ENDPOINTS).
endpoints="$ENDPOINTS"
if [[ "$ACTION_PORT" != 5055 ]]; then
  endpoints="$tmp/endpoints.yml"
  .venv/bin/python - "$ACTION_PORT" "$endpoints" "$ENDPOINTS" <<'PY'
import sys, yaml
port, out, source = sys.argv[1], sys.argv[2], sys.argv[3]
with open(source, encoding="utf-8") as f:
    config = yaml.safe_load(f) or {}
config["action_endpoint"] = {"url": f"http://127.0.0.1:{port}/webhook"}
with open(out, "w", encoding="utf-8") as f:
    yaml.safe_dump(config, f)
PY
fi

api_args=()
if [[ -n "${RASA_API_TOKEN:-}" ]]; then
  api_args=(--enable-api --auth-token "$RASA_API_TOKEN")
fi
# CORS on Rasa's HTTP routes (sanic_cors): the origins, already checked by the
# preflight (exact scheme://host[:port], or * alone), separated by commas or spaces.
cors_args=()
if [[ -n "${CORS_ORIGINS:-}" ]]; then
  read -r -a cors_origins <<< "${CORS_ORIGINS//,/ }"
  (( ${#cors_origins[@]} )) && cors_args=(--cors "${cors_origins[@]}")
fi

start .venv/bin/python -m actions.serve --port "$ACTION_PORT"
actions_pid="${pids[-1]}"
wait_http "El servidor de acciones" "$actions_pid" "http://127.0.0.1:$ACTION_PORT/health"

start .venv/bin/rasa run --model "$MODEL" --interface "$BOT_HOST" --port "$BOT_PORT" \
  --endpoints "$endpoints" --credentials "$CREDENTIALS" "${cors_args[@]}" "${api_args[@]}"
rasa_pid="${pids[-1]}"
local_host="$BOT_HOST"
[[ "$BOT_HOST" == 0.0.0.0 || "$BOT_HOST" == "::" ]] && local_host=127.0.0.1
wait_http "rasa run" "$rasa_pid" "http://$local_host:$BOT_PORT/"

echo
echo "=================================================================="
echo " Asistente AL-INVEST 5.0 en marcha"
echo "   Widget de demostración: http://$local_host:$BOT_PORT/webchat/"
echo "   REST:  POST http://$local_host:$BOT_PORT/webhooks/rest/webhook"
if (( ${#api_args[@]} )); then
  echo "   API HTTP de Rasa: abierta, con token (RASA_API_TOKEN)"
else
  echo "   API HTTP de Rasa: cerrada (define RASA_API_TOKEN para abrirla)"
fi
echo "   Orígenes web permitidos: el propio + ${WEBCHAT_ALLOWED_ORIGINS-http://localhost:*,http://127.0.0.1:*}"
if (( ${#cors_args[@]} )); then
  echo "   CORS (REST y API): ${cors_args[*]:1}"
else
  echo "   CORS (REST y API): sin cabeceras (define CORS_ORIGINS para otras webs)"
fi
# --- other channels: each reports here whether it is on -----------------------
echo "   $telegram_status"
# -------------------------------------------------------------------------------
echo " Ctrl-C para detener."
echo "=================================================================="

# Run until a signal (trap above) or until one server dies on its own.
set +e
wait -n "$actions_pid" "$rasa_pid"
status=$?
echo "ERROR: un servidor terminó inesperadamente (código $status); deteniendo el otro." >&2
exit 1
