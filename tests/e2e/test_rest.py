"""The assistant through the REST channel of a real `rasa run`, with real actions.

Each question is phrased as users write (accents or not, typos); every reply is
checked for its fact and for figures that are not in the knowledge file.
"""

import uuid

import pytest

from tests.support.shape import assert_rest_shape
from tests.support.stack import Stack


def sender():
    return f"test-{uuid.uuid4().hex[:12]}"


FACTS = [
    ("¿Cuántas mipymes peruanas se beneficiaron?", ["5.375"]),
    ("cuantas mypes peruanas se benefisiaron", ["5.375"]),
    ("número total de beneficiarios", ["49.000"]),
    ("¿qué porcentaje son peruanas?", ["11 %"]),
    ("en cuantos paises se ejecuto el programa", ["18 países", "América Latina y el Caribe"]),
    ("cuanto tiempo duro al invest", ["4 años"]),
    ("cuantos proyectos hubo en el peru", ["6 proyectos"]),
    ("¿Cuántas instituciones participaron en total en la iniciativa?", ["110 instituciones"]),
    ("que organizaciones ejecutaron los proyectos", ["Cámara de Comercio de Lima (CCL)", "(PeruCámaras)", "Asociación de Exportadores (Adex)", "Sociedad Nacional de Industrias (SNI)"]),
    ("¿Qué es Adex?", ["Asociación de Exportadores"]),
    ("que significa SNI", ["Sociedad Nacional de Industrias"]),
    ("¿Qué es AL-INVEST 5.0?", ["Unión Europea", "Comisión Europea", "mipymes"]),
    ("quien creo el programa?", ["Comisión Europea"]),
    ("cual es el objetivo del programa", ["productivas, asociativas y empresariales"]),
    ("¿por qué son importantes las mipymes?", ["social, económico, productivo y tecnológico"]),
    ("que resultados lograron las empresas", ["productividad", "innovación", "alianzas público-privadas"]),
    ("q sectores participaron", ["agropecuario, textil, artesanal, panadería, carpintería y metalmecánica"]),
    ("¿Participó el sector textil?", ["Sí", "textil"]),
    ("cuando fue el evento de cierre", ["se realizó", "10, 12, 17 y 19 de noviembre de 2020"]),
    ("el evento de cierre fue presencial?", ["virtual"]),
    ("que se hizo en el evento de cierre", ["historias de éxito", "presentar los resultados"]),
    ("¿se anunció algún programa nuevo?", ["posible futuro nuevo programa"]),
]


@pytest.mark.parametrize("question, facts", FACTS)
def test_every_fact(stack, no_invented_numbers, question, facts):
    reply = no_invented_numbers(stack.text(sender(), question))
    for fact in facts:
        assert fact in reply, f"{question!r} -> {reply!r}"


def test_a_sector_not_listed_is_not_a_yes(stack, no_invented_numbers):
    reply = no_invented_numbers(stack.text(sender(), "¿participaron empresas de minería?"))
    assert "no menciona" in reply and "Sí" not in reply
    assert "textil" in reply  # it names the listed ones


UNKNOWNS = [
    "¿cuál fue el presupuesto del programa?",
    "como postulo al programa",
    "¿cuál es el link del evento de cierre?",
    "a que hora empieza el evento",
    "como se llamaban los 6 proyectos",
    "cuantas mipymes se beneficiaron en colombia",
    "como se va a llamar el proximo programa",
]


@pytest.mark.parametrize("question", UNKNOWNS)
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
        [("¿Cuántas mipymes peruanas se beneficiaron?", "5.375"), ("¿y en total?", "49.000")],
        [("¿Participó el sector textil?", "Sí"), ("¿y el artesanal?", "artesanal"), ("¿y la minería?", "no menciona")],
        [("¿Cuándo fue el evento de cierre?", "noviembre de 2020"), ("¿fue presencial?", "virtual")],
        [("¿Qué organizaciones participaron?", "PeruCámaras"), ("¿y qué es Adex?", "Asociación de Exportadores")],
        [("¿qué porcentaje de las mipymes son peruanas?", "11 %"), ("y de donde sacaste eso?", "el 11% se encuentran en Perú")],
        # The source of the last answer, after several kinds of answer.
        [("¿qué es Adex?", "Asociación de Exportadores"), ("¿cuál es la fuente?", "Asociación de Exportadores (Adex)")],
        [("¿cuándo fue el evento de cierre?", "noviembre"), ("¿dónde dice eso?", "10, 12, 17 y 19 de noviembre de 2020")],
        [("¿cuál fue el presupuesto?", "La fuente no lo indica"), ("¿de dónde sacaste eso?", "no cubre lo que me preguntaste")],
        [("hola", "Hola"), ("¿cuál es la fuente?", "Unión Europea impulsó desarrollo de más de 5.300 mipymes peruanas")],
    ],
)
def test_follow_ups_keep_context(stack, no_invented_numbers, turns):
    who = sender()
    for question, expected in turns:
        reply = no_invented_numbers(stack.text(who, question))
        assert expected in reply, f"{question!r} -> {reply!r}"


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
