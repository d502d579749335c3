"""spaCy without its entity recogniser gives the pipeline exactly what it gave before.

nlu_components/lean_spacy.py disables spaCy's ``ner``: it is read by nothing,
and if it changed a tensor, a lemma or a tag that the featurizers and the CRF
read, the intents and entities would drift.  Compared on every held-out
sentence, against spaCy as Rasa's own SpacyNLP loads it.
"""

import numpy as np
import yaml

from tests.conftest import ROOT


def heldout_sentences():
    data = yaml.safe_load((ROOT / "tests" / "nlu" / "heldout.yml").read_text(encoding="utf-8"))
    return [line[2:].strip() for block in data["nlu"] if "intent" in block
            for line in block["examples"].splitlines() if line.startswith("- ")]


def test_lean_spacy_reads_every_sentence_as_rasas_spacy_does():
    from rasa.nlu.utils.spacy_utils import SpacyNLP as RasaSpacyNLP

    from nlu_components.lean_spacy import SpacyNLP

    lean = SpacyNLP.load_model("es_core_news_sm").model
    full = RasaSpacyNLP.load_model("es_core_news_sm").model
    assert "ner" in full.pipe_names and "ner" not in lean.pipe_names
    sentences = heldout_sentences()
    assert len(sentences) > 100
    for text in sentences:
        a, b = lean(text), full(text)
        assert np.array_equal(a.tensor, b.tensor), text
        assert [(t.lemma_, t.pos_, t.tag_, t.morph.to_json()) for t in a] == [
            (t.lemma_, t.pos_, t.tag_, t.morph.to_json()) for t in b], text
        assert all(np.array_equal(x.vector, y.vector) for x, y in zip(a, b)), text
