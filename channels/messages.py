"""Every Spanish sentence a channel of ours sends to a user, in one place (the rest of the wording is in domain.yml).

A channel sends its own words only when the assistant cannot answer: the turn
failed, the input cannot be a message, or the channel's own protocol needs a
word (Telegram's toasts, REST's JSON errors).
"""

# --- every channel (channels/turns.py) ----------------------------------------------------------
# What the user reads when the assistant could not answer (action server down,
# slow, or any other failure of the turn).
NO_DATA_MESSAGE = "No puedo consultar los datos en este momento; inténtalo de nuevo en unos minutos."

# --- REST (channels/rest.py): the "message" of each JSON error, by reason ------------------------
REST_EXAMPLE = '{"sender": "id-del-usuario", "message": "hola"}'
REST_ERRORS = {
    "body_too_large": "La petición es demasiado grande: el máximo es {limit} bytes.",
    "rate_limited": "Estás enviando mensajes muy seguido. Espera {seconds} s y vuelve a intentarlo.",
    "empty_body": "La petición no tiene cuerpo: envía un JSON como " + REST_EXAMPLE + ".",
    "invalid_json": "El cuerpo no es JSON válido (UTF-8). Ejemplo: " + REST_EXAMPLE + ".",
    "not_an_object": 'El cuerpo debe ser un objeto JSON con los campos "sender" y "message".',
    "missing_sender": 'Falta el campo "sender": un identificador único por conversación (texto).',
    "invalid_sender": 'El campo "sender" debe ser un texto (identificador de la conversación).',
    "empty_sender": 'El campo "sender" está vacío: usa un identificador único por conversación.',
    "long_sender": 'El campo "sender" es demasiado largo: el máximo es {limit} caracteres.',
    "bad_sender_chars": 'El campo "sender" contiene caracteres no válidos (de control o Unicode mal formado).',
    "reserved_sender": 'El identificador "{sender}" está reservado: usa uno único por conversación.',
    "missing_message": 'Falta el campo "message": el texto del usuario.',
    "invalid_message": 'El campo "message" debe ser un texto (no un número, una lista ni un objeto).',
    "bad_message_chars": 'El campo "message" contiene caracteres Unicode mal formados.',
    "invalid_metadata": 'El campo "metadata" debe ser un objeto JSON.',
    "invalid_input_channel": 'El campo "input_channel" debe ser un texto ASCII de hasta {limit} caracteres.',
    "invalid_body": "No se pudo leer el cuerpo de la petición.",
}

# --- web widget (channels/webchat/) ---------------------------------------------------------------
# What a socket reads (event bot_uttered, {"text": ..., "metadata": {"error":
# reason, "rateable": false}}) when its `user_uttered` cannot be a message.
# Nothing of it reaches Rasa.
WEBCHAT_ERRORS = {
    "invalid_data": (
        "No pude leer tu mensaje: el chat envió datos con un formato inesperado. "
        "Recarga la página y vuelve a escribir tu pregunta."
    ),
    "invalid_session": (
        "No pude leer tu mensaje: falta el identificador de la conversación o no es válido. "
        "Recarga la página para empezar de nuevo."
    ),
    "unknown_session": (
        "Esta conversación no está abierta en este chat. "
        "Recarga la página para continuar la conversación."
    ),
    "invalid_message": (
        "No pude leer tu mensaje: debe ser un texto. Escríbeme tu pregunta, por ejemplo: «¿Qué sectores participaron?»"
    ),
}
WEBCHAT_BAD_SESSION_ID = "session_id inválido"
WEBCHAT_NOT_READY = "el asistente no está listo"
WEBCHAT_FILE_MISSING = "No disponible: {hint}."
WEBCHAT_RUN_NPM = "ejecuta `npm ci`"
WEBCHAT_NO_FILE = "falta el archivo"
WEBCHAT_TOO_LARGE = "Mensaje demasiado grande."
WEBCHAT_BAD_WEBSOCKET = "Solicitud de WebSocket no válida."

# --- Telegram (channels/telegram/) -----------------------------------------------------------------
TELEGRAM_TEXT_ONLY = (
    "Solo puedo leer mensajes de texto. Escríbeme tu pregunta, por ejemplo: "
    "«¿Cuántas mipymes peruanas se beneficiaron?»"
)
TELEGRAM_EXPIRED_BUTTON = "Esta opción ya no está disponible. Escríbeme tu pregunta."
TELEGRAM_EMPTY_BUTTON_TEXT = "Elige una opción:"
TELEGRAM_RATING_THANKS = "¡Gracias!"  # the toast; the assistant's own thanks is not sent
TELEGRAM_RATING_EXPIRED = "Esta respuesta ya no se puede valorar."
TELEGRAM_RATING_NOT_YOURS = "Solo quien hizo la pregunta puede valorar esta respuesta."
# The webhook's JSON "description" (read by Telegram's servers and whoever calls it).
TELEGRAM_POLLING_WEBHOOK = "Telegram está en modo polling: este webhook no acepta actualizaciones"
TELEGRAM_NO_SECRET = "falta el token secreto"
TELEGRAM_WRONG_SECRET = "token secreto incorrecto"
TELEGRAM_BAD_JSON = "JSON inválido"
TELEGRAM_NOT_AN_UPDATE = "se esperaba un objeto Update"
TELEGRAM_NOT_READY = "el asistente aún no está listo"
