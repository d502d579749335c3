"""Checks of the NLU training data (data/nlu/) and the held-out set.

Plain pytest, no Rasa server and no model: the YAML is parsed with Rasa's own
loader, so a broken annotation fails here before it fails a training run.

- the held-out set (tests/nlu/heldout.yml) never overlaps the training data,
  compared after lowercasing and removing accents and punctuation;
- every held-out intent is trained;
- every intent of actions/constants.py is trained (except the ones the
  pipeline produces) and no trained intent is missing from it;
- every intent has at least MIN_EXAMPLES distinct training examples;
- entity values are canonical (lowercase, no accents) and the country entity
  is never Peru.
"""

from __future__ import annotations

import ast
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from rasa.shared.nlu.training_data.loading import load_data

from actions import constants
from actions.knowledge.spanish import fold

REPO_ROOT = Path(__file__).resolve().parents[2]

TRAINING_DIR = REPO_ROOT / "data" / "nlu"
HELDOUT_FILE = REPO_ROOT / "tests" / "nlu" / "heldout.yml"
CONSTANTS_FILE = REPO_ROOT / "actions" / "constants.py"

MIN_EXAMPLES = 20
MIN_HELDOUT_EXAMPLES = 8
# Produced by the pipeline (FallbackClassifier, InputGuard), never trained.
PIPELINE_INTENTS = {constants.NLU_FALLBACK}
# Sent only as payloads (/rate{...}); their examples only satisfy the validator.
PAYLOAD_INTENTS = {constants.RATE}


def normalize(text: str) -> str:
    """Lowercase, strip accents and punctuation, collapse whitespace (``_`` counts as punctuation)."""
    return " ".join(fold(text).replace("_", " ").split())


def constant_intents() -> set:
    """Values of the names assigned in the "Intents" section of constants.py.

    The section runs from the ``# --- Intents`` comment to the next
    ``# ---`` comment; each name is read back from the imported module, so
    the test sees exactly what the actions see.  Groupings of intents
    (tuples, dicts) in the section are skipped.
    """
    lines = CONSTANTS_FILE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, ln in enumerate(lines, 1) if ln.startswith("# --- Intents"))
    end = next(
        (i for i, ln in enumerate(lines, 1) if i > start and ln.startswith("# ---")),
        len(lines) + 1,
    )
    names = []
    for node in ast.parse("\n".join(lines)).body:
        if isinstance(node, ast.Assign) and start < node.lineno < end:
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
    # Only the plain string names: the section also holds groupings of them
    # (FACT_INTENTS, UNKNOWN_INTENTS, TOPIC_TITLES...).
    values = [getattr(constants, name, None) for name in names]
    intents = {v for v in values if isinstance(v, str)}
    assert intents, "no intent found in the Intents section of actions/constants.py"
    return intents


@pytest.fixture(scope="module")
def training():
    return load_data(str(TRAINING_DIR))


@pytest.fixture(scope="module")
def heldout():
    return load_data(str(HELDOUT_FILE))


def _by_intent(data):
    examples = defaultdict(list)
    for ex in data.training_examples:
        examples[ex.get("intent")].append(ex.get("text"))
    return examples


def test_files_load(training, heldout):
    assert training.training_examples, "data/nlu/ has no NLU example"
    assert heldout.training_examples, "tests/nlu/heldout.yml has no example"
    for data in (training, heldout):
        for ex in data.training_examples:
            assert ex.get("intent"), f"example without intent: {ex.get('text')!r}"


def test_no_overlap_between_training_and_heldout(training, heldout):
    trained = {normalize(ex.get("text")): ex.get("intent") for ex in training.training_examples}
    overlap = sorted(
        (ex.get("text"), ex.get("intent"), trained[normalize(ex.get("text"))])
        for ex in heldout.training_examples
        if normalize(ex.get("text")) in trained
    )
    assert not overlap, f"held-out examples also in training (text, held-out intent, trained intent): {overlap}"


def test_no_conflicting_training_examples(training):
    intents_of = defaultdict(set)
    for ex in training.training_examples:
        intents_of[normalize(ex.get("text"))].add(ex.get("intent"))
    conflicts = {t: sorted(i) for t, i in intents_of.items() if len(i) > 1}
    assert not conflicts, f"same text under several intents: {conflicts}"


def test_every_heldout_intent_is_trained(training, heldout):
    missing = set(heldout.intents) - set(training.intents)
    assert not missing, f"held-out intents with no training data: {sorted(missing)}"


def test_every_intent_has_enough_training_examples(training):
    counts = {intent: len({normalize(t) for t in texts}) for intent, texts in _by_intent(training).items()}
    too_few = {intent: n for intent, n in counts.items() if n < MIN_EXAMPLES and intent not in PAYLOAD_INTENTS}
    assert not too_few, f"intents with fewer than {MIN_EXAMPLES} distinct examples: {too_few}"


def test_every_constant_intent_is_trained(training):
    expected = constant_intents() - PIPELINE_INTENTS
    missing = expected - set(training.intents)
    assert not missing, f"intents of actions/constants.py with no training data: {sorted(missing)}"


def test_only_known_intents_are_trained(training, heldout):
    known = constant_intents()
    for data, name in ((training, "data/nlu"), (heldout, "tests/nlu/heldout.yml")):
        unknown = set(data.intents) - known
        assert not unknown, f"{name} uses intents not in actions/constants.py: {sorted(unknown)}"
        produced = set(data.intents) & PIPELINE_INTENTS
        assert not produced, f"{name} trains pipeline-only intents: {sorted(produced)}"


def test_heldout_covers_every_trained_intent(training, heldout):
    counts = Counter(ex.get("intent") for ex in heldout.training_examples)
    thin = {
        i: counts.get(i, 0)
        for i in training.intents
        if counts.get(i, 0) < MIN_HELDOUT_EXAMPLES and i not in PAYLOAD_INTENTS
    }
    assert not thin, f"intents with fewer than {MIN_HELDOUT_EXAMPLES} held-out examples: {thin}"


def test_entity_values_are_canonical(training, heldout):
    known_entities = {
        constants.ENTITY_SECTOR,
        constants.ENTITY_ORGANISATION,
        constants.ENTITY_COUNTRY,
        constants.ENTITY_RATING,
    }
    for data in (training, heldout):
        for ex in data.training_examples:
            for ent in ex.get("entities") or []:
                value = str(ent["value"])
                assert ent["entity"] in known_entities, (ex.get("text"), ent)
                assert value == normalize(value), f"non-canonical value {value!r} in {ex.get('text')!r}"
                if ent["entity"] == constants.ENTITY_COUNTRY:
                    assert value not in {"peru"}, f"Peru annotated as another country: {ex.get('text')!r}"
    for source, target in training.entity_synonyms.items():
        assert target == normalize(target), f"synonym {source!r} -> non-canonical {target!r}"
