"""The one answering action: read the question, ask the knowledge, say the answer.

Every user message except a rating comes here (data/rules/).  The order of
what decides the reply:

1. input the guard flagged (empty, over-long, no words): its polite reply;
2. what ``actions.understanding`` reads in the text: one answer per question
   of the message, a checked premise, or the honest unknown;
3. when it reads nothing, the intent the NLU model predicted: small talk,
   "¿de dónde sacaste eso?", "¿y en total?" (a button's payload is the user's
   choice and is answered as such);
4. otherwise: ask back with the likeliest topics ("¿cuántas?"), or the scope
   answer.  The model's intent alone never states a fact: a fact needs the
   question, or the conversation, to name its subject.

Every figure, name, sector and date comes from ``actions.knowledge``; the
wording comes from the domain's responses.  Each answer sets ``last_topic`` and
``last_sources`` so that follow-ups and "¿de dónde sacaste eso?" know what the
bot just said.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import constants as c
from actions.knowledge import answers, get_store
from actions.knowledge.answers import Answer, Message
from actions.understanding import Understanding, understand

# Small talk the NLU model recognises: its response, said as it is.
SMALL_TALK = {
    c.GREET: "utter_greet",
    c.GOODBYE: "utter_goodbye",
    c.THANKS: "utter_thanks",
    c.BOT_CHALLENGE: "utter_bot_challenge",
    c.ASK_CAPABILITIES: "utter_capabilities",
    c.OUT_OF_SCOPE: "utter_out_of_scope",
    c.OTHER_LANGUAGE: "utter_other_language",
}
# Intents never offered as a clarification: they are not topics.
_NOT_TOPICS = {c.NLU_FALLBACK, c.GREET, c.GOODBYE, c.THANKS, c.BOT_CHALLENGE, c.OUT_OF_SCOPE, c.OTHER_LANGUAGE,
               c.ASK_SOURCE, c.ASK_TOTAL, c.ASK_CAPABILITIES, c.RATE}
# An entity intent without its entity: offer the list instead.
_BUTTON_PAYLOAD = {c.ASK_SECTOR: c.ASK_SECTORS, c.ASK_ORGANISATION: c.ASK_ORGANISATIONS}
MAX_SUGGESTIONS = 3


def _say(dispatcher: CollectingDispatcher, answer: Answer) -> List[Dict[Text, Any]]:
    _utter(dispatcher, answer.messages)
    return [SlotSet(c.SLOT_LAST_TOPIC, answer.topic), SlotSet(c.SLOT_LAST_SOURCES, list(answer.sources))]


def _utter(dispatcher: CollectingDispatcher, messages, **extra) -> None:
    for message in messages:
        dispatcher.utter_message(response=message.response, **message.variables, **extra)


def _entity(tracker: Tracker, entity: Text) -> Optional[Text]:
    """The entity of this message (not an old slot value): follow-ups name it again."""
    return next(tracker.get_latest_entity_values(entity), None)


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


def by_intent(tracker: Tracker, intent: Optional[Text]) -> Optional[Answer]:
    """The answer the predicted intent stands for (buttons' payloads, and the model's guess)."""
    k = get_store().knowledge
    text = tracker.latest_message.get("text") or ""
    if intent in (c.ASK_SECTOR, c.ASK_SECTORS) and (_entity(tracker, c.ENTITY_SECTOR) or intent == c.ASK_SECTOR):
        return answers.sector(k, _entity(tracker, c.ENTITY_SECTOR), text)
    if intent in (c.ASK_ORGANISATION, c.ASK_ORGANISATIONS) and (
        _entity(tracker, c.ENTITY_ORGANISATION) or intent == c.ASK_ORGANISATION
    ):
        return answers.organisation(k, _entity(tracker, c.ENTITY_ORGANISATION), text)
    if intent in c.UNKNOWN_INTENTS:
        country = _entity(tracker, c.ENTITY_COUNTRY) if intent == c.ASK_OTHER_COUNTRY else None
        return answers.unknown(k, intent, country)
    if intent == c.ASK_TOTAL:
        return answers.total(k, tracker.get_slot(c.SLOT_LAST_TOPIC))
    key = c.INTENT_TOPICS.get(intent or "")
    return answers.answer(k, key) if key else None


def _previous_text(tracker: Tracker) -> Optional[Text]:
    """The user's message before this one: an ellipsis ("¿y la CCL?") asks what it asked."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    return (users[-2].get("text") or None) if len(users) > 1 else None


def _ask_back(u: Understanding, text: Text, intent: Optional[Text]) -> bool:
    """Nothing answered: ask back when the message is a question of ours without its subject
    ("¿cuántas?"); give the scope answer when it holds figures or words of another subject."""
    if all(re.fullmatch(r"(\w)\1+", w) for w in re.findall(r"\w+", text)):  # "qqqqqqq", "kkkk ññññ"
        return False
    if any(f.things for f in u.frames):
        return True
    if (
        u.foreign
        or any(ch.isdigit() for ch in text)
        or len(text.split()) > 4
        or re.search(
            r"(?i)\b(mes|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\b",
            text,
        )
    ):
        return False
    # Random letters, laughter ("jajaja"): nothing of a question, the scope answer.
    return any(f.asked for f in u.frames)


class ActionAnswer(Action):
    def name(self) -> Text:
        return c.ACTION_ANSWER

    async def run(self, dispatcher, tracker, domain):
        problem = _entity(tracker, c.ENTITY_INPUT_PROBLEM)
        if problem:  # empty, over-long or word-less: nothing to read
            dispatcher.utter_message(response=f"utter_bad_input_{problem}")
            return []
        intent_info = tracker.latest_message.get("intent") or {}
        intent = intent_info.get("name")
        text = tracker.latest_message.get("text") or ""
        if text.startswith("/"):  # a button's payload: the intent is the user's choice
            return self._by_intent_or_clarify(dispatcher, tracker, intent)
        k = get_store().knowledge
        u = understand(text, k, tracker.get_slot(c.SLOT_LAST_TOPIC), intent=intent, previous=_previous_text(tracker))
        if u.english:
            dispatcher.utter_message(response="utter_other_language")
            return []
        if u.off_topic or (u.answer is None and u.foreign and intent in (c.OUT_OF_SCOPE, c.OTHER_LANGUAGE)):
            dispatcher.utter_message(response="utter_other_language" if intent == c.OTHER_LANGUAGE
                                     else "utter_out_of_scope")
            return []
        if u.answer is not None:
            return _say(dispatcher, u.answer)
        if u.asks_source or intent == c.ASK_SOURCE:
            return self._source(dispatcher, tracker)
        if intent in SMALL_TALK:
            dispatcher.utter_message(response=SMALL_TALK[intent])
            return []
        if intent == c.ASK_TOTAL and any(f.total for f in u.frames):  # not "jajaja qué aburrido todo hoy"
            return _say(dispatcher, by_intent(tracker, intent))
        if _ask_back(u, text, intent):
            return self._clarify(dispatcher, tracker)
        dispatcher.utter_message(response="utter_out_of_scope")
        return []

    def _by_intent_or_clarify(self, dispatcher, tracker, intent):
        if intent in SMALL_TALK:
            dispatcher.utter_message(response=SMALL_TALK[intent])
            return []
        if intent == c.ASK_SOURCE:
            return self._source(dispatcher, tracker)
        answer = by_intent(tracker, intent)
        return _say(dispatcher, answer) if answer is not None else self._clarify(dispatcher, tracker)

    @staticmethod
    def _source(dispatcher, tracker):
        """"¿De dónde sacaste eso?": the article's title and the sentences of the last answer."""
        k = get_store().knowledge
        topic, sources = tracker.get_slot(c.SLOT_LAST_TOPIC), tracker.get_slot(c.SLOT_LAST_SOURCES) or []
        _utter(dispatcher, answers.source(k, topic, sources))
        return []

    @staticmethod
    def _clarify(dispatcher, tracker):
        """Offer the two or three likeliest topics, the conversation's own first; with none, say what
        the assistant covers."""
        ranking = list(tracker.latest_message.get("intent_ranking") or [])
        last = c.TOPIC_INTENTS.get(tracker.get_slot(c.SLOT_LAST_TOPIC))
        if last:
            ranking.insert(0, {"name": last, "confidence": 1.0})
        buttons = clarification_buttons(ranking)
        if len(buttons) == 1:
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        dispatcher.utter_message(response="utter_clarify", buttons=buttons)
        return []


__all__ = ["ActionAnswer", "Message", "by_intent", "clarification_buttons"]
