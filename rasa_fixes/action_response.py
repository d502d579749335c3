"""Validate the action server's reply with a validator built once, not on every turn.

Rasa 3.6.21's ``RemoteAction._validate_action_result`` calls
``jsonschema.validate(result, schema)`` for every custom action it runs.  That
function first checks the *schema itself* against the JSON Schema meta-schema
and builds a new validator, every time: about 19 ms of CPU per call on our
2-core machine, against about 0.5 ms for the validation proper (measured with
py-spy and a micro-benchmark; docs/scaling.md).  Every answer of ours comes from
a custom action, so that was a quarter of each turn's time.

The replacement validates against the same schema
(``RemoteAction.action_response_format_spec()``) with a validator class chosen
and checked once, and raises the same ``jsonschema.ValidationError`` with the
same appended hint, so a malformed reply is still refused exactly as before.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, Text

logger = logging.getLogger(__name__)

# The Rasa version whose method this replaces; on any other, Rasa's own stays.
RASA_VERSION = "3.6.21"

_installed = False


def _build_validator():
    import jsonschema
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)  # what jsonschema.validate does every call
    return validator_class(schema)


def install() -> bool:
    """Replace the validation once per process; False (and Rasa's own kept) on another Rasa."""
    global _installed
    if _installed:
        return True
    import rasa
    from rasa.core.actions.action import DOCS_BASE_URL, RemoteAction

    if rasa.__version__ != RASA_VERSION:
        logger.warning(
            "rasa_fixes: Rasa %s (no %s): se mantiene su validación de respuestas de acciones.",
            rasa.__version__, RASA_VERSION,
        )
        return False

    from jsonschema.exceptions import best_match

    validator = _build_validator()

    def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        # Same outcome as jsonschema.validate: the best-matching error is raised.
        error = best_match(validator.iter_errors(result))
        if error is None:
            return True
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error

    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[assignment]
    _installed = True
    return True
