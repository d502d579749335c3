"""`make check`: what the assistant is missing.  Prints it; exit 1 if anything is.

    python -m tools.check [--min-examples 20] [--strict]

Three checks, no model and no server (a few seconds, plain YAML and the
knowledge layer):

1. Facts.  Every leaf fact of the knowledge file (programme, peru,
   closing_event, organisations, results, sectors) is
   - used: its formatted value ("5.375", "49.000", "10, 12, 17 y 19 de
     noviembre de 2020", the text itself) is a variable value of some answer,
     or inside one, found by calling every answer function of
     actions/knowledge/answers.py with every kind of input (before and after
     the closing event, each sector and organisation and a miss, each
     unknown, each follow-up);
   - tested: the value appears in a file under tests/e2e, tests/unit or
     tests/conversations.  This is a plain text search (numbers as whole
     numbers; text ignoring case, accents and repeated spaces): a test that
     reads the value from the knowledge file instead of writing it does not
     count, and a number that appears for another reason does.
   Not facts: the ``source`` pointers, organisation ``aliases`` (spellings for
   matching) and ``sectors.exhaustive`` (it picks the response).
2. Intents.  Every intent of domain.yml has at least MIN_EXAMPLES distinct
   training examples in data/ (except ``nlu_fallback``, made by the pipeline,
   and ``rate``, sent by the rating buttons as a payload: docs/ratings.md),
   and appears in at least one conversation test in tests/conversations/.
3. Responses.  Every response of domain.yml has a non-empty Spanish text (a
   heuristic: at least one accented letter, ¿ ¡ or common Spanish word, and
   none of a list of English words); every ``utter_*`` named in actions/ or
   produced by the answer functions exists in the domain; every placeholder
   of a response is filled by the answer that says it.

Warnings (printed, exit 1 only with --strict): a fact that answers pass but
no response text shows (the variable is never a placeholder).
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import inspect
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MIN_EXAMPLES = 20
# Made by the NLU pipeline (FallbackClassifier, InputGuard), never trained.
PIPELINE_INTENTS = frozenset({"nlu_fallback"})
# Sent only as a button payload ("/rate{...}", docs/ratings.md): exempt from the examples minimum.
PAYLOAD_INTENTS = frozenset({"rate"})
TEST_DIRS = ("tests/e2e", "tests/unit", "tests/conversations")

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


def _problems() -> List[str]:
    from actions import constants

    return [v for n, v in vars(constants).items() if n.startswith("PROBLEM_") and isinstance(v, str)]


# Response names built in actions/ as f"<prefix>{value}": the values they take.
PREFIX_VALUES = {"utter_bad_input_": _problems()}


def fold(text: str) -> str:
    """Lower case, no accents, single spaces."""
    text = unicodedata.normalize("NFKD", text.lower())
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).split())


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise SystemExit(f"make check: no se puede leer {path}: {e}") from e


# --- the repo's content -----------------------------------------------------------------------


@dataclass
class Repo:
    root: Path

    def domain(self) -> Tuple[List[str], Dict[str, List[Dict[str, Any]]]]:
        """(intents, responses) of domain.yml."""
        intents: List[str] = []
        responses: Dict[str, List[Dict[str, Any]]] = {}
        for path in [self.root / "domain.yml"]:
            doc = _load_yaml(path)
            for item in doc.get("intents") or []:
                name = next(iter(item)) if isinstance(item, dict) else str(item)
                if name not in intents:
                    intents.append(name)
            for name, variations in (doc.get("responses") or {}).items():
                responses.setdefault(name, []).extend(variations or [])
        return intents, responses

    def training_examples(self) -> Dict[str, Set[str]]:
        """Intent -> distinct examples (folded, no punctuation) of every `nlu:` file under data/."""
        out: Dict[str, Set[str]] = defaultdict(set)
        for path in sorted((self.root / "data").rglob("*.yml")):
            for item in _load_yaml(path).get("nlu") or []:
                if not isinstance(item, dict) or "intent" not in item:
                    continue
                examples = item.get("examples") or []
                if isinstance(examples, str):
                    lines = [ln.strip()[2:] for ln in examples.splitlines() if ln.strip().startswith("- ")]
                else:  # the list form: [{text: ...}, ...]
                    lines = [str(e.get("text", "")) if isinstance(e, dict) else str(e) for e in examples]
                for line in lines:
                    text = re.sub(r"\[([^\]]*)\](\([^)]*\)|\{[^}]*\})", r"\1", line)  # entity annotations
                    key = " ".join(re.sub(r"[^\w\s]|_", " ", fold(text)).split())
                    if key:
                        out[item["intent"]].add(key)
        return out

    def conversation_test_intents(self) -> Dict[str, List[str]]:
        """Intent -> files of tests/conversations/ whose stories or rules have it."""
        out: Dict[str, List[str]] = defaultdict(list)
        for path in sorted((self.root / "tests" / "conversations").rglob("*.yml")):
            doc = _load_yaml(path)
            for section in ("stories", "rules"):
                for story in doc.get(section) or []:
                    for step in (story or {}).get("steps") or []:
                        if isinstance(step, dict) and step.get("intent"):
                            rel = str(path.relative_to(self.root))
                            if rel not in out[step["intent"]]:
                                out[step["intent"]].append(rel)
        return out

    def test_text(self) -> str:
        """All files under TEST_DIRS, one string (for the plain text search)."""
        parts = []
        for d in TEST_DIRS:
            for path in sorted((self.root / d).rglob("*")):
                if path.is_file() and path.suffix in (".py", ".yml", ".yaml", ".md", ".json", ".txt"):
                    parts.append(path.read_text(encoding="utf-8", errors="replace"))
        return "\n".join(parts)

    def action_response_names(self) -> Dict[str, str]:
        """utter_* names in actions/ (name -> file), read with ast (no import).

        A literal is a name; an f-string such as f"utter_bad_input_{problem}"
        is a prefix, expanded with the values it can take (PREFIX_VALUES) or,
        if unknown, kept as "prefix*" (some response must start with it).
        """
        out: Dict[str, str] = {}
        for path in sorted((self.root / "actions").rglob("*.py")):
            rel = str(path.relative_to(self.root))
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            in_fstrings = set()
            for node in ast.walk(tree):
                if isinstance(node, ast.JoinedStr) and node.values:
                    first = node.values[0]
                    in_fstrings.update(id(v) for v in node.values)
                    if isinstance(first, ast.Constant) and str(first.value).startswith("utter_"):
                        prefix = str(first.value)
                        for suffix in PREFIX_VALUES.get(prefix, ["*"]):
                            out.setdefault(prefix + suffix, rel)
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant) and id(node) not in in_fstrings
                    and isinstance(node.value, str) and re.fullmatch(r"utter_\w+", node.value)
                ):
                    out.setdefault(node.value, rel)
        return out


# --- facts --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FactValue:
    key: str  # e.g. peru.beneficiaries, sectors.items[2]
    text: str  # formatted as the answers format it
    is_number: bool


def fact_values(k) -> List[FactValue]:
    from actions.knowledge import spanish

    out: List[FactValue] = []

    def add(key: str, value: Any) -> None:
        if isinstance(value, bool):
            return
        if isinstance(value, int):
            out.append(FactValue(key, spanish.number(value), True))
        elif isinstance(value, str):
            out.append(FactValue(key, value, False))
        elif isinstance(value, list) and value and all(isinstance(v, dt.date) for v in value):
            out.append(FactValue(key, spanish.dates(value), False))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                add(f"{key}[{i}]", v)

    for section in ("programme", "peru", "closing_event"):
        for name, fact in getattr(k, section).items():
            add(f"{section}.{name}", fact.value)
    for i, org in enumerate(k.organisations):
        add(f"organisations.items[{i}].acronym", org.acronym)
        add(f"organisations.items[{i}].name", org.name)
    for i, fact in enumerate(k.results):
        add(f"results.items[{i}]", fact.value)
    for i, sector in enumerate(k.sectors):
        add(f"sectors.items[{i}]", sector)
    return out


def _number_in(number: str, text: str) -> bool:
    return re.search(r"(?<![\d.,])" + re.escape(number) + r"(?![\d]|[.,]\d)", text) is not None


def found_in(value: FactValue, text: str, folded: Optional[str] = None) -> bool:
    if value.is_number:
        return _number_in(value.text, text)
    folded = folded if folded is not None else fold(text)
    return fold(value.text) in folded


# --- calling every answer function ----------------------------------------------------------


def answer_messages(k) -> Tuple[List[Tuple[str, Any]], List[str]]:
    """([(call, Message)], [answer functions this check does not know how to call])."""
    from actions.knowledge import answers

    msgs: List[Tuple[str, Any]] = []

    def take(call: str, result) -> None:
        for m in result.messages if hasattr(result, "messages") else result:
            msgs.append((call, m))

    dates = k.closing_event["dates"].value
    for today in (dates[0] - dt.timedelta(days=1), dates[-1] + dt.timedelta(days=1)):
        for key in sorted(answers.ANSWERS):
            take(f"answer({key}, {today})", answers.answer(k, key, today))
        for s in list(k.sectors) + ["minería"]:
            take(f"sector({s})", answers.sector(k, s, s, today))
        take("sector(None)", answers.sector(k, None, "", today))
        for o in k.organisations:
            take(f"organisation({o.acronym})", answers.organisation(k, o.acronym, o.acronym, today))
        take("organisation(xyz)", answers.organisation(k, "xyz", "xyz", today))
        take("organisation(None)", answers.organisation(k, None, "", today))
        for intent in sorted(k.unknowns) + ["(otro)"]:
            take(f"unknown({intent})", answers.unknown(k, intent, None, today))
        take("unknown(ask_other_country, Chile)", answers.unknown(k, "ask_other_country", "Chile", today))
        for topic in sorted(set(answers.TOTAL_AFTER) | set(answers.TOTAL_UNKNOWN_AFTER)) + [None]:
            take(f"total({topic})", answers.total(k, topic, today))
        take("silent(…, [programme])", answers.silent(k, "eso", ["programme"], today))
        for key in ("event_dates", "organisations", "sectors"):
            for index in (0, -1, 99):
                take(f"list_item({key}, {index})", answers.list_item(k, key, index, today))
    yes = answers.answer(k, "projects")
    take("with_verdict(True)", answers.with_verdict(True, yes))
    take("with_verdict(False)", answers.with_verdict(False, yes))
    take("joined(projects, countries)", answers.joined(yes, answers.answer(k, "countries")))
    take("sectors_count()", answers.sectors_count(k))
    some = list(k.sentences)[:2]
    for topic, sources in ((None, []), ("programme", some), ("unknown", some)):
        take(f"source({topic})", answers.source(k, topic, sources))

    called = {f.__name__ for f in answers.ANSWERS.values()} | {"answer", "sector", "organisation", "unknown", "total", "source",
                                                                  "silent", "list_item", "with_verdict", "joined", "sectors_count"}
    unknown_fns = []
    for name, fn in inspect.getmembers(answers, inspect.isfunction):
        if name.startswith("_") or fn.__module__ != answers.__name__:
            continue
        ret = str(fn.__annotations__.get("return", ""))
        if ("Answer" in ret or "Message" in ret) and name not in called:
            unknown_fns.append(name)
    return msgs, unknown_fns


# --- the checks --------------------------------------------------------------------------------


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
    from actions.knowledge import load_knowledge

    k = load_knowledge(repo.root / "knowledge" / "al_invest_5.yml")
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
    unused += [f"answers.{name}(): make check no sabe llamarla; añádela a tools/check.py" for name in unknown_fns]

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
    few += [f"{intent}: tiene ejemplos en data/ pero no está en domain.yml" for intent in sorted(set(examples) - set(intents))]
    f.add(f"Intenciones con al menos {min_examples} ejemplos de entrenamiento", few)

    tested = repo.conversation_test_intents()
    f.add(
        "Intenciones con al menos una prueba de conversación (tests/conversations/)",
        [f"{intent}: ninguna historia ni regla de tests/conversations/ la usa" for intent in intents if intent not in tested],
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
    from actions.knowledge import load_knowledge

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

    k = load_knowledge(repo.root / "knowledge" / "al_invest_5.yml")
    msgs, _ = answer_messages(k)
    named = repo.action_response_names()
    for call, m in msgs:
        named.setdefault(m.response, f"actions/knowledge/answers.py ({call})")
    def exists(name: str) -> bool:
        if name.endswith("*"):
            return any(r.startswith(name[:-1]) for r in responses)
        return name in responses

    missing = [f"{name}: lo usa {where}, no está en domain.yml" for name, where in sorted(named.items()) if not exists(name)]
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
        print(f"{mark} {title}" + (f": falta{'n' if len(missing) > 1 else ''} {len(missing)}" if missing else ""), file=out)
        for line in missing:
            print(f"    - {line}", file=out)
        for line in warnings:
            print(f"    ! aviso: {line}", file=out)
    if f.missing:
        print(f"\nmake check: faltan {f.missing} cosa(s).", file=out)
    else:
        print("\nmake check: no falta nada." + (f" ({f.warnings} aviso(s))" if f.warnings else ""), file=out)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m tools.check",
        description="Lo que le falta al asistente: hechos sin usar o sin prueba, intenciones sin ejemplos "
        "o sin prueba de conversación, respuestas que no están en español.",
    )
    ap.add_argument("--min-examples", type=int, default=MIN_EXAMPLES, help=f"ejemplos mínimos por intención (por defecto {MIN_EXAMPLES})")
    ap.add_argument("--strict", action="store_true", help="los avisos también cuentan como faltas")
    args = ap.parse_args(argv)
    findings = run(ROOT, args.min_examples)
    report(findings)
    return 1 if findings.missing or (args.strict and findings.warnings) else 0


if __name__ == "__main__":
    sys.exit(main())
