"""Look a frame up in the knowledge file: the answer, a checked premise, or the honest unknown.

Each *thing* a question can be about has one function here (the closing
event's in ``event.py``) that says which answer of ``actions.knowledge.answers``
holds it for the frame's narrowing.
Where the knowledge file has no value for the pair (mipymes *per sector*,
projects *in Chile*, the event's *city*, *money*), the answer is "la fuente no
lo indica" with the nearest fact it does give: unknowns follow from what the
file lacks, not from a list of expected questions.

A yes/no question with a premise ("¿fueron 8 proyectos?", "¿lo creó la ONU?",
"¿fue presencial?") gets "Sí" or "No" first, checked against the same values;
a premise the file can neither confirm nor deny (a city) gets the unknown.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional

from actions.knowledge import answers as a
from actions.knowledge.answers import Answer
from actions.understanding.general import GeneralAnswers
from actions.understanding.frames import Frame
from actions.understanding.premises import FIGURES, best_overlap, holds, overlaps

# A part of the programme's region ("¿cuántos eran del Caribe?"), once the
# region's own name ("América Latina y el Caribe") is taken out.
_REGION_NAME = re.compile(r"\samerica latina y (?:el )?caribe\s|\slatinoamerica y (?:el )?caribe\s")
_SUBREGION = re.compile(r"\s(caribe|caribenos?|caribenas?|sudamerica\w*|suramerica\w*|centroamerica\w*|"
                        r"norteamerica\w*|andinos?|andinas?|cono sur)\s")


class Resolver(GeneralAnswers):
    # --- one entry per thing ----------------------------------------------------------
    def resolve(self, f: Frame) -> Optional[Answer]:
        if f.yes_no and f.sector and f.thing in ("results", "programme", "creator"):  # "¿ayudó a las panaderías?"
            f = replace(f, thing="sectors")
        if f.yes_no and "results" in f.things and f.thing != "results" and not f.organisation and best_overlap(
                f.text, [r.value for r in self.k.results]) is not None:  # "¿generaron alianzas con el sector público?"
            f = replace(f, thing="results")
        if f.thing in ("activities", "format", "platform") and "event" not in f.things and "programme" in f.things and (
                not f.inherited):  # "¿por qué se hizo el programa?": not the event's activities
            f = replace(f, thing="programme")
        if f.thing in ("mipymes", "organisations") and "event" in f.things and (
                f.asks == "count" or f.yes_no and f.premise.format):  # "¿cuántas charlas hubo en el cierre?"
            f = replace(f, thing="event")
        if f.yes_no and f.eu and f.thing in ("results", "programme") and "mipymes" in f.things and (
                f.premise.number is None and best_overlap(f.text, [r.value for r in self.k.results]) is None):
            f = replace(f, thing="mipymes")  # "¿la Unión Europea ayudó a las mypes del Perú?"
        edition = re.search(r"\sal invest (\d+)\s", f.text)
        if edition and int(edition.group(1)) < 5 and not f.yes_no:  # "¿y qué fue el AL-INVEST 4?": not in the article
            return self.silent("other_editions")
        if edition and int(edition.group(1)) < 5 and f.yes_no and "programme" in f.things:  # "¿es el AL-INVEST 4.0?"
            return self.verdict(False, self.fact("programme"))
        if re.search(r"\shistorias? de exito\s", f.text) and f.asks in ("which", "what", "who") and not f.yes_no:
            return self.silent("event_details")  # "¿cuál fue la historia de éxito más destacada?": none is told
        if "apply" in f.things and f.thing in ("mipymes", "programme") and not f.yes_no:  # "¿cómo hago pa postular?"
            f = replace(f, thing="apply")
        if f.thing in ("new_programme", "programme") and "contact" in f.things:  # "¿a quién llamo pa entrar?"
            f = replace(f, thing="contact")
        if f.thing == "programme" and "new_programme" in f.things:  # "¿qué onda con el programa nuevo…?"
            f = replace(f, thing="new_programme")
        if f.asks == "why" and f.thing == "share" and "mipymes" in f.things and f.premise.number is None:
            f = replace(f, thing="mipymes")  # "¿por qué tanto interés en las mypes?": their role
        if f.thing == "organisations" and len(f.organisations) > 1 and not f.yes_no and f.asks == "what":
            return a.joined(*[a.organisation(self.k, o, o, self.today) for o in f.organisations])  # "¿SNI y Adex?"
        if f.yes_no and f.organisation and len(f.organisations) < len(self.k.organisations) and re.search(
                r"\s(?:solo|solamente|unicamente)\s+(?:la\s+|el\s+)?(?:ccl|adex|sni|perucamaras|camara)", f.text):
            return self.verdict(False, self.fact("organisations"))  # "¿solo la CCL o había más gremios?"
        if f.yes_no and f.organisation and f.thing == "organisations" and "creator" in f.things and not f.eu:
            return self.verdict(False, self.fact("creator"))  # "¿Adex creó el programa?": the Commission did
        general = self._general(f)
        if general is not None:
            return general
        handler = getattr(self, f"_{f.thing}", None) if f.thing else None
        return handler(f) if handler else None

    def _mipymes(self, f: Frame) -> Answer:
        if "people" in f.things and f.asks == "count":
            return self.silent("people")
        if f.ordinal is not None and f.asks == "count":  # "¿cuántas empresas había en el primero?"
            return self.silent("per_sector", sector="cada uno")
        if f.premise.only and f.peru and (f.asks == "count" and not f.yes_no or f.follow_on):
            return self.fact("beneficiaries_peru")  # "¿cuántas en total?" "¿y solo en Perú?": Peru's own count
        if f.premise.only:
            return self.verdict(False, self.fact("countries"))
        if f.asks == "why" and f.premise.number is not None:  # "¿por qué el titular dice más de 5.300?"
            return self.fact("beneficiaries_peru")
        if f.asks == "why":
            return self.fact("mipyme_role")
        if f.asks == "what" and re.search(r"\s(significa|quiere decir|son las|es una|es eso de)\s", f.text) and not (
                f.narrowed() or f.premise.number is not None):  # "¿qué quiere decir mipymes?": the article's words
            return self.fact("programme")
        if f.yes_no and f.eu and not f.other_organisation and f.premise.number is None and not (
                f.sector or f.place or f.country):  # "¿la Unión Europea apoyó a mypes peruanas?"
            return self.verdict(True, self.fact("beneficiaries_peru"))
        if f.country:
            return self.silent("country", country=f.country.title())
        if f.place:
            return self.silent("place", place=f.place.title())
        if f.premise.years and f.asks == "count":  # "¿cuántas se beneficiaron en 2018?": no figure per year
            return self.silent("per_year")
        if "names" in f.things or f.asks == "which" and f.inherited or (f.asks in ("which", "what") and re.search(
                r"\s(que|cuales)\s+(?:son\s+|eran\s+|fueron\s+)?(?:las\s+|los\s+)?(mipymes|empresas|mypes|pymes|negocios)\s",
                f.text)):
            return self.silent("company_names")  # "¿y cuáles eran?", "¿qué mipymes específicas?"
        if (f.sector or f.other_sector) and f.asks in ("count", "yesno") and f.premise.number is not None or (
                (f.sector or f.other_sector) and f.asks == "count"):
            return self.silent("per_sector", sector=f.sector or f.other_sector)
        if f.sector or f.other_sector:
            return a.sector(self.k, f.sector or f.other_sector, f.text, self.today)
        if f.organisation and f.asks == "count":
            return self.silent("per_organisation", organisation=f.organisation)
        if "share" in f.things:
            return self.checked(f, "peru_share")
        if "results" in f.things and f.asks not in ("count",) and f.premise.number is None:
            return self.fact("results")
        if f.asks == "how" and "results" not in f.things:
            return self.fact("results")
        key = "beneficiaries_total" if f.total and not f.peru else "beneficiaries_peru"
        if f.yes_no and f.premise.number and not f.total and not f.peru:
            total, peru = FIGURES["beneficiaries_total"](self.k), FIGURES["beneficiaries_peru"](self.k)
            bound = f.premise.bound or "about"  # "¿más de 5 mil?" holds for Peru: the figure of the conversation
            if holds(total, f.premise.number, bound) and not holds(peru, f.premise.number, bound):
                key = "beneficiaries_total"
        if f.total and f.peru and f.asks == "count" and not f.yes_no:  # "¿cuántas en Perú y en total?"
            return a.joined(self.fact("beneficiaries_peru"), self.fact("beneficiaries_total"))
        return self.checked(f, key)

    def _share(self, f: Frame) -> Answer:
        if f.place:  # "¿la mayoría eran de Lima?"
            return self.silent("place", place=f.place.title())
        if f.country:
            return self.silent("country", country=f.country.title())
        return self.checked(f, "peru_share")

    def _countries(self, f: Frame) -> Answer:
        if f.premise.only:
            return self.verdict(False, self.fact("countries"))
        if f.yes_no and f.peru and not f.country:  # "¿y Perú estaba entre ellos?"
            return self.verdict(True, self.fact("peru_share"))
        if f.country and f.asks in ("yesno", "which", "what"):
            return self.silent("country_in", country=f.country.title())
        if f.country:
            return self.silent("country", country=f.country.title())
        if f.asks in ("which", "what") and not f.yes_no:
            return self.silent("countries_list")
        if f.asks == "count" and _SUBREGION.search(_REGION_NAME.sub(" ", f.text)):
            return self.silent("countries_part")  # "¿cuántos de los países son del Caribe?"
        return self.checked(f, "countries")

    def _duration(self, f: Frame) -> Answer:
        if "event" in f.things:
            return self._event(replace(f, thing="event"))
        if f.asks == "when":
            return self.silent("programme_dates")
        if f.asks == "where" and re.search(r"\s(region|continente|parte del mundo)\s", f.text):
            return self.fact("programme")  # "¿en qué región se ejecutó?": the sentence that names the region
        if f.asks == "where":  # "¿cuántos años duró?" "¿y dónde?": in the 18 countries
            return self.checked(f, "countries")
        return self.checked(f, "duration")

    def _article_meta(self, f: Frame) -> Answer:
        return self.silent("article_meta")

    def _sectors(self, f: Frame) -> Answer:
        named = f.sector or f.other_sector
        if "new_programme" in f.things and not named:  # "¿esas líneas de intervención para qué sector son?"
            return self._new_programme(f)
        if not named and re.search(
            r"\s(otros sectores|otros rubros|los demas|ademas de los|entre otros|cuales son los otros)\s", f.text
        ):
            return self.silent("other_sectors")
        if named and (f.asks == "count" or f.yes_no and f.premise.number is not None):  # "¿textil tuvo mil?"
            return self.silent("per_sector", sector=named)
        if f.asks in ("which", "what") and re.search(  # (also "…, textil o agro?")
                r"\s((con|tuvo|tuvieron|hubo) (mas|mayor)|mas (empresas|mipymes|mypes|negocios|beneficiad\w*))\s",
                f.text):
            return self.silent("per_sector", sector="cada uno")  # "¿cuál fue el sector con más empresas?"
        if f.yes_no and f.premise.number == 1 and not named:  # "¿eran todas de un solo sector?"
            return self.verdict(False, self.fact("sectors"))
        if named:
            answer = a.sector(self.k, named, f.text, self.today)
            listed = answer.messages[0].response == "utter_sector_listed"
            return answer if listed or not f.yes_no else answer
        if f.total and not f.peru:
            return self.silent("sectors_total")
        if f.ordinal is not None:
            return a.list_item(self.k, "sectors", f.ordinal)
        if f.asks == "count":
            return a.sectors_count(self.k)
        return self.fact("sectors")

    def _results(self, f: Frame) -> Answer:
        if f.asks == "count" or f.premise.number is not None or "share" in f.things:
            return self.silent("improvement")
        if "projects" in f.things and "mipymes" not in f.things and not f.yes_no:
            return self.fact("projects")  # "¿qué fortalecieron los proyectos?": what the article says they did
        if "event" in f.things:
            return self._event(replace(f, thing="event"))
        if f.asks in ("which", "what") and not f.yes_no and re.search(
                r"\s(concret\w*|especific\w*|ejemplos?|en detalle|firmaron|se firmo)\s", f.text):
            return self.silent("result_details")  # "¿qué alianzas concretas se firmaron?": the article lists no detail
        said = best_overlap(f.text, [r.value for r in self.k.results])
        if f.yes_no and said is not None:  # "¿se generaron alianzas público-privadas?", "¿más productividad?": that one
            return self.verdict(True, a.result(self.k, said))
        if f.yes_no and f.stated:  # "¿bajaron sus costos?": not among the results the article lists
            return self.verdict(False, self.fact("results"))
        return self.fact("results")

    def _alliances(self, f: Frame) -> Answer:
        return self.silent("alliance_partners")

    def _opinion(self, f: Frame) -> Answer:
        return self.silent("opinion")

    def _improvement(self, f: Frame) -> Answer:
        return self.silent("improvement")

    def _focus(self, f: Frame) -> Answer:
        if f.asks == "why" and "mipymes" in f.things:  # "¿por qué se enfocó en las mipymes?": their role
            return self.fact("mipyme_role")
        if "projects" in f.things and not f.yes_no and "mipymes" not in f.things:
            return self.fact("projects")  # "¿cuál fue el propósito de los 6 proyectos?"
        if f.yes_no and re.search(r"\s(se volvieron|volvieron|terminaron|quedaron|salieron)\s", f.text) and (
                best_overlap(f.text.replace("productivas", "productividad"), [r.value for r in self.k.results])
                is not None):  # "¿las mypes se volvieron más productivas?": a result, not the aim
            return self._results(replace(f, thing="results", text=f.text.replace("productivas", "productividad")))
        if (
            not f.yes_no
            and re.search(r"\s(que mas|que otras|que otros|aparte de|ademas de)\s", f.text)
            and (
                "mipymes" in f.things
                or re.search(r"\sque mas (pudieron|lograron|consiguieron|desarrollaron)\s", f.text)
            )
        ):
            return self.fact("results")  # "aparte de la productividad, ¿qué más pudieron fortalecer esas mipymes?"
        if "event" in f.things:
            return self.fact("event_activities")
        if f.yes_no and f.stated:  # "¿el foco era fortalecer las capacidades productivas?"
            return self.verdict(overlaps(f.text, self.k.programme["focus"].value), self.fact("focus"))
        return self.fact("focus")

    def _role(self, f: Frame) -> Answer:
        return self.fact("mipyme_role")

    def _creator(self, f: Frame) -> Answer:
        if f.asks == "why" or "focus" in f.things:  # "¿para qué fue creado?"
            return self._focus(f)
        if f.premise.years or re.search(r"\s(arranco|empezo|inicio|comenzo|termino|finalizo|acabo)\s", f.text):
            return self.silent("programme_dates")
        if "event" in f.things:  # "¿para qué se organizó el evento de cierre?"
            return self._event(replace(f, thing="event"))
        if "money" in f.things and f.asks in ("count", "what", "which", "how"):
            return self.silent("money")
        answer = self.fact("creator")
        if f.yes_no and (f.eu or f.premise.names or f.other_organisation):
            return self.verdict(bool(f.eu) and not f.other_organisation, answer)
        return answer

    def _programme(self, f: Frame) -> Answer:
        if f.premise.years or re.search(r"\s(arranco|empezo|inicio|comenzo|termino|finalizo|acabo|arranca)\s", f.text):
            return self.silent("programme_dates")
        if f.premise.only:
            return self.verdict(False, self.fact("countries"))
        if "focus" in f.things and not f.yes_no:  # "¿pa qué era el programa, cuál era la idea principal?"
            return self._focus(f)
        if f.yes_no and " cooperacion " in f.text:  # "¿es un programa de cooperación internacional?"
            return self.verdict(True, self.fact("programme"))
        if "person" in f.things:
            return self.silent("person")
        if f.eu and f.yes_no:
            return self.verdict(True, self.fact("creator"))
        if f.other_organisation and f.yes_no:
            return self.verdict(False, self.fact("creator"))
        if f.asks == "who":
            return self.fact("creator")
        if f.asks == "why":  # "¿por qué se enfocó en las mipymes?", "¿por qué se creó?"
            return self.fact("mipyme_role" if "mipymes" in f.things else "focus")
        if f.asks == "when":
            return self.silent("programme_dates")
        if f.asks == "where" and re.search(r"\s(ciudad|sede|oficina|oficinas|local)\s", f.text):
            return self.silent("programme_place")  # "¿en qué ciudad está la sede?"
        if f.asks == "where" and "source" in f.things:  # "¿de dónde viene el programa?"
            return self.fact("programme")
        if f.asks == "where":
            return self.checked(f, "countries")
        if f.country:
            return self.silent("country_in", country=f.country.title())
        return self.fact("programme")

    def _money(self, f: Frame) -> Answer:
        if "focus" in f.things and f.yes_no:  # "¿el foco era otorgar créditos?"
            return self._focus(f)
        if "event" in f.things:
            return self.silent("event_cost")
        return self.silent("money")

    def _contact(self, f: Frame) -> Answer:
        if "programme" in f.things and re.search(r"\s(ciudad|sede)\s", f.text):  # "¿en qué ciudad tiene su oficina?"
            return self.silent("programme_place")
        if "event" in f.things:
            return self.silent("event_link")
        return self.silent("contact")

    def _apply(self, f: Frame) -> Answer:
        if "event" in f.things:
            return self.silent("event_link")
        return self.silent("apply")

    def _person(self, f: Frame) -> Answer:
        return self.silent("person")

    def _ministry(self, f: Frame) -> Answer:
        if f.yes_no and "programme" in f.things:  # "¿este programa es del gobierno de Estados Unidos?"
            return self.verdict(False, self.fact("creator"))
        return self.silent("ministry")

    def _people(self, f: Frame) -> Answer:
        others = [t for t in f.things if t != "people"]
        if f.asks != "count" and others:  # "pa que la gente chambee mejor": people are not what is asked
            return self.resolve(replace(f, thing=others[0]))
        if "event" in f.things:
            return self.silent("event_people")
        return self.silent("people")

    def _names(self, f: Frame) -> Answer:
        if (f.sector or f.other_sector) and f.yes_no:  # "¿ese rubro salió en la lista?"
            return self._sectors(f)
        if "projects" in f.things:
            return self.silent("project_names")
        if "new_programme" in f.things:
            return self.silent("programme_name_next")
        if f.organisation:  # "¿y la de Lima cómo se llama completa?": that one
            return a.organisation(self.k, f.organisation, f.text, self.today)
        if "organisations" in f.things:
            return self.fact("organisations")
        if "sectors" in f.things:
            return self.fact("sectors")
        return self.silent("company_names")


__all__ = ["Resolver"]
