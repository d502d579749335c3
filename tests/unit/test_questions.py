"""tools/questions.py: the one question list of the e2e tests, `make load` and `make bench`.

The expectations are computed from the knowledge file; here they are written
out by hand for the production file, so a wrong value in either shows.
"""

from tools import questions as Q

EXPECTED = {
    "¿Cuántas mipymes peruanas se beneficiaron?": ("5.375",),
    "cuantas mypes peruanas se benefisiaron": ("5.375",),
    "número total de beneficiarios": ("49.000",),
    "¿qué porcentaje son peruanas?": ("11 %",),
    "en cuantos paises se ejecuto el programa": ("18 países", "América Latina y el Caribe"),
    "cuanto tiempo duro al invest": ("4 años",),
    "cuantos proyectos hubo en el peru": ("6 proyectos",),
    "¿Cuántas instituciones participaron en total en la iniciativa?": ("110 instituciones",),
    "que organizaciones ejecutaron los proyectos": (
        "Cámara de Comercio de Lima (CCL)",
        "Cámara Nacional de Comercio, Producción, Turismo y Servicios (PeruCámaras)",
        "Asociación de Exportadores (Adex)",
        "Sociedad Nacional de Industrias (SNI)",
    ),
    "¿Qué es Adex?": ("Asociación de Exportadores",),
    "que significa SNI": ("Sociedad Nacional de Industrias",),
    "¿Qué es AL-INVEST 5.0?": ("Unión Europea", "Comisión Europea", "mipymes"),
    "quien creo el programa?": ("Comisión Europea",),
    "cual es el objetivo del programa": ("productivas, asociativas y empresariales",),
    "¿por qué son importantes las mipymes?": ("social, económico, productivo y tecnológico",),
    "que resultados lograron las empresas": (
        "su productividad", "sus vínculos empresariales", "sus mercados", "innovación",
        "su capacidad institucional", "nuevos servicios", "alianzas público-privadas para su promoción",
    ),
    "q sectores participaron": ("agropecuario, textil, artesanal, panadería, carpintería y metalmecánica",),
    "¿Participó el sector textil?": ("Sí", "textil"),
    "cuando fue el evento de cierre": ("se realizó", "10, 12, 17 y 19 de noviembre de 2020"),
    "el evento de cierre fue presencial?": ("virtual",),
    "que se hizo en el evento de cierre": (
        "presentar los resultados del AL-INVEST 5.0",
        "actividades para mostrar el impacto del programa en las mipymes latinoamericanas, "
        "a través de los proyectos y las historias de éxito más representativos",
    ),
    "¿se anunció algún programa nuevo?": (
        "un posible futuro nuevo programa y las líneas de intervención de la Unión Europea "
        "en América Latina para con el sector privado",
    ),
}


def test_the_fact_questions_expect_the_production_values(knowledge):
    assert {t.question: t.expected for t in Q.facts(knowledge)} == EXPECTED


def test_the_conversations_expect_the_production_values(knowledge):
    first = [(t.question, t.expected) for t in Q.scripts(knowledge)[0]]
    assert first == [("¿Cuántas mipymes peruanas se beneficiaron?", ("5.375",)), ("¿y en total?", ("49.000",))]
    sector = Q.scripts(knowledge)[1]
    assert [t.question for t in sector] == ["¿Participó el sector textil?", "¿y el artesanal?", "¿y la minería?"]
    assert sector[2].forbidden == ("Sí.",)


def test_a_failure_reply_is_never_right(knowledge):
    turn = Q.facts(knowledge)[0]
    assert turn.check("Son 5.375 mipymes.") is None
    assert "respuesta de fallo" in turn.check(Q.NO_DATA_PREFIX + " 5.375")
