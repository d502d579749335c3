"""Every action, through rasa-sdk's dispatcher and tracker, with the real domain."""

import datetime as dt
import re
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import actions as act
from actions import constants as c
from actions.knowledge import answers as a
from tests.conftest import ROOT

DOMAIN = Domain.load(str(ROOT / "domain"))
TEMPLATE_VAR = re.compile(r"\{(\w+)\}")


def tracker(intent, text="", entities=(), slots=None, ranking=None):
    latest = {"intent": {"name": intent, "confidence": 0.9}, "entities": list(entities), "text": text,
              "intent_ranking": ranking or [{"name": intent, "confidence": 0.9}]}
    return Tracker.from_dict({"sender_id": "t", "slots": slots or {}, "latest_message": latest, "events": [],
                              "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": None})


def entity(name, value):
    return {"entity": name, "value": value, "start": 0, "end": len(value)}


async def run(action, t):
    d = CollectingDispatcher()
    events = await action.run(d, t, DOMAIN.as_dict())
    return d.messages, events


def rendered(message):
    """The response text filled as Rasa fills it; fails on an unknown response."""
    templates = DOMAIN.responses[message["response"]]
    variables = {k: v for k, v in message.items() if isinstance(v, str)}
    return [t["text"].format(**variables) if TEMPLATE_VAR.search(t["text"]) else t["text"] for t in templates]


@pytest.mark.parametrize("intent", c.FACT_INTENTS)
async def test_fact_action_answers_every_fact_intent(intent):
    messages, events = await run(act.ActionAnswerFact(), tracker(intent))
    key = a.INTENT_ANSWERS[intent]
    assert messages[0]["response"].startswith(f"utter_{key}")
    assert {"event": "slot", "name": c.SLOT_LAST_TOPIC, "value": key, "timestamp": None} in events
    assert any(e["name"] == c.SLOT_LAST_SOURCES and e["value"] for e in events)
    for m in messages:
        assert all("{" not in text for text in rendered(m))


@pytest.mark.parametrize(
    "action, intent, ents, text, response, fact",
    [
        (act.ActionAnswerSector(), c.ASK_SECTOR, [entity("sector", "textil")], "participo el sector textil?", "utter_sector_listed", "textil"),
        (act.ActionAnswerSector(), c.ASK_SECTOR, [entity("sector", "mineria")], "y la mineria?", "utter_sector_not_listed", "mineria"),
        (act.ActionAnswerSector(), c.ASK_SECTOR, [], "y el artesanal?", "utter_sector_listed", "artesanal"),
        (act.ActionAnswerFact(), c.ASK_SECTORS, [entity("sector", "textil")], "sectores textil", "utter_sector_listed", "textil"),
        (act.ActionAnswerOrganisation(), c.ASK_ORGANISATION, [entity("organisation", "adex")], "y que es adex?", "utter_organisation", "Asociación de Exportadores"),
        (act.ActionAnswerOrganisation(), c.ASK_ORGANISATION, [entity("organisation", "sni")], "que significa SNI", "utter_organisation", "Sociedad Nacional de Industrias"),
        (act.ActionAnswerOrganisation(), c.ASK_ORGANISATION, [], "que es la ONU", "utter_organisations", "Cámara de Comercio de Lima"),
        (act.ActionAnswerFact(), c.ASK_ORGANISATIONS, [entity("organisation", "ccl")], "la ccl", "utter_organisation", "Cámara de Comercio de Lima"),
        (act.ActionAnswerUnknown(), c.ASK_OTHER_COUNTRY, [entity("country", "bolivia")], "y en bolivia?", "utter_source_silent", "Bolivia"),
        (act.ActionAnswerUnknown(), c.ASK_BUDGET, [], "cual fue el presupuesto", "utter_source_silent", "presupuesto"),
    ],
)
async def test_entity_actions(action, intent, ents, text, response, fact):
    messages, _ = await run(action, tracker(intent, text, ents))
    assert messages[0]["response"] == response
    assert fact in " ".join(rendered(messages[0]))
    for m in messages:
        assert all("{" not in t for t in rendered(m))


@pytest.mark.parametrize("last, fact", [("beneficiaries_peru", "49.000"), ("organisations", "110"), (None, "49.000")])
async def test_total_follow_up(last, fact):
    messages, _ = await run(act.ActionAnswerTotal(), tracker(c.ASK_TOTAL, "y en total?", slots={c.SLOT_LAST_TOPIC: last}))
    assert fact in " ".join(t for m in messages for t in rendered(m))


async def test_source_follow_up_quotes_last_answer():
    _, events = await run(act.ActionAnswerFact(), tracker(c.ASK_PERU_SHARE))
    slots = {e["name"]: e["value"] for e in events}
    messages, _ = await run(act.ActionAnswerSource(), tracker(c.ASK_SOURCE, "de donde sacaste eso?", slots=slots))
    text = " ".join(rendered(messages[0]))
    assert "el 11% se encuentran en Perú" in text.replace("\n", " ")


async def test_clarify_offers_readable_topics_and_a_way_out():
    ranking = [{"name": c.NLU_FALLBACK, "confidence": 1.0}, {"name": c.ASK_SECTOR, "confidence": 0.3},
               {"name": c.GREET, "confidence": 0.2}, {"name": c.ASK_SECTORS, "confidence": 0.15},
               {"name": c.ASK_EVENT_DATES, "confidence": 0.1}, {"name": c.ASK_BUDGET, "confidence": 0.05}]
    messages, _ = await run(act.ActionClarify(), tracker(c.NLU_FALLBACK, "sectr fecha", ranking=ranking))
    buttons = messages[0]["buttons"]
    assert messages[0]["response"] == "utter_clarify"
    assert [b["payload"] for b in buttons] == ["/ask_sectors", "/ask_event_dates", "/ask_budget", "/ask_capabilities"]
    assert all("_" not in b["title"] for b in buttons) and buttons[-1]["title"] == "Otra cosa"


async def test_clarify_without_any_topic_says_the_scope():
    messages, _ = await run(act.ActionClarify(), tracker(c.NLU_FALLBACK, "jajaja", ranking=[{"name": c.GREET, "confidence": 0.4}]))
    assert messages[0]["response"] == "utter_out_of_scope"


@pytest.mark.parametrize("problem", [c.PROBLEM_EMPTY, c.PROBLEM_TOO_LONG, c.PROBLEM_NO_WORDS])
async def test_bad_input_gets_its_reply(problem):
    messages, _ = await run(act.ActionClarify(), tracker(c.NLU_FALLBACK, "", [entity(c.ENTITY_INPUT_PROBLEM, problem)]))
    assert messages[0]["response"] == f"utter_bad_input_{problem}" and rendered(messages[0])


def test_every_response_the_actions_use_exists_in_the_domain():
    used = set(re.findall(r'"(utter_\w+)"', (ROOT / "actions" / "knowledge" / "answers.py").read_text()))
    used |= {f"utter_{k}_{t}" for k in ("event_dates", "event_format", "event_activities", "new_programme") for t in ("past", "future")}
    used |= {f"utter_bad_input_{p}" for p in (c.PROBLEM_EMPTY, c.PROBLEM_TOO_LONG, c.PROBLEM_NO_WORDS)}
    assert used - {"utter_"} <= set(DOMAIN.responses)


def test_responses_hard_code_no_fact():
    """No figure of the source is written into a response: they are variables."""
    for name, variants in DOMAIN.responses.items():
        for v in variants:
            digits = re.findall(r"\d[\d.]*", v["text"].replace("AL-INVEST 5.0", ""))
            assert not digits, (name, digits)


def test_every_action_of_the_domain_is_implemented():
    names = {cls().name() for cls in (act.ActionAnswerFact, act.ActionAnswerSector, act.ActionAnswerOrganisation,
                                      act.ActionAnswerUnknown, act.ActionAnswerTotal, act.ActionAnswerSource, act.ActionClarify)}
    assert names == {n for n in DOMAIN.user_actions if n.startswith("action_")}
