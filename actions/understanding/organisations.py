"""The organisations, their projects and the 110 institutions: what the article says of them, and what it does not.

The four organisations that ran the six projects in Peru (names, acronyms,
which one is which), the 110 institutions of the whole programme; and the
honest unknown for projects or mipymes per organisation, their sectors,
their partners' names and the projects' names and places.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional

from actions.knowledge import answers as a
from actions.knowledge import spanish
from actions.knowledge.answers import Answer
from actions.understanding.event import EventAnswers
from actions.understanding.frames import Frame


class OrganisationAnswers(EventAnswers):
    def _projects(self, f: Frame) -> Answer:
        if f.yes_no and f.other_organisation and not f.organisation:  # "¿la Cámara de Arequipa ejecutó los 6?"
            return self.verdict(False, self.fact("organisations"))
        if "names" in f.things or f.asks in ("which", "what") and not f.yes_no:
            return self.silent("project_names")
        if f.country:
            return self.silent("country", country=f.country.title())
        if f.place:
            return self.silent("place", place=f.place.title())
        if f.organisation and (f.asks == "count" or f.premise.number is not None):
            return self.silent("per_organisation", organisation=f.organisation)
        if f.sector and f.asks == "count":
            return self.silent("per_sector", sector=f.sector)
        # "¿fueron 8 proyectos en total?": the article counts projects in Peru only; a stated figure is checked
        # against those, unless the question names the whole programme.
        peru_figure = f.yes_no and f.premise.number is not None and not re.search(
            r"\s(programa|al invest|paises|region|latinoamerica|america latina)\s", f.text)
        if f.total and not f.peru and not peru_figure:
            return self.silent("projects_total")  # (but "fueron 6 proyectos en total, ¿no?" checks Peru's 6)
        if f.asks == "who":
            return self.fact("organisations")
        return self.checked(f, "projects")

    def _organisations(self, f: Frame) -> Answer:
        if "contact" in f.things:
            return self.silent("contact")
        if "institutions" in f.things and f.asks in ("which", "what") and not f.yes_no and not f.organisation:
            return self.silent("institutions_list")  # "aparte de las cuatro, ¿cuáles eran las otras de las 110?"
        place_of = self._named_in(f.place)
        if place_of and not f.organisation and f.asks in ("which", "who") and not f.yes_no:
            return a.organisation(self.k, place_of, f.text, self.today)  # "¿cuál de ellas es de Lima?"
        if place_of:
            f = replace(f, place=None)  # "¿la CCL es la Cámara de Comercio de Lima?": Lima is in its name
        if f.organisation and f.asks in ("which", "what") and not f.yes_no and re.search(
                r"\s(le toco|les toco|tuvo a su cargo|ejecuto|hizo)\s", f.text):
            return self.silent("per_organisation", organisation=f.organisation)  # "¿y cuál le tocó a la SNI?"
        if len(f.organisations) == 1 and self._sector_not_in_a_name(f.sector or f.other_sector) and (
                not f.other_organisation):  # "¿la SNI trabajó sobre todo con la metalmecánica?"
            return self.silent("organisation_sectors", organisation=f.organisation)
        if f.asks in ("which", "who") and not f.yes_no and re.search(r"\s(mas|menos|mayor|menor)\s", f.text) and (
                not f.organisation):  # "¿cuál de ellos hizo más?"
            return self.silent("per_organisation", organisation="cada una")
        if f.organisation and f.premise.number is not None and f.yes_no and (
                {"projects", "mipymes"} & set(f.things)):  # "¿la CCL ejecutó la mayoría de los proyectos?"
            return self.silent("per_organisation", organisation=f.organisation)
        if f.organisation and f.asks == "count" and "mipymes" in f.things:
            return self.silent("per_organisation", organisation=f.organisation)
        if len(f.organisations) > 1 and f.yes_no:  # "¿Adex es lo mismo que la SNI?"
            both = [a.organisation(self.k, o, o, self.today) for o in f.organisations]
            took_part = re.search(r"\s(particip\w*|estuvieron|trabajaron|ejecutaron|colaboraron|entraron|fueron parte|"
                                  r"formaron parte|estaban)\s", f.text) and not re.search(
                r"\s(mismo|misma|mismos|igual|iguales|son la|es la|es el)\s", f.text)
            return self.verdict(bool(took_part), a.joined(*both))  # "¿Adex y la SNI participaron?": both did
        if f.place and f.yes_no:  # "¿el proyecto de Adex se hizo en Arequipa?"
            return self.silent("place", place=f.place.title())
        if f.organisation and f.asks == "count":  # "¿y cuántos de esos hizo la CCL?"
            return self.silent("per_organisation", organisation=f.organisation)
        if f.organisation and f.yes_no and f.premise.only:  # "¿la CCL fue la única?"
            return self.verdict(False, self.fact("organisations"))
        if f.organisation and re.search(r"\s(otras|otros|ademas de|aparte de|fuera de)\s", f.text):
            return self.fact("organisations")  # "¿qué otras, además de la SNI?"
        if f.organisation:
            answer = a.organisation(self.k, f.organisation, f.text, self.today)
            if f.yes_no and f.other_organisation:  # "¿la SNI es la Sociedad Nacional de Pesquería?"
                return self.verdict(False, answer)
            return self.verdict(True, answer) if f.yes_no and f.stated else answer
        if f.other_organisation:
            answer = a.organisation(self.k, f.other_organisation, f.other_organisation, self.today)
            return self.verdict(False, answer) if f.yes_no else answer
        if f.total and not f.peru and f.asks == "count" and re.search(r"\scuant\w+\s+(son|eran|fueron)\s+en total\s",
                                                                     f.text) and not f.organisation:
            return self.checked(f, "organisations")  # "¿y cuántas son en total?" after the list: the 4 listed
        if len(f.organisations) != 1 and f.sector and f.asks in ("which", "who", "what") and not f.yes_no:
            return self.silent("organisation_sectors", organisation="cada una")  # "¿qué gremio apoyó a la carpintería?"
        if f.total and not f.peru and (f.inherited or re.search(
                r"\s(programa|al invest|region|paises|latinoamerica|america latina|instituciones)\s", f.text)):
            return self.fact("institutions")  # "¿y en total?", "¿cuántas en todo el programa?": the 110
        if f.ordinal is not None:
            return a.list_item(self.k, "organisations", f.ordinal)
        if f.premise.names and f.yes_no:  # "¿la Cámara de Comercio de Arequipa fue una de ellas?"
            return self.verdict(False, self.fact("organisations"))
        return self.checked(f, "organisations")

    def _organisation_names(self):
        """(acronym, folded name with a space at each end) of each organisation."""
        return [(o.acronym, f" {spanish.fold(o.name)} ") for o in self.k.organisations]

    def _named_in(self, place: Optional[str]) -> Optional[str]:
        """The acronym of the organisation whose name holds the place ("Lima": CCL), if one does."""
        if not place:
            return None
        word = spanish.fold(place).split()[-1]
        return next((acronym for acronym, name in self._organisation_names() if f" {word} " in name), None)

    def _sector_not_in_a_name(self, sector: Optional[str]) -> bool:
        """A sector named apart from the organisations' names ("Comercio, Producción, Turismo" is PeruCámaras's)."""
        start = f" {spanish.fold(sector or '')[:6]}"
        return bool(sector) and not any(start in name for _, name in self._organisation_names())

    def _institutions(self, f: Frame) -> Answer:
        if f.asks in ("which", "what") and not f.yes_no or "names" in f.things:
            return self.silent("institutions_list")  # "¿me das los nombres de esas 110?"
        if f.peru and f.asks == "count":  # "¿cuántas de ellas eran peruanas?"
            return self.silent("institutions_peru")
        if f.peru or "projects" in f.things:
            return self.checked(f, "organisations")
        return self.checked(f, "institutions")


__all__ = ["OrganisationAnswers"]
