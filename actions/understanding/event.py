"""The closing event and the programme it announced: what the article says of them, and what it does not.

The dates, the format (virtual), what it was for, the announcement of a
possible new programme; and the honest unknown for its time, place, platform,
link, cost, speakers and the details of what was presented.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional

from actions.knowledge import answers as a
from actions.knowledge.answers import Answer
from actions.understanding.frames import Frame
from actions.understanding.lookup import Lookup
from actions.understanding.premises import overlaps


class EventAnswers(Lookup):
    def _new_programme(self, f: Frame) -> Answer:
        if "names" in f.things or f.asks == "which" and not re.search(r"\slineas\s", f.text) or re.search(
                r"\sal invest 6\s|\sse llamara\s", f.text):
            return self.silent("programme_name_next")
        if f.asks in ("when", "hour") or f.premise.years:
            return self.silent("next_programme_date")
        if re.search(r"\s(en que consist\w*|detalles?|exactamente|cuales eran las lineas|cuales son las lineas|"
                     r"que lineas|de que se trata\w*|que incluye\w*)\s", f.text):
            return self.silent("next_programme_details")
        if f.yes_no:  # "¿se anunció un nuevo programa?": the article says so
            return self.verdict(True, self.fact("new_programme"))
        return self.fact("new_programme")

    def _event(self, f: Frame) -> Answer:
        if "new_programme" in f.things:
            return self._new_programme(f)
        unknown = self._event_unknown(f)
        if unknown is not None:
            return unknown
        if f.yes_no and re.search(r"\s(un solo dia|un dia|un unico dia|una sola fecha|una sola jornada|un solo)\s",
                                  f.text):  # "¿fue un solo día, el 10 de noviembre?"
            return self.checked(replace(f, premise=replace(f.premise, number=1, bound="")), "event_days")
        if f.ordinal is not None and f.yes_no and f.premise.number is not None:  # "¿el último día fue el 19?"
            days = self.k.closing_event["dates"].value
            yes = -len(days) <= f.ordinal < len(days) and days[f.ordinal].day == f.premise.number
            return self.verdict(yes, a.list_item(self.k, "event_dates", f.ordinal, self.today))
        p = f.premise
        if f.yes_no and f.foreign and not (p.format or p.months or p.years or p.number is not None) and (
                "format" not in f.things) and not overlaps(
                f.text, [self.k.closing_event[key].value for key in ("activities", "exchange", "purpose")]):
            return self.silent("event_details")  # "¿daban certificado por participar?"
        if f.ordinal is not None and f.asks in ("which", "what", "when") and not f.yes_no and not (
                {"activities", "results", "focus"} & set(f.things)):
            return a.list_item(self.k, "event_dates", f.ordinal, self.today)  # "¿y el segundo día cuál es?"
        if f.per_day:
            return self.silent("per_day")
        if f.place or f.premise.names or f.country:
            return self.silent("event_place")
        if f.ordinal is not None:
            return a.list_item(self.k, "event_dates", f.ordinal, self.today)
        if f.premise.format and f.yes_no:
            yes = f.premise.format == self.k.closing_event["format"].value
            return self.verdict(yes, self.fact("event_format"))
        if f.yes_no and (f.premise.months or f.premise.years or (
                f.premise.number is not None and 1 <= f.premise.number <= 31 and f.inherited and not re.search(
                    r"\s(dias|dia|fechas|jornadas|sesiones|veces)\s", f.text))):  # "¿y el 19 también?"
            return self.verdict(self._on_event_dates(f), self.fact("event_dates"))
        if f.asks in ("what", "which") and not f.yes_no and re.search(
                r"\s(?:ademas|aparte|fuera) de (?:los |sus )?resultados\s", f.text):
            # "¿qué se presentará además de los resultados?": the rest of the day, and the new programme
            return a.joined(self.fact("event_activities"), self.fact("new_programme"))
        if f.asks == "how" and ({"activities", "results"} & set(f.things)) and "format" not in f.things:
            return self.fact("event_activities")  # "¿cómo se iba a mostrar el impacto en el evento?"
        if f.asks in ("where", "how") or "format" in f.things:
            return self.fact("event_format")
        if f.asks == "count" and "duration" in f.things:  # "¿cuánto dura el evento de cierre?"
            return self.checked(f, "event_days")
        if f.asks == "count" or f.yes_no and f.premise.number is not None:
            if re.search(r"\s(dias|dia|fechas|jornadas|sesiones|veces)\s", f.text) or f.premise.number == 1 or (
                    f.inherited and len(f.text.split()) <= 3):  # "¿qué días fue?" "¿cuántos son?"
                return self.checked(f, "event_days")
            return self.silent("event_count")
        if f.asks in ("when",) or f.yes_no and f.premise.number:
            return self.checked(f, "event_dates")
        if f.yes_no and f.stated and "activities" in f.things:  # "¿sirve para hacer contactos?"
            e = self.k.closing_event
            said = overlaps(f.text, [e["activities"].value, e["exchange"].value, e["purpose"].value])
            return self.verdict(said or " networking " in f.text, self.fact("event_activities"))
        if "activities" in f.things or "results" in f.things or "focus" in f.things or f.asks in ("what", "why", "how"):
            return self.fact("event_activities")
        return self.fact("event_dates")

    _format = _event
    _activities = _event
    _platform = _event

    def _event_unknown(self, f: Frame) -> Optional[Answer]:
        """What the article does not say of the event (its time, platform, link, speakers, other events);
        a format it did not have ("¿fue presencial?") is answered among them, in the order they are checked."""
        if re.search(r"\s(otro|otros|otra|otras|mas|algun otro|segundo)\s+(eventos?|encuentros?)\s", f.text):
            return self.silent("other_events")  # "¿hubo otro evento del programa en diciembre?"
        if f.asks == "hour" or "hour" in f.asked:
            return self.silent("event_time")
        if "platform" in f.things:
            return self.silent("event_platform")
        if re.search(r"\s(grabad[oa]s?|grabaciones?|grabaran|grabaron|repeticion|diferido|on demand|volver a ver|"
                     r"verlas? despues|verlo despues)\s", f.text):
            return self.silent("event_recording")  # "¿las sesiones del cierre van a quedar grabadas?"
        if f.premise.format and f.yes_no and f.premise.format != self.k.closing_event["format"].value:
            return self.verdict(False, self.fact("event_format"))
        if re.search(r"\s(concretas?|concretos?|en concreto|especific\w+|detalles?)\s", f.text):
            return self.silent("event_details")
        if "contact" in f.things or "apply" in f.things:
            return self.silent("event_link")
        speakers = re.search(r"\s(ponentes?|expositor\w*|expus\w*|expon\w*|panelistas?|oradora?e?s?|speakers?|"
                             r"invitados?|conferencistas?)\s", f.text)
        if not f.yes_no and (f.asks == "who" and (speakers or "people" in f.things or "person" in f.things) or (
                f.asks in ("which", "what") and speakers)):
            return self.silent("event_speakers")  # "¿quiénes serán los expositores?"
        if f.asks in ("which", "what") and not f.yes_no and re.search(
                r"\s(?:que|cuales|cual)\s+(?:\w+\s+){0,2}(historias?|casos?|proyectos|empresas)\s", f.text):
            return self.silent("event_details")  # "¿cuáles son las historias de éxito que presentarán?"
        if "people" in f.things and (f.asks == "count" or f.premise.number is not None):
            return self.silent("event_people")  # "¿se conectaron como 2000 personas?"
        if not f.yes_no and f.premise.number is not None and 1 <= f.premise.number <= 31 and (
                f.asks in ("what", "which") or "activities" in f.things):  # "¿y qué se hizo exactamente el 17?"
            return self.silent("day_details")
        return None

    def _on_event_dates(self, f: Frame) -> bool:
        """Whether the month, year and day a question states are among the event's dates."""
        days = self.k.closing_event["dates"].value
        p = f.premise
        ok = set(p.months) <= {d.month for d in days} and set(p.years) <= {d.year for d in days}
        if p.number is not None and 1 <= p.number <= 31:
            ok = ok and p.number in {d.day for d in days}
        return ok


__all__ = ["EventAnswers"]
