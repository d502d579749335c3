"""One real stack (action server + rasa run) for the REST end-to-end tests."""

import re

import pytest

from tools.stack import MODEL, Stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train`")
    s = Stack(tmp_path_factory.mktemp("stack")).start()
    yield s
    s.stop()


@pytest.fixture(scope="session")
def allowed_numbers(knowledge):
    """Every number the bot may write: the knowledge file's, nothing else."""
    # The programme's name, and what the source itself says: the bot may quote
    # its title and sentences word for word ("¿de dónde sacaste eso?").
    allowed = {"5.0"}
    for quoted in (knowledge.source_title, *knowledge.sentences.values()):
        allowed |= set(re.findall(r"\d+(?:[.,]\d+)*", quoted))
    for section in (knowledge.programme, knowledge.peru):
        for fact in section.values():
            if isinstance(fact.value, int):
                allowed.add(f"{fact.value:,}".replace(",", "."))
    for d in knowledge.closing_event["dates"].value:
        allowed |= {str(d.day), str(d.year)}
    return allowed


@pytest.fixture
def no_invented_numbers(allowed_numbers):
    def check(text):
        found = set(re.findall(r"\d+(?:[.,]\d+)*", text))
        assert found <= allowed_numbers, f"invented figure(s) {found - allowed_numbers} in: {text}"
        return text

    return check
