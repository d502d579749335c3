"""tools/load/ without servers: the expected answers come from the knowledge file; the bounds hold."""

from __future__ import annotations

import asyncio

import pytest

from actions.knowledge import load_knowledge
from tests.conftest import KNOWLEDGE_FILE
from tools import load as L


def test_expected_answers_follow_the_knowledge_file(tmp_path):
    text = KNOWLEDGE_FILE.read_text(encoding="utf-8")
    assert "beneficiaries: {value: 5375," in text
    edited = tmp_path / "al_invest_5.yml"
    edited.write_text(text.replace("beneficiaries: {value: 5375,", "beneficiaries: {value: 1234,"), encoding="utf-8")
    first = L.scripts(load_knowledge(KNOWLEDGE_FILE))[0][0]
    changed = L.scripts(load_knowledge(edited))[0][0]
    assert first.question == changed.question == "¿Cuántas mipymes peruanas se beneficiaron?"
    assert first.expected == ("5.375",) and changed.expected == ("1.234",)


@pytest.mark.parametrize(
    "reply, problem",
    [
        ("En Perú se beneficiaron 5.375 mipymes.", None),
        ("En Perú se beneficiaron 5.300 mipymes.", "falta"),
        ("No puedo consultar los datos en este momento; inténtalo de nuevo en unos minutos.", "respuesta de fallo"),
        ("5.375 … No puedo consultar los datos en este momento", "respuesta de fallo"),
    ],
)
def test_an_answer_is_checked(knowledge, reply, problem):
    turn = L.scripts(knowledge)[0][0]
    result = turn.check(reply)
    assert (result is None) if problem is None else (problem in result)


def test_a_yes_that_should_be_a_no_is_wrong(knowledge):
    mining = L.scripts(knowledge)[1][2]
    assert mining.question == "¿y la minería?"
    assert mining.check("Sí. El sector minería está entre los más activos") is not None


@pytest.mark.parametrize("turns", [1, 2, 3, 5, 8, 13])
def test_no_conversation_starts_with_a_follow_up(knowledge, turns):
    all_scripts = L.scripts(knowledge)
    firsts = {s[0].question for s in all_scripts}
    for index in range(2 * len(all_scripts)):
        conversation = L.conversation_turns(all_scripts, index, turns)
        assert len(conversation) == turns and conversation[0].question in firsts


@pytest.mark.parametrize("url", ["http://127.0.0.1:5005", "http://localhost:5005/", "http://[::1]:5005", "http://127.0.0.2:80"])
def test_loopback_urls_accepted(url):
    assert L.check_loopback(url) == url.rstrip("/")


@pytest.mark.parametrize(
    "url", ["http://10.0.0.1:5005", "http://example.com", "http://0.0.0.0:5005", "ftp://127.0.0.1", "127.0.0.1:5005"]
)
def test_other_urls_refused(url):
    with pytest.raises(L.LoadError):
        L.check_loopback(url)


@pytest.mark.parametrize(
    "args, named",
    [
        ((0, 4, 1, 10), "--conversations"),
        ((10, 0, 1, 10), "--turns"),
        ((10, 4, 0, 10), "--concurrency"),
        ((10, 4, 1, 0), "--duration-limit"),
        ((10, 4, 1, 10_000), "--duration-limit"),
        ((10, 4, 1, 10, 0), "--timeout"),
        ((10, 4, 1, 10, 3600), "--timeout"),
    ],
)
def test_bounds(args, named):
    with pytest.raises(L.LoadError, match=named):
        L.check_bounds(*args)


def test_refused_before_any_request(capsys):
    assert L.main(["--url", "http://192.168.1.10:5005", "--conversations", "1"]) == 2
    assert "solo se genera carga" in capsys.readouterr().err
    with pytest.raises(L.LoadError, match="--channel"):
        asyncio.run(L.run_load(["http://127.0.0.1:9"], 1, 1, 1, channel="telegram"))


def test_percentile():
    assert L.percentile([10, 20, 30, 40, 50], 0.5) == 30
    assert L.percentile([10, 20], 0.95) == pytest.approx(19.5)
    assert L.percentile([], 0.5) != L.percentile([], 0.5)  # NaN
