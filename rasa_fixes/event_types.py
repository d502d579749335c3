"""Find an event's class by its type name in a dictionary, not by walking Rasa's class tree.

Rasa 3.6.21 turns every stored event back into an object through
``Event.resolve_by_type(type_name)``, which calls
``rasa.shared.utils.common.all_subclasses(Event)`` each time: a recursive walk
over every event class (about 30 calls and an ``inspect.isabstract`` check per
class) for each event of the session read on every turn.  Profiled with
cProfile on 200 turns, that walk was 8 % of a turn's time.

The replacement keeps a ``type_name -> class`` map, built from the same walk
and in the same order (the first class found for a name wins, as in Rasa),
rebuilt when a name is not in it (a class imported later), and otherwise
behaves as Rasa's: ``"topic"`` gives None, an unknown name gives ``default``
or raises the same ValueError.
"""

from __future__ import annotations

import logging
from typing import Dict, Optional, Text, Type

logger = logging.getLogger(__name__)

RASA_VERSION = "3.6.21"

_installed = False
_classes: Dict[Text, type] = {}


def _build() -> None:
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    classes: Dict[Text, type] = {}
    for cls in all_subclasses(Event):
        classes.setdefault(cls.type_name, cls)
    _classes.clear()
    _classes.update(classes)


def resolve_by_type(type_name: Text, default: Optional[Type] = None) -> Optional[Type]:
    """Rasa's ``Event.resolve_by_type``, from a map instead of a walk."""
    cls = _classes.get(type_name)
    if cls is None:
        _build()  # a class imported since, or a name that is not an event
        cls = _classes.get(type_name)
    if cls is not None:
        return cls
    if type_name == "topic":
        return None  # Rasa: backwards compatibility with old TopicSet events
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


def install() -> bool:
    global _installed
    if _installed:
        return True
    import rasa
    from rasa.shared.core.events import Event

    if rasa.__version__ != RASA_VERSION:
        logger.warning(
            "rasa_fixes: Rasa %s (no %s): se mantiene su búsqueda de eventos.", rasa.__version__, RASA_VERSION
        )
        return False
    _build()
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[assignment]
    _installed = True
    return True
