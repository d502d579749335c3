"""Rasa's SpacyNLP without spaCy's named-entity recogniser, which nothing here reads.

Rasa loads the Spanish pipeline without its parser and runs the rest on every
message: tok2vec, morphologizer, attribute_ruler, lemmatizer and ner.  The
features our pipeline uses are the tok2vec vectors (``SpacyFeaturizer``), the
lemmas (``CountVectorsFeaturizer``) and the tags (``CRFEntityExtractor``);
spaCy's entities are read by nothing (entities come from the CRF and the
lookup lists).  The recogniser runs its own tok2vec and took more than half
of spaCy's time per message (3.0–3.9 ms of which 1.6–2.4 ms, measured on the
held-out sentences).  Without it, tensors, lemmas and tags are identical
(tests/nlu/test_lean_spacy.py).
"""

from __future__ import annotations

from typing import Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.nlu.utils.spacy_utils import SpacyNLP as RasaSpacyNLP

UNUSED_PIPES = ("ner",)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MODEL_LOADER, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=False,
    model_from="SpacyNLP",
)
class SpacyNLP(RasaSpacyNLP):
    """The same name as Rasa's on purpose: Rasa hands the loaded spaCy model to the
    tokenizer and featurizer from the node whose class is *named* ``SpacyNLP``
    (``model_from`` in ``DefaultV1Recipe._get_model_provider_needs``)."""

    @staticmethod
    def load_model(spacy_model_name: Text) -> SpacyModel:
        model = RasaSpacyNLP.load_model(spacy_model_name)
        for pipe in UNUSED_PIPES:
            if pipe in model.model.pipe_names:
                model.model.disable_pipe(pipe)
        return model
