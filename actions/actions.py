"""Thin Rasa actions: read the tracker, ask the knowledge layer, say the answer.

Every figure, name, sector and date comes from ``actions.knowledge``; the
wording comes from the domain's responses, filled with the answer's variables.
Each answer also sets ``last_topic`` and ``last_sources`` so that "¿y en
total?" and "¿de dónde sacaste eso?" know what the bot just said.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import constants as c
from actions.knowledge import answers, get_store
from actions.knowledge.answers import Answer


def _say(dispatcher: CollectingDispatcher, answer: Answer) -> List[Dict[Text, Any]]:
    for message in answer.messages:
        dispatcher.utter_message(response=message.response, **message.variables)
    return [SlotSet(c.SLOT_LAST_TOPIC, answer.topic), SlotSet(c.SLOT_LAST_SOURCES, list(answer.sources))]


def _intent(tracker: Tracker) -> Optional[Text]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def _entity(tracker: Tracker, entity: Text) -> Optional[Text]:
    """The entity of this message (not an old slot value): follow-ups name it again."""
    return next(tracker.get_latest_entity_values(entity), None)


def _text(tracker: Tracker) -> Text:
    return tracker.latest_message.get("text") or ""


class ActionAnswerFact(Action):
    """One fact per intent (constants.FACT_INTENTS)."""

    def name(self) -> Text:
        return c.ACTION_ANSWER_FACT

    async def run(self, dispatcher, tracker, domain):
        k = get_store().knowledge
        intent = _intent(tracker)
        # A list question that names one item is about that item.
        if intent == c.ASK_SECTORS and _entity(tracker, c.ENTITY_SECTOR):
            return _say(dispatcher, answers.sector(k, _entity(tracker, c.ENTITY_SECTOR), _text(tracker)))
        if intent == c.ASK_ORGANISATIONS and _entity(tracker, c.ENTITY_ORGANISATION):
            return _say(dispatcher, answers.organisation(k, _entity(tracker, c.ENTITY_ORGANISATION), _text(tracker)))
        key = answers.INTENT_ANSWERS.get(intent)
        if key is None:  # a rule sent another intent here: do not guess
            dispatcher.utter_message(response="utter_capabilities")
            return []
        return _say(dispatcher, answers.answer(k, key))


class ActionAnswerSector(Action):
    def name(self) -> Text:
        return c.ACTION_ANSWER_SECTOR

    async def run(self, dispatcher, tracker, domain):
        k = get_store().knowledge
        return _say(dispatcher, answers.sector(k, _entity(tracker, c.ENTITY_SECTOR), _text(tracker)))


class ActionAnswerOrganisation(Action):
    def name(self) -> Text:
        return c.ACTION_ANSWER_ORGANISATION

    async def run(self, dispatcher, tracker, domain):
        k = get_store().knowledge
        return _say(dispatcher, answers.organisation(k, _entity(tracker, c.ENTITY_ORGANISATION), _text(tracker)))


class ActionAnswerUnknown(Action):
    """What the source does not say: say so, then the nearest known fact."""

    def name(self) -> Text:
        return c.ACTION_ANSWER_UNKNOWN

    async def run(self, dispatcher, tracker, domain):
        k = get_store().knowledge
        return _say(dispatcher, answers.unknown(k, _intent(tracker) or "", _entity(tracker, c.ENTITY_COUNTRY)))


class ActionAnswerTotal(Action):
    """"¿Y en total?": the total of what the last answer was about."""

    def name(self) -> Text:
        return c.ACTION_ANSWER_TOTAL

    async def run(self, dispatcher, tracker, domain):
        k = get_store().knowledge
        return _say(dispatcher, answers.total(k, tracker.get_slot(c.SLOT_LAST_TOPIC)))


class ActionAnswerSource(Action):
    """"¿De dónde sacaste eso?": the article's title and the sentences quoted."""

    def name(self) -> Text:
        return c.ACTION_ANSWER_SOURCE

    async def run(self, dispatcher, tracker, domain):
        k = get_store().knowledge
        for message in answers.source(k, tracker.get_slot(c.SLOT_LAST_TOPIC), tracker.get_slot(c.SLOT_LAST_SOURCES) or []):
            dispatcher.utter_message(response=message.response, **message.variables)
        return []


# Intents never offered as a clarification: they are not topics.
_NOT_TOPICS = {c.NLU_FALLBACK, c.GREET, c.GOODBYE, c.THANKS, c.BOT_CHALLENGE, c.OUT_OF_SCOPE, c.OTHER_LANGUAGE, c.ASK_SOURCE, c.ASK_TOTAL, c.ASK_CAPABILITIES, c.RATE}
# An entity intent without its entity: offer the list instead.
_BUTTON_PAYLOAD = {c.ASK_SECTOR: c.ASK_SECTORS, c.ASK_ORGANISATION: c.ASK_ORGANISATIONS}
MAX_SUGGESTIONS = 3


def clarification_buttons(ranking: List[Dict[Text, Any]]) -> List[Dict[Text, Text]]:
    """The likeliest topics as buttons with readable titles, plus 'Otra cosa'."""
    buttons, titles = [], set()
    for entry in ranking:
        intent = entry.get("name")
        if intent in _NOT_TOPICS or intent not in c.TOPIC_TITLES:
            continue
        title = c.TOPIC_TITLES[intent]
        if title in titles:
            continue
        titles.add(title)
        buttons.append({"title": title, "payload": "/" + _BUTTON_PAYLOAD.get(intent, intent)})
        if len(buttons) == MAX_SUGGESTIONS:
            break
    buttons.append({"title": "Otra cosa", "payload": c.SOMETHING_ELSE_PAYLOAD})
    return buttons


class ActionClarify(Action):
    """Low NLU confidence: offer the two or three likeliest topics.

    Also answers what the input guard flagged (empty, too long, no words).
    """

    def name(self) -> Text:
        return c.ACTION_CLARIFY

    async def run(self, dispatcher, tracker, domain):
        problem = _entity(tracker, c.ENTITY_INPUT_PROBLEM)
        if problem:  # empty, over-long or word-less: nothing to clarify
            dispatcher.utter_message(response=f"utter_bad_input_{problem}")
            return []
        ranking = tracker.latest_message.get("intent_ranking") or []
        buttons = clarification_buttons(ranking)
        if len(buttons) == 1:  # nothing plausible: say what we can do
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        dispatcher.utter_message(response="utter_clarify", buttons=buttons)
        return []

