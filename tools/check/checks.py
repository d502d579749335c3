"""The three checks of `make check` (facts, intents, responses) and how their findings are printed."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import List, Optional, Tuple

from actions import constants
from actions.knowledge import load_knowledge
from actions.knowledge.spanish import fold
from actions.knowledge.store import DEFAULT_KNOWLEDGE_FILE
from tools.check.facts import answer_messages, fact_values, found_in
from tools.check.repo import TEST_DIRS, Repo

MIN_EXAMPLES = 20
# Made by the NLU pipeline (FallbackClassifier, InputGuard), never trained.
PIPELINE_INTENTS = frozenset({constants.NLU_FALLBACK})
# Sent only as a button payload ("/rate{...}", docs/ratings.md): exempt from the examples minimum.
PAYLOAD_INTENTS = frozenset({constants.RATE})

SPANISH_MARKERS = re.compile(r"[áéíóúñü¿¡]", re.IGNORECASE)
SPANISH_WORDS = frozenset(
    "el la los las de del que en y un una por para con es no se su sus lo al más sí qué cómo cuál cuándo "
    "dónde hola gracias puedo puedes sobre nota fuente programa mipymes empresas hasta luego".split()
)
ENGLISH_WORDS = frozenset(
    "the and you your please sorry what which with this that hello hi thanks thank is are was were of for "
    "from have has can could would should will yes about here there don't i'm it's welcome bye goodbye help "
    "sure how why when where who my our we they it in on to be does did not".split()
)
PLACEHOLDER = re.compile(r"\{(\w+)\}")


class Findings:
    def __init__(self) -> None:
        self.sections: List[Tuple[str, List[str], List[str]]] = []  # (title, missing, warnings)

    def add(self, title: str, missing: List[str], warnings: Optional[List[str]] = None) -> None:
        self.sections.append((title, missing, warnings or []))

    @property
    def missing(self) -> int:
        return sum(len(m) for _, m, _ in self.sections)

    @property
    def warnings(self) -> int:
        return sum(len(w) for _, _, w in self.sections)


def check_facts(repo: Repo, f: Findings) -> None:
    k = load_knowledge(DEFAULT_KNOWLEDGE_FILE)
    facts = fact_values(k)
    msgs, unknown_fns = answer_messages(k)
    values = {str(v) for _, m in msgs for v in m.variables.values()}
    values_text = "\n".join(sorted(values))
    values_folded = fold(values_text)
    _, responses = repo.domain()

    unused = []
    for fv in facts:
        if fv.text not in values and not found_in(fv, values_text, values_folded):
            unused.append(f"{fv.key} = «{fv.text}»: ninguna respuesta de actions/knowledge/answers.py lo usa")
    unused += [f"answers.{name}(): make check no sabe llamarla; añádela a tools/check/facts.py" for name in unknown_fns]

    # Which facts reach a response text: the variables that are placeholders of the response said.
    shown_values: List[str] = []
    for _, m in msgs:
        for variation in responses.get(m.response, []):
            for var in PLACEHOLDER.findall(str((variation or {}).get("text") or "")):
                if var in m.variables:
                    shown_values.append(str(m.variables[var]))
    shown_text = "\n".join(shown_values)
    shown_folded = fold(shown_text)
    never_shown = [
        f"{fv.key} = «{fv.text}»: las respuestas lo reciben como variable, pero ningún texto del dominio lo muestra"
        for fv in facts
        if not found_in(fv, shown_text, shown_folded)
        and (fv.text in values or found_in(fv, values_text, values_folded))
    ]
    f.add("Hechos del archivo de conocimiento usados por alguna respuesta", unused, never_shown)

    tests = repo.test_text()
    tests_folded = fold(tests)
    untested = [
        f"{fv.key} = «{fv.text}»: no aparece en {', '.join(TEST_DIRS)}"
        for fv in facts
        if not found_in(fv, tests, tests_folded)
    ]
    f.add("Hechos cubiertos por alguna prueba (búsqueda de texto)", untested)


def check_intents(repo: Repo, f: Findings, min_examples: int) -> None:
    intents, _ = repo.domain()
    examples = repo.training_examples()
    few = []
    for intent in intents:
        if intent in PIPELINE_INTENTS | PAYLOAD_INTENTS:
            continue
        n = len(examples.get(intent, ()))
        if n < min_examples:
            few.append(f"{intent}: {n} ejemplos de entrenamiento distintos (mínimo {min_examples})")
    few += [f"{intent}: tiene ejemplos en data/ pero no está en domain.yml"
            for intent in sorted(set(examples) - set(intents))]
    f.add(f"Intenciones con al menos {min_examples} ejemplos de entrenamiento", few)

    tested = repo.conversation_test_intents()
    f.add(
        "Intenciones con al menos una prueba de conversación (tests/conversations/)",
        [f"{intent}: ninguna historia ni regla de tests/conversations/ la usa"
         for intent in intents if intent not in tested],
    )


def spanish_problem(text: str) -> Optional[str]:
    """Why ``text`` does not look Spanish, or None."""
    if not text.strip():
        return "texto vacío"
    plain = PLACEHOLDER.sub(" ", text)
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", plain.lower())
    english = sorted({w for w in words if w in ENGLISH_WORDS})
    if english:
        return f"palabras en inglés: {', '.join(english)}"
    if not SPANISH_MARKERS.search(plain) and not any(w in SPANISH_WORDS for w in words):
        return "no parece español (ni tildes ni palabras comunes)"
    return None


def check_responses(repo: Repo, f: Findings) -> None:
    _, responses = repo.domain()
    bad = []
    for name, variations in responses.items():
        if not variations:
            bad.append(f"{name}: sin ninguna variante")
        for i, variation in enumerate(variations):
            text = str((variation or {}).get("text") or "") if isinstance(variation, dict) else ""
            problem = spanish_problem(text)
            if problem:
                where = f"{name}[{i}]" if len(variations) > 1 else name
                bad.append(f"{where}: {problem}" + (f" — «{text[:80]}»" if text.strip() else ""))
    f.add("Respuestas del dominio con texto en español", bad)

    k = load_knowledge(DEFAULT_KNOWLEDGE_FILE)
    msgs, _ = answer_messages(k)
    named = repo.action_response_names()
    for call, m in msgs:
        named.setdefault(m.response, f"actions/knowledge/answers.py ({call})")
    def exists(name: str) -> bool:
        if name.endswith("*"):
            return any(r.startswith(name[:-1]) for r in responses)
        return name in responses

    missing = [f"{name}: lo usa {where}, no está en domain.yml"
               for name, where in sorted(named.items()) if not exists(name)]
    f.add("Respuestas usadas por las acciones que existen en el dominio", missing)

    unfilled = set()
    for call, m in msgs:
        for variation in responses.get(m.response, []):
            for var in PLACEHOLDER.findall(str((variation or {}).get("text") or "")):
                if var not in m.variables:
                    unfilled.add(f"{m.response}: {{{var}}} queda sin valor en {call}")
    f.add("Variables de las respuestas que las acciones rellenan", sorted(unfilled))


def run(root: Path, min_examples: int = MIN_EXAMPLES) -> Findings:
    repo = Repo(root)
    f = Findings()
    check_facts(repo, f)
    check_intents(repo, f, min_examples)
    check_responses(repo, f)
    return f


def report(f: Findings, out=sys.stdout) -> None:
    for title, missing, warnings in f.sections:
        mark = "✗" if missing else "✓"
        count = f": falta{'n' if len(missing) > 1 else ''} {len(missing)}" if missing else ""
        print(f"{mark} {title}{count}", file=out)
        for line in missing:
            print(f"    - {line}", file=out)
        for line in warnings:
            print(f"    ! aviso: {line}", file=out)
    if f.missing:
        print(f"\nmake check: faltan {f.missing} cosa(s).", file=out)
    else:
        print("\nmake check: no falta nada." + (f" ({f.warnings} aviso(s))" if f.warnings else ""), file=out)
