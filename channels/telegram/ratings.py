"""Which answer a 👍/👎 press may rate: the connector's memory of its rating keyboards (docs/ratings.md).

An answer's last message gets the keyboard; a rating rates the conversation's
latest answer, so a new turn closes the previous keyboard, and each keyboard
rates once.  In a group only the asker may rate.  Kept in memory of this
process (no Sanic, no I/O: tested on its own); after a restart an unknown
answer is taken as the latest one until that conversation has a new turn.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Optional, Tuple

from channels.telegram.output import MessageKey

# Answers whose keyboard the connector remembers.
RATED_MESSAGES = 10000

OK, NOT_YOURS, EXPIRED = "ok", "not-yours", "expired"


@dataclass
class _RatedMessage:
    sender: str  # the conversation whose answer it is
    open: bool = True  # its keyboard is still there


class RatingsMemory:
    def __init__(self, size: int = RATED_MESSAGES) -> None:
        self.size = size
        # The answers sent with a keyboard, and each conversation's latest one
        # (None: its last turn had no keyboard).
        self._rated: "OrderedDict[MessageKey, _RatedMessage]" = OrderedDict()
        self._latest: "OrderedDict[str, Optional[MessageKey]]" = OrderedDict()

    def remember_answer(self, sender: str, rated: Optional[MessageKey]) -> None:
        """`sender`'s latest answer: `rated` if it got the keyboard, else None."""
        self._latest[sender] = rated
        self._latest.move_to_end(sender)
        if rated is not None:
            self._rated[rated] = _RatedMessage(sender)
            self._rated.move_to_end(rated)
        for memory in (self._latest, self._rated):
            while len(memory) > self.size:
                memory.popitem(last=False)

    def close(self, sender: str) -> Optional[MessageKey]:
        """A new turn of `sender`: the message whose keyboard must go now (it would rate the new answer)."""
        key = self._latest.get(sender)
        rated = self._rated.get(key) if key is not None else None
        if rated is not None and rated.open:
            rated.open = False
            return key
        return None

    def press(self, key: MessageKey, presser: str, asker: Optional[str]) -> Tuple[str, str]:
        """(OK, NOT_YOURS or EXPIRED; the conversation rated) for a press by `presser` on `key`.

        `asker`: in a group, the conversation of the member the answer replied
        to (for an answer sent before a restart).  OK closes the keyboard: a
        second press, even a quick one, is refused.
        """
        rated = self._rated.get(key)
        if rated is not None:
            sender, valid = rated.sender, rated.open
        else:  # sent before a restart (or long forgotten)
            sender = asker or presser
            valid = sender not in self._latest
        if valid and sender != presser:
            return NOT_YOURS, sender
        if not valid:
            return EXPIRED, sender
        if rated is None:
            self._rated[key] = rated = _RatedMessage(sender)
        rated.open = False
        return OK, sender
