"""Names shared by the domain, the actions, the NLU component and the tests.

One place for every intent, entity, slot and response name that Python code
refers to (the habit of rasa-sdk's ``knowledge_base/utils.py``): a rename is a
one-line change here plus the YAML, and a typo is an ImportError, not a silent
miss.  No fact of the source lives here: numbers, names, sectors and dates are
only in the knowledge file.
"""

# --- Intents -----------------------------------------------------------------
# The programme
ASK_PROGRAMME = "ask_programme"  # ¿qué es AL-INVEST 5.0?
ASK_CREATOR = "ask_creator"  # ¿quién lo creó / financia? ¿para quién es?
ASK_FOCUS = "ask_focus"  # ¿cuál es su objetivo / foco central?
ASK_MIPYME_ROLE = "ask_mipyme_role"  # ¿por qué son importantes las mipymes?
# Figures
ASK_BENEFICIARIES_PERU = "ask_beneficiaries_peru"
ASK_BENEFICIARIES_TOTAL = "ask_beneficiaries_total"
ASK_PERU_SHARE = "ask_peru_share"
ASK_COUNTRIES = "ask_countries"
ASK_DURATION = "ask_duration"
ASK_PROJECTS = "ask_projects"
ASK_INSTITUTIONS = "ask_institutions"
ASK_TOTAL = "ask_total"  # follow-up: "¿y en total?"
# Organisations
ASK_ORGANISATIONS = "ask_organisations"
ASK_ORGANISATION = "ask_organisation"  # ¿qué es Adex? (entity organisation)
# Results and sectors
ASK_RESULTS = "ask_results"
ASK_SECTORS = "ask_sectors"
ASK_SECTOR = "ask_sector"  # ¿participó el sector textil? (entity sector)
# Closing event
ASK_EVENT_DATES = "ask_event_dates"
ASK_EVENT_FORMAT = "ask_event_format"
ASK_EVENT_ACTIVITIES = "ask_event_activities"
ASK_NEW_PROGRAMME = "ask_new_programme"
# What the source does not say
ASK_BUDGET = "ask_budget"
ASK_HOW_TO_APPLY = "ask_how_to_apply"
ASK_EVENT_LINK = "ask_event_link"
ASK_EVENT_TIME = "ask_event_time"
ASK_PROJECT_NAMES = "ask_project_names"
ASK_OTHER_COUNTRY = "ask_other_country"  # (entity country)
ASK_NEXT_PROGRAMME_NAME = "ask_next_programme_name"
# Conversation
ASK_SOURCE = "ask_source"  # ¿cuál es la fuente? ¿de dónde sacaste eso?
GREET = "greet"
GOODBYE = "goodbye"
THANKS = "thanks"
BOT_CHALLENGE = "bot_challenge"
ASK_CAPABILITIES = "ask_capabilities"
OUT_OF_SCOPE = "out_of_scope"
OTHER_LANGUAGE = "other_language"
RATE = "rate"  # payload /rate{"rating":"up"|"down"} from the widget or Telegram
# Produced by the pipeline, never trained on
NLU_FALLBACK = "nlu_fallback"

# Intents whose answer is one fact of the knowledge file, and the topic
# (answer key, actions/knowledge/topics.py) each one asks for.
INTENT_TOPICS = {
    ASK_PROGRAMME: "programme",
    ASK_CREATOR: "creator",
    ASK_FOCUS: "focus",
    ASK_MIPYME_ROLE: "mipyme_role",
    ASK_BENEFICIARIES_PERU: "beneficiaries_peru",
    ASK_BENEFICIARIES_TOTAL: "beneficiaries_total",
    ASK_PERU_SHARE: "peru_share",
    ASK_COUNTRIES: "countries",
    ASK_DURATION: "duration",
    ASK_PROJECTS: "projects",
    ASK_INSTITUTIONS: "institutions",
    ASK_ORGANISATIONS: "organisations",
    ASK_RESULTS: "results",
    ASK_SECTORS: "sectors",
    ASK_EVENT_DATES: "event_dates",
    ASK_EVENT_FORMAT: "event_format",
    ASK_EVENT_ACTIVITIES: "event_activities",
    ASK_NEW_PROGRAMME: "new_programme",
}
FACT_INTENTS = tuple(INTENT_TOPICS)
TOPIC_INTENTS = {topic: intent for intent, topic in INTENT_TOPICS.items()}

# Intents about something the source does not say; the knowledge file's
# ``unknowns`` section has one entry per intent, with the nearest known fact.
UNKNOWN_INTENTS = (
    ASK_BUDGET,
    ASK_HOW_TO_APPLY,
    ASK_EVENT_LINK,
    ASK_EVENT_TIME,
    ASK_PROJECT_NAMES,
    ASK_OTHER_COUNTRY,
    ASK_NEXT_PROGRAMME_NAME,
)

# Readable Spanish titles for the clarification buttons (never intent names).
TOPIC_TITLES = {
    ASK_PROGRAMME: "Qué es el programa",
    ASK_CREATOR: "Quién creó el programa",
    ASK_FOCUS: "Objetivo del programa",
    ASK_MIPYME_ROLE: "Por qué importan las mipymes",
    ASK_BENEFICIARIES_PERU: "Mipymes peruanas beneficiadas",
    ASK_BENEFICIARIES_TOTAL: "Mipymes beneficiadas en total",
    ASK_PERU_SHARE: "Porcentaje de mipymes en Perú",
    ASK_COUNTRIES: "Países participantes",
    ASK_DURATION: "Duración del programa",
    ASK_PROJECTS: "Proyectos en Perú",
    ASK_INSTITUTIONS: "Instituciones participantes",
    ASK_ORGANISATIONS: "Organizaciones ejecutoras",
    ASK_ORGANISATION: "Organizaciones ejecutoras",
    ASK_RESULTS: "Resultados para las mipymes",
    ASK_SECTORS: "Sectores más activos",
    ASK_SECTOR: "Sectores más activos",
    ASK_EVENT_DATES: "Fechas del evento de cierre",
    ASK_EVENT_FORMAT: "Formato del evento de cierre",
    ASK_EVENT_ACTIVITIES: "Qué se hizo en el evento de cierre",
    ASK_NEW_PROGRAMME: "Posible nuevo programa",
    ASK_BUDGET: "Presupuesto",
    ASK_HOW_TO_APPLY: "Cómo postular",
    ASK_EVENT_LINK: "Enlace del evento",
    ASK_EVENT_TIME: "Horario del evento",
    ASK_PROJECT_NAMES: "Nombres de los proyectos",
    ASK_OTHER_COUNTRY: "Cifras de otros países",
    ASK_NEXT_PROGRAMME_NAME: "Nombre del próximo programa",
    ASK_SOURCE: "Fuente de la información",
    ASK_CAPABILITIES: "Qué puedo preguntar",
}

# --- Entities ------------------------------------------------------------------
ENTITY_SECTOR = "sector"
ENTITY_ORGANISATION = "organisation"
ENTITY_COUNTRY = "country"
ENTITY_RATING = "rating"  # up / down, with intent rate
# Set by nlu_components.input_guard (with intent nlu_fallback): what is wrong
# with a message that cannot be read as a question.
ENTITY_INPUT_PROBLEM = "input_problem"
PROBLEM_EMPTY = "empty"
PROBLEM_TOO_LONG = "too_long"
PROBLEM_NO_WORDS = "no_words"

# --- Slots -------------------------------------------------------------------------
# Topic of the last answer: drives "¿y en total?" and "¿cuál es la fuente?".
SLOT_LAST_TOPIC = "last_topic"
# Source-sentence ids of the last answer: drives "¿de dónde sacaste eso?".
SLOT_LAST_SOURCES = "last_sources"
SLOT_SECTOR = ENTITY_SECTOR
SLOT_ORGANISATION = ENTITY_ORGANISATION
SLOT_COUNTRY = ENTITY_COUNTRY

# --- Actions -------------------------------------------------------------------------
# The one answering action: every intent but a rating goes to it (data/rules/).
ACTION_ANSWER = "action_answer"

# Payload of the clarification's way out ("Otra cosa").
SOMETHING_ELSE_PAYLOAD = "/" + ASK_CAPABILITIES

# --- Responses that are not answers -------------------------------------------------
# Small talk, clarifications and replies to bad input or to a rating: the
# channels show 👍/👎 only under an answer about the programme (docs/ratings.md),
# so the turn's last message must come from a response NOT listed here.  A new
# answer response is rateable without touching this list; a channel's own
# "no puedo consultar los datos" message has no response name and is never rated.
UNRATED_RESPONSES = frozenset({
    "utter_greet",
    "utter_goodbye",
    "utter_thanks",
    "utter_bot_challenge",
    "utter_capabilities",
    "utter_out_of_scope",
    "utter_other_language",
    "utter_clarify",
    "utter_bad_input_empty",
    "utter_bad_input_too_long",
    "utter_bad_input_no_words",
    "utter_default",
    "utter_rating_thanks",
})


def is_rateable_response(response_name) -> bool:
    """Whether a bot message made from this response (Rasa's ``utter_action``) may be rated."""
    return (
        isinstance(response_name, str)
        and response_name.startswith("utter_")
        and response_name not in UNRATED_RESPONSES
    )


# --- Ratings -------------------------------------------------------------------------

# The rating contract (docs/ratings.md): a user message with one of these
# payloads.  The widget (webchat/widget.js) builds the same string in JavaScript.
RATING_UP = "up"
RATING_DOWN = "down"
RATE_UP_PAYLOAD = '/rate{"rating":"up"}'
RATE_DOWN_PAYLOAD = '/rate{"rating":"down"}'


def is_rating_payload(payload: object) -> bool:
    """A message or button payload that is a rating (``/rate`` or ``/rate{...}``)."""
    return isinstance(payload, str) and (payload == "/rate" or payload.startswith("/rate{"))
