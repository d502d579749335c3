"""Load the knowledge file into frozen objects, or fail naming file, key, line.

The file is parsed with ``yaml.compose`` so that every node keeps its line;
validation walks the nodes against a small schema and raises ``KnowledgeError``
at the first problem.  Either the whole file is valid and a ``Knowledge`` is
returned, or nothing is: there is no half-loaded state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Optional, Tuple, Union

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from actions.knowledge.topics import ANSWER_TOPICS


class KnowledgeError(Exception):
    """The knowledge file is unusable.  ``str()`` names file, line and key."""

    def __init__(self, path: Union[str, Path], line: Optional[int], key: str, problem: str):
        self.path, self.line, self.key, self.problem = str(path), line, key, problem
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: clave '{key}': {problem}")


@dataclass(frozen=True)
class Fact:
    value: Any
    source: str  # id of a sentence under source.sentences


@dataclass(frozen=True)
class Organisation:
    acronym: str
    name: str
    aliases: Tuple[str, ...]


@dataclass(frozen=True)
class Unknown:
    topic: str
    nearest: Tuple[str, ...]


@dataclass(frozen=True)
class Knowledge:
    path: str
    source_title: str
    source_file: str
    sentences: Dict[str, str]
    programme: Dict[str, Fact]
    peru: Dict[str, Fact]
    organisations: Tuple[Organisation, ...]
    organisations_source: str
    results: Tuple[Fact, ...]
    sectors: Tuple[str, ...]
    sectors_exhaustive: bool
    sectors_source: str
    closing_event: Dict[str, Fact]
    unknowns: Dict[str, Unknown]


# --- schema --------------------------------------------------------------------
# A schema is a type (str, int, bool, dt.date), a one-element list [schema] for a
# non-empty list, a dict {key: schema} for a mapping with exactly those keys
# ("*" for any keys), or FACT(schema) for {value: schema, source: sentence id}.


@dataclass(frozen=True)
class FACT:
    value: Any


_STR_LIST = [str]
SCHEMA: Dict[str, Any] = {
    "source": {"title": str, "file": str, "sentences": {"*": str}},
    "programme": {
        "name": FACT(str),
        "funder": FACT(str),
        "creator": FACT(str),
        "kind": FACT(str),
        "focus": FACT(_STR_LIST),
        "mipyme_role": FACT(_STR_LIST),
        "region": FACT(str),
        "duration_years": FACT(int),
        "countries": FACT(int),
        "beneficiaries_total": FACT(int),
        "institutions": FACT(int),
    },
    "peru": {
        "beneficiaries": FACT(int),
        "share_percent": FACT(int),
        "projects": FACT(int),
        "organisations_count": FACT(int),
        "projects_purpose": FACT(str),
    },
    "organisations": {
        "source": str,
        "items": [{"acronym": str, "name": str, "aliases": _STR_LIST}],
    },
    "results": {"source": str, "items": [FACT(str)]},
    "sectors": {"source": str, "exhaustive": bool, "items": _STR_LIST},
    "closing_event": {
        "format": FACT(str),
        "dates": FACT([dt.date]),
        "purpose": FACT(str),
        "activities": FACT(str),
        "exchange": FACT(str),
        "announcement": FACT(str),
    },
    "unknowns": {"*": {"topic": str, "nearest": _STR_LIST}},
}

_TYPE_NAMES = {str: "un texto", int: "un número entero", bool: "true o false", dt.date: "una fecha AAAA-MM-DD"}


class _Validator:
    def __init__(self, path: Path):
        self.path = path
        self.constructor = yaml.SafeLoader("")  # only used to construct scalars

    def fail(self, node: Optional[Node], key: str, problem: str) -> KnowledgeError:
        line = node.start_mark.line + 1 if node is not None else None
        return KnowledgeError(self.path, line, key, problem)

    def check(self, node: Node, schema: Any, key: str, key_node: Optional[Node] = None) -> Any:
        """Validate ``node``; ``key_node`` (the line of its key) locates a missing key."""
        if isinstance(schema, FACT):
            data = self.check(node, {"value": schema.value, "source": str}, key, key_node)
            return Fact(data["value"], data["source"])
        if isinstance(schema, dict):
            if not isinstance(node, MappingNode):
                raise self.fail(node, key, "debe ser un mapa de claves")
            seen: Dict[str, Any] = {}
            for k_node, v_node in node.value:
                k = self.constructor.construct_object(k_node, deep=True)
                sub = f"{key}.{k}" if key else str(k)
                if k in seen:
                    raise self.fail(k_node, sub, "clave repetida")
                if "*" in schema:
                    seen[k] = self.check(v_node, schema["*"], sub, k_node)
                elif k not in schema:
                    raise self.fail(k_node, sub, "clave desconocida")
                else:
                    seen[k] = self.check(v_node, schema[k], sub, k_node)
            if "*" in schema:
                if not seen:
                    raise self.fail(node, key, "no puede estar vacío")
            else:
                missing = [k for k in schema if k not in seen]
                if missing:
                    raise self.fail(key_node or node, f"{key}.{missing[0]}" if key else missing[0], "falta esta clave")
            return seen
        if isinstance(schema, list):
            if not isinstance(node, SequenceNode):
                raise self.fail(node, key, "debe ser una lista")
            if not node.value:
                raise self.fail(node, key, "la lista no puede estar vacía")
            return [self.check(n, schema[0], f"{key}[{i}]") for i, n in enumerate(node.value)]
        # a scalar type
        if not isinstance(node, ScalarNode):
            raise self.fail(node, key, f"debe ser {_TYPE_NAMES[schema]}")
        value = self.constructor.construct_object(node)
        ok = isinstance(value, schema) and not (schema is int and isinstance(value, bool))
        if schema is dt.date and isinstance(value, dt.datetime):
            ok = False
        if not ok:
            raise self.fail(node, key, f"debe ser {_TYPE_NAMES[schema]}, no {value!r}")
        if schema is str and not value.strip():
            raise self.fail(node, key, "no puede estar vacío")
        if schema is int and value < 0:
            raise self.fail(node, key, "no puede ser negativo")
        return value


def _node_at(root: MappingNode, dotted: str) -> Optional[Node]:
    """The node of a dotted key (for error lines found after type checks)."""
    node: Optional[Node] = root
    for part in dotted.replace("]", "").replace("[", ".").split("."):
        if isinstance(node, MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, SequenceNode) and part.isdigit():
            node = node.value[int(part)]
        else:
            return node
    return node


def _check_references(v: "_Validator", root: Node, data: Dict[str, Any]) -> None:
    """What the schema cannot say: sources name quoted sentences, dates in order, a share
    under 100, and the nearest facts of the unknowns are answers the bot has."""
    # Every source pointer names a quoted sentence.
    sentences = data["source"]["sentences"]

    def need_sentence(sid: Any, key: str) -> str:
        if sid not in sentences:
            raise v.fail(_node_at(root, key), key, f"la oración '{sid}' no está en source.sentences")
        return sid

    for section in ("programme", "peru", "closing_event"):
        for k, fact in data[section].items():
            need_sentence(fact.source, f"{section}.{k}.source")
    for i, fact in enumerate(data["results"]["items"]):
        need_sentence(fact.source, f"results.items.{i}.source")
    for section in ("organisations", "results", "sectors"):
        need_sentence(data[section]["source"], f"{section}.source")
    dates = data["closing_event"]["dates"].value
    if dates != sorted(set(dates)):
        raise v.fail(
            _node_at(root, "closing_event.dates.value"),
            "closing_event.dates.value",
            "las fechas deben ir en orden y sin repetirse",
        )
    share = data["peru"]["share_percent"].value
    if share > 100:
        raise v.fail(
            _node_at(root, "peru.share_percent.value"),
            "peru.share_percent.value",
            "un porcentaje no puede pasar de 100",
        )

    for intent, unknown in data["unknowns"].items():
        for j, near in enumerate(unknown["nearest"]):
            if near not in ANSWER_TOPICS:
                key = f"unknowns.{intent}.nearest.{j}"
                raise v.fail(
                    _node_at(root, key),
                    key,
                    f"'{near}' no es una respuesta conocida ({', '.join(sorted(ANSWER_TOPICS))})",
                )


def load_knowledge(path: Union[str, Path]) -> Knowledge:
    """Read, validate and freeze the knowledge file; raise KnowledgeError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise KnowledgeError(path, None, "(archivo)", f"no se puede leer: {e}") from e
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise KnowledgeError(path, line, "(sintaxis)", f"YAML inválido: {getattr(e, 'problem', e)}") from e
    if root is None:
        raise KnowledgeError(path, None, "(archivo)", "el archivo está vacío")
    v = _Validator(path)
    data = v.check(root, SCHEMA, "")

    _check_references(v, root, data)
    sentences = data["source"]["sentences"]
    orgs = tuple(
        Organisation(o["acronym"], o["name"], tuple(o["aliases"])) for o in data["organisations"]["items"]
    )
    return Knowledge(
        path=str(path),
        source_title=data["source"]["title"],
        source_file=data["source"]["file"],
        sentences=dict(sentences),
        programme=data["programme"],
        peru=data["peru"],
        organisations=orgs,
        organisations_source=data["organisations"]["source"],
        results=tuple(data["results"]["items"]),
        sectors=tuple(data["sectors"]["items"]),
        sectors_exhaustive=data["sectors"]["exhaustive"],
        sectors_source=data["sectors"]["source"],
        closing_event=data["closing_event"],
        unknowns={k: Unknown(u["topic"], tuple(u["nearest"])) for k, u in data["unknowns"].items()},
    )
