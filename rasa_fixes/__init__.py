"""Our fixes to Rasa 3.6.21 behaviour that no subclass or setting can reach.

Every other defect is fixed by a subclass named in credentials.yml or
endpoints.yml (channels/, stores/).  What is here replaces Rasa functions
at run time, from our code (site-packages stays untouched), only on the exact
Rasa version it was written and tested against, and keeps that function's
contract; tests/unit/test_rasa_fixes.py checks both.

``install()`` is called by :class:`stores.EnvTrackerStore` when Rasa builds
the tracker store (endpoints.yml), i.e. in every process that holds
conversations: ``rasa run`` and ``rasa shell``.

* ``action_response``: the action server's reply validated by a validator
  built once (a fifth of a turn's CPU before);
* ``session_rollover``: a session also ends after ``SESSION_MAX_TURNS`` user
  messages, so no turn reads or ships an unbounded history;
* ``event_types``: an event's class found by its type name in a map, not by
  walking every event class for each event read (8 % of a turn).
"""

from rasa_fixes.action_response import install as install_action_response_validator
from rasa_fixes.event_types import install as install_event_types
from rasa_fixes.session_rollover import install as install_session_rollover


def install() -> bool:
    """True when every fix applies to this Rasa (each logs why when it does not)."""
    validator = install_action_response_validator()
    rollover = install_session_rollover()
    event_types = install_event_types()
    return validator and rollover and event_types


__all__ = ["install"]
