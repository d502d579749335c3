"""The knowledge file: loaded whole or refused with file, key and line."""

import datetime as dt
import re
import textwrap

import pytest

from actions.knowledge import KnowledgeError, load_knowledge
from tests.conftest import KNOWLEDGE_FILE, SOURCE_FILE

PRODUCTION = KNOWLEDGE_FILE.read_text(encoding="utf-8")


def write(tmp_path, text, name="k.yml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text, needle):
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_production_file_loads_with_typed_values(knowledge):
    assert knowledge.peru["beneficiaries"].value == 5375
    assert isinstance(knowledge.programme["beneficiaries_total"].value, int)
    assert all(isinstance(d, dt.date) for d in knowledge.closing_event["dates"].value)
    assert isinstance(knowledge.sectors, tuple) and knowledge.sectors


def test_every_fact_of_the_source_is_in_the_production_file(knowledge):
    """Each figure, name, sector and date of the article, as typed data."""
    k = knowledge
    p, peru = k.programme, k.peru
    assert (peru["beneficiaries"].value, p["beneficiaries_total"].value, peru["share_percent"].value) == (
        5375,
        49000,
        11,
    )
    assert (p["countries"].value, p["duration_years"].value, peru["projects"].value) == (18, 4, 6)
    assert (peru["organisations_count"].value, p["institutions"].value) == (4, 110)
    assert p["creator"].value == "Comisión Europea" and p["funder"].value == "Unión Europea"
    assert p["region"].value == "América Latina y el Caribe"
    assert p["focus"].value == ["productivas", "asociativas", "empresariales"]
    assert p["mipyme_role"].value == ["social", "económico", "productivo", "tecnológico"]
    assert {(o.acronym, o.name) for o in k.organisations} == {
        ("CCL", "Cámara de Comercio de Lima"),
        ("PeruCámaras", "Cámara Nacional de Comercio, Producción, Turismo y Servicios"),
        ("Adex", "Asociación de Exportadores"),
        ("SNI", "Sociedad Nacional de Industrias"),
    }
    assert list(k.sectors) == ["agropecuario", "textil", "artesanal", "panadería", "carpintería", "metalmecánica"]
    assert k.sectors_exhaustive is False  # "entre otros"
    assert k.closing_event["dates"].value == [dt.date(2020, 11, d) for d in (10, 12, 17, 19)]
    assert k.closing_event["format"].value == "virtual"
    assert len(k.results) == 7


def test_source_pointers_quote_the_article(knowledge):
    """Every quoted sentence stands in the article (bold and line breaks aside)."""
    if not SOURCE_FILE.exists():
        pytest.skip("shared/sources is not beside the repo")
    article = re.sub(r"\s+", " ", SOURCE_FILE.read_text(encoding="utf-8").replace("**", ""))
    for sid, sentence in knowledge.sentences.items():
        assert re.sub(r"\s+", " ", sentence) in article, sid
    assert knowledge.source_title in article


def test_every_number_of_the_article_is_in_the_knowledge(knowledge):
    """No figure of the source is missing from the knowledge file."""
    if not SOURCE_FILE.exists():
        pytest.skip("shared/sources is not beside the repo")
    text = SOURCE_FILE.read_text(encoding="utf-8").replace("AL-INVEST 5.0", "AL-INVEST")
    numbers = {int(n.replace(".", "")) for n in re.findall(r"\d[\d.]*\d|\d", text)}
    known = {int(n.replace(".", "")) for n in re.findall(r"\d[\d.]*\d|\d", knowledge.source_title)}  # "más de 5.300"
    for section in (knowledge.programme, knowledge.peru):
        known |= {f.value for f in section.values() if isinstance(f.value, int)}
    for d in knowledge.closing_event["dates"].value:
        known |= {d.day, d.year}
    assert numbers <= known, numbers - known


@pytest.mark.parametrize(
    "edit, key, needle",
    [
        # (substitution on the production text, key named in the error, text on the line named)
        (
            (
                "beneficiaries: {value: 5375, source: beneficiarios}",
                "beneficiaries: {value: cinco mil, source: beneficiarios}",
            ),
            "peru.beneficiaries.value",
            "cinco mil",
        ),
        (("  countries: {value: 18, source: alcance}\n", ""), "programme.countries", "programme:"),
        (
            ("projects: {value: 6, source: beneficiarios}", "projects: {value: 6, source: no_existe}"),
            "peru.projects.source",
            "no_existe",
        ),
        (("dates: {value: [2020-11-10,", "dates: {value: [el diez,"), "closing_event.dates.value[0]", "el diez"),
        (("  exhaustive: false", "  exhaustive: quizas"), "sectors.exhaustive", "quizas"),
        (("share_percent: {value: 11,", "share_percent: {value: 111,"), "peru.share_percent.value", "111"),
        (("nearest: [projects]", "nearest: [inventado]"), "unknowns.ask_project_names.nearest.0", "inventado"),
        (("  items: [agropecuario,", "  extra: 1\n  items: [agropecuario,"), "sectors.extra", "extra: 1"),
    ],
)
def test_broken_files_are_refused_naming_key_and_line(tmp_path, edit, key, needle):
    old, new = edit
    assert old in PRODUCTION
    text = PRODUCTION.replace(old, new, 1)
    path = write(tmp_path, text)
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(path)
    assert err.value.key == key
    assert err.value.line == line_of(text, needle)
    assert str(path) in str(err.value) and key in str(err.value)


def test_broken_yaml_names_the_line(tmp_path):
    text = PRODUCTION.replace("programme:\n", "programme:\n  name: [sin cerrar\n", 1)
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(write(tmp_path, text))
    assert err.value.line is not None and "YAML" in str(err.value)


@pytest.mark.parametrize("text", ["", "solo: texto\n"])
def test_empty_or_foreign_file_is_refused(tmp_path, text):
    with pytest.raises(KnowledgeError):
        load_knowledge(write(tmp_path, text))


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(tmp_path / "no.yml")
    assert "no.yml" in str(err.value)


def test_small_file_in_tmp_path(tmp_path):
    """A minimal valid file of another programme loads: nothing is hard-coded."""
    text = textwrap.dedent(
        """
        source:
          title: "Otra nota"
          file: otra.md
          sentences: {a: "Frase a."}
        programme:
          name: {value: "X 1.0", source: a}
          funder: {value: "F", source: a}
          creator: {value: "C", source: a}
          kind: {value: "programa", source: a}
          focus: {value: [uno], source: a}
          mipyme_role: {value: [dos], source: a}
          region: {value: "R", source: a}
          duration_years: {value: 2, source: a}
          countries: {value: 3, source: a}
          beneficiaries_total: {value: 1000, source: a}
          institutions: {value: 7, source: a}
        peru:
          beneficiaries: {value: 100, source: a}
          share_percent: {value: 10, source: a}
          projects: {value: 2, source: a}
          organisations_count: {value: 1, source: a}
          projects_purpose: {value: "algo", source: a}
        organisations: {source: a, items: [{acronym: ABC, name: "Asociación B C", aliases: [abc]}]}
        results: {source: a, items: [{value: "crecieron", source: a}]}
        sectors: {source: a, exhaustive: true, items: [pesca]}
        closing_event:
          format: {value: presencial, source: a}
          dates: {value: [2031-01-05], source: a}
          purpose: {value: "p", source: a}
          activities: {value: "act", source: a}
          exchange: {value: "ex", source: a}
          announcement: {value: "an", source: a}
        unknowns: {ask_budget: {topic: "el presupuesto", nearest: [programme]}}
        """
    )
    k = load_knowledge(write(tmp_path, text))
    assert k.peru["beneficiaries"].value == 100 and k.sectors == ("pesca",)
