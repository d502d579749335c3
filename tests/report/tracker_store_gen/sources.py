"""What makes the generated store realistic: the captured real events, NLU examples, domain texts, typing habits."""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from pathlib import Path
from typing import Any, Dict, List

import yaml

from actions import constants as c
from actions.knowledge.spanish import fold, strip_accents

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "tests" / "report" / "fixtures" / "real_events.json"

# Messages with no NLU example to borrow from.
OUT_OF_SCOPE = [
    "¿Qué clima hará mañana en Lima?", "¿Quién ganó el partido de ayer?", "¿Cuánto está el dólar hoy?",
    "Recomiéndame un restaurante en Miraflores", "¿Cómo saco mi RUC?", "¿Cuándo es el próximo feriado?",
    "¿Cómo preparo un ceviche?", "¿Dónde queda la Cámara de Comercio de Arequipa?",
]
OTHER_LANGUAGE = [
    "What is AL-INVEST about?", "How many companies were supported?", "Qual é o orçamento do programa?",
    "Do you speak English?", "Where can I apply?", "Quanto custa participar?",
]
FALLBACK = [
    "y lo otro?", "eso cuanto fue", "info", "quiero saber mas", "no entiendo", "dime algo",
    "y entonces que paso con eso", "ok pero y los demas", "necesito ayuda con lo de la camara", "y el otro tema",
]
BAD_INPUT = [("", c.PROBLEM_EMPTY), ("?????", c.PROBLEM_NO_WORDS), ("!!!", c.PROBLEM_NO_WORDS),
             ("🙂🙂", c.PROBLEM_NO_WORDS), ("hola " * 150, c.PROBLEM_TOO_LONG)]


def normalize(text: str) -> str:
    """The report's grouping key (docs/report.md), written again here on purpose: ``_`` counts as punctuation."""
    return " ".join(fold(text).replace("_", " ").split())


def real_templates() -> Dict[str, Dict[str, Any]]:
    """type_name -> the first real event of that type in the captured fixture."""
    out: Dict[str, Dict[str, Any]] = {}
    for row in json.loads(FIXTURE.read_text(encoding="utf-8"))["rows"]:
        out.setdefault(row["type_name"], json.loads(row["data"]))
    return out


def nlu_examples() -> Dict[str, List[str]]:
    """Intent -> example texts, from data/nlu and the held-out set (plain YAML)."""
    out: Dict[str, List[str]] = defaultdict(list)
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")) + [ROOT / "tests" / "nlu" / "heldout.yml"]:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in doc.get("nlu") or []:
            if "intent" not in item:
                continue
            for line in str(item.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    # drop entity annotations: [texto](entidad) / [texto]{"entity": ...}
                    text = re.sub(r"\[([^\]]*)\](\([^)]*\)|\{[^}]*\})", r"\1", line[2:].strip())
                    out[item["intent"]].append(text)
    return out


def domain_texts() -> Dict[str, str]:
    """Response name -> the text of its first variation in domain.yml."""
    out = {}
    doc = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8")) or {}
    for name, variations in (doc.get("responses") or {}).items():
        if variations and isinstance(variations[0], dict) and variations[0].get("text"):
            out[name] = variations[0]["text"]
    return out


class Keep(dict):
    def __missing__(self, key):  # a placeholder the answer does not fill stays visible
        return "{" + key + "}"


def vary(text: str, rng: random.Random) -> str:
    """How people type the same question: case, accents, punctuation, a typo, spaces."""
    r = rng.random()
    if r < 0.45:
        return text
    if r < 0.65:  # lower case without accents, punctuation kept
        return strip_accents(text)
    if r < 0.78:
        return re.sub(r"[¿?¡!.,]", "", text).strip()
    if r < 0.9 and len(text) > 6:
        i = rng.randrange(1, len(text) - 2)
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]  # two letters swapped
    return "  " + text.replace(" ", "  ") + " "
