"""The quality gate on understanding: the newest blind round through the real servers.

The round was written from the source article alone by someone who never saw
``data/`` or ``tests/`` (tests/blind/README.md).  The gate sits at the level
reached (BLIND_MIN_RIGHT, BLIND_MAX_WRONG in the Makefile) and rises with it;
the target of issue 10 is 95 % right and at most 1 % wrong.

The stack starts with REST_RATE_LIMIT=0: the rounds' cases are separate
senders, but a whole round goes through in well under a minute.
"""

import os
import re

import pytest
import yaml

from tests.blind import evaluate as ev
from tests.conftest import ROOT

# Defaults: the Makefile's (the level reached); issue 10's target is 0.95 / 0.01.
MIN_RIGHT = float(os.environ.get("BLIND_MIN_RIGHT", "0.954"))
MAX_WRONG = float(os.environ.get("BLIND_MAX_WRONG", "0.025"))
# Earlier untuned rounds keep the gate they had: a newer, harder round lowers no bar.
HELD_GATES = {"round12.yml": (0.96, 0.017), "round17.yml": (0.92, 0.059), "round18.yml": (0.962, 0.0125),
              "round19.yml": (0.929, 0.046), "round20.yml": (0.958, 0.021),
              "round21.yml": (0.979, 0.021), "round22.yml": (0.971, 0.021),
              "round23.yml": (0.958, 0.033), "round24.yml": (0.958, 0.025),
              "round25.yml": (0.938, 0.046), "round26.yml": (0.966, 0.0084),
              "round27.yml": (0.979, 0.0083), "round28.yml": (0.987, 0.0084)}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from tools.stack import Stack

    with Stack(tmp_path_factory.mktemp("blind"), env={"REST_RATE_LIMIT": "0"}) as s:
        yield s


def test_newest_round_meets_the_gate(stack, capsys):
    newest = ev.round_files()[-1]
    results = ev.evaluate(ev.load_round(newest), ev._rest_say(stack.url))
    with capsys.disabled():
        print(f"\n{newest.name}:")
        ev.report(results, ["wrong"])
    s = ev.score(results)
    assert s.total >= 200, f"{newest.name}: solo {s.total} casos"
    assert s.share("wrong") <= MAX_WRONG, f"{s.counts['wrong']} respuestas incorrectas de {s.total}"
    assert s.share("right") >= MIN_RIGHT, f"{s.counts['right']} de {s.total} bien ({100 * s.share('right'):.1f} %)"


@pytest.mark.parametrize("name, gate", HELD_GATES.items())
def test_earlier_gates_still_hold(stack, capsys, name, gate):
    path = next(p for p in ev.round_files() if p.name == name)
    results = ev.evaluate(ev.load_round(path), ev._rest_say(stack.url))
    with capsys.disabled():
        print(f"\n{name}:")
        ev.report(results, ["wrong"])
    s = ev.score(results)
    assert s.share("wrong") <= gate[1], f"{name}: {s.counts['wrong']} respuestas incorrectas de {s.total}"
    assert s.share("right") >= gate[0], f"{name}: {s.counts['right']} de {s.total} bien"


def test_markers_match_the_domain_wording():
    """The grader recognises the bot's clarification, unknown and scope replies by their words."""
    responses = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    first = {name: ev.fold(variants[0]["text"]) for name, variants in responses.items()}
    assert ev.CLARIFY_MARKER.search(first["utter_clarify"])
    assert ev.SILENT_MARKER.search(first["utter_source_silent"])
    assert ev.SILENT_MARKER.search(first["utter_sector_not_listed"])
    assert ev.SCOPE_MARKER.search(first["utter_out_of_scope"])
    for name in ("utter_bot_challenge", "utter_greet", "utter_thanks", "utter_goodbye", "utter_capabilities"):
        assert ev.SMALL_TALK_MARKER.search(first[name]), name
    # no answer of a fact looks like "the source does not say"
    facts = [n for n in first if n.startswith(("utter_beneficiaries", "utter_projects", "utter_organisations",
                                                "utter_sectors", "utter_event_dates"))]
    assert facts and not any(ev.SILENT_MARKER.search(first[n]) for n in facts)


@pytest.mark.parametrize("expect, reply, outcome", [
    ("fact", "En Perú se beneficiaron 5.375 mipymes.", "right"),
    ("fact", "En total, 49.000 mipymes.", "wrong"),
    ("fact", "La fuente no lo indica: la nota no dice nada sobre eso.", "miss"),
    ("fact", "No estoy seguro de haberte entendido. ¿Te refieres a alguno de estos temas?", "clarify"),
    ("no", "No.\nEn Perú se beneficiaron 5.375 mipymes.", "right"),
    ("no", "Sí.\nEn Perú se beneficiaron 5.375 mipymes.", "wrong"),
    ("unknown", "La fuente no lo indica: la nota no dice nada sobre eso.\nLo más cercano: 5.375", "right"),
    ("unknown", "En Perú se beneficiaron 5.375 mipymes.", "wrong"),
    ("out_of_scope", "Lo siento, solo puedo responder sobre el programa AL-INVEST 5.0.", "right"),
    ("out_of_scope", "En Perú se beneficiaron 5.375 mipymes.", "wrong"),
])
def test_grader(expect, reply, outcome):
    turn = ev.Turn("?", expect, [r"5\.?375"] if expect in ("fact", "no") else [])
    assert ev.grade_turn(turn, reply)[0] == outcome


def test_blind_sentences_are_never_training_data():
    """No question of a blind round appears in data/ (they measure; they never teach).

    Short generic questions ("¿cuántas mipymes peruanas se beneficiaron?") were
    in data/ before any round was written, and so were some longer common ones;
    a copied sentence is a long, particular one."""
    trained = set()
    for path in (ROOT / "data").rglob("*.yml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("- "):
                trained.add(ev.fold(re.sub(r"\W+", " ", line.strip()[2:])).strip())
    for path in ev.round_files():
        for case in ev.load_round(path):
            for turn in case.turns:
                words = ev.fold(re.sub(r"\W+", " ", turn.user)).strip()
                assert len(words.split()) < 12 or words not in trained, (path.name, turn.user)
