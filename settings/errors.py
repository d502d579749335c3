"""The one error for "this setting is wrong" (httpx's ``_exceptions.py`` habit: one family, one place)."""

from rasa.shared.exceptions import RasaException


class SettingsError(RasaException, ValueError):
    """An environment variable (or the value of endpoints.yml it falls back to) that cannot be used.

    The message is in Spanish and names the variable.  A ``RasaException``:
    ``rasa run`` prints it and exits with 1 instead of starting (an ImportError
    or AttributeError would make Rasa 3.6 fall back silently to in-memory
    stores).  A ``ValueError`` too, for callers that only parse.
    """
