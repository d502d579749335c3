"""Conversations with known outcomes, and the ground truth counted with the rules of docs/report.md."""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections import Counter, defaultdict
from typing import Any, Callable, Dict, List, Optional, Tuple

from actions import constants as c
from actions.knowledge import answers, load_knowledge
from actions.knowledge.store import DEFAULT_KNOWLEDGE_FILE
from tests.report.tracker_store_gen.events import Events
from tests.report.tracker_store_gen.sources import (
    BAD_INPUT, FALLBACK, OTHER_LANGUAGE, OUT_OF_SCOPE, Keep, domain_texts, nlu_examples, normalize, real_templates,
    vary,
)

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
RATE_BEFORE_SHARE = 0.2  # ratings stored before the domain had `rate`: the model read them as out_of_scope
RATE_TWICE_SHARE = 0.1  # rated answers rated again with the other value
RATE_PAYLOADS = {c.RATING_UP: c.RATE_UP_PAYLOAD, c.RATING_DOWN: c.RATE_DOWN_PAYLOAD}

SOCIAL = [c.GREET, c.THANKS, c.GOODBYE]
TALK = [c.BOT_CHALLENGE, c.ASK_CAPABILITIES]
TALK_RESPONSES = {
    c.GREET: "utter_greet", c.THANKS: "utter_thanks", c.GOODBYE: "utter_goodbye",
    c.BOT_CHALLENGE: "utter_bot_challenge", c.ASK_CAPABILITIES: "utter_capabilities",
    c.OUT_OF_SCOPE: "utter_out_of_scope", c.OTHER_LANGUAGE: "utter_other_language",
}
RATING_THANKS = "utter_rating_thanks"  # domain.yml; its text is read from there
CLARIFY_BUTTONS = [{"title": "Qué es el programa", "payload": "/ask_programme"},
                   {"title": "Otra cosa", "payload": "/ask_capabilities"}]
Row = Tuple[str, str, float, Optional[str], Optional[str], str]


class Generator:
    def __init__(self, seed: int, end: dt.date, days: int):
        self.rng = random.Random(seed)
        self.end, self.days = end, days
        self.examples = nlu_examples()
        self.texts = domain_texts()
        self.k = load_knowledge(DEFAULT_KNOWLEDGE_FILE)
        self.intents = sorted(self.examples)
        meta = dict(real_templates()["user"]["metadata"])  # model_id, assistant_id
        self.ev = Events(self.rng, meta, self.intents)
        self.truth = {
            "conversations": 0, "user_messages": 0, "questions": 0, "answered": 0, "unanswered": 0,
            "social": 0, "unanswered_by_reason": Counter(), "intents": Counter(), "channels": Counter(),
            "per_day": defaultdict(lambda: {"answered": 0, "unanswered": 0}),
            "unanswered_by_text": Counter(), "rating_events": 0, "ratings": Counter(),
            "down_by_response": Counter(), "rated_by_response": defaultdict(Counter),
            "by_channel": defaultdict(Counter),  # channel -> questions, unanswered, up, down
        }
        self.serial = 0

    def say(self, message: answers.Message) -> Tuple[str, str]:
        return message.response, self.texts.get(message.response, "").format_map(Keep(message.variables))

    # -- one conversation --------------------------------------------------------------------
    def _start(self, index: int) -> Tuple[str, str, float]:
        rng = self.rng
        channel = rng.choices([ch for ch, _ in CHANNELS], [w for _, w in CHANNELS])[0]
        webchat = uuid.UUID(int=rng.getrandbits(128)).hex  # drawn whatever the channel: the sequence stays
        sender = {"webchat": webchat, "telegram": str(100000000 + index), "rest": f"rest-{index}"}[channel]
        day = self.end - dt.timedelta(days=rng.randrange(self.days))
        start = dt.datetime(day.year, day.month, day.day, rng.randrange(7, 23), rng.randrange(60), rng.randrange(60),
                            tzinfo=LIMA)
        return channel, sender, start.timestamp() + rng.random()

    def _plan(self) -> List[str]:
        rng = self.rng
        questions = rng.choices([1, 2, 3, 4, 5, 6], [18, 26, 24, 16, 10, 6])[0]
        plan = ["greet"] if rng.random() < 0.35 else []
        plan += rng.choices(list(SHARES), list(SHARES.values()), k=questions)
        if rng.random() < 0.25:
            plan.append(rng.choice(["thanks", "goodbye"]))
        return plan

    def _count(self, info: Dict[str, Any], channel: str) -> None:
        T = self.truth
        T["user_messages"] += 1
        T["channels"][channel] += 1
        T["intents"][info["intent"]] += 1
        day_key = dt.datetime.fromtimestamp(info["ts"], LIMA).date().isoformat()
        if info["social"]:
            T["social"] += 1
            return
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

    def _count_ratings(self, rated: Dict[int, Tuple[str, str]], channel: str) -> None:
        T = self.truth
        for value, response in rated.values():
            T["ratings"][value] += 1
            T["by_channel"][channel][value] += 1
            T["rated_by_response"][response][value] += 1
            if value == c.RATING_DOWN:
                T["down_by_response"][response] += 1

    def conversation(self, index: int) -> List[Row]:
        rng, T, ev = self.rng, self.truth, self.ev
        channel, sender, ts = self._start(index)

        def tick(lo=0.005, hi=0.3):
            nonlocal ts
            ts += rng.uniform(lo, hi)
            return ts

        events = [ev.action("action_session_start", ts), ev.base("session_started", tick()),
                  ev.action("action_listen", tick())]
        T["conversations"] += 1
        last_topic: Optional[str] = None
        rated: Dict[int, Tuple[str, str]] = {}  # serial of the rated answer -> (value, its last response)
        for kind in self._plan():
            tick(3, 90)
            events_turn, info = self.turn(kind, channel, last_topic, tick)
            events += events_turn
            self.serial += 1
            self._count(info, channel)
            last_topic = info.get("topic") or last_topic
            if rng.random() < RATE_SHARE and not info["reason"] and not info["social"]:
                value = c.RATING_DOWN if rng.random() < RATE_DOWN_SHARE else c.RATING_UP
                other = c.RATING_UP if value == c.RATING_DOWN else c.RATING_DOWN
                for v in [value] + ([other] if rng.random() < RATE_TWICE_SHARE else []):
                    tick(2, 20)
                    events += self.rating(v, channel, tick)
                    T["rating_events"] += 1
                    T["user_messages"] += 1
                    T["channels"][channel] += 1
                    rated[self.serial] = (v, info["last_response"])
        self._count_ratings(rated, channel)
        return [self._row(sender, e) for e in events]

    @staticmethod
    def _row(sender: str, e: Dict[str, Any]) -> Row:
        kind = e["event"]
        intent = (e.get("parse_data") or {}).get("intent", {}).get("name") if kind == "user" else None
        name = e.get("name") if kind in ("action", "slot") else None
        return sender, kind, e["timestamp"], intent, name, json.dumps(e)

    def rating(self, value: str, channel: str, tick: Callable[..., float]) -> List[Dict[str, Any]]:
        ev, text = self.ev, RATE_PAYLOADS[value]
        if self.rng.random() < RATE_BEFORE_SHARE:  # stored before the domain had `rate`: read as text
            conf = self.rng.uniform(0.9, 0.999)
            u = ev.user(text, c.OUT_OF_SCOPE, conf, ev.ranking(c.OUT_OF_SCOPE, conf), [], channel, tick())
            reply = [ev.action("utter_out_of_scope", tick()),
                     ev.bot("utter_out_of_scope", self.texts["utter_out_of_scope"], tick())]
        else:  # Rasa's RegexMessageHandler with `rate` and `rating` in the domain
            ent = [{"entity": c.ENTITY_RATING, "value": value, "start": 5, "end": len(text),
                    "extractor": "RegexMessageHandler"}]
            u = ev.user(text, c.RATE, 1.0, [{"name": c.RATE, "confidence": 1.0}], ent, channel, tick(), tokens=False)
            reply = [ev.action(RATING_THANKS, tick()), ev.bot(RATING_THANKS, self.texts[RATING_THANKS], tick())]
        return [u, ev.featurization(tick()), *reply, ev.action("action_listen", tick())]

    # -- one turn --------------------------------------------------------------------------------
    def _fact(self, today: dt.date) -> Tuple[str, answers.Answer, List[Dict[str, Any]]]:
        rng, k = self.rng, self.k
        intent = rng.choice(sorted(c.INTENT_TOPICS) + [c.ASK_SECTOR, c.ASK_ORGANISATION])
        if intent == c.ASK_SECTOR:
            named = rng.choice(list(k.sectors) + ["minería", "pesca"])
            entities = [{"entity": "sector", "value": normalize(named), "extractor": "DIETClassifier"}]
            return intent, answers.sector(k, normalize(named), named, today), entities
        if intent == c.ASK_ORGANISATION:
            org = rng.choice(k.organisations)
            entities = [{"entity": "organisation", "value": normalize(org.acronym), "extractor": "DIETClassifier"}]
            return intent, answers.organisation(k, normalize(org.acronym), org.acronym, today), entities
        return intent, answers.answer(k, c.INTENT_TOPICS[intent], today), []

    def _reply(self, kind: str, last_topic: Optional[str], turn: Dict[str, Any]) -> None:
        """Fill ``turn`` (intent, messages, topic, entities, conf, buttons, text) for a kind of question."""
        rng, k, today = self.rng, self.k, self.end
        if kind in ("greet", "thanks", "goodbye", "talk"):
            turn["intent"] = kind if kind != "talk" else rng.choice(TALK)
            turn["messages"] = [answers.Message(TALK_RESPONSES[turn["intent"]])]
        elif kind == "fact":
            turn["intent"], a, turn["entities"] = self._fact(today)
            turn["messages"], turn["topic"] = list(a.messages), a.topic
        elif kind == "unknown":
            turn["intent"] = intent = rng.choice(c.UNKNOWN_INTENTS)
            a = answers.unknown(k, intent, "Chile" if intent == c.ASK_OTHER_COUNTRY else None, today)
            turn["messages"], turn["topic"] = list(a.messages), a.topic
        elif kind == "total":
            turn["intent"], a = c.ASK_TOTAL, answers.total(k, last_topic, today)
            turn["messages"], turn["topic"] = list(a.messages), a.topic
        elif kind == "source":
            turn["intent"], turn["messages"] = c.ASK_SOURCE, answers.source(k, last_topic, [])
        elif kind in ("out_of_scope", "other_language"):
            turn["intent"], turn["messages"] = kind, [answers.Message(TALK_RESPONSES[kind])]
        elif kind in ("fallback", "core_fallback"):
            turn["intent"] = c.NLU_FALLBACK if kind == "fallback" else rng.choice(sorted(c.INTENT_TOPICS))
            turn["conf"] = 0.5 if kind == "fallback" else rng.uniform(0.5, 0.6)
            turn["messages"], turn["buttons"] = [answers.Message("utter_clarify")], CLARIFY_BUTTONS
        elif kind == "bad_input":
            turn["text"], problem = rng.choice(BAD_INPUT)
            turn["intent"], turn["conf"] = c.NLU_FALLBACK, 1.0
            turn["entities"] = [{"entity": c.ENTITY_INPUT_PROBLEM, "value": problem, "start": 0, "end": 0,
                                 "confidence_entity": 1.0, "extractor": "InputGuard"}]
            turn["messages"] = [answers.Message(f"utter_bad_input_{problem}")]
        else:
            raise ValueError(kind)

    def _text_and_ranking(self, kind: str, turn: Dict[str, Any]) -> None:
        rng, intent = self.rng, turn["intent"]
        if kind != "bad_input":
            pool = {"out_of_scope": OUT_OF_SCOPE, "other_language": OTHER_LANGUAGE, "fallback": FALLBACK}.get(kind)
            if pool is None:
                pool = self.examples.get(intent, [])[:15] or [intent.replace("_", " ")]
            turn["text"] = vary(rng.choice(pool), rng)
        if kind == "fallback":
            turn["ranking"] = [{"name": c.NLU_FALLBACK, "confidence": 0.5}] + self.ev.ranking(
                rng.choice(self.intents), rng.uniform(0.2, 0.45))
        elif kind == "bad_input":
            turn["ranking"] = [{"name": c.NLU_FALLBACK, "confidence": 1.0}]
        else:
            turn["ranking"] = self.ev.ranking(intent, turn["conf"])

    def turn(self, kind: str, channel: str, last_topic: Optional[str], tick):
        ev = self.ev
        turn: Dict[str, Any] = {"entities": [], "topic": None, "buttons": None, "conf": self.rng.uniform(0.6, 0.999)}
        self._reply(kind, last_topic, turn)
        self._text_and_ranking(kind, turn)
        intent, messages, action = turn["intent"], turn["messages"], c.ACTION_ANSWER
        ts_user = tick()
        events = [ev.user(turn["text"], intent, turn["conf"], turn["ranking"], turn["entities"], channel, ts_user),
                  ev.featurization(tick()), ev.action(action, tick())]
        said = [self.say(m) for m in messages]
        for i, ((response, body), m) in enumerate(zip(said, messages)):
            variables = dict(m.variables) if action.startswith("action_") else None
            events.append(ev.bot(response, body, tick(), turn["buttons"] if i == 0 else None, variables))
        if kind not in ("source", "fallback", "core_fallback", "bad_input"):
            for slot, value in ((c.SLOT_LAST_TOPIC, turn["topic"]), (c.SLOT_LAST_SOURCES, [])):
                events.append(ev.base("slot", tick()) | {"name": slot, "value": value})
        events.append(ev.action("action_listen", tick()))
        responses = [r for r, _ in said]
        return events, {
            "intent": intent, "ts": ts_user, "text": turn["text"], "reason": _reason(kind, responses),
            "topic": turn["topic"], "social": intent in SOCIAL, "last_response": responses[-1],
        }

    def result(self) -> Dict[str, Any]:
        T = self.truth
        out = dict(T)
        out["per_day"] = dict(sorted(T["per_day"].items()))
        out["rated_by_response"] = {k: dict(v) for k, v in T["rated_by_response"].items()}
        out["by_channel"] = {k: dict(v) for k, v in T["by_channel"].items()}
        for key in ("unanswered_by_reason", "intents", "channels", "unanswered_by_text", "ratings",
                    "down_by_response"):
            out[key] = dict(T[key])
        return out


def _reason(kind: str, responses: List[str]) -> Optional[str]:
    """Why the turn is unanswered (docs/report.md), from what was generated."""
    if kind == "bad_input":
        return "bad_input"
    if kind in ("fallback", "core_fallback"):
        return "fallback"
    if kind in ("out_of_scope", "other_language"):
        return kind
    if "utter_source_silent" in responses:
        return "source_silent"
    return None
