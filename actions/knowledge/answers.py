"""Compose answers from the knowledge: which response to say, with which values.

An ``Answer`` is a list of (response name, template variables) plus the answer
key (what the bot just talked about, for follow-ups) and the ids of the source
sentences it rests on (for "¿de dónde sacaste eso?").  The wording lives in the
domain's responses; the values only here, taken from the knowledge file, so a
changed figure changes the answer without retraining.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

from actions.knowledge import spanish
from actions.knowledge.loader import Knowledge, Organisation
from actions.knowledge.topics import ANSWER_TOPICS


@dataclass(frozen=True)
class Message:
    response: str
    variables: Dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    messages: Tuple[Message, ...]
    topic: str
    sources: Tuple[str, ...]


def _one(response: str, topic: str, sources: Tuple[str, ...], **variables: str) -> Answer:
    return Answer((Message(response, variables),), topic, sources)


def _common(k: Knowledge) -> Dict[str, str]:
    p, peru = k.programme, k.peru
    return {
        "programme": p["name"].value,
        "funder": p["funder"].value,
        "creator": p["creator"].value,
        "kind": p["kind"].value,
        "region": p["region"].value,
        "years": spanish.number(p["duration_years"].value),
        "countries": spanish.number(p["countries"].value),
        "total": spanish.number(p["beneficiaries_total"].value),
        "institutions": spanish.number(p["institutions"].value),
        "peru": spanish.number(peru["beneficiaries"].value),
        "share": spanish.number(peru["share_percent"].value),
        "projects": spanish.number(peru["projects"].value),
        "organisations_count": spanish.number(peru["organisations_count"].value),
    }


def _src(*facts) -> Tuple[str, ...]:
    out: List[str] = []
    for f in facts:
        sid = f if isinstance(f, str) else f.source
        if sid not in out:
            out.append(sid)
    return tuple(out)


def _org_full(o: Organisation) -> str:
    return f"{o.name} ({o.acronym})"


def event_is_past(k: Knowledge, today: dt.date) -> bool:
    return today > k.closing_event["dates"].value[-1]


# --- one function per answer key -----------------------------------------------


def programme(k: Knowledge, today: dt.date) -> Answer:
    p = k.programme
    return _one("utter_programme", "programme", _src(p["name"], p["creator"], p["region"]), **_common(k))


def creator(k: Knowledge, today: dt.date) -> Answer:
    p = k.programme
    return _one("utter_creator", "creator", _src(p["creator"], p["funder"], p["region"]), **_common(k))


def focus(k: Knowledge, today: dt.date) -> Answer:
    f = k.programme["focus"]
    return _one("utter_focus", "focus", _src(f), capacities=spanish.join(f.value), **_common(k))


def mipyme_role(k: Knowledge, today: dt.date) -> Answer:
    r = k.programme["mipyme_role"]
    return _one("utter_mipyme_role", "mipyme_role", _src(r), development=spanish.join(r.value), **_common(k))


def beneficiaries_peru(k: Knowledge, today: dt.date) -> Answer:
    return _one(
        "utter_beneficiaries_peru",
        "beneficiaries_peru",
        _src(k.peru["beneficiaries"], k.peru["share_percent"]),
        **_common(k),
    )


def beneficiaries_total(k: Knowledge, today: dt.date) -> Answer:
    return _one(
        "utter_beneficiaries_total", "beneficiaries_total", _src(k.programme["beneficiaries_total"]), **_common(k)
    )


def peru_share(k: Knowledge, today: dt.date) -> Answer:
    return _one("utter_peru_share", "peru_share", _src(k.peru["share_percent"], k.peru["beneficiaries"]), **_common(k))


def countries(k: Knowledge, today: dt.date) -> Answer:
    return _one("utter_countries", "countries", _src(k.programme["countries"]), **_common(k))


def duration(k: Knowledge, today: dt.date) -> Answer:
    return _one("utter_duration", "duration", _src(k.programme["duration_years"]), **_common(k))


def projects(k: Knowledge, today: dt.date) -> Answer:
    acronyms = spanish.join([o.acronym for o in k.organisations])
    return _one(
        "utter_projects", "projects", _src(k.peru["projects"], k.organisations_source),
        acronyms=acronyms, purpose=k.peru["projects_purpose"].value, **_common(k),
    )


def institutions(k: Knowledge, today: dt.date) -> Answer:
    return _one("utter_institutions", "institutions", _src(k.programme["institutions"]), **_common(k))


def organisations(k: Knowledge, today: dt.date) -> Answer:
    names = spanish.join([_org_full(o) for o in k.organisations])
    return _one("utter_organisations", "organisations", _src(k.organisations_source), names=names, **_common(k))


def results(k: Knowledge, today: dt.date) -> Answer:
    items = "\n".join(f"- {spanish_capital(r.value)}" for r in k.results)
    return _one("utter_results", "results", _src(*k.results), results=items, **_common(k))


def sectors(k: Knowledge, today: dt.date) -> Answer:
    response = "utter_sectors" if k.sectors_exhaustive else "utter_sectors_among_others"
    return _one(response, "sectors", _src(k.sectors_source), sectors=spanish.join(k.sectors), **_common(k))


def _event(k: Knowledge, today: dt.date, key: str, sources) -> Answer:
    e = k.closing_event
    tense = "past" if event_is_past(k, today) else "future"
    return _one(
        f"utter_{key}_{tense}", key, _src(*sources),
        dates=spanish.dates(e["dates"].value), format=e["format"].value,
        purpose=e["purpose"].value, activities=e["activities"].value,
        exchange=e["exchange"].value, announcement=e["announcement"].value,
        **_common(k),
    )


def event_dates(k: Knowledge, today: dt.date) -> Answer:
    return _event(k, today, "event_dates", [k.closing_event["dates"]])


def event_days(k: Knowledge, today: dt.date) -> Answer:
    """'¿Cuántos días dura el cierre?': how many dates, and which."""
    dates = k.closing_event["dates"]
    return _one("utter_event_days", "event_days", _src(dates), days=spanish.number(len(dates.value)),
                dates=spanish.dates(dates.value), **_common(k))


def event_format(k: Knowledge, today: dt.date) -> Answer:
    return _event(k, today, "event_format", [k.closing_event["format"]])


def event_activities(k: Knowledge, today: dt.date) -> Answer:
    e = k.closing_event
    return _event(k, today, "event_activities", [e["activities"], e["exchange"]])


def new_programme(k: Knowledge, today: dt.date) -> Answer:
    return _event(k, today, "new_programme", [k.closing_event["announcement"]])


def spanish_capital(text: str) -> str:
    return text[:1].upper() + text[1:]


ANSWERS: Dict[str, Callable[[Knowledge, dt.date], Answer]] = {
    f.__name__: f
    for f in (
        programme, creator, focus, mipyme_role, beneficiaries_peru, beneficiaries_total,
        peru_share, countries, duration, projects, institutions, organisations, results,
        sectors, event_dates, event_days, event_format, event_activities, new_programme,
    )
}
ANSWER_KEYS = frozenset(ANSWERS)
# One function per topic name, no more, no less (the loader checks against the names).
assert ANSWER_KEYS == frozenset(ANSWER_TOPICS), sorted(ANSWER_KEYS ^ frozenset(ANSWER_TOPICS))


def answer(k: Knowledge, key: str, today: Optional[dt.date] = None) -> Answer:
    return ANSWERS[key](k, today or dt.date.today())


# --- answers that take what the user named ------------------------------------------


def find_sector(k: Knowledge, text: str) -> Optional[str]:
    return spanish.best_match(text, k.sectors)


def sector(k: Knowledge, named: Optional[str], text: str, today: Optional[dt.date] = None) -> Answer:
    """Yes when the named sector is listed; otherwise say the source does not list it."""
    listed = (named and find_sector(k, named)) or find_sector(k, text)
    others = spanish.join(k.sectors)
    if listed:
        rest = spanish.join([s for s in k.sectors if s != listed])
        return _one("utter_sector_listed", "sector", _src(k.sectors_source), sector=listed, sectors=rest, **_common(k))
    if named:
        return _one(
            "utter_sector_not_listed", "sector", _src(k.sectors_source), sector=named, sectors=others, **_common(k)
        )
    return sectors(k, today or dt.date.today())


def find_organisation(k: Knowledge, text: str) -> Optional[Organisation]:
    by_alias = {alias: o for o in k.organisations for alias in (o.acronym, o.name, *o.aliases)}
    hit = spanish.best_match(text, by_alias, cutoff=0.85)
    return by_alias[hit] if hit else None


def organisation(k: Knowledge, named: Optional[str], text: str, today: Optional[dt.date] = None) -> Answer:
    org = (named and find_organisation(k, named)) or find_organisation(k, text)
    if org:
        return _one(
            "utter_organisation", "organisation", _src(k.organisations_source),
            acronym=org.acronym, name=org.name, **_common(k),
        )
    names = spanish.join([_org_full(o) for o in k.organisations])
    if named:
        return _one(
            "utter_organisation_not_listed",
            "organisations",
            _src(k.organisations_source),
            named=named,
            names=names,
            **_common(k),
        )
    return organisations(k, today or dt.date.today())


def unknown(k: Knowledge, key: str, country: Optional[str] = None, today: Optional[dt.date] = None) -> Answer:
    """'La fuente no lo indica', then the nearest facts the source does give."""
    u = k.unknowns.get(key)  # the knowledge file's ``unknowns`` entry (named as the question's intent)
    topic = u.topic if u else "eso"
    if country:  # the figures of a country other than Peru
        topic = f"las cifras de {country.strip().title()}"
    return silent(k, topic, u.nearest if u else (), today)


def silent(k: Knowledge, topic: str, nearest_keys, today: Optional[dt.date] = None, thing: str = "") -> Answer:
    """'La fuente no lo indica: … {topic}', then the nearest facts (answer keys) it does give."""
    nearest = [answer(k, key, today) for key in nearest_keys]
    messages = [Message("utter_source_silent", {"topic": topic, **_common(k)})]
    if nearest:
        messages.append(Message("utter_nearest_fact", {}))
    for a in nearest:
        messages.extend(a.messages)
    sources = tuple(s for a in nearest for s in a.sources)
    return Answer(tuple(messages), "unknown", sources)


# "Sí." / "No." before an answer: the check of a yes/no question's premise.
VERDICTS = ("utter_verdict_yes", "utter_verdict_no")


def with_verdict(yes: bool, a: Answer) -> Answer:
    """'Sí.' or 'No.' before an answer: the check of a yes/no question's premise."""
    verdict = Message(VERDICTS[0] if yes else VERDICTS[1], {})
    return Answer((verdict, *a.messages), a.topic, a.sources)


def joined(*parts: Answer) -> Answer:
    """Answers to several questions of one message, in order; the last one's topic is the context."""
    messages = tuple(m for p in parts for m in p.messages)
    sources = _src(*[s for p in parts for s in p.sources])
    return Answer(messages, parts[-1].topic, sources)


# How an item's place is named ("el primero"); index -1 is the last one.
ORDINAL_NAMES = {0: "el primero", 1: "el segundo", 2: "el tercero", 3: "el cuarto", 4: "el quinto", 5: "el sexto",
                 -2: "el penúltimo", -1: "el último"}


def list_item(k: Knowledge, key: str, index: int, today: Optional[dt.date] = None) -> Answer:
    """'¿Y el primero de esos días?': one item of a list the bot gave."""
    if key == "event_dates":
        items = [spanish.dates([d]) for d in sorted(k.closing_event["dates"].value)]
        sources = _src(k.closing_event["dates"])
    elif key == "organisations":
        items = [_org_full(o) for o in k.organisations]
        sources = _src(k.organisations_source)
    else:
        items = list(k.sectors)
        sources = _src(k.sectors_source)
    if not -len(items) <= index < len(items):
        return answer(k, key, today)
    position = ORDINAL_NAMES.get(index, f"el número {index % len(items) + 1}")
    return _one("utter_list_item", key, sources, position=position, item=items[index], count=spanish.number(len(items)))


def result(k: Knowledge, index: int) -> Answer:
    """'¿Generaron alianzas?': the one result asked about, in the article's words."""
    item = k.results[index]
    return _one("utter_result", "results", _src(item), result=item.value, **_common(k))


def sectors_count(k: Knowledge) -> Answer:
    """'¿Cuántos sectores?': how many the article names, and that it says 'entre otros'."""
    response = "utter_sectors_count" if not k.sectors_exhaustive else "utter_sectors"
    return _one(response, "sectors", _src(k.sectors_source), count=spanish.number(len(k.sectors)),
                sectors=spanish.join(k.sectors), **_common(k))


# Follow-up "¿y en total?": what "total" means after each topic.  After a topic
# whose total the source does not give, say so with the nearest fact.
TOTAL_AFTER = {
    "beneficiaries_peru": "beneficiaries_total",
    "peru_share": "beneficiaries_total",
    "organisations": "institutions",
    "organisation": "institutions",
    "beneficiaries_total": "beneficiaries_total",
}
TOTAL_UNKNOWN_AFTER = {
    "projects": "el número total de proyectos del programa en los {countries} países",
    "sectors": "los sectores más activos en todo el programa",
    "sector": "los sectores más activos en todo el programa",
}


def total(k: Knowledge, last_topic: Optional[str], today: Optional[dt.date] = None) -> Answer:
    if last_topic in TOTAL_UNKNOWN_AFTER:
        topic = TOTAL_UNKNOWN_AFTER[last_topic].format(**_common(k))
        near = answer(k, "beneficiaries_total", today)
        return Answer(
            (
                Message("utter_source_silent", {"topic": topic, **_common(k)}),
                Message("utter_nearest_fact", {}),
                *near.messages,
            ),
            "unknown",
            near.sources,
        )
    return answer(k, TOTAL_AFTER.get(last_topic or "", "beneficiaries_total"), today)


def source(k: Knowledge, last_topic: Optional[str], last_sources: List[str]) -> List[Message]:
    """Name the article and quote the sentences the last answer came from."""
    quotes = [k.sentences[s] for s in last_sources if s in k.sentences]
    title = k.source_title
    if not quotes:
        return [Message("utter_source_general", {"title": title})]
    quote = "\n".join(f"«{q}»" for q in quotes)
    if last_topic == "unknown":
        return [Message("utter_source_unknown", {"title": title, "quote": quote})]
    return [Message("utter_source_quote", {"title": title, "quote": quote})]
