"""One YAML file read as Rasa reads it, with the line of every key and value.

The loader is Rasa's own (``rasa.shared.utils.io.read_yaml``, ruamel, YAML
1.2) in its round-trip mode, so every value has the type Rasa gets and keeps
its line, and a quoted or block value (``ScalarString``) is told from a plain
one: Rasa substitutes ``${VAR}`` in plain values only, which its resolver tags
``!env_var`` (``TaggedScalar`` here).  What this module adds is the
substitution from the mapping of variables under check (not the process's),
and problems that name the file and line instead of raising.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, List, Mapping, Optional, Tuple

from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.scalarstring import ScalarString

from channels.preflight.report import Problem, Report

ENV_TAG = "!env_var"  # rasa.shared.utils.io.replace_environment_variables
_ENV_REFERENCE = re.compile(r"\$\{([^}]*)\}")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def from_env(raw: Any) -> bool:
    """True when Rasa substitutes the ``${VAR}`` of this value (a plain scalar)."""
    return isinstance(raw, TaggedScalar) and str(getattr(raw.tag, "value", raw.tag)) == ENV_TAG


def describe(value: Any) -> str:
    return "vacío" if value is None else repr(value)


@dataclass(frozen=True)
class Entry:
    """One ``key: value`` of a mapping, with its lines."""

    key: str
    full: str  # the dotted path from the top of the file
    raw: Any  # as loaded (ruamel's types)
    key_line: int
    value_line: int


def _value_line(mapping: CommentedMap, key: Any) -> int:
    value = mapping[key]
    if isinstance(value, (CommentedMap, CommentedSeq)):
        return value.lc.line + 1
    if value is None:  # ruamel places an empty value on the next line
        return mapping.lc.key(key)[0] + 1
    return mapping.lc.value(key)[0] + 1


def _duplicate_key(text: str, line: int, column: int) -> Tuple[str, Optional[int]]:
    """(dotted key, line of its first occurrence) of the repeated key at ``line``/``column`` (0-based)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    def walk(node: Any, prefix: str) -> Optional[Tuple[str, Optional[int]]]:
        children: List[Tuple[str, Any]] = []
        if isinstance(node, MappingNode):
            first: dict = {}
            for k, v in node.value:
                name = str(k.value)
                if (k.start_mark.line, k.start_mark.column) == (line, column):
                    return prefix + name, first.get(name)
                first.setdefault(name, k.start_mark.line + 1)
                children.append((f"{prefix}{name}.", v))
        elif isinstance(node, SequenceNode):
            children = [(f"{prefix.rstrip('.')}[{i}].", item) for i, item in enumerate(node.value)]
        return next((found for p, child in children if (found := walk(child, p))), None)

    return walk(YAML(typ="rt").compose(text), "") or ("?", None)


class YamlFile:
    """Collects the problems of one file (never raises on its content)."""

    def __init__(self, path: str, environ: Mapping[str, str], report: Report):
        self.path = path
        self.environ = environ
        self.report = report

    def error(self, line: Optional[int], key: Optional[str], message: str, warning: bool = False) -> None:
        self.report.problems.append(Problem(self.path, line, key, message, warning))

    def warn(self, line: Optional[int], key: Optional[str], message: str) -> None:
        self.error(line, key, message, warning=True)

    def load(self) -> Optional[CommentedMap]:
        """The top mapping, or None with the problem reported."""
        from rasa.shared.utils.io import read_yaml

        try:
            text = Path(self.path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            self.error(None, "(archivo)", f"no se puede leer: {e}")
            return None
        try:
            root = read_yaml(text, reader_type="rt")
        except MarkedYAMLError as e:
            mark = e.problem_mark
            if "duplicate key" in str(e.problem):
                key, first = _duplicate_key(text, mark.line, mark.column)
                self.error(mark.line + 1, key, f"clave repetida (ya está en la línea {first})")
            else:
                self.error(mark.line + 1 if mark else None, "(sintaxis)", f"YAML inválido: {e.problem or e}")
            return None
        if not isinstance(root, (CommentedMap, CommentedSeq)):  # read_yaml gives {} for a file without data
            self.error(None, "(archivo)", "el archivo está vacío")
            return None
        self._check_env_references(root, "")
        if not isinstance(root, CommentedMap):
            self.error(root.lc.line + 1, "(archivo)", "debe ser un mapa de claves (clave: valor)")
            return None
        return root

    def entries(self, mapping: CommentedMap, prefix: str = "") -> Iterator[Entry]:
        """Each entry of a mapping whose key is a text; reports the others."""
        for key in mapping:
            key_line = mapping.lc.key(key)[0] + 1
            if not isinstance(key, str):
                self.error(key_line, f"{prefix}{key}", "la clave debe ser un texto")
                continue
            yield Entry(str(key), prefix + str(key), mapping[key], key_line, _value_line(mapping, key))

    def _check_env_references(self, node: Any, key: str) -> None:
        """Every ``${VAR}`` in a value: set, and written where Rasa substitutes it."""
        if isinstance(node, CommentedMap):
            children = [(node[k], _value_line(node, k), f"{key}.{k}" if key else str(k)) for k in node]
        elif isinstance(node, CommentedSeq):
            children = [(item, node.lc.item(i)[0] + 1, f"{key}[{i}]") for i, item in enumerate(node)]
        else:
            return
        for raw, line, full in children:
            self._check_env_references(raw, full)
            text = str(raw.value) if from_env(raw) else raw if isinstance(raw, str) else ""
            names = _ENV_REFERENCE.findall(text)
            if "${" not in text:
                continue
            if isinstance(raw, ScalarString):
                shown = names[0] if names else "…"
                self.error(line, full, f"Rasa no sustituye ${{{shown}}} en un valor entre comillas: quita las comillas")
                continue
            for name in names:
                if not _ENV_NAME.fullmatch(name):
                    self.error(line, full, f"${{{name}}} no es un nombre de variable de entorno válido")
                elif name not in self.environ:
                    self.error(line, full, f"la variable de entorno {name} no está definida "
                               f"(Rasa no arrancaría, o usaría «${{{name}}}» tal cual)")

    def value(self, raw: Any) -> Any:
        """A value as Rasa gets it after its ``${VAR}`` substitution (unset variables left as written)."""
        if from_env(raw):
            return _ENV_REFERENCE.sub(lambda m: self.environ.get(m.group(1), m.group(0)), str(raw.value))
        if isinstance(raw, (bool, CommentedMap, CommentedSeq)) or raw is None:
            return raw
        for kind in (str, int, float):  # ruamel's subclasses (quoted strings, hex ints...) as plain values
            if isinstance(raw, kind):
                return kind(raw)
        return raw

    # --- the types a key needs --------------------------------------------------------------
    def string(self, entry: Entry, allow_null: bool = False) -> Optional[str]:
        """A non-empty text (or None when ``allow_null`` and the value is null); reports otherwise."""
        value = self.value(entry.raw)
        if value is None and allow_null:
            return None
        if isinstance(value, (CommentedMap, CommentedSeq)):
            self.error(entry.value_line, entry.full, "debe ser un texto")
        elif not isinstance(value, str):
            self.error(entry.value_line, entry.full, f"debe ser un texto, no {describe(value)}")
        elif not value.strip():
            self.error(entry.value_line, entry.full, "no puede estar vacío")
        else:
            return value
        return None

    def boolean(self, entry: Entry) -> Optional[bool]:
        value = self.value(entry.raw)
        if isinstance(value, bool):
            return value
        extra = " (una variable ${…} siempre da un texto)" if from_env(entry.raw) else ""
        shown = "un mapa o una lista" if isinstance(value, (CommentedMap, CommentedSeq)) else describe(value)
        self.error(entry.value_line, entry.full, f"debe ser true o false, no {shown}{extra}")
        return None

    def mapping(self, entry: Entry, allow_null: bool = True) -> Optional[CommentedMap]:
        if isinstance(entry.raw, CommentedMap):
            return entry.raw
        if allow_null and entry.raw is None:
            return None
        self.error(entry.value_line, entry.full,
                   "debe ser un mapa de claves (o quedar vacío)" if allow_null else "debe ser un mapa de claves")
        return None
