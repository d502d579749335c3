"""`make report`: what the assistant left unanswered and which answers got a 👎.

Reads Rasa's conversation store (the ``events`` table of ``SQLTrackerStore``)
and writes two files for the people who keep the assistant:

- ``report.html``: one self-contained page (inline CSS, inline SVG chart, no
  script, no font or file from the internet);
- ``report.csv``: the same lists for a spreadsheet (UTF-8 with BOM, so Excel
  shows the accents).

    python -m tools.report                        # tracker.db at the repo root
    python -m tools.report --db otra/tracker.db --since 2026-11-01 --until 2026-11-30
    python -m tools.report --db-url postgresql://postgres@127.0.0.1:5432/test --channel telegram

What counts as what (docs/report.md explains it for non-programmers):

- A *question* is a user message that is not a rating and not a greeting,
  thanks or goodbye.  It is *unanswered* when the model fell back (intent
  ``nlu_fallback``: clarification, or an unreadable message flagged by the
  input guard), the bot asked back (``utter_clarify``/``utter_default``), the
  message was out of scope or in another language, or the answer said "la
  fuente no lo indica" (a bot message with ``metadata.utter_action ==
  "utter_source_silent"``).  One reason per question, in that order.
- A *rating* follows docs/ratings.md: a user message ``/rate{"rating":"down"}``
  (intent ``rate``, entity ``rating``).  The rated answer is the bot's last
  answer before it in the same conversation (bot messages that reply to a
  rating are skipped); if one answer is rated twice, the last rating counts.
- Dates are local dates at ``--utc-offset`` hours from UTC (Peru: -5, no
  daylight saving); ``--since``/``--until`` are inclusive.

Only ``user`` and ``bot`` rows are read, in ``id`` order (Rasa's own order),
one pass with a little state per conversation; near-duplicate wording is
merged with a sorted-neighbourhood pass, O(n log n).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import difflib
import html
import json
import re
import sqlite3
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from actions import constants as c  # noqa: E402  names only, no side effects

DEFAULT_DB = ROOT / "tracker.db"
DEFAULT_OUT = ROOT / "results" / "report"
DEFAULT_UTC_OFFSET = -5.0  # Peru, no daylight saving

# --- the ratings contract (docs/ratings.md) ---------------------------------------
RATE_INTENT = "rate"
RATING_ENTITY = "rating"
RATING_VALUES = ("up", "down")
# What the widget / Telegram send: Rasa's "/intent{json}" payload (an optional
# "@confidence" is allowed by Rasa's RegexMessageHandler, so here too).
RATE_PAYLOAD = re.compile(r"^\s*/" + RATE_INTENT + r"(?:@[0-9.]+)?\s*(\{.*\})?\s*$", re.DOTALL)

# --- what makes a question unanswered ------------------------------------------------
SOURCE_SILENT = "utter_source_silent"
CLARIFY_RESPONSES = frozenset({"utter_clarify", "utter_default"})
BAD_INPUT_PREFIX = "utter_bad_input_"
SOCIAL_INTENTS = frozenset({c.GREET, c.GOODBYE, c.THANKS})

# Reason ids, in order of precedence, with their Spanish labels.
REASONS = {
    "bad_input": "Mensaje ilegible (vacío, muy largo o sin palabras)",
    "fallback": "No entendida (el bot pidió aclarar)",
    "other_language": "En otro idioma",
    "out_of_scope": "Fuera de tema",
    "source_silent": "La fuente no lo indica",
}
PROBLEM_LABELS = {c.PROBLEM_EMPTY: "vacío", c.PROBLEM_TOO_LONG: "muy largo", c.PROBLEM_NO_WORDS: "sin palabras"}

# Readable names for intents (topics from actions/constants.py, plus the rest).
INTENT_TITLES = dict(c.TOPIC_TITLES)
INTENT_TITLES.update({
    c.ASK_TOTAL: "¿Y en total?",
    c.GREET: "Saludo",
    c.GOODBYE: "Despedida",
    c.THANKS: "Agradecimiento",
    c.BOT_CHALLENGE: "¿Eres un robot?",
    c.OUT_OF_SCOPE: "Fuera de tema",
    c.OTHER_LANGUAGE: "Otro idioma",
    c.NLU_FALLBACK: "No entendida",
    RATE_INTENT: "Valoración",
})

EMPTY_LABEL = "(mensaje vacío o sin palabras)"
NEAR_DUPLICATE_RATIO = 0.85
NEIGHBOURS = 4  # sorted-neighbourhood window
HTML_MAX_GROUPS = 150
HTML_MAX_RATINGS = 200
TOP_RANKING = 3  # intents of each message's ranking kept for the group summary


class ReportError(Exception):
    """A problem the user can fix (missing file, bad date...): printed, exit 2."""


# --- text --------------------------------------------------------------------------------


def normalize(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w\s]|_", " ", text)
    return " ".join(text.split())


def intent_title(name: Optional[str]) -> str:
    if not name:
        return "(sin intención)"
    title = INTENT_TITLES.get(name)
    return f"{title} ({name})" if title else name


# --- time ----------------------------------------------------------------------------------


def local_tz(utc_offset: float) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=utc_offset))


def local_date(ts: float, tz: dt.timezone) -> dt.date:
    return dt.datetime.fromtimestamp(ts, tz).date()


def day_start(day: dt.date, tz: dt.timezone) -> float:
    return dt.datetime(day.year, day.month, day.day, tzinfo=tz).timestamp()


def parse_day(text: Optional[str], option: str) -> Optional[dt.date]:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as e:
        raise ReportError(f"{option}: '{text}' no es una fecha AAAA-MM-DD") from e


# --- reading the store ------------------------------------------------------------------------
# Rows are (sender_id, type_name, timestamp, data) of user and bot events, in id order.

Row = Tuple[str, str, Optional[float], str]


def _time_bounds(since: Optional[dt.date], until: Optional[dt.date], tz: dt.timezone) -> Tuple[Optional[float], Optional[float]]:
    lo = day_start(since, tz) if since else None
    hi = day_start(until + dt.timedelta(days=1), tz) if until else None
    return lo, hi


def read_sqlite(path: Path, lo: Optional[float], hi: Optional[float]) -> Iterator[Row]:
    """Rows from a SQLite tracker store, opened read-only (never creates the file)."""
    if not path.is_file():
        raise ReportError(f"no existe el archivo de conversaciones {path} (¿otro --db?)")
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)  # the bot may be writing
    except sqlite3.Error as e:
        raise ReportError(f"no se puede abrir {path}: {e}") from e
    sql = "SELECT sender_id, type_name, timestamp, data FROM events WHERE type_name IN ('user', 'bot')"
    params: List[float] = []
    if lo is not None:
        sql += " AND timestamp >= ?"
        params.append(lo)
    if hi is not None:
        sql += " AND timestamp < ?"
        params.append(hi)
    sql += " ORDER BY id"
    try:
        cur = con.execute(sql, params)
        while True:
            rows = cur.fetchmany(5000)
            if not rows:
                break
            yield from rows
    except sqlite3.Error as e:
        raise ReportError(f"{path}: no es un almacén de conversaciones de Rasa ({e})") from e
    finally:
        con.close()


def read_sqlalchemy(url: str, lo: Optional[float], hi: Optional[float]) -> Iterator[Row]:
    """Rows from any database SQLAlchemy reaches (PostgreSQL in production)."""
    import sqlalchemy as sa

    events = sa.table(
        "events", sa.column("id"), sa.column("sender_id"), sa.column("type_name"),
        sa.column("timestamp"), sa.column("data"),
    )
    query = sa.select(events.c.sender_id, events.c.type_name, events.c.timestamp, events.c.data).where(
        events.c.type_name.in_(["user", "bot"])
    )
    if lo is not None:
        query = query.where(events.c.timestamp >= lo)
    if hi is not None:
        query = query.where(events.c.timestamp < hi)
    query = query.order_by(events.c.id)
    try:
        engine = sa.create_engine(url)
    except Exception as e:  # bad URL, missing driver
        raise ReportError(f"--db-url no válida: {e}") from e
    try:
        with engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=5000).execute(query)
            for row in result:
                yield tuple(row)
    except sa.exc.SQLAlchemyError as e:
        raise ReportError(f"no se pudo leer la tabla events de {engine.url!r}: {e.__class__.__name__}: {e}") from e
    finally:
        engine.dispose()


# --- one pass over the events ------------------------------------------------------------------


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


def rating_of(text: str, intent: Optional[str], entities: Sequence[Dict[str, Any]]) -> Optional[str]:
    """'up'/'down' for a rating message, '?' for a rating with a bad value, else None."""
    match = RATE_PAYLOAD.match(text or "")
    if intent != RATE_INTENT and not match:
        return None
    value = next((e.get("value") for e in entities if e.get("entity") == RATING_ENTITY), None)
    if value is None and match and match.group(1):
        try:
            payload = json.loads(match.group(1))
        except ValueError:
            payload = {}
        if isinstance(payload, dict):
            value = payload.get(RATING_ENTITY)
    value = str(value).strip().lower() if value is not None else ""
    return value if value in RATING_VALUES else "?"


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
        name = turn.intent or "(sin intención)"
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


# --- grouping similar wording -------------------------------------------------------------------


@dataclass
class Group:
    count: int = 0
    texts: Counter = field(default_factory=Counter)  # original wordings
    keys: set = field(default_factory=set)  # normalized wordings
    reasons: Counter = field(default_factory=Counter)
    intents: Dict[str, List[float]] = field(default_factory=lambda: defaultdict(lambda: [0, 0.0]))
    channels: Counter = field(default_factory=Counter)
    first: Optional[dt.date] = None
    last: Optional[dt.date] = None

    def add(self, item: Unanswered, key: str) -> None:
        self.count += 1
        self.texts[" ".join(item.text.split())] += 1  # shown with single spaces
        self.keys.add(key)
        self.reasons[item.reason] += 1
        for name, conf in item.ranking:
            s = self.intents[name]
            s[0] += 1
            s[1] += conf
        self.channels[item.channel] += 1
        self.first = item.day if self.first is None else min(self.first, item.day)
        self.last = item.day if self.last is None else max(self.last, item.day)

    def merge(self, other: "Group") -> None:
        self.count += other.count
        self.texts.update(other.texts)
        self.keys |= other.keys
        self.reasons.update(other.reasons)
        for name, (n, s) in other.intents.items():
            mine = self.intents[name]
            mine[0] += n
            mine[1] += s
        self.channels.update(other.channels)
        for d in (other.first, other.last):
            if d is not None:
                self.first = d if self.first is None else min(self.first, d)
                self.last = d if self.last is None else max(self.last, d)

    @property
    def label(self) -> str:
        if self.keys == {""}:
            return EMPTY_LABEL
        text, _ = max(((t, n) for t, n in self.texts.items() if normalize(t)), key=lambda kv: (kv[1], -len(kv[0]), kv[0]))
        return text

    def variants(self, limit: int = 5) -> List[str]:
        label = self.label
        return [t for t, _ in self.texts.most_common() if t != label and t.strip()][:limit]

    def top_intents(self, limit: int = 3, floor: float = 0.05) -> List[Tuple[str, int, float]]:
        """Intents the model saw in these messages: (name, messages, mean confidence).

        Ordered by summed confidence; after the first, intents under ``floor``
        mean confidence are left out (noise of the ranking's tail).
        """
        rows = [(name, int(n), s / n) for name, (n, s) in self.intents.items() if n]
        rows.sort(key=lambda r: (-(r[1] * r[2]), r[0]))
        return [r for i, r in enumerate(rows[:limit]) if i == 0 or r[2] >= floor]


def _similar(a: str, b: str, matcher: difflib.SequenceMatcher) -> bool:
    la, lb = len(a), len(b)
    if not la or not lb or 2 * min(la, lb) / (la + lb) < NEAR_DUPLICATE_RATIO:
        return False
    matcher.set_seq1(a)
    return (
        matcher.real_quick_ratio() >= NEAR_DUPLICATE_RATIO
        and matcher.quick_ratio() >= NEAR_DUPLICATE_RATIO
        and matcher.ratio() >= NEAR_DUPLICATE_RATIO
    )


def near_duplicate_pairs(keys: Sequence[str], window: int = NEIGHBOURS) -> Iterator[Tuple[int, int]]:
    """Pairs (i, j) of keys with difflib ratio >= NEAR_DUPLICATE_RATIO.

    Sorted-neighbourhood: each key is compared only with its next ``window``
    neighbours in three orders (the text, the text reversed, its words sorted),
    which catches a typo at the end, at the start, and swapped words.
    O(n log n) sorting plus O(n * window) comparisons, instead of O(n^2).
    """
    orders = (
        lambda k: k,
        lambda k: k[::-1],
        lambda k: " ".join(sorted(k.split())),
    )
    seen = set()
    matcher = difflib.SequenceMatcher(autojunk=False)
    for order in orders:
        idx = sorted(range(len(keys)), key=lambda i: order(keys[i]))
        for pos, i in enumerate(idx):
            matcher.set_seq2(keys[i])
            for j in idx[pos + 1: pos + 1 + window]:
                pair = (min(i, j), max(i, j))
                if pair in seen:
                    continue
                seen.add(pair)
                if _similar(keys[j], keys[i], matcher):
                    yield pair


def group_unanswered(items: Iterable[Unanswered], merge_similar: bool = True) -> List[Group]:
    """Identical normalized wording -> one group; near-duplicates merged (union-find)."""
    exact: Dict[str, Group] = {}
    for item in items:
        key = normalize(item.text)
        group = exact.get(key)
        if group is None:
            group = exact[key] = Group()
        group.add(item, key)
    keys = list(exact)
    parent = list(range(len(keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if merge_similar:
        for i, j in near_duplicate_pairs(keys):
            ri, rj = find(i), find(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
    merged: Dict[int, Group] = {}
    for i, key in enumerate(keys):
        root = find(i)
        if root in merged:
            merged[root].merge(exact[key])
        else:
            merged[root] = exact[key]
    return sorted(merged.values(), key=lambda g: (-g.count, g.label))


# --- output ----------------------------------------------------------------------------------


def _pct(part: float, whole: float) -> str:
    return f"{100.0 * part / whole:.1f} %".replace(".", ",") if whole else "–"


def _conf(x: float) -> str:
    return f"{100.0 * x:.0f} %"


def _n(x: int) -> str:
    return f"{x:,}".replace(",", ".")


def _reasons_text(reasons: Counter) -> str:
    return "; ".join(f"{REASONS[r]} ({n})" for r, n in reasons.most_common())


def _intents_text(rows: Sequence[Tuple[str, int, float]]) -> str:
    return "; ".join(f"{intent_title(name)} {_conf(conf)}" for name, _, conf in rows)


def _channels_text(channels: Counter) -> str:
    return "; ".join(f"{ch} ({n})" for ch, n in channels.most_common())


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _dates_text(first: Optional[dt.date], last: Optional[dt.date]) -> str:
    if first is None:
        return ""
    return first.isoformat() if first == last else f"{first.isoformat()} a {last.isoformat()}"


def _dates_html(first: Optional[dt.date], last: Optional[dt.date]) -> str:
    return html.escape(_dates_text(first, last)).replace(" a ", "<br>a ")


def _when(ts: float, tz: dt.timezone) -> str:
    return dt.datetime.fromtimestamp(ts, tz).strftime("%Y-%m-%d %H:%M")


def svg_chart(per_day: Dict[dt.date, List[int]]) -> str:
    """Stacked bars per day: answered (green) under unanswered (red); no script."""
    if not per_day:
        return '<p class="empty">No hay preguntas en el periodo.</p>'
    first, last = min(per_day), max(per_day)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    top = max(sum(per_day.get(d, (0, 0))) for d in days) or 1
    step = 10 ** max(len(str(top)) - 1, 0)
    while top / step > 5:
        step *= 2
    ymax = ((top + step - 1) // step) * step
    left, right, head, foot, height = 56, 12, 14, 44, 220
    bar = max(4, min(28, 900 // len(days)))
    gap = max(1, bar // 5)
    width = left + right + len(days) * (bar + gap)
    scale = height / ymax
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {head + height + foot}" '
        f'width="{width}" height="{head + height + foot}" aria-label="Preguntas respondidas y sin respuesta por día">'
    ]
    for k in range(0, ymax + 1, step):
        y = head + height - k * scale
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" class="grid"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis">{_n(k)}</text>')
    label_every = max(1, len(days) // 12)
    for i, d in enumerate(days):
        ok, bad = per_day.get(d, (0, 0))
        x = left + i * (bar + gap)
        h_ok, h_bad = ok * scale, bad * scale
        y_ok = head + height - h_ok
        tip = f"{d.isoformat()}: {_n(ok)} respondidas, {_n(bad)} sin respuesta"
        out.append(f'<g><title>{html.escape(tip)}</title>')
        out.append(f'<rect x="{x}" y="{y_ok:.1f}" width="{bar}" height="{h_ok:.1f}" class="ok"/>')
        out.append(f'<rect x="{x}" y="{y_ok - h_bad:.1f}" width="{bar}" height="{h_bad:.1f}" class="bad"/></g>')
        if i % label_every == 0:
            ty = head + height + 14
            out.append(
                f'<text x="{x + bar / 2:.1f}" y="{ty}" text-anchor="end" class="axis" '
                f'transform="rotate(-40 {x + bar / 2:.1f} {ty})">{d.strftime("%d/%m")}</text>'
            )
    out.append("</svg>")
    return "".join(out)


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1d2733;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:2px solid #d8dee6;padding-bottom:.2rem}
.meta{color:#5b6675;margin-top:0}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}.card{border:1px solid #d8dee6;border-radius:8px;padding:.6rem 1rem;min-width:9rem}
.card b{display:block;font-size:1.5rem}.card.bad b{color:#b3261e}.card.ok b{color:#1e7b34}
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{border-bottom:1px solid #e3e7ec;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f5f8}td.n,th.n{text-align:right;white-space:nowrap}h3{font-size:1rem;margin-top:1.4rem}td.d{white-space:nowrap}.small{color:#5b6675;font-size:.85rem}
.chart{overflow-x:auto}.grid{stroke:#e3e7ec}.axis{font-size:11px;fill:#5b6675}.ok{fill:#3c9a5f}.bad{fill:#d9534f}
.legend span{display:inline-block;width:.9rem;height:.9rem;vertical-align:middle;margin:0 .3rem 0 1rem}.empty{color:#5b6675}
"""


def render_html(a: Analysis, groups: List[Group], args: argparse.Namespace, tz: dt.timezone, source: str) -> str:
    e = html.escape
    counts = a.rating_counts()
    period = "todo el historial"
    if args.since or args.until:
        period = f"{args.since or 'el inicio'} a {args.until or 'hoy'}"
    seen = ""
    if a.first_ts is not None:
        seen = f" Mensajes del {_when(a.first_ts, tz)} al {_when(a.last_ts, tz)}."
    p = [
        "<!DOCTYPE html>",
        '<html lang="es"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Informe del asistente AL-INVEST 5.0</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>Informe del asistente AL-INVEST 5.0</h1>",
        f'<p class="meta">Periodo: {e(period)}. Canal: {e(args.channel or "todos")}. '
        f"Hora de Perú (UTC{args.utc_offset:+g}).{e(seen)}<br>Fuente: {e(source)}. "
        f"Generado el {dt.datetime.now(tz).strftime('%Y-%m-%d %H:%M')}.</p>",
        '<div class="cards">',
        f'<div class="card"><b>{_n(len(a.conversations))}</b>conversaciones</div>',
        f'<div class="card"><b>{_n(a.questions)}</b>preguntas</div>',
        f'<div class="card ok"><b>{_n(a.answered_count)}</b>respondidas ({_pct(a.answered_count, a.questions)})</div>',
        f'<div class="card bad"><b>{_n(a.unanswered_count)}</b>sin respuesta ({_pct(a.unanswered_count, a.questions)})</div>',
        f'<div class="card ok"><b>{_n(counts["up"])}</b>valoraciones positivas 👍</div>',
        f'<div class="card bad"><b>{_n(counts["down"])}</b>valoraciones negativas 👎</div>',
        "</div>",
        "<h2>Preguntas respondidas y sin respuesta por día</h2>",
        '<p class="legend"><span class="ok" style="background:#3c9a5f"></span>respondidas'
        '<span style="background:#d9534f"></span>sin respuesta</p>',
        f'<div class="chart">{svg_chart(a.per_day)}</div>',
        "<h2>Preguntas sin respuesta</h2>",
    ]
    if a.reasons:
        p.append('<table><tr><th>Motivo</th><th class="n">Preguntas</th><th class="n">%</th></tr>')
        for r, n in a.reasons.most_common():
            p.append(f'<tr><td>{e(REASONS[r])}</td><td class="n">{_n(n)}</td><td class="n">{_pct(n, a.unanswered_count)}</td></tr>')
        p.append("</table>")
        p.append(
            f'<p class="small">{_n(len(groups))} grupos de preguntas con palabras iguales o casi iguales '
            "(sin mayúsculas, tildes ni signos; parecido ≥ 85 %). Se muestran los "
            f"{min(len(groups), HTML_MAX_GROUPS)} más frecuentes; todos están en el CSV.</p>"
        )
        p.append(
            "<table><tr><th>Veces</th><th>Pregunta (y otras formas de escribirla)</th><th>Motivo</th>"
            "<th>Lo que entendió el modelo (confianza media)</th><th>Canales</th><th>Fechas</th></tr>"
        )
        for g in groups[:HTML_MAX_GROUPS]:
            variants = g.variants()
            more = f'<div class="small">{e(" · ".join(_short(v) for v in variants))}</div>' if variants else ""
            p.append(
                f'<tr><td class="n">{_n(g.count)}</td><td>{e(_short(g.label))}{more}</td>'
                f"<td>{e(_reasons_text(g.reasons))}</td><td>{e(_intents_text(g.top_intents()))}</td>"
                f"<td>{e(_channels_text(g.channels))}</td><td class=\"d\">{_dates_html(g.first, g.last)}</td></tr>"
            )
        p.append("</table>")
    else:
        p.append('<p class="empty">Ninguna pregunta quedó sin respuesta.</p>')

    p.append("<h2>Valoraciones de las respuestas (👍 / 👎)</h2>")
    by_response = a.ratings_by_response()
    if by_response:
        p.append(
            f'<p class="small">{_n(a.rating_events)} valoraciones recibidas; si una respuesta se valoró '
            "dos veces cuenta la última."
            + (f" {_n(a.bad_ratings)} con un valor no válido (no cuentan)." if a.bad_ratings else "")
            + "</p>"
        )
        examples = a.response_examples()
        p.append(
            '<table><tr><th>Respuesta del bot (último mensaje de la respuesta valorada)</th>'
            '<th class="n">Negativas 👎</th><th class="n">Positivas 👍</th><th class="n">% negativas</th></tr>'
        )
        for name, cnt in sorted(by_response.items(), key=lambda kv: (-kv[1]["down"], -kv[1]["up"], kv[0])):
            total = cnt["down"] + cnt["up"]
            example = examples.get(name)
            hint = f'<div class="small">«{e(_short(example, 120))}»</div>' if example else ""
            p.append(
                f'<tr><td>{e(name)}{hint}</td><td class="n">{_n(cnt["down"])}</td><td class="n">{_n(cnt["up"])}</td>'
                f'<td class="n">{_pct(cnt["down"], total)}</td></tr>'
            )
        p.append("</table>")
        downs = a.down_ratings()
        if downs:
            shown = min(len(downs), HTML_MAX_RATINGS)
            latest = "la más reciente" if shown == 1 else f"las {shown} más recientes"
            p.append(f"<h3>Respuestas valoradas con 👎: {latest} (todas en el CSV)</h3>")
            p.append("<table><tr><th>Fecha</th><th>Pregunta</th><th>Respuesta valorada</th><th>Canal</th><th>Conversación</th></tr>")
            for r in downs[:HTML_MAX_RATINGS]:
                q = r.rated.text if r.rated else "(sin pregunta previa)"
                ans = "\n".join(r.rated.bot_texts) if r.rated else ""
                names = ", ".join(x for x in (r.rated.responses if r.rated else []) if x)
                p.append(
                    f'<tr><td class="n">{e(_when(r.ts, tz))}</td><td>{e(q)}</td>'
                    f'<td>{e(ans).replace(chr(10), "<br>")}<div class="small">{e(names)}</div></td>'
                    f"<td>{e(r.channel)}</td><td class=\"small\">{e(r.sender)}</td></tr>"
                )
            p.append("</table>")
    else:
        p.append('<p class="empty">No hay valoraciones en el periodo.</p>')

    p.append("<h2>Intenciones más frecuentes</h2>")
    rows = a.top_intents()
    if rows:
        p.append('<table><tr><th>Intención</th><th class="n">Mensajes</th><th class="n">Confianza media</th></tr>')
        for name, n, conf in rows:
            p.append(f'<tr><td>{e(intent_title(name))}</td><td class="n">{_n(n)}</td><td class="n">{_conf(conf)}</td></tr>')
        p.append("</table>")
    p.append(
        '<h2>Cómo se cuenta</h2><ul class="small">'
        "<li>Pregunta: todo mensaje del usuario salvo saludos, agradecimientos, despedidas y valoraciones.</li>"
        "<li>Sin respuesta: el bot no la entendió o pidió aclarar, el mensaje era ilegible, estaba fuera de tema "
        "o en otro idioma, o el bot respondió «La fuente no lo indica».</li>"
        "<li>Valoración: el botón 👍/👎 del chat (docs/ratings.md); se aplica a la última respuesta del bot "
        "antes del botón.</li>"
        "<li>Confianza: la que dio el modelo a cada intención (0–100 %).</li></ul>"
        "</body></html>"
    )
    return "\n".join(p)


CSV_COLUMNS = [
    "seccion", "veces", "pregunta", "otras_formas", "motivo", "lo_que_entendio_el_modelo",
    "canales", "fechas", "respuesta", "respuesta_nombre", "conversacion",
]


def write_csv(path: Path, a: Analysis, groups: List[Group], tz: dt.timezone) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(CSV_COLUMNS)
        for g in groups:
            w.writerow([
                "sin_respuesta", g.count, g.label, " | ".join(g.variants(20)), _reasons_text(g.reasons),
                _intents_text(g.top_intents()), _channels_text(g.channels), _dates_text(g.first, g.last), "", "", "",
            ])
        for r in a.down_ratings():
            w.writerow([
                "valoracion_negativa", 1, r.rated.text if r.rated else "", "", "👎", "",
                r.channel, _when(r.ts, tz), "\n".join(r.rated.bot_texts) if r.rated else "",
                ", ".join(x for x in (r.rated.responses if r.rated else []) if x), r.sender,
            ])


# --- entry point -------------------------------------------------------------------------------


def build(args: argparse.Namespace) -> Tuple[Analysis, List[Group], str]:
    tz = local_tz(args.utc_offset)
    since, until = parse_day(args.since, "--since"), parse_day(args.until, "--until")
    if since and until and since > until:
        raise ReportError("--since va después de --until")
    lo, hi = _time_bounds(since, until, tz)
    if args.db_url:
        rows = read_sqlalchemy(args.db_url, lo, hi)
        import sqlalchemy as sa

        source = repr(sa.engine.make_url(args.db_url))  # password hidden
    else:
        path = Path(args.db)
        rows = read_sqlite(path, lo, hi)
        source = str(path)
    analysis = Analysis(tz, args.channel).feed(rows).finish()
    groups = group_unanswered(analysis.unanswered, merge_similar=not args.no_merge)
    return analysis, groups, source


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="python -m tools.report",
        description="Informe de preguntas sin respuesta y respuestas con 👎: report.html y report.csv.",
    )
    where = ap.add_mutually_exclusive_group()
    where.add_argument("--db", default=str(DEFAULT_DB), help="archivo SQLite del tracker store (por defecto tracker.db)")
    where.add_argument("--db-url", help="URL de SQLAlchemy, p. ej. postgresql://postgres@127.0.0.1:5432/test")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="carpeta de salida (por defecto results/report)")
    ap.add_argument("--since", help="desde esta fecha AAAA-MM-DD (incluida)")
    ap.add_argument("--until", help="hasta esta fecha AAAA-MM-DD (incluida)")
    ap.add_argument("--channel", help="solo este canal: rest, webchat, socketio, telegram, cmdline...")
    ap.add_argument("--utc-offset", type=float, default=DEFAULT_UTC_OFFSET, help="horas respecto de UTC (Perú: -5)")
    ap.add_argument("--no-merge", action="store_true", help="no juntar preguntas casi iguales (solo idénticas)")
    return ap.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    try:
        analysis, groups, source = build(args)
    except ReportError as e:
        print(f"make report: {e}", file=sys.stderr)
        return 2
    tz = local_tz(args.utc_offset)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.html").write_text(render_html(analysis, groups, args, tz, source), encoding="utf-8")
    write_csv(out / "report.csv", analysis, groups, tz)
    counts = analysis.rating_counts()
    elapsed = time.perf_counter() - started
    print(
        f"{_n(len(analysis.conversations))} conversaciones, {_n(analysis.questions)} preguntas: "
        f"{_n(analysis.unanswered_count)} sin respuesta ({_pct(analysis.unanswered_count, analysis.questions)}) "
        f"en {_n(len(groups))} grupos; valoraciones 👍 {_n(counts['up'])} 👎 {_n(counts['down'])}."
    )
    print(f"Informe: {out / 'report.html'}\nCSV:     {out / 'report.csv'}\n({_n(analysis.rows)} mensajes de usuario y del bot leídos; {elapsed:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
