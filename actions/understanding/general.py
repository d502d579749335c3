"""What holds whatever a question is about: premises on the whole programme, "only …", comparisons, breakdowns.

"¿Era para grandes empresas?", "¿solo en Perú?", "¿solo 3 organizaciones?",
"¿cuál de esos sectores tuvo más?", "¿cuántas en cada uno?", a ministry as
partner or as one of the four: checked before the question's own thing is
looked up (``Resolver.resolve``), because they hold for any thing.
"""

from __future__ import annotations

import re
from typing import Optional

from actions.knowledge.answers import Answer
from actions.understanding.frames import Frame
from actions.understanding.organisations import OrganisationAnswers
from actions.understanding.premises import overlaps


class GeneralAnswers(OrganisationAnswers):
    def _general(self, f: Frame) -> Optional[Answer]:
        """What holds whatever the thing: premises about the whole programme, comparisons, breakdowns."""
        p = f.premise
        if f.yes_no and p.big and not f.sector:  # "¿era para grandes empresas?": it was for mipymes
            return self.verdict(False, self.fact("programme"))
        if f.yes_no and p.elsewhere:  # "¿eran países de África?"
            return self.verdict(False, self.fact("countries"))
        only = self._only(f) if f.yes_no and p.only and not f.organisation else None
        if only is not None:
            return only
        if f.yes_no and overlaps(f.text, [self.k.programme["region"].value]) and not f.country and (
                p.number is None) and not ({"event", "new_programme"} & set(f.things)):
            return self.verdict(True, self.fact("countries"))  # "¿se ejecutó en América Latina y el Caribe?"
        if f.place and f.asks in ("which", "what", "where") and not f.yes_no and f.thing in (
                "projects", "organisations", "results", "mipymes", "programme") and not self._named_in(f.place):
            return self.silent("place", place=f.place.title())  # "¿en qué regiones del Perú se hicieron?"
        partner = r"socios?|socias?|aliad\w*|colabor\w*|apoy\w*|cofinanci\w*|coorganiz\w*|co organiz\w*|coordin\w*" + (
            r"|particip\w*|uno de los|una de las|parte|financi\w*|aport\w*" if "ministry" in f.things else "")
        if f.yes_no and ("ministry" in f.things or f.other_organisation) and not f.organisation and re.search(
                rf"\s({partner})\s", f.text) and not re.search(
                r"\s(proyectos?|ejecut\w*|llevaron|organizaciones empresariales)\s", f.text):
            # "¿el Ministerio de la Producción fue socio?": the 110 institutions are not named
            ministry = re.search(r"\sministerio(?:\s+(?:de|del|la|el)){0,2}\s+\w+", f.text)
            name = f.other_organisation or (ministry.group(0) if ministry else "esa entidad")
            return self.silent("partners", name=name.strip().title().replace(" De ", " de ").replace(" La ", " la "))
        if f.yes_no and ("ministry" in f.things or f.other_organisation) and not f.organisation and re.search(
                r"\s(proyectos?|llevaron|ejecut\w*|organizaciones empresariales|(?:4|cuatro) organizaciones)\s",
                f.text):  # "¿el Ministerio fue una de las cuatro?": the four are named, it is not one
            return self.verdict(False, self.fact("organisations"))
        if f.comparison and f.asks in ("which", "who") and not f.yes_no and re.search(
                r"\s(?:de|entre)\s+(?:ellos|ellas|esas|esos|estas|estos|todos|todas|(?:las|los)\s+\d+)\s", f.text):
            if "sectors" in f.things or f.sector or f.thing == "sectors":  # "¿cuál de esos sectores tuvo más empresas?"
                return self.silent("per_sector", sector="cada uno")
            return self.silent("per_organisation", organisation="cada una")  # "¿cuál de las 4 tuvo más?"
        if f.comparison and ("countries" in f.things or f.peru):
            return self.silent("comparison")
        if f.breakdown and f.asks == "who":  # "¿y quién hizo cada uno?"
            return self.silent("per_organisation", organisation="cada uno")
        if f.breakdown and f.asks == "count" and f.thing == "sectors":  # "¿cuántas en cada uno?" after the sectors
            return self.silent("per_sector", sector="cada uno")
        if f.breakdown and f.asks in ("count", "which", "what", "yesno") and f.thing not in ("sectors",):
            if re.search(r"\s(micro|pequenas|medianas|tamano|microempresas)\s", f.text):
                return self.silent("size_breakdown")
            if f.thing == "organisations" or "organisations" in f.things:
                return self.silent("per_organisation", organisation="cada una")
            if "countries" in f.things or " pais " in f.text:
                return self.silent("country", country="cada país")
            if re.search(r"\s(ano|anualmente)\s", f.text):  # "¿cuántas se atendieron cada año?"
                return self.silent("per_year")
            return self.silent("per_sector", sector="cada uno")
        if f.asks == "count" and re.search(r"\s(talleres|capacitaciones|cursos|charlas|asesorias)\s+(?:\w+\s+)?"
                                           r"(hicieron|dieron|dictaron|organizaron|realizaron|hubo)\s", f.text):
            return self.silent("trainings")  # "¿cuántos talleres hicieron en total pa los emprendedores?"
        if (f.asks == "count" or "share" in f.things) and re.search(
                r"\s(mujeres|jovenes|de genero|por genero|femenin\w*)\s", f.text):
            return self.silent("women")  # "¿qué porcentaje eran lideradas por mujeres?"
        sizes = {w for w in ("micro", "pequenas", "medianas") if re.search(rf"\s{w}\w*\s", f.text)}
        if f.asks == "count" and sizes and len(sizes) < 3:  # "¿cuántas eran medianas?" (not "micro, pequeñas y…")
            return self.silent("size_breakdown")
        return None


    def _only(self, f: Frame) -> Optional[Answer]:
        """"¿Solo …?": the premise that it was only that."""
        if f.thing == "mipymes" and f.peru and f.follow_on:
            return None  # "¿y solo en Perú?" after a count of mipymes: Peru's own count (_mipymes)
        p = f.premise
        if re.search(r"\smicro\w*\s", f.text):
            return self.verdict(False, self.fact("beneficiaries_peru"))  # "¿solo apoyó a microempresas?"
        if f.place:  # "¿solo atendió a empresas limeñas?": no figures per city
            return self.silent("place", place=f.place.title())
        if p.number is not None and f.thing in ("organisations", "projects", "institutions"):
            return self.checked(f, f.thing)  # "¿solo 3 organizaciones ejecutaron los proyectos?"
        if f.peru or f.thing in ("countries", "duration", "programme") or (f.thing == "mipymes" and p.number is None):
            return self.verdict(False, self.fact("countries"))  # "¿se ejecutó solo en Perú?"
        return None


__all__ = ["GeneralAnswers"]
