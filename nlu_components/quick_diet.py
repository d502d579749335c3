"""Rasa's DIETClassifier, loaded without the training step Rasa runs to build it.

To load a DIET model, Rasa 3.6 (``RasaModel.load``) compiles it, runs
``fit`` on one example so that every weight exists, and only then reads the
trained weights over them.  Tracing that training step (forward pass, loss,
gradients, the optimizer) took 8–9 of the 16 s `rasa run` needed to answer
its first message (py-spy, docs/scaling.md).

A TensorFlow checkpoint does not need the weights to exist first: read into
a model not yet built, each weight is restored the moment a layer creates it.
So this class reads the checkpoint first and then runs the one prediction
Rasa runs anyway to trace its prediction graph; that pass creates the
prediction's weights, which come out of the checkpoint as they are created.
What only training uses (the optimizer's state) is never built and is left
in the file (``expect_partial``).

Training is Rasa's own, unchanged: the same data and seed give the same
weights.  Fine-tuning (``rasa train --finetune``) needs the training step,
so it goes through Rasa's load.  tests/nlu/test_quick_diet.py checks that
both loads give the same intent ranking, confidences included.
"""

from __future__ import annotations

from typing import Any, Optional, Text, Type

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel


class QuickLoadDIET(DIET):
    @classmethod
    def load(
        cls,
        model_file_name: Text,
        model_data_example: RasaModelData,
        predict_data_example: Optional[RasaModelData] = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> RasaModel:
        if finetune_mode or predict_data_example is None:
            return super().load(model_file_name, model_data_example, predict_data_example, finetune_mode,
                                *args, **kwargs)
        model = cls(*args, **kwargs)
        # Deferred restoration: weights are assigned from the checkpoint as the
        # prediction pass below creates them.  The optimizer's slots are unused.
        model.load_weights(model_file_name).expect_partial()
        model.run_inference(predict_data_example)
        return model


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=True,
)
class QuickLoadDIETClassifier(DIETClassifier):
    """DIETClassifier whose model loads with ``QuickLoadDIET`` (same config, same training)."""

    @staticmethod
    def model_class() -> Type[RasaModel]:
        return QuickLoadDIET
