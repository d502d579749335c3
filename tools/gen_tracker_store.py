"""Generate a realistic Rasa tracker store, and the counts `make report` must find.

    python -m tools.gen_tracker_store                       # 20.000 conversations
    python -m tools.gen_tracker_store -n 2000 --out /tmp/t.db --truth /tmp/t.json
    python -m tools.gen_tracker_store -n 300 --db-url postgresql://postgres@127.0.0.1:5432/otra

The ``events`` table is created by Rasa's own ``SQLTrackerStore`` model (same
columns, types and index as a real store).  Every event is shaped like the
rows captured from a real stack in tests/report/fixtures/real_events.json
(same keys, same metadata); the bot's messages are the domain's Spanish
responses filled by the real knowledge layer (actions/knowledge/answers.py),
so ``utter_action`` names and texts are the ones the assistant really says.

Each conversation (one sender, one session) has 1-6 turns on a channel
(webchat, telegram, rest); a known share of questions ends unanswered (out of
scope, other language, clarification, unreadable input, "la fuente no lo
indica") and a known share of answers is rated with the contract of
docs/ratings.md (``/rate{"rating":"down"}``, intent ``rate``); a fifth of the
ratings come as today's model sees them (no ``rate`` intent in the domain yet:
classified out_of_scope), and some answers are rated twice (the last counts).
The ground truth, counted while generating with the rules of docs/report.md,
is written as JSON next to the store (``--truth``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sqlite3
import sys
import time
import unicodedata
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from actions import constants as c  # noqa: E402
from actions.knowledge import answers, load_knowledge  # noqa: E402
from actions.knowledge.store import DEFAULT_KNOWLEDGE_FILE  # noqa: E402

FIXTURE = ROOT / "tests" / "report" / "fixtures" / "real_events.json"
DEFAULT_OUT = ROOT / "results" / "report" / "generated-tracker.db"
LIMA = dt.timezone(dt.timedelta(hours=-5))

# Shares of the kinds of question (the rest are answered facts).
SHARES = {
    "fact": 0.62,
    "unknown": 0.08,  # la fuente no lo indica
    "total": 0.04,  # "¿y en total?": after projects/sectors it is also "la fuente no lo indica"
    "source": 0.03,
    "talk": 0.05,  # bot_challenge, ask_capabilities
    "out_of_scope": 0.06,
    "other_language": 0.025,
    "fallback": 0.05,  # nlu_fallback -> clarification
    "core_fallback": 0.01,  # a confident-enough intent the rules could not follow -> clarification
    "bad_input": 0.015,
}
CHANNELS = (("webchat", 0.5), ("telegram", 0.3), ("rest", 0.2))
RATE_SHARE = 0.12  # of answered turns
RATE_DOWN_SHARE = 0.45
RATE_TODAY_SHARE = 0.2  # ratings that reach today's model (no `rate` intent yet)
RATE_TWICE_SHARE = 0.1  # rated answers rated again with the other value

# Messages with no NLU example to borrow from.
OUT_OF_SCOPE = [
    "¿Qué clima hará mañana en Lima?", "¿Quién ganó el partido de ayer?", "¿Cuánto está el dólar hoy?",
    "Recomiéndame un restaurante en Miraflores", "¿Cómo saco mi RUC?", "¿Cuándo es el próximo feriado?",
    "¿Cómo preparo un ceviche?", "¿Dónde queda la Cámara de Comercio de Arequipa?",
]
OTHER_LANGUAGE = [
    "What is AL-INVEST about?", "How many companies were supported?", "Qual é o orçamento do programa?",
    "Do you speak English?", "Where can I apply?", "Quanto custa participar?",
]
FALLBACK = [
    "y lo otro?", "eso cuanto fue", "info", "quiero saber mas", "no entiendo", "dime algo",
    "y entonces que paso con eso", "ok pero y los demas", "necesito ayuda con lo de la camara", "y el otro tema",
]
BAD_INPUT = [("", c.PROBLEM_EMPTY), ("?????", c.PROBLEM_NO_WORDS), ("!!!", c.PROBLEM_NO_WORDS), ("🙂🙂", c.PROBLEM_NO_WORDS),
             ("hola " * 150, c.PROBLEM_TOO_LONG)]
SOCIAL = [c.GREET, c.THANKS, c.GOODBYE]
TALK = [c.BOT_CHALLENGE, c.ASK_CAPABILITIES]
TALK_RESPONSES = {
    c.GREET: "utter_greet", c.THANKS: "utter_thanks", c.GOODBYE: "utter_goodbye",
    c.BOT_CHALLENGE: "utter_bot_challenge", c.ASK_CAPABILITIES: "utter_capabilities",
    c.OUT_OF_SCOPE: "utter_out_of_scope", c.OTHER_LANGUAGE: "utter_other_language",
}
RATING_THANKS = "utter_rating_thanks"  # proposed (docs/ratings.md); not in the domain yet
RATING_THANKS_TEXT = "¡Gracias por tu valoración!"


def normalize(text: str) -> str:
    """The report's grouping key (docs/report.md), written again here on purpose."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]|_", " ", text).split())


# --- sources of realism --------------------------------------------------------------


def real_templates() -> Dict[str, Dict[str, Any]]:
    """type_name -> the first real event of that type in the captured fixture."""
    out: Dict[str, Dict[str, Any]] = {}
    for row in json.loads(FIXTURE.read_text(encoding="utf-8"))["rows"]:
        out.setdefault(row["type_name"], json.loads(row["data"]))
    return out


def nlu_examples() -> Dict[str, List[str]]:
    """Intent -> example texts, from data/nlu and the held-out set (plain YAML)."""
    out: Dict[str, List[str]] = defaultdict(list)
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")) + [ROOT / "tests" / "nlu" / "heldout.yml"]:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in doc.get("nlu") or []:
            if "intent" not in item:
                continue
            for line in str(item.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    # drop entity annotations: [texto](entidad) / [texto]{"entity": ...}
                    text = re.sub(r"\[([^\]]*)\](\([^)]*\)|\{[^}]*\})", r"\1", line[2:].strip())
                    out[item["intent"]].append(text)
    return out


def domain_texts() -> Dict[str, str]:
    out = {}
    for path in [ROOT / "domain.yml"]:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variations in (doc.get("responses") or {}).items():
            if variations and isinstance(variations[0], dict) and variations[0].get("text"):
                out[name] = variations[0]["text"]
    return out


class _Keep(dict):
    def __missing__(self, key):  # a placeholder the answer does not fill stays visible
        return "{" + key + "}"


def vary(text: str, rng: random.Random) -> str:
    """How people type the same question: case, accents, punctuation, a typo, spaces."""
    r = rng.random()
    if r < 0.45:
        return text
    if r < 0.65:
        t = unicodedata.normalize("NFKD", text.lower())
        return "".join(ch for ch in t if not unicodedata.combining(ch))
    if r < 0.78:
        return re.sub(r"[¿?¡!.,]", "", text).strip()
    if r < 0.9 and len(text) > 6:
        i = rng.randrange(1, len(text) - 2)
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]  # two letters swapped
    return "  " + text.replace(" ", "  ") + " "


# --- the generator -------------------------------------------------------------------------


class Generator:
    def __init__(self, seed: int, end: dt.date, days: int):
        self.rng = random.Random(seed)
        self.end, self.days = end, days
        self.meta = dict(real_templates()["user"]["metadata"])  # model_id, assistant_id
        self.examples = nlu_examples()
        self.texts = domain_texts()
        self.k = load_knowledge(DEFAULT_KNOWLEDGE_FILE)
        self.intents = sorted(self.examples)
        self.truth = {
            "conversations": 0, "user_messages": 0, "questions": 0, "answered": 0, "unanswered": 0,
            "social": 0, "unanswered_by_reason": Counter(), "intents": Counter(), "channels": Counter(),
            "per_day": defaultdict(lambda: {"answered": 0, "unanswered": 0}),
            "unanswered_by_text": Counter(), "rating_events": 0, "ratings": Counter(),
            "down_by_response": Counter(), "rated_by_response": defaultdict(Counter),
            "by_channel": defaultdict(Counter),  # channel -> questions, unanswered, up, down
        }
        self.serial = 0

    # -- events ---------------------------------------------------------------------
    def _base(self, kind: str, ts: float) -> Dict[str, Any]:
        return {"event": kind, "timestamp": ts, "metadata": dict(self.meta)}

    def action(self, name: str, ts: float) -> Dict[str, Any]:
        e = self._base("action", ts)
        policy = None if name in ("action_session_start", "action_listen") else "RulePolicy"
        e.update(name=name, policy=policy, confidence=1.0 if policy or name == "action_session_start" else None,
                 action_text=None, hide_rule_turn=bool(policy) and name.startswith("utter_"))
        return e

    def bot(self, response: str, text: str, ts: float, buttons=None, variables: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
        e = self._base("bot", ts)
        # A custom action's message also carries its template variables and "template" (as in the real store).
        extra = {} if variables is None else {"template": response, **variables}
        e["metadata"] = {"utter_action": response, **extra, **self.meta}
        e["text"] = text
        e["data"] = {"elements": None, "quick_replies": None, "buttons": buttons, "attachment": None, "image": None, "custom": None}
        return e

    def user(self, text: str, intent: str, conf: float, ranking, entities, channel: str, ts: float, tokens=True) -> Dict[str, Any]:
        mid = uuid.UUID(int=self.rng.getrandbits(128)).hex
        parse = {"intent": {"name": intent, "confidence": conf}, "entities": entities, "text": text,
                 "message_id": mid, "metadata": {}}
        if tokens:
            parse["text_tokens"] = [[m.start(), m.end()] for m in re.finditer(r"\w+|[^\w\s]", text)]
        parse["intent_ranking"] = ranking
        e = self._base("user", ts)
        e.update(text=text, parse_data=parse, input_channel=channel, message_id=mid)
        return e

    def ranking(self, intent: str, conf: float, n: int = 10) -> List[Dict[str, Any]]:
        others = [i for i in self.intents if i != intent]
        self.rng.shuffle(others)
        rest, out = 1.0 - conf, [{"name": intent, "confidence": conf}]
        for name in others[: n - 1]:
            share = rest * self.rng.uniform(0.2, 0.6)
            rest -= share
            out.append({"name": name, "confidence": share})
        out[1:] = sorted(out[1:], key=lambda r: -r["confidence"])
        return out

    def say(self, message: answers.Message) -> Tuple[str, str]:
        return message.response, self.texts.get(message.response, "").format_map(_Keep(message.variables))

    # -- one conversation --------------------------------------------------------------------
    def conversation(self, index: int) -> List[Tuple[str, str, float, Optional[str], Optional[str], str]]:
        rng, T = self.rng, self.truth
        channel = rng.choices([ch for ch, _ in CHANNELS], [w for _, w in CHANNELS])[0]
        sender = {"webchat": uuid.UUID(int=rng.getrandbits(128)).hex, "telegram": str(100000000 + index),
                  "rest": f"rest-{index}"}[channel]
        day = self.end - dt.timedelta(days=rng.randrange(self.days))
        start = dt.datetime(day.year, day.month, day.day, rng.randrange(7, 23), rng.randrange(60), rng.randrange(60), tzinfo=LIMA)
        ts = start.timestamp() + rng.random()
        events: List[Dict[str, Any]] = []

        def tick(lo=0.005, hi=0.3):
            nonlocal ts
            ts += rng.uniform(lo, hi)
            return ts

        events += [self.action("action_session_start", ts), self._base("session_started", tick()), self.action("action_listen", tick())]
        T["conversations"] += 1
        last_topic: Optional[str] = None
        last_answer: Optional[int] = None  # serial of the last answered turn
        rated: Dict[int, Tuple[str, str]] = {}  # serial -> (value, last response)
        answer_response: Dict[int, str] = {}
        questions = rng.choices([1, 2, 3, 4, 5, 6], [18, 26, 24, 16, 10, 6])[0]
        plan = ["greet"] if rng.random() < 0.35 else []
        plan += rng.choices(list(SHARES), list(SHARES.values()), k=questions)
        if rng.random() < 0.25:
            plan.append(rng.choice(["thanks", "goodbye"]))
        for kind in plan:
            tick(3, 90)
            events_turn, info = self.turn(kind, channel, last_topic, tick)
            events += events_turn
            self.serial += 1
            T["user_messages"] += 1
            T["channels"][channel] += 1
            T["intents"][info["intent"]] += 1
            day_key = dt.datetime.fromtimestamp(info["ts"], LIMA).date().isoformat()
            if info["social"]:
                T["social"] += 1
            else:
                T["questions"] += 1
                T["by_channel"][channel]["questions"] += 1
                T["by_channel"][channel]["unanswered"] += bool(info["reason"])
                if info["reason"]:
                    T["unanswered"] += 1
                    T["unanswered_by_reason"][info["reason"]] += 1
                    T["per_day"][day_key]["unanswered"] += 1
                    T["unanswered_by_text"][normalize(info["text"])] += 1
                else:
                    T["answered"] += 1
                    T["per_day"][day_key]["answered"] += 1
            if info.get("topic"):
                last_topic = info["topic"]
            last_answer = self.serial
            answer_response[self.serial] = info["last_response"]
            if rng.random() < RATE_SHARE and not info["reason"] and not info["social"]:
                value = "down" if rng.random() < RATE_DOWN_SHARE else "up"
                values = [value] + (["up" if value == "down" else "down"] if rng.random() < RATE_TWICE_SHARE else [])
                for v in values:
                    tick(2, 20)
                    events += self.rating(v, channel, tick)
                    T["rating_events"] += 1
                    T["user_messages"] += 1
                    T["channels"][channel] += 1
                    rated[last_answer] = (v, answer_response[last_answer])
        for value, response in rated.values():
            T["ratings"][value] += 1
            T["by_channel"][channel][value] += 1
            T["rated_by_response"][response][value] += 1
            if value == "down":
                T["down_by_response"][response] += 1
        rows = []
        for e in events:
            kind = e["event"]
            intent = (e.get("parse_data") or {}).get("intent", {}).get("name") if kind == "user" else None
            name = e.get("name") if kind in ("action", "slot") else None
            rows.append((sender, kind, e["timestamp"], intent, name, json.dumps(e)))
        return rows

    def rating(self, value: str, channel: str, tick) -> List[Dict[str, Any]]:
        text = json.dumps({"rating": value}, separators=(",", ":"))
        text = "/rate" + text
        if self.rng.random() < RATE_TODAY_SHARE:  # today's model: no `rate` intent, read as text
            conf = self.rng.uniform(0.9, 0.999)
            u = self.user(text, c.OUT_OF_SCOPE, conf, self.ranking(c.OUT_OF_SCOPE, conf), [], channel, tick())
            reply = [self.action("utter_out_of_scope", tick()), self.bot("utter_out_of_scope", self.texts["utter_out_of_scope"], tick())]
        else:  # Rasa's RegexMessageHandler with `rate` and `rating` in the domain
            ent = [{"entity": "rating", "value": value, "start": 5, "end": len(text), "extractor": "RegexMessageHandler"}]
            u = self.user(text, "rate", 1.0, [{"name": "rate", "confidence": 1.0}], ent, channel, tick(), tokens=False)
            reply = [self.action(RATING_THANKS, tick()), self.bot(RATING_THANKS, RATING_THANKS_TEXT, tick())]
        return [u, self._base("user_featurization", tick()) | {"use_text_for_featurization": False}, *reply, self.action("action_listen", tick())]

    def turn(self, kind: str, channel: str, last_topic: Optional[str], tick):
        rng, k = self.rng, self.k
        today = self.end
        entities: List[Dict[str, Any]] = []
        topic = None
        buttons = None
        reason = None
        conf = rng.uniform(0.6, 0.999)
        if kind in ("greet", "thanks", "goodbye", "talk"):
            intent = kind if kind != "talk" else rng.choice(TALK)
            action, messages = c.ACTION_ANSWER, [answers.Message(TALK_RESPONSES[intent])]
        elif kind == "fact":
            intent = rng.choice(sorted(c.INTENT_TOPICS) + [c.ASK_SECTOR, c.ASK_ORGANISATION])
            if intent == c.ASK_SECTOR:
                named = rng.choice(list(k.sectors) + ["minería", "pesca"])
                entities = [{"entity": "sector", "value": normalize(named), "extractor": "DIETClassifier"}]
                a, action = answers.sector(k, normalize(named), named, today), c.ACTION_ANSWER
            elif intent == c.ASK_ORGANISATION:
                org = rng.choice(k.organisations)
                entities = [{"entity": "organisation", "value": normalize(org.acronym), "extractor": "DIETClassifier"}]
                a, action = answers.organisation(k, normalize(org.acronym), org.acronym, today), c.ACTION_ANSWER
            else:
                a, action = answers.answer(k, c.INTENT_TOPICS[intent], today), c.ACTION_ANSWER
            messages, topic = list(a.messages), a.topic
        elif kind == "unknown":
            intent = rng.choice(c.UNKNOWN_INTENTS)
            a = answers.unknown(k, intent, "Chile" if intent == c.ASK_OTHER_COUNTRY else None, today)
            action, messages, topic = c.ACTION_ANSWER, list(a.messages), a.topic
        elif kind == "total":
            intent = c.ASK_TOTAL
            a = answers.total(k, last_topic, today)
            action, messages, topic = c.ACTION_ANSWER, list(a.messages), a.topic
        elif kind == "source":
            intent = c.ASK_SOURCE
            action, messages = c.ACTION_ANSWER, answers.source(k, last_topic, [])
        elif kind in ("out_of_scope", "other_language"):
            intent = kind
            action, messages = c.ACTION_ANSWER, [answers.Message(TALK_RESPONSES[intent])]
        elif kind in ("fallback", "core_fallback"):
            intent = c.NLU_FALLBACK if kind == "fallback" else rng.choice(sorted(c.INTENT_TOPICS))
            conf = 0.5 if kind == "fallback" else rng.uniform(0.5, 0.6)
            action, messages = c.ACTION_ANSWER, [answers.Message("utter_clarify")]
            buttons = [{"title": "Qué es el programa", "payload": "/ask_programme"}, {"title": "Otra cosa", "payload": "/ask_capabilities"}]
        elif kind == "bad_input":
            intent = c.NLU_FALLBACK
            text, problem = rng.choice(BAD_INPUT)
            conf = 1.0
            entities = [{"entity": c.ENTITY_INPUT_PROBLEM, "value": problem, "start": 0, "end": 0, "confidence_entity": 1.0, "extractor": "InputGuard"}]
            action, messages = c.ACTION_ANSWER, [answers.Message(f"utter_bad_input_{problem}")]
        else:
            raise ValueError(kind)

        if kind != "bad_input":
            pool = {"out_of_scope": OUT_OF_SCOPE, "other_language": OTHER_LANGUAGE, "fallback": FALLBACK}.get(kind)
            if pool is None:
                pool = self.examples.get(intent, [])[:15] or [intent.replace("_", " ")]
            text = vary(rng.choice(pool), rng)
        if kind == "fallback":
            ranking = [{"name": c.NLU_FALLBACK, "confidence": 0.5}] + self.ranking(rng.choice(self.intents), rng.uniform(0.2, 0.45))
        elif kind == "bad_input":
            ranking = [{"name": c.NLU_FALLBACK, "confidence": 1.0}]
        else:
            ranking = self.ranking(intent, conf)
        ts_user = tick()
        events = [self.user(text, intent, conf, ranking, entities, channel, ts_user),
                  self._base("user_featurization", tick()) | {"use_text_for_featurization": False},
                  self.action(action, tick())]
        said = [self.say(m) for m in messages]
        for i, ((response, body), m) in enumerate(zip(said, messages)):
            variables = dict(m.variables) if action.startswith("action_") else None
            events.append(self.bot(response, body, tick(), buttons if i == 0 else None, variables))
        if action == c.ACTION_ANSWER and kind not in ("source", "fallback", "core_fallback", "bad_input"):
            for slot, value in ((c.SLOT_LAST_TOPIC, topic), (c.SLOT_LAST_SOURCES, [])):
                events.append(self._base("slot", tick()) | {"name": slot, "value": value})
        events.append(self.action("action_listen", tick()))

        responses = [r for r, _ in said]
        if kind == "bad_input":
            reason = "bad_input"
        elif kind in ("fallback", "core_fallback"):
            reason = "fallback"
        elif kind in ("out_of_scope", "other_language"):
            reason = kind
        elif "utter_source_silent" in responses:
            reason = "source_silent"
        return events, {
            "intent": intent, "ts": ts_user, "text": text, "reason": reason, "topic": topic,
            "social": intent in SOCIAL, "last_response": responses[-1],
        }

    def result(self) -> Dict[str, Any]:
        T = self.truth
        out = dict(T)
        out["per_day"] = dict(sorted(T["per_day"].items()))
        out["rated_by_response"] = {k: dict(v) for k, v in T["rated_by_response"].items()}
        out["by_channel"] = {k: dict(v) for k, v in T["by_channel"].items()}
        for key in ("unanswered_by_reason", "intents", "channels", "unanswered_by_text", "ratings", "down_by_response"):
            out[key] = dict(T[key])
        return out


# --- writing --------------------------------------------------------------------------------


def create_table(url: str):
    """The events table exactly as Rasa's SQLTrackerStore creates it."""
    import warnings

    import sqlalchemy as sa

    # Rasa 3.6's declarative_base() triggers SQLAlchemy 1.4's one-off "2.0" notice
    # (SQLALCHEMY_SILENCE_UBER_WARNING, read when SQLAlchemy was imported).
    from sqlalchemy.util import deprecations

    deprecations.SILENCE_UBER_WARNING = True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from rasa.core.tracker_store import SQLTrackerStore

    engine = sa.create_engine(url)
    SQLTrackerStore.Base.metadata.create_all(engine)
    return engine, SQLTrackerStore.SQLEvent.__table__


def generate(n: int, out: Optional[Path], truth_path: Path, seed: int = 7, end: Optional[dt.date] = None,
             days: int = 30, db_url: Optional[str] = None, chunk: int = 1000) -> Dict[str, Any]:
    """Write ``n`` conversations; return (and save) the ground truth."""
    end = end or dt.date(2026, 11, 25)
    gen = Generator(seed, end, days)
    if db_url:
        engine, table = create_table(db_url)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.exists():
            out.unlink()
        engine, _ = create_table(f"sqlite:///{out}")
        engine.dispose()
        con = sqlite3.connect(str(out))
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
    rows_total = 0
    for first in range(0, n, chunk):
        rows = []
        for i in range(first, min(n, first + chunk)):
            rows += gen.conversation(i)
        rows.sort(key=lambda r: r[2])  # conversations interleave, as in a live store
        rows_total += len(rows)
        if db_url:
            cols = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")
            with engine.begin() as conn:
                conn.execute(table.insert(), [dict(zip(cols, r)) for r in rows])
        else:
            con.executemany(
                "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
            con.commit()
    if db_url:
        engine.dispose()
    else:
        con.close()
    truth = gen.result()
    truth["events"] = rows_total
    truth["seed"], truth["end"], truth["days"] = seed, end.isoformat(), days
    truth_path.parent.mkdir(parents=True, exist_ok=True)
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return truth


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m tools.gen_tracker_store",
        description="Genera una base de conversaciones de Rasa de prueba y los números que el informe debe dar.",
    )
    ap.add_argument("-n", "--conversations", type=int, default=20000)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="SQLite file to (re)create")
    ap.add_argument("--db-url", help="write into this SQLAlchemy database instead (adds to an existing events table)")
    ap.add_argument("--truth", type=Path, help="ground-truth JSON (default: next to --out, .truth.json)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--end", type=dt.date.fromisoformat, default=dt.date(2026, 11, 25), help="last day (AAAA-MM-DD)")
    ap.add_argument("--days", type=int, default=30)
    args = ap.parse_args(argv)
    truth_path = args.truth or args.out.with_suffix(".truth.json")
    started = time.perf_counter()
    truth = generate(args.conversations, None if args.db_url else args.out, truth_path, args.seed, args.end, args.days, args.db_url)
    print(
        f"{truth['conversations']} conversaciones, {truth['events']} eventos en {args.db_url or args.out} "
        f"({time.perf_counter() - started:.1f} s); verdad: {truth_path}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
