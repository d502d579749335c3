"""The leaf facts of the knowledge file, and every message the answer functions can produce."""

from __future__ import annotations

import datetime as dt
import inspect
import re
from dataclasses import dataclass
from typing import Any, List, Optional, Tuple

from actions.knowledge import answers, spanish
from actions.knowledge.spanish import fold


@dataclass(frozen=True)
class FactValue:
    key: str  # e.g. peru.beneficiaries, sectors.items[2]
    text: str  # formatted as the answers format it
    is_number: bool


def fact_values(k) -> List[FactValue]:
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
    for index in range(len(k.results)):
        take(f"result({index})", answers.result(k, index))
    some = list(k.sentences)[:2]
    for topic, sources in ((None, []), ("programme", some), ("unknown", some)):
        take(f"source({topic})", answers.source(k, topic, sources))

    called = {f.__name__ for f in answers.ANSWERS.values()} | {
        "answer", "sector", "organisation", "unknown", "total", "source", "silent", "list_item", "with_verdict",
        "joined", "sectors_count", "result",
    }
    unknown_fns = []
    for name, fn in inspect.getmembers(answers, inspect.isfunction):
        if name.startswith("_") or fn.__module__ != answers.__name__:
            continue
        ret = str(fn.__annotations__.get("return", ""))
        if ("Answer" in ret or "Message" in ret) and name not in called:
            unknown_fns.append(name)
    return msgs, unknown_fns
