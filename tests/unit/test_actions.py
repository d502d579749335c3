"""Every action, through rasa-sdk's dispatcher and tracker, with the real domain."""

import re

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import actions as act
from actions import constants as c
from tests.conftest import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
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
async def test_every_fact_intent_answers_from_its_button(intent):
    """A button's payload ("/ask_sectors") is the user's choice: its fact, whatever the text reads."""
    messages, events = await run(act.ActionAnswer(), tracker(intent, "/" + intent))
    key = c.INTENT_TOPICS[intent]
    assert messages[0]["response"].startswith(f"utter_{key}")
    assert {"event": "slot", "name": c.SLOT_LAST_TOPIC, "value": key, "timestamp": None} in events
    assert any(e["name"] == c.SLOT_LAST_SOURCES and e["value"] for e in events)
    for m in messages:
        assert all("{" not in text for text in rendered(m))


@pytest.mark.parametrize(
    "intent, text, slots, responses, fact",
    [
        (c.ASK_SECTOR, "participo el sector textil?", {}, ["utter_sector_listed"], "textil"),
        (c.ASK_SECTOR, "y la mineria?", {c.SLOT_LAST_TOPIC: "sectors"}, ["utter_sector_not_listed"], "mineria"),
        (c.ASK_ORGANISATION, "y que es adex?", {}, ["utter_organisation"], "Asociación de Exportadores"),
        (
            c.ASK_OTHER_COUNTRY,
            "y en bolivia?",
            {c.SLOT_LAST_TOPIC: "beneficiaries_peru"},
            ["utter_source_silent"],
            "Bolivia",
        ),
        (c.ASK_BUDGET, "cual fue el presupuesto", {}, ["utter_source_silent"], "presupuesto"),
        (c.ASK_PROJECTS, "¿fueron 8 proyectos, verdad?", {}, ["utter_verdict_no", "utter_projects"], "6"),
        (c.ASK_DURATION, "o sea que duro 4 años?", {}, ["utter_verdict_yes", "utter_duration"], "4"),
        (
            c.ASK_BENEFICIARIES_PERU,
            "cuantas en peru y cuantas en total?",
            {},
            ["utter_beneficiaries_peru", "utter_beneficiaries_total"],
            "49.000",
        ),
        (
            c.ASK_TOTAL,
            "y en total?",
            {c.SLOT_LAST_TOPIC: "beneficiaries_peru"},
            ["utter_beneficiaries_total"],
            "49.000",
        ),
        (c.ASK_TOTAL, "y en total?", {c.SLOT_LAST_TOPIC: "organisations"}, ["utter_institutions"], "110"),
        (
            c.ASK_EVENT_DATES,
            "y el primero de esos dias?",
            {c.SLOT_LAST_TOPIC: "event_dates"},
            ["utter_list_item"],
            "10 de noviembre",
        ),
        (
            c.GREET,
            "hola, soy periodista. cuantas mipymes peruanas se beneficiaron? gracias",
            {},
            ["utter_beneficiaries_peru"],
            "5.375",
        ),
    ],
)
async def test_answer_reads_the_question(intent, text, slots, responses, fact):
    messages, _ = await run(act.ActionAnswer(), tracker(intent, text, slots=slots))
    assert [m["response"] for m in messages][: len(responses)] == responses
    said = " ".join(t for m in messages for t in rendered(m))
    assert fact in said
    assert "{" not in said


async def test_source_follow_up_quotes_last_answer():
    _, events = await run(act.ActionAnswer(), tracker(c.ASK_PERU_SHARE, "que porcentaje de las mipymes esta en peru"))
    slots = {e["name"]: e["value"] for e in events}
    messages, _ = await run(act.ActionAnswer(), tracker(c.ASK_SOURCE, "de donde sacaste eso?", slots=slots))
    text = " ".join(rendered(messages[0]))
    assert "el 11% se encuentran en Perú" in text.replace("\n", " ")


@pytest.mark.parametrize(
    "intent, text, response",
    [
        (c.GREET, "hola", "utter_greet"),
        (c.THANKS, "muchas gracias", "utter_thanks"),
        (c.ASK_DURATION, "cuanto dura un vuelo a bruselas", "utter_out_of_scope"),
        (c.OUT_OF_SCOPE, "como me inscribo al curso de ingles", "utter_out_of_scope"),
        (c.ASK_PROGRAMME, "asdfgh qwerty", "utter_out_of_scope"),
        (c.ASK_TOTAL, "jajaja qué aburrido todo hoy", "utter_out_of_scope"),
    ],
)
async def test_small_talk_and_other_subjects_get_no_fact(intent, text, response):
    messages, events = await run(act.ActionAnswer(), tracker(intent, text))
    assert [m["response"] for m in messages] == [response] and events == []


async def test_clarify_offers_readable_topics_and_a_way_out():
    ranking = [
        {"name": c.NLU_FALLBACK, "confidence": 1.0},
        {"name": c.ASK_SECTOR, "confidence": 0.3},
        {"name": c.GREET, "confidence": 0.2},
        {"name": c.ASK_SECTORS, "confidence": 0.15},
        {"name": c.ASK_EVENT_DATES, "confidence": 0.1},
        {"name": c.ASK_BUDGET, "confidence": 0.05},
    ]
    buttons = act.clarification_buttons(ranking)
    assert [b["payload"] for b in buttons] == ["/ask_sectors", "/ask_event_dates", "/ask_budget", "/ask_capabilities"]
    assert all("_" not in b["title"] for b in buttons) and buttons[-1]["title"] == "Otra cosa"


@pytest.mark.parametrize(
    "text, response",
    [
        ("y eso cuanto es", "utter_clarify"),  # a question of ours without its subject: ask back
        ("cuanto es 18 por 11", "utter_out_of_scope"),  # figures of another subject
        ("asdfgh", "utter_out_of_scope"),
    ],
)
async def test_nothing_read_asks_back_or_gives_the_scope_never_a_guessed_fact(text, response):
    ranking = [{"name": c.NLU_FALLBACK, "confidence": 1.0}, {"name": c.ASK_SECTORS, "confidence": 0.3}]
    messages, events = await run(act.ActionAnswer(), tracker(c.NLU_FALLBACK, text, ranking=ranking))
    assert [m["response"] for m in messages] == [response] and events == []
    if response == "utter_clarify":
        assert messages[0]["buttons"][0]["payload"] == "/ask_sectors"


@pytest.mark.parametrize("problem", [c.PROBLEM_EMPTY, c.PROBLEM_TOO_LONG, c.PROBLEM_NO_WORDS])
async def test_bad_input_gets_its_reply(problem):
    messages, _ = await run(act.ActionAnswer(), tracker(c.NLU_FALLBACK, "", [entity(c.ENTITY_INPUT_PROBLEM, problem)]))
    assert messages[0]["response"] == f"utter_bad_input_{problem}" and rendered(messages[0])


def test_every_response_the_actions_use_exists_in_the_domain():
    used = set(re.findall(r'"(utter_\w+)"', (ROOT / "actions" / "knowledge" / "answers.py").read_text()))
    used |= {
        f"utter_{k}_{t}"
        for k in ("event_dates", "event_format", "event_activities", "new_programme")
        for t in ("past", "future")
    }
    used |= {f"utter_bad_input_{p}" for p in (c.PROBLEM_EMPTY, c.PROBLEM_TOO_LONG, c.PROBLEM_NO_WORDS)}
    assert used - {"utter_"} <= set(DOMAIN.responses)


def test_responses_hard_code_no_fact():
    """No figure of the source is written into a response: they are variables."""
    for name, variants in DOMAIN.responses.items():
        for v in variants:
            digits = re.findall(r"\d[\d.]*", v["text"].replace("AL-INVEST 5.0", ""))
            assert not digits, (name, digits)


def test_every_action_of_the_domain_is_implemented():
    names = {act.ActionAnswer().name()}
    assert names == {n for n in DOMAIN.user_actions if n.startswith("action_")}
