"""rasa_fixes: the action-response validator built once keeps Rasa's contract."""

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

import rasa_fixes
from rasa_fixes import action_response

VALID = [
    {},
    {"events": [], "responses": []},
    {
        "events": [{"event": "slot", "name": "last_topic", "value": "sectors", "timestamp": None}],
        "responses": [{"text": "hola", "buttons": [{"title": "Sí", "payload": "/affirm"}]}],
    },
    {"events": [{"event": "bot", "text": "x"}], "responses": [{"response": "utter_greet", "custom": {"a": 1}}]},
]
INVALID = [
    {"events": "not a list"},
    {"events": [{"name": "no event key"}]},
    {"events": [{"event": "slot", "name": 3}]},
    {"responses": {"text": "not a list"}},
    {"events": [{"event": "no_such_event"}]},
]


def _rasa_own(result):
    """What Rasa 3.6.21 itself does (jsonschema.validate on every call)."""
    jsonschema.validate(result, RemoteAction.action_response_format_spec())


@pytest.fixture(scope="module")
def action():
    assert rasa_fixes.install() is True
    assert action_response.install() is True  # idempotent
    return RemoteAction("action_answer_fact", None)


def test_installed_on_this_rasa(action):
    assert RemoteAction._validate_action_result.__module__ == action_response.__name__


@pytest.mark.parametrize("result", VALID)
def test_valid_replies_pass_as_before(action, result):
    _rasa_own(result)
    assert action._validate_action_result(result) is True


@pytest.mark.parametrize("result", INVALID)
def test_invalid_replies_are_refused_with_the_same_error(action, result):
    with pytest.raises(jsonschema.ValidationError) as rasa_error:
        _rasa_own(result)
    with pytest.raises(jsonschema.ValidationError) as ours:
        action._validate_action_result(result)
    assert ours.value.message.startswith(rasa_error.value.message)
    assert "Failed to validate Action server response" in ours.value.message
    assert list(ours.value.path) == list(rasa_error.value.path)


def test_other_rasa_versions_keep_their_own(monkeypatch):
    import rasa

    monkeypatch.setattr(action_response, "_installed", False)
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    original = RemoteAction._validate_action_result
    assert action_response.install() is False
    assert RemoteAction._validate_action_result is original
