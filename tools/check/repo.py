"""What `make check` reads of the repo: plain YAML, and the `utter_*` names in actions/ read with ast (no import)."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Set, Tuple

import yaml

from actions import constants
from actions.knowledge.spanish import fold

TEST_DIRS = ("tests/e2e", "tests/unit", "tests/conversations")
# Response names built in actions/ as f"<prefix>{value}": the values they take.
PREFIX_VALUES = {
    "utter_bad_input_": [v for n, v in vars(constants).items() if n.startswith("PROBLEM_") and isinstance(v, str)],
}


def load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise SystemExit(f"make check: no se puede leer {path}: {e}") from e


@dataclass
class Repo:
    root: Path

    def domain(self) -> Tuple[List[str], Dict[str, List[Dict[str, Any]]]]:
        """(intents, responses) of domain.yml."""
        intents: List[str] = []
        responses: Dict[str, List[Dict[str, Any]]] = {}
        for path in [self.root / "domain.yml"]:
            doc = load_yaml(path)
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
            for item in load_yaml(path).get("nlu") or []:
                if not isinstance(item, dict) or "intent" not in item:
                    continue
                examples = item.get("examples") or []
                if isinstance(examples, str):
                    lines = [ln.strip()[2:] for ln in examples.splitlines() if ln.strip().startswith("- ")]
                else:  # the list form: [{text: ...}, ...]
                    lines = [str(e.get("text", "")) if isinstance(e, dict) else str(e) for e in examples]
                for line in lines:
                    text = re.sub(r"\[([^\]]*)\](\([^)]*\)|\{[^}]*\})", r"\1", line)  # entity annotations
                    key = " ".join(fold(text).replace("_", " ").split())
                    if key:
                        out[item["intent"]].add(key)
        return out

    def conversation_test_intents(self) -> Dict[str, List[str]]:
        """Intent -> files of tests/conversations/ whose stories or rules have it."""
        out: Dict[str, List[str]] = defaultdict(list)
        for path in sorted((self.root / "tests" / "conversations").rglob("*.yml")):
            doc = load_yaml(path)
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
