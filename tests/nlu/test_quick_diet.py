"""The trained model gives the same intents whether DIET is loaded quickly or as Rasa loads it.

nlu_components/quick_diet.py skips the training step Rasa runs when it loads
a DIET model and restores the weights as the prediction pass creates them.
If any weight were left at its random start, the rankings would differ: here
both loads parse every held-out sentence, and the ranking (names and
confidences) must be the same.
"""

import asyncio

import yaml

from tests.conftest import ROOT

MODEL = ROOT / "models" / "al-invest.tar.gz"


def heldout_sentences():
    data = yaml.safe_load((ROOT / "tests" / "nlu" / "heldout.yml").read_text(encoding="utf-8"))
    return [line[2:].strip() for block in data["nlu"] if "intent" in block
            for line in block["examples"].splitlines() if line.startswith("- ")]


def rankings(monkeypatch, quick: bool):
    from rasa.core.agent import Agent
    from rasa.nlu.classifiers.diet_classifier import DIET

    from nlu_components.quick_diet import QuickLoadDIET, QuickLoadDIETClassifier

    with monkeypatch.context() as m:
        m.setattr(QuickLoadDIETClassifier, "model_class", staticmethod(lambda: QuickLoadDIET if quick else DIET))
        agent = Agent.load(str(MODEL))

    async def parse_all():
        out = {}
        for text in heldout_sentences():
            parsed = await agent.parse_message(text)
            out[text] = [(i["name"], round(i["confidence"], 4)) for i in parsed["intent_ranking"]]
        return out

    return asyncio.run(parse_all())


def test_quick_load_ranks_intents_as_rasas_load(monkeypatch):
    assert MODEL.exists(), "no trained model: make train"
    quick, stock = rankings(monkeypatch, True), rankings(monkeypatch, False)
    assert len(quick) > 100
    differ = {t: (quick[t][:2], stock[t][:2]) for t in quick if quick[t] != stock[t]}
    assert not differ, f"{len(differ)} frases con otro ranking: {list(differ.items())[:3]}"
