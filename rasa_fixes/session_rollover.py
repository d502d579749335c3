"""A conversation session rolls over after ``SESSION_MAX_TURNS`` user messages.

Rasa 3.6.21 reads, replays and ships the *current session* of a conversation
on every turn: the SQL tracker store selects the events since the latest
``session_started`` (``SQLTrackerStore._event_query``), counts them again to
know which events are new when it saves, and the whole tracker goes to the
action server.  A session ends only after ``session_expiration_time`` (60
minutes) of silence, so a user who keeps talking makes every turn dearer than
the one before (measured: median 70 ms at turns 1-50, 646 ms at 451-500).

Here a session is also over once it holds ``SESSION_MAX_TURNS`` user messages
(20 by default; 0 turns this off).  The next message then starts a new session
exactly as an expired one does: Rasa's own ``action_session_start`` runs,
``session_started`` is stored and the slots are carried over
(``carry_over_slots_to_new_session: true`` in domain.yml), so the follow-ups
that read ``last_topic`` and ``last_sources`` keep working.  Nothing is
deleted: every event stays in the tracker store (``make report``, Rasa's
``/conversations/<id>/tracker`` read them all); a turn reads at most one
session of at most ``SESSION_MAX_TURNS`` turns.

Two Rasa functions no subclass reaches are replaced at run time, from our
code, only on Rasa 3.6.21:

* ``MessageProcessor._has_session_expired``: also true when the current
  session holds ``SESSION_MAX_TURNS`` user messages (Rasa's own test first);
* ``ActionSessionStart._slot_set_events_from_tracker``: carries over the
  latest ``slot`` event of each slot instead of every ``slot`` event of the
  session.  The slots of the new session are the same, but Rasa's version
  copies the events it carried over last time once more at each new session,
  so the carried list would grow by every slot set in every session, without
  bound.
"""

from __future__ import annotations

import logging
from typing import Dict, List, Mapping, Optional, Text

from settings.table import BY_NAME, value

logger = logging.getLogger(__name__)

RASA_VERSION = "3.6.21"
ENV_SESSION_MAX_TURNS = "SESSION_MAX_TURNS"
DEFAULT_SESSION_MAX_TURNS = BY_NAME[ENV_SESSION_MAX_TURNS].default

_installed = False
_max_turns = DEFAULT_SESSION_MAX_TURNS


def session_max_turns(environ: Optional[Mapping[Text, Text]] = None) -> int:
    """``SESSION_MAX_TURNS`` (settings.table): unset or empty means 20; 0 means no limit."""
    return value(ENV_SESSION_MAX_TURNS, environ)


def turns_in_current_session(tracker) -> int:
    """User messages since the tracker's latest ``session_started`` (all of them if none)."""
    from rasa.shared.core.events import SessionStarted, UserUttered

    turns = 0
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            break
        if isinstance(event, UserUttered):
            turns += 1
    return turns


def latest_slot_events(tracker) -> List:
    """One ``slot`` event per slot set in the tracker's session: the latest, in the order last set."""
    from rasa.shared.core.events import SlotSet

    latest: Dict[Text, SlotSet] = {}
    for event in tracker.applied_events():
        if isinstance(event, SlotSet):
            latest.pop(event.key, None)
            latest[event.key] = event
    return [SlotSet(key=e.key, value=e.value, metadata=e.metadata) for e in latest.values()]


def install(environ: Optional[Mapping[Text, Text]] = None) -> bool:
    """Install both replacements once per process; False (Rasa's own kept) on another Rasa."""
    global _installed, _max_turns
    _max_turns = session_max_turns(environ)  # read again at each call: tests set it per stack
    if _installed:
        return True
    import rasa
    from rasa.core.actions.action import ActionSessionStart
    from rasa.core.processor import MessageProcessor

    if rasa.__version__ != RASA_VERSION:
        logger.warning(
            "rasa_fixes: Rasa %s (no %s): las sesiones solo caducan por tiempo.", rasa.__version__, RASA_VERSION
        )
        return False

    rasa_has_session_expired = MessageProcessor._has_session_expired

    def _has_session_expired(self: MessageProcessor, tracker) -> bool:
        if rasa_has_session_expired(self, tracker):
            return True
        if _max_turns and turns_in_current_session(tracker) >= _max_turns:
            logger.debug(
                "Conversación '%s': %d mensajes en esta sesión; empieza otra (%s).",
                tracker.sender_id, _max_turns, ENV_SESSION_MAX_TURNS,
            )
            return True
        return False

    MessageProcessor._has_session_expired = _has_session_expired  # type: ignore[assignment]
    ActionSessionStart._slot_set_events_from_tracker = staticmethod(latest_slot_events)  # type: ignore[assignment]
    _installed = True
    logger.info("Una sesión termina tras %s mensajes del usuario (%s).", _max_turns or "∞", ENV_SESSION_MAX_TURNS)
    return True
