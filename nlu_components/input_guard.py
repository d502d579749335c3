"""Flag messages that cannot be read as a question, before anything acts on them.

Placed last in the pipeline, it overrides the classifiers for: empty or
whitespace-only text, text longer than ``max_chars`` (not processed as is), and
text with no letters at all (only emoji, digits or punctuation).  Such a message
gets intent ``nlu_fallback`` with confidence 1 and an ``input_problem`` entity
(empty / too_long / no_words); ``action_answer`` answers each kindly in Spanish.
Everything else passes through untouched.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from actions.constants import (
    ENTITY_INPUT_PROBLEM,
    NLU_FALLBACK,
    PROBLEM_EMPTY,
    PROBLEM_NO_WORDS,
    PROBLEM_TOO_LONG,
)

DEFAULT_MAX_CHARS = 600


def input_problem(text: Optional[Text], max_chars: int) -> Optional[Text]:
    """What is wrong with ``text`` as a question, or None when nothing is."""
    if text is None or not text.strip():
        return PROBLEM_EMPTY
    if len(text) > max_chars:
        return PROBLEM_TOO_LONG
    if not any(ch.isalpha() for ch in text):
        return PROBLEM_NO_WORDS
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class InputGuard(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"max_chars": DEFAULT_MAX_CHARS}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.max_chars = int(config.get("max_chars", DEFAULT_MAX_CHARS))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "InputGuard":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            problem = input_problem(message.get(TEXT), self.max_chars)
            if problem is None:
                continue
            message.set(INTENT, {"name": NLU_FALLBACK, "confidence": 1.0}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [{"name": NLU_FALLBACK, "confidence": 1.0}], add_to_output=True)
            entity = {
                "entity": ENTITY_INPUT_PROBLEM,
                "value": problem,
                "start": 0,
                "end": 0,
                "confidence_entity": 1.0,
                "extractor": "InputGuard",
            }
            message.set(ENTITIES, [entity], add_to_output=True)
        return messages
