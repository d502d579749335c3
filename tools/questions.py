"""The questions the end-to-end tests, `make load` and `make bench` ask, and what each answer must say.

One list for the three.  Every expected string is a value of the knowledge
file, formatted as the bot formats it (``spanish.number``, ``spanish.dates``,
``spanish.join``), plus the word that makes a yes a yes: edit a value there and
the expectations follow, with nothing written twice.  tests/unit/test_questions.py
pins what they are for the production file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Tuple

from actions.knowledge import Knowledge, spanish
from channels.messages import NO_DATA_MESSAGE

# What the channels answer when a turn failed: a 200 with this text is a wrong
# answer, not a success.
NO_DATA_PREFIX = NO_DATA_MESSAGE.split(" en este momento")[0]


@dataclass(frozen=True)
class Turn:
    question: str
    expected: Tuple[str, ...]  # every one must be in the reply
    forbidden: Tuple[str, ...] = ()  # none may be

    def check(self, reply: str) -> Optional[str]:
        """None when ``reply`` is right, else what is wrong with it."""
        if NO_DATA_PREFIX in reply:
            return f"respuesta de fallo («{NO_DATA_PREFIX}…»)"
        missing = [e for e in self.expected if e not in reply]
        if missing:
            return f"falta {missing!r}"
        present = [f for f in self.forbidden if f in reply]
        if present:
            return f"sobra {present!r}"
        return None


# Questions the source does not answer: the bot says «La fuente no lo indica».
UNKNOWNS = (
    "¿cuál fue el presupuesto del programa?",
    "como postulo al programa",
    "¿cuál es el link del evento de cierre?",
    "a que hora empieza el evento",
    "como se llamaban los 6 proyectos",
    "cuantas mipymes se beneficiaron en colombia",
    "como se va a llamar el proximo programa",
)

# Greetings and questions out of scope: answered from domain.yml, no fact.
SMALL_TALK = ("hola", "gracias", "¿eres un robot?", "que puedes hacer?", "¿qué clima hará mañana?")


def facts(knowledge: Knowledge) -> List[Turn]:
    """One question per fact, phrased as users write (accents or not, typos)."""
    p, g, ev = knowledge.peru, knowledge.programme, knowledge.closing_event
    n = spanish.number
    sectors = knowledge.sectors
    orgs = {o.acronym: o for o in knowledge.organisations}
    return [
        Turn("¿Cuántas mipymes peruanas se beneficiaron?", (n(p["beneficiaries"].value),)),
        Turn("cuantas mypes peruanas se benefisiaron", (n(p["beneficiaries"].value),)),
        Turn("número total de beneficiarios", (n(g["beneficiaries_total"].value),)),
        Turn("¿qué porcentaje son peruanas?", (f"{p['share_percent'].value} %",)),
        Turn("en cuantos paises se ejecuto el programa", (f"{n(g['countries'].value)} países", g["region"].value)),
        Turn("cuanto tiempo duro al invest", (f"{n(g['duration_years'].value)} años",)),
        Turn("cuantos proyectos hubo en el peru", (f"{n(p['projects'].value)} proyectos",)),
        Turn("¿Cuántas instituciones participaron en total en la iniciativa?",
             (f"{n(g['institutions'].value)} instituciones",)),
        Turn("que organizaciones ejecutaron los proyectos", tuple(f"{o.name} ({o.acronym})" for o in orgs.values())),
        Turn("¿Qué es Adex?", (orgs["Adex"].name,)),
        Turn("que significa SNI", (orgs["SNI"].name,)),
        Turn("¿Qué es AL-INVEST 5.0?", (g["funder"].value, g["creator"].value, "mipymes")),
        Turn("quien creo el programa?", (g["creator"].value,)),
        Turn("cual es el objetivo del programa", (spanish.join(g["focus"].value),)),
        Turn("¿por qué son importantes las mipymes?", (spanish.join(g["mipyme_role"].value),)),
        # Each result as a list item: its first word capitalised, the rest as written.
        Turn("que resultados lograron las empresas", tuple(r.value.split(" ", 1)[1] for r in knowledge.results)),
        Turn("q sectores participaron", (spanish.join(sectors),)),
        Turn(f"¿Participó el sector {sectors[1]}?", ("Sí", sectors[1])),
        Turn("cuando fue el evento de cierre", ("se realizó", spanish.dates(ev["dates"].value))),
        Turn("el evento de cierre fue presencial?", (ev["format"].value,)),
        Turn("que se hizo en el evento de cierre", (ev["purpose"].value, ev["activities"].value)),
        Turn("¿se anunció algún programa nuevo?", (ev["announcement"].value,)),
    ]


def scripts(knowledge: Knowledge) -> List[List[Turn]]:
    """Short conversations whose second and third turns only make sense after the first."""
    p, g, ev = knowledge.peru, knowledge.programme, knowledge.closing_event
    n = spanish.number
    sectors = knowledge.sectors
    adex = next(o for o in knowledge.organisations if o.acronym == "Adex")
    return [
        [
            Turn("¿Cuántas mipymes peruanas se beneficiaron?", (n(p["beneficiaries"].value),)),
            Turn("¿y en total?", (n(g["beneficiaries_total"].value),)),
        ],
        [
            Turn(f"¿Participó el sector {sectors[1]}?", ("Sí", sectors[1])),
            Turn(f"¿y el {sectors[2]}?", (sectors[2],), ("no menciona",)),
            Turn("¿y la minería?", ("no menciona",), ("Sí.",)),
        ],
        [
            Turn("¿Cuándo fue el evento de cierre?", (spanish.dates(ev["dates"].value),)),
            Turn("¿fue presencial?", (ev["format"].value,)),
        ],
        [
            Turn("¿Qué organizaciones participaron?", tuple(o.acronym for o in knowledge.organisations)),
            Turn("¿y qué es Adex?", (adex.name,)),
        ],
        [
            Turn("¿qué porcentaje de las mipymes son peruanas?",
                 (f"{p['share_percent'].value} %", n(p["beneficiaries"].value))),
            Turn("¿y en total?", (n(g["beneficiaries_total"].value),)),
        ],
        [
            Turn("cuantos proyectos hubo en el peru", (f"{n(p['projects'].value)} proyectos",)),
            Turn("¿Cuántas instituciones participaron en total en la iniciativa?",
                 (f"{n(g['institutions'].value)} instituciones",)),
        ],
    ]
