"""`make check` on the repo, and on copies of it with something deliberately removed.

Each copy holds what the check reads (actions/, knowledge/, domain.yml, data/,
the test folders it searches, tools/check/) and runs ``python -m
tools.check`` there, so the copy's own answers.py is the one called.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools import check

ROOT = Path(__file__).resolve().parents[2]
COPY = ("actions", "knowledge", "domain.yml", "data", "tests/e2e", "tests/unit", "tests/conversations")


def run_check(root: Path):
    proc = subprocess.run(
        [sys.executable, "-m", "tools.check"], cwd=root, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"},
    )
    return proc.returncode, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """A pristine copy and what the check says about it."""
    base = tmp_path_factory.mktemp("repo")
    for rel in COPY:
        if (ROOT / rel).is_file():
            shutil.copy(ROOT / rel, base / rel)
            continue
        shutil.copytree(ROOT / rel, base / rel, ignore=shutil.ignore_patterns("__pycache__"))
    (base / "tools").mkdir()
    shutil.copy(ROOT / "tools" / "__init__.py", base / "tools" / "__init__.py")
    shutil.copytree(ROOT / "tools" / "check", base / "tools" / "check", ignore=shutil.ignore_patterns("__pycache__"))
    rc, out = run_check(base)
    return base, rc, out


@pytest.fixture
def copy(baseline, tmp_path):
    base, _, _ = baseline
    target = tmp_path / "repo"
    shutil.copytree(base, target)
    return target


def missing_lines(output: str):
    return {line.strip() for line in output.splitlines() if line.strip().startswith("- ")}


def test_the_repo_has_nothing_missing():
    findings = check.run(ROOT)
    out = io.StringIO()
    check.report(findings, out)
    print(out.getvalue())
    if findings.missing:
        pytest.xfail(f"el repo tiene {findings.missing} falta(s) que arregla quien lleva los datos:\n{out.getvalue()}")


def test_a_copy_reports_what_the_repo_reports(baseline):
    _, rc, out = baseline
    assert rc == (1 if check.run(ROOT).missing else 0), out
    assert "Hechos del archivo de conocimiento" in out and "Respuestas del dominio" in out


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def new_missing(baseline, copy_root):
    _, _, before = baseline
    rc, out = run_check(copy_root)
    assert rc == 1, out
    return missing_lines(out) - missing_lines(before), out


def test_a_new_fact_without_a_test(baseline, copy):
    edit(
        copy / "knowledge" / "al_invest_5.yml",
        "panadería, carpintería, metalmecánica]",
        "panadería, carpintería, metalmecánica, orfebrería]",
    )
    added, out = new_missing(baseline, copy)
    assert added == {"- sectors.items[6] = «orfebrería»: no aparece en tests/e2e, tests/unit, tests/conversations"}, out


def test_a_removed_test_of_a_fact(baseline, copy):
    # "Cámara de Comercio de Lima" is written in the e2e and unit tests: blank it out everywhere.
    for path in (copy / "tests").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            if re.search("c[aá]mara de comercio de lima", text, re.IGNORECASE):
                path.write_text(
                    re.sub("c[aá]mara de comercio de lima", "(quitado)", text, flags=re.IGNORECASE), encoding="utf-8"
                )
    added, out = new_missing(baseline, copy)
    assert added == {
        "- organisations.items[0].name = «Cámara de Comercio de Lima»: "
        "no aparece en tests/e2e, tests/unit, tests/conversations"
    }, out


def test_a_fact_no_answer_uses(baseline, copy):
    edit(copy / "actions" / "knowledge" / "answers.py", '"institutions": spanish.number(p["institutions"].value),', "")
    added, out = new_missing(baseline, copy)
    assert "- programme.institutions = «110»: ninguna respuesta de actions/knowledge/answers.py lo usa" in added, out
    assert any(line.startswith("- utter_institutions: {institutions} queda sin valor") for line in added), out


def test_an_intent_without_conversation_test(baseline, copy):
    (copy / "tests" / "conversations" / "test_unknowns.yml").unlink()
    added, out = new_missing(baseline, copy)
    assert "- ask_budget: ninguna historia ni regla de tests/conversations/ la usa" in added, out


def test_an_intent_with_too_few_examples(baseline, copy):
    path = copy / "data" / "nlu" / "figures.yml"
    text = path.read_text(encoding="utf-8")
    block = re.search(r"- intent: ask_duration\n  examples: \|\n((?:    - .*\n)+)", text)
    assert block, "ask_duration block not found"
    kept = "".join(block.group(1).splitlines(keepends=True)[:5])
    path.write_text(text.replace(block.group(1), kept), encoding="utf-8")
    added, out = new_missing(baseline, copy)
    assert "- ask_duration: 5 ejemplos de entrenamiento distintos (mínimo 20)" in added, out


def test_a_missing_and_an_english_response(baseline, copy):
    domain = copy / "domain.yml"
    edit(
        domain,
        '  utter_source_silent:\n    - text: "La fuente no lo indica: la nota no dice nada sobre {topic}."\n',
        "",
    )
    edit(
        domain,
        "¡Hasta luego! Si tienes más preguntas sobre AL-INVEST 5.0, aquí estaré.",
        "Goodbye! Come back when you have more questions.",
    )
    added, out = new_missing(baseline, copy)
    assert any(line.startswith("- utter_source_silent: lo usa actions/knowledge/answers.py") for line in added), out
    assert any(
        line.startswith("- utter_goodbye: palabras en inglés: come, goodbye, have, more")
        or line.startswith("- utter_goodbye: palabras en inglés:")
        for line in added
    ), out


@pytest.mark.parametrize(
    "text, problem",
    [
        ("¡Hola! ¿En qué te ayudo?", None),
        ("La fuente no lo indica.", None),
        ("{programme} se ejecutó en {countries} países.", None),
        ("Sorry, I did not understand.", "palabras en inglés"),
        ("Hola, thanks!", "palabras en inglés"),
        ("   ", "texto vacío"),
        ("OK 5.375", "no parece español"),
    ],
)
def test_spanish_heuristic(text, problem):
    found = check.spanish_problem(text)
    assert (found is None) if problem is None else (found or "").startswith(problem)


def test_numbers_are_searched_as_whole_numbers():
    fv = check.FactValue("x", "4", True)
    assert check.found_in(fv, "a lo largo de 4 años")
    assert (
        not check.found_in(fv, "49.000 mipymes") and not check.found_in(fv, "5.375") and not check.found_in(fv, "2024")
    )
    assert check.found_in(check.FactValue("y", "5.375", True), "se beneficiaron 5.375.")
    assert check.found_in(check.FactValue("z", "Cámara de Comercio", False), "la camara  de comercio")
