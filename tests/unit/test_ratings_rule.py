"""Which bot messages may be rated (docs/ratings.md): answers, nothing else."""

from pathlib import Path

import re

import pytest
import yaml

from actions.constants import UNRATED_RESPONSES, is_rateable_response

ROOT = Path(__file__).resolve().parents[2]


def domain_responses():
    names = set()
    for path in [ROOT / "domain.yml"]:
        names |= set((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {})
    return names


def test_every_unrated_name_is_a_response_of_the_domain():
    # A renamed response would otherwise silently become rateable.
    assert UNRATED_RESPONSES <= domain_responses()


@pytest.mark.parametrize("name", sorted(UNRATED_RESPONSES))
def test_small_talk_clarifications_and_bad_input_are_not_rated(name):
    assert not is_rateable_response(name)


@pytest.mark.parametrize(
    "name", ["utter_beneficiaries_peru", "utter_sector_not_listed", "utter_nearest_fact", "utter_source_quote"]
)
def test_answers_are_rated(name):
    assert is_rateable_response(name)


@pytest.mark.parametrize("name", [None, "", 3, "action_answer_fact"])
def test_no_response_name_is_not_rated(name):
    # e.g. the channel's own "No puedo consultar los datos…"
    assert not is_rateable_response(name)


def test_rateable_responses_are_exactly_the_answers_of_the_knowledge_layer():
    responses = set(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"])
    answers = (ROOT / "actions" / "knowledge" / "answers.py").read_text(encoding="utf-8")
    made_by_answers = set(re.findall(r'"(utter_\w+)"', answers)) | {
        n
        for n in responses
        if re.match(r"utter_(event_dates|event_format|event_activities|new_programme)_(past|future)$", n)
    }
    rateable = {name for name in responses if is_rateable_response(name)}
    assert rateable == made_by_answers & responses
