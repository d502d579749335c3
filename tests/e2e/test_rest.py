"""The assistant through the REST channel of a real `rasa run`, with real actions.

Each question is phrased as users write (accents or not, typos); every reply is
checked for its fact and for figures that are not in the knowledge file.
"""

import uuid

import pytest

from actions.knowledge import load_knowledge
from actions.knowledge.store import DEFAULT_KNOWLEDGE_FILE
from tests.support.shape import assert_rest_shape
from tools.stack import Stack
from tools import questions


def sender():
    return f"test-{uuid.uuid4().hex[:12]}"


# The one question list of the e2e tests, `make load` and `make bench`
# (tools/questions.py); what each answer must say comes from the knowledge file.
FACTS = questions.facts(load_knowledge(DEFAULT_KNOWLEDGE_FILE))
SCRIPTS = questions.scripts(load_knowledge(DEFAULT_KNOWLEDGE_FILE))


@pytest.mark.parametrize("turn", FACTS, ids=[t.question for t in FACTS])
def test_every_fact(stack, no_invented_numbers, turn):
    reply = no_invented_numbers(stack.text(sender(), turn.question))
    assert turn.check(reply) is None, f"{turn.question!r} -> {reply!r}: {turn.check(reply)}"


def test_a_sector_not_listed_is_not_a_yes(stack, no_invented_numbers):
    reply = no_invented_numbers(stack.text(sender(), "¿participaron empresas de minería?"))
    assert "no menciona" in reply and "Sí" not in reply
    assert "textil" in reply  # it names the listed ones


@pytest.mark.parametrize("question", questions.UNKNOWNS)
def test_what_the_source_does_not_say(stack, no_invented_numbers, question):
    reply = no_invented_numbers(stack.text(sender(), question))
    assert "La fuente no lo indica" in reply, reply
    assert "Lo más cercano" in reply
    assert "http" not in reply and "€" not in reply and "$" not in reply


@pytest.mark.parametrize(
    "question, expected",
    [
        ("hola", "Hola"),
        ("muchas gracias", "De nada"),
        ("chau, hasta luego", "Hasta luego"),
        ("¿eres un robot?", "asistente virtual"),
        ("que puedes hacer?", "Por ejemplo"),
        ("¿qué clima hará mañana en Lima?", "solo puedo responder"),
        ("quien gano el partido de alianza lima", "solo puedo responder"),
        ("como declaro mis impuestos en la sunat", "solo puedo responder"),
    ],
)
def test_small_talk_and_scope(stack, question, expected):
    assert expected in stack.text(sender(), question)


@pytest.mark.parametrize(
    "turns",
    [
        [
            ("¿qué porcentaje de las mipymes son peruanas?", "11 %"),
            ("y de donde sacaste eso?", "el 11% se encuentran en Perú"),
        ],
        # The source of the last answer, after several kinds of answer.
        [("¿qué es Adex?", "Asociación de Exportadores"), ("¿cuál es la fuente?", "Asociación de Exportadores (Adex)")],
        [
            ("¿cuándo fue el evento de cierre?", "noviembre"),
            ("¿dónde dice eso?", "10, 12, 17 y 19 de noviembre de 2020"),
        ],
        [
            ("¿cuál fue el presupuesto?", "La fuente no lo indica"),
            ("¿de dónde sacaste eso?", "no cubre lo que me preguntaste"),
        ],
        [
            ("hola", "Hola"),
            ("¿cuál es la fuente?", "Unión Europea impulsó desarrollo de más de 5.300 mipymes peruanas"),
        ],
    ],
)
def test_follow_ups_keep_context(stack, no_invented_numbers, turns):
    who = sender()
    for question, expected in turns:
        reply = no_invented_numbers(stack.text(who, question))
        assert expected in reply, f"{question!r} -> {reply!r}"


@pytest.mark.parametrize("script", SCRIPTS, ids=[s[0].question for s in SCRIPTS])
def test_the_load_conversations(stack, no_invented_numbers, script):
    """The follow-ups `make load` and `make bench` send, each answer checked as they check it."""
    who = sender()
    for turn in script:
        reply = no_invented_numbers(stack.text(who, turn.question))
        assert turn.check(reply) is None, f"{turn.question!r} -> {reply!r}: {turn.check(reply)}"


def test_low_confidence_offers_topic_buttons_and_a_button_answers(stack):
    from tests.support.phrases import clarifying_phrase

    phrase = clarifying_phrase(lambda text: stack.say(sender(), text))
    who = sender()
    messages = stack.say(who, phrase)
    assert_rest_shape(messages, who)  # text and buttons as Rasa writes them, nothing else at the top
    buttons = [b for m in messages for b in m.get("buttons", [])]
    assert 3 <= len(buttons) <= 4, messages
    assert buttons[-1]["title"] == "Otra cosa"
    for b in buttons:
        assert "_" not in b["title"] and b["payload"].startswith("/")
    first = buttons[0]
    reply = stack.text(who, first["payload"])
    assert reply and "No estoy seguro" not in reply
    assert "Por ejemplo" in stack.text(who, buttons[-1]["payload"])


@pytest.mark.parametrize(
    "turns",
    [
        ["¿Cuántas mipymes peruanas se beneficiaron?", "¿y en total?", "¿de dónde sacaste eso?"],
        ["hola", "¿cuál fue el presupuesto?", "¿quién ganó el mundial?", "gracias"],
        ["", "😀😀", "How many companies benefited?"],
    ],
    ids=["answers", "small-talk-and-silence", "bad-input"],
)
def test_replies_carry_only_rasa_s_keys(stack, turns):
    """Answers, small talk and replies to bad input: only Rasa's keys at the top level
    (anything of ours would go in `metadata`), so `rasa shell` prints just the text."""
    who = sender()
    for message in turns:
        assert_rest_shape(stack.say(who, message), who)


@pytest.mark.parametrize(
    "message, expected",
    [
        ("", "vacío"),
        ("   \n  ", "vacío"),
        ("mipymes " * 700, "muy largo"),
        ("😀😀🎉🎉", "No encontré palabras"),
        ("How many companies benefited from the programme?", "español"),
        ("SELECT * FROM empresas; DROP TABLE tracker;", None),
        ("<script>alert('x')</script>", None),
    ],
)
def test_bad_input_gets_a_polite_spanish_reply(stack, message, expected):
    messages = stack.say(sender(), message)
    reply = " ".join(m.get("text", "") for m in messages)
    assert reply.strip(), f"empty reply to {message[:40]!r}"
    assert "Traceback" not in reply and "Error" not in reply
    if expected:
        assert expected in reply, reply


def test_conversation_survives_a_restart(tmp_path, no_invented_numbers):
    """Stop both servers mid-conversation; after the restart the follow-up works."""
    who = sender()
    s = Stack(tmp_path).start()
    try:
        assert "5.375" in s.text(who, "¿Cuántas mipymes peruanas se beneficiaron?")
        s.stop()
        s.start()
        assert "49.000" in no_invented_numbers(s.text(who, "¿y en total?"))
    finally:
        s.stop()
