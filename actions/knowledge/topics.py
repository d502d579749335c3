"""The facts the knowledge layer can answer, by name (its answer keys).

Its own module so that dependencies run one way: the loader checks the
knowledge file's ``nearest`` lists against these names, and ``answers``
implements one function per name, without the loader importing ``answers``.
The same names are the ``last_topic`` slot's values and the keys of
``actions.constants.INTENT_TOPICS``.
"""

ANSWER_TOPICS = (
    "programme",
    "creator",
    "focus",
    "mipyme_role",
    "beneficiaries_peru",
    "beneficiaries_total",
    "peru_share",
    "countries",
    "duration",
    "projects",
    "institutions",
    "organisations",
    "results",
    "sectors",
    "event_dates",
    "event_days",
    "event_format",
    "event_activities",
    "new_programme",
)
