"""Answers composed from the knowledge: right response, right values, no guesses."""

import datetime as dt

import pytest

from actions.knowledge import answers as a
from actions.knowledge import load_knowledge
from actions.knowledge.spanish import best_match, dates, fold, join, number
from tests.conftest import KNOWLEDGE_FILE

AFTER = dt.date(2026, 11, 26)
BEFORE = dt.date(2020, 11, 1)


def said(answer):
    return {(m.response, k, v) for m in answer.messages for k, v in m.variables.items()}


@pytest.mark.parametrize(
    "key, response, variable, value",
    [
        ("beneficiaries_peru", "utter_beneficiaries_peru", "peru", "5.375"),
        ("beneficiaries_total", "utter_beneficiaries_total", "total", "49.000"),
        ("peru_share", "utter_peru_share", "share", "11"),
        ("countries", "utter_countries", "countries", "18"),
        ("duration", "utter_duration", "years", "4"),
        ("projects", "utter_projects", "projects", "6"),
        ("projects", "utter_projects", "acronyms", "CCL, PeruCámaras, Adex y SNI"),
        ("institutions", "utter_institutions", "institutions", "110"),
        ("creator", "utter_creator", "creator", "Comisión Europea"),
        ("focus", "utter_focus", "capacities", "productivas, asociativas y empresariales"),
        ("mipyme_role", "utter_mipyme_role", "development", "social, económico, productivo y tecnológico"),
        (
            "sectors",
            "utter_sectors_among_others",
            "sectors",
            "agropecuario, textil, artesanal, panadería, carpintería y metalmecánica",
        ),
        ("event_dates", "utter_event_dates_past", "dates", "10, 12, 17 y 19 de noviembre de 2020"),
        ("event_format", "utter_event_format_past", "format", "virtual"),
        ("programme", "utter_programme", "programme", "AL-INVEST 5.0"),
    ],
)
def test_fact_answers(knowledge, key, response, variable, value):
    answer = a.answer(knowledge, key, AFTER)
    assert (response, variable, value) in said(answer)
    assert answer.topic == key and answer.sources


def test_organisations_list_has_full_names(knowledge):
    names = a.answer(knowledge, "organisations", AFTER).messages[0].variables["names"]
    for full in (
        "Cámara de Comercio de Lima (CCL)",
        "Asociación de Exportadores (Adex)",
        "Sociedad Nacional de Industrias (SNI)",
        "Cámara Nacional de Comercio, Producción, Turismo y Servicios (PeruCámaras)",
    ):
        assert full in names


def test_results_list_every_result(knowledge):
    text = a.answer(knowledge, "results", AFTER).messages[0].variables["results"].lower()
    for result in (
        "aumentaron su productividad",
        "aumentaron sus vínculos empresariales",
        "diversificaron sus mercados",
        "incorporaron innovación",
        "fortalecieron su capacidad institucional",
        "desarrollaron nuevos servicios",
        "generaron alianzas público-privadas para su promoción",
    ):
        assert f"- {result}" in text


def test_event_texts_come_whole_from_the_knowledge(knowledge):
    v = a.answer(knowledge, "event_activities", AFTER).messages[0].variables
    assert v["purpose"] == "presentar los resultados del AL-INVEST 5.0"
    # Whole sentences on one line each: `make check` finds facts by text search.
    assert v["activities"] == "actividades para mostrar el impacto del programa en las mipymes latinoamericanas, a través de los proyectos y las historias de éxito más representativos"  # noqa: E501
    assert v["exchange"] == "intercambiar experiencias, fortalecer su red de contactos y relaciones interinstitucionales, compartir lecciones aprendidas y aportar contenido para futuras intervenciones de cooperación"  # noqa: E501
    assert v["announcement"] == "un posible futuro nuevo programa y las líneas de intervención de la Unión Europea en América Latina para con el sector privado"  # noqa: E501
    assert (
        a.answer(knowledge, "programme", AFTER).messages[0].variables["kind"] == "programa de cooperación internacional"
    )
    assert a.answer(knowledge, "projects", AFTER).messages[0].variables["purpose"] == (
        "el fortalecimiento de la competitividad y productividad de las empresas"
    )


@pytest.mark.parametrize("today, tense", [(AFTER, "past"), (BEFORE, "future"), (dt.date(2020, 11, 19), "future")])
def test_event_tense_follows_today(knowledge, today, tense):
    for key in ("event_dates", "event_format", "event_activities", "new_programme"):
        assert a.answer(knowledge, key, today).messages[0].response == f"utter_{key}_{tense}"


@pytest.mark.parametrize(
    "named, text, response, sector",
    [
        ("textil", "participo el sector textil?", "utter_sector_listed", "textil"),
        ("artesanal", "y el artesanal?", "utter_sector_listed", "artesanal"),
        ("panaderias", "las panaderias participaron", "utter_sector_listed", "panadería"),
        ("metal mecanica", "y metal mecanica", "utter_sector_listed", "metalmecánica"),
        (None, "y la carpinteria?", "utter_sector_listed", "carpintería"),
        ("agropecuaria", "agropecuaria?", "utter_sector_listed", "agropecuario"),
        ("mineria", "y la minería?", "utter_sector_not_listed", "mineria"),
        ("turismo", "participo el turismo?", "utter_sector_not_listed", "turismo"),
        ("textiles", "y los textiles", "utter_sector_listed", "textil"),
    ],
)
def test_sector_yes_or_not_listed(knowledge, named, text, response, sector):
    answer = a.sector(knowledge, named, text, AFTER)
    assert answer.messages[0].response == response
    assert answer.messages[0].variables["sector"] == sector


def test_a_listed_sector_is_not_repeated_among_the_others(knowledge):
    m = a.sector(knowledge, "panaderia", "y la panaderia", AFTER).messages[0]
    assert m.variables["sector"] == "panadería" and "panadería" not in m.variables["sectors"]
    assert "textil" in m.variables["sectors"]


def test_sector_without_a_name_lists_them(knowledge):
    assert a.sector(knowledge, None, "que tal", AFTER).messages[0].response == "utter_sectors_among_others"


@pytest.mark.parametrize(
    "named, text, acronym",
    [
        ("adex", "que es adex", "Adex"),
        ("SNI", "que significa SNI", "SNI"),
        (None, "y la camara de comercio de lima?", "CCL"),
        ("peru camaras", "peru camaras q es", "PeruCámaras"),
        ("a dex", "a dex?", "Adex"),
        ("Perucamaras", "perucamaras", "PeruCámaras"),
    ],
)
def test_organisation_by_acronym_or_name(knowledge, named, text, acronym):
    m = a.organisation(knowledge, named, text, AFTER).messages[0]
    assert m.response == "utter_organisation" and m.variables["acronym"] == acronym


def test_unlisted_organisation_is_not_invented(knowledge):
    m = a.organisation(knowledge, "Sunat", "que es la sunat", AFTER).messages[0]
    assert m.response == "utter_organisation_not_listed" and m.variables["named"] == "Sunat"


@pytest.mark.parametrize(
    "intent, nearest",
    [
        ("ask_budget", "utter_programme"),
        ("ask_how_to_apply", "utter_organisations"),
        ("ask_event_link", "utter_event_dates_past"),
        ("ask_event_time", "utter_event_dates_past"),
        ("ask_project_names", "utter_projects"),
        ("ask_other_country", "utter_beneficiaries_total"),
        ("ask_next_programme_name", "utter_new_programme_past"),
    ],
)
def test_unknowns_say_so_then_nearest_fact(knowledge, intent, nearest):
    answer = a.unknown(knowledge, intent, today=AFTER)
    responses = [m.response for m in answer.messages]
    assert responses[0] == "utter_source_silent" and nearest in responses
    assert answer.topic == "unknown"


def test_other_country_names_the_country(knowledge):
    m = a.unknown(knowledge, "ask_other_country", "colombia", AFTER).messages[0]
    assert m.variables["topic"] == "las cifras de Colombia"


@pytest.mark.parametrize(
    "last, response",
    [
        ("beneficiaries_peru", "utter_beneficiaries_total"),
        ("peru_share", "utter_beneficiaries_total"),
        ("organisations", "utter_institutions"),
        (None, "utter_beneficiaries_total"),
        ("projects", "utter_source_silent"),
        ("sector", "utter_source_silent"),
    ],
)
def test_total_follows_the_last_topic(knowledge, last, response):
    assert a.total(knowledge, last, AFTER).messages[0].response == response


def test_source_quotes_the_sentence_of_the_last_answer(knowledge):
    answer = a.answer(knowledge, "beneficiaries_total", AFTER)
    m = a.source(knowledge, answer.topic, list(answer.sources))[0]
    assert m.response == "utter_source_quote" and "49.000 mipymes" in m.variables["quote"]
    assert m.variables["title"] == knowledge.source_title
    unknown = a.unknown(knowledge, "ask_budget", today=AFTER)
    assert a.source(knowledge, unknown.topic, list(unknown.sources))[0].response == "utter_source_unknown"
    assert a.source(knowledge, None, [])[0].response == "utter_source_general"


def test_changed_figure_changes_the_answer(tmp_path):
    """A modified copy of the knowledge file: the answer follows, no retraining."""
    text = KNOWLEDGE_FILE.read_text(encoding="utf-8").replace(
        "beneficiaries: {value: 5375,", "beneficiaries: {value: 6123,"
    )
    path = tmp_path / "k.yml"
    path.write_text(text, encoding="utf-8")
    k = load_knowledge(path)
    assert ("utter_beneficiaries_peru", "peru", "6.123") in said(a.answer(k, "beneficiaries_peru", AFTER))


def test_spanish_helpers():
    assert number(49000) == "49.000" and number(110) == "110" and number(1234567) == "1.234.567"
    assert join(["a"]) == "a" and join(["a", "b"]) == "a y b" and join(["a", "b", "c"]) == "a, b y c"
    assert dates([dt.date(2020, 11, 10), dt.date(2020, 12, 1)]) == "10 de noviembre y 1 de diciembre de 2020"
    assert fold("¿Panadería?  ÑANDÚ") == "panaderia nandu"
    assert best_match("xyz", ["textil"]) is None and best_match("", ["textil"]) is None


def test_every_intent_has_an_answer_or_an_unknown_entry(knowledge):
    from actions import constants as c

    assert set(c.UNKNOWN_INTENTS) == set(knowledge.unknowns)
    assert set(c.INTENT_TOPICS.values()) <= a.ANSWER_KEYS
