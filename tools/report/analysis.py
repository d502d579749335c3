"""One pass over the store's rows: questions, why some went unanswered, and what each rating rates.

A *question* is a user message that is not a rating and not a greeting,
thanks or goodbye.  It is *unanswered* when the model fell back (intent
``nlu_fallback``: clarification, or an unreadable message flagged by the
input guard), the bot asked back (``utter_clarify``/``utter_default``), the
message was out of scope or in another language, or the answer said "la
fuente no lo indica" (a bot message with ``metadata.utter_action ==
"utter_source_silent"``).  One reason per question, in that order.

A *rating* follows docs/ratings.md: the rated answer is the bot's last answer
before it in the same conversation (bot messages that reply to a rating are
skipped); if one answer is rated twice, the last rating counts.

Only ``user`` and ``bot`` rows are read, in ``id`` order (Rasa's own order),
with a little state per conversation.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Tuple

from actions import constants as c
from tools.report.rules import (
    BAD_INPUT_PREFIX, CLARIFY_RESPONSES, NO_INTENT, RATING_VALUES, SOCIAL_INTENTS, SOURCE_SILENT, rating_of,
)
from tools.report.store import Row, local_date

TOP_RANKING = 3  # intents of each message's ranking kept for the group summary


@dataclass
class Turn:
    """A user message and the bot messages that followed it."""

    sender: str
    ts: float
    text: str
    intent: Optional[str]
    confidence: Optional[float]
    ranking: List[Dict[str, Any]]  # parse_data.intent_ranking, as stored
    entities: List[Dict[str, Any]]
    channel: str
    responses: List[str] = field(default_factory=list)
    bot_texts: List[str] = field(default_factory=list)
    rating: Optional[str] = None  # "up", "down" or "?" when this turn is a rating
    serial: int = 0  # order of the turn in the store


@dataclass
class Unanswered:
    text: str
    reason: str
    ranking: List[Tuple[str, float]]
    channel: str
    day: dt.date


@dataclass
class Rating:
    value: str
    ts: float
    channel: str
    sender: str
    rated: Optional[Turn]  # the question and the bot's answer to it; None if no answer came before


class Analysis:
    """Feed rows in id order; read the totals afterwards."""

    def __init__(self, tz: dt.timezone, channel: Optional[str] = None):
        self.tz = tz
        self.channel = channel
        self.current: Dict[str, Turn] = {}  # open turn of each conversation
        self.last_answer: Dict[str, Turn] = {}  # last answered question of each conversation
        self.conversations: set = set()
        self.channels: Counter = Counter()
        self.questions = 0
        self.social = 0
        self.per_day: Dict[dt.date, List[int]] = defaultdict(lambda: [0, 0])  # [answered, unanswered]
        self.reasons: Counter = Counter()
        self.intents: Dict[str, List[float]] = defaultdict(lambda: [0, 0.0])  # [count, sum of confidence]
        self.unanswered: List[Unanswered] = []
        self.ratings: Dict[int, Rating] = {}  # serial of the rated turn -> its last rating
        self.rating_events = 0
        self.bad_ratings = 0
        self.first_ts: Optional[float] = None
        self.last_ts: Optional[float] = None
        self.rows = 0
        self.turns = 0

    # -- input --------------------------------------------------------------------
    def feed(self, rows: Iterable[Row]) -> "Analysis":
        current = self.current
        for sender, type_name, ts, data in rows:
            self.rows += 1
            try:
                event = json.loads(data)
            except (TypeError, ValueError):
                continue
            if type_name == "user":
                old = current.pop(sender, None)
                if old is not None:
                    self._close(old)
                turn = self._turn(sender, ts, event)
                if turn is not None:
                    current[sender] = turn
            elif type_name == "bot":
                turn = current.get(sender)
                if turn is not None:
                    turn.responses.append((event.get("metadata") or {}).get("utter_action") or "")
                    turn.bot_texts.append(event.get("text") or "")
        return self

    def finish(self) -> "Analysis":
        for turn in self.current.values():
            self._close(turn)
        self.current = {}
        return self

    def _turn(self, sender: str, ts: Optional[float], event: Dict[str, Any]) -> Optional[Turn]:
        channel = event.get("input_channel") or "(desconocido)"
        if self.channel and channel != self.channel:
            return None
        parse = event.get("parse_data") or {}
        intent = parse.get("intent") or {}
        ranking = parse.get("intent_ranking") or []  # read only if unanswered (_close)
        text = event.get("text")
        if text is None:
            text = parse.get("text") or ""
        ts = float(ts if ts is not None else event.get("timestamp") or 0.0)
        turn = Turn(
            sender=sender, ts=ts, text=text, intent=intent.get("name"),
            confidence=intent.get("confidence"), ranking=ranking,
            entities=list(parse.get("entities") or []), channel=channel,
        )
        turn.rating = rating_of(text, turn.intent, turn.entities)
        self.turns += 1
        turn.serial = self.turns
        return turn

    # -- a finished turn -----------------------------------------------------------
    def _close(self, turn: Turn) -> None:
        self.conversations.add(turn.sender)
        self.channels[turn.channel] += 1
        if self.first_ts is None or turn.ts < self.first_ts:
            self.first_ts = turn.ts
        if self.last_ts is None or turn.ts > self.last_ts:
            self.last_ts = turn.ts
        if turn.rating is not None:
            self._rating(turn)
            return
        name = turn.intent or NO_INTENT
        stats = self.intents[name]
        stats[0] += 1
        stats[1] += float(turn.confidence or 0.0)
        if turn.responses:
            self.last_answer[turn.sender] = turn
        if turn.intent in SOCIAL_INTENTS:
            self.social += 1
            return
        self.questions += 1
        day = local_date(turn.ts, self.tz)
        reason = unanswered_reason(turn)
        if reason is None:
            self.per_day[day][0] += 1
            return
        self.per_day[day][1] += 1
        self.reasons[reason] += 1
        ranking = [
            (r["name"], float(r.get("confidence") or 0.0))
            for r in turn.ranking
            if isinstance(r, dict) and r.get("name") and r["name"] != c.NLU_FALLBACK
        ][:TOP_RANKING]
        self.unanswered.append(Unanswered(turn.text, reason, ranking, turn.channel, day))

    def _rating(self, turn: Turn) -> None:
        self.rating_events += 1
        if turn.rating not in RATING_VALUES:
            self.bad_ratings += 1
            return
        rated = self.last_answer.get(turn.sender)
        key = rated.serial if rated is not None else -turn.serial  # no answer before: on its own
        self.ratings[key] = Rating(turn.rating, turn.ts, turn.channel, turn.sender, rated)

    # -- results --------------------------------------------------------------------
    @property
    def unanswered_count(self) -> int:
        return sum(self.reasons.values())

    @property
    def answered_count(self) -> int:
        return self.questions - self.unanswered_count

    def rating_counts(self) -> Counter:
        return Counter(r.value for r in self.ratings.values())

    def down_ratings(self) -> List[Rating]:
        return sorted((r for r in self.ratings.values() if r.value == "down"), key=lambda r: -r.ts)

    def ratings_by_response(self) -> Dict[str, Counter]:
        """Last response of each rated answer -> Counter(up=, down=)."""
        out: Dict[str, Counter] = defaultdict(Counter)
        for r in self.ratings.values():
            name = (r.rated.responses[-1] if r.rated and r.rated.responses else "") or "(sin respuesta previa)"
            out[name][r.value] += 1
        return out

    def response_examples(self) -> Dict[str, str]:
        """Response name -> its text in one rated answer (to tell staff what the name says)."""
        out: Dict[str, str] = {}
        for r in self.ratings.values():
            if r.rated and r.rated.responses:
                out.setdefault(r.rated.responses[-1], r.rated.bot_texts[-1])
        return out

    def top_intents(self) -> List[Tuple[str, int, float]]:
        rows = [(name, int(n), s / n if n else 0.0) for name, (n, s) in self.intents.items()]
        return sorted(rows, key=lambda r: (-r[1], r[0]))


def unanswered_reason(turn: Turn) -> Optional[str]:
    """Why a question went unanswered (first reason of REASONS that applies), or None."""
    if turn.intent == c.NLU_FALLBACK:
        if any(e.get("entity") == c.ENTITY_INPUT_PROBLEM for e in turn.entities):
            return "bad_input"
        return "fallback"
    if any(r.startswith(BAD_INPUT_PREFIX) for r in turn.responses):
        return "bad_input"
    if any(r in CLARIFY_RESPONSES for r in turn.responses):
        return "fallback"
    if turn.intent == c.OTHER_LANGUAGE:
        return "other_language"
    if turn.intent == c.OUT_OF_SCOPE:
        return "out_of_scope"
    if SOURCE_SILENT in turn.responses:
        return "source_silent"
    return None
