"""Whether a question is about this assistant's subject: anchored in it, about another one, or in English.

"¿Cuánto dura un vuelo a Bruselas?", "¿qué es el Mercosur?", "¿qué feriados
hay en noviembre?", "escríbeme un poema": the words of another subject, or
the question's own noun, tell it is not about the programme, whatever words
of ours it shares.  ``anchored`` is the other side: the question (or the
conversation) names the programme, an organisation, the mipymes, the event.
"""

from __future__ import annotations

import re
from typing import Optional

from actions.understanding import lexicon
from actions.understanding.frames import INTERJECTIONS, Frame


# English function words: a message mostly made of them is in English.
_ENGLISH = frozenset("""the a an is are was were do does did how many much what which who when where why of to in on
for from with and or by be been has have had this that these those it its there their they you your can could would
should will please tell me about programme program companies company benefited countries years closing event""".split())


def english(text: str) -> bool:
    """"How many companies benefited?" is English; "¿cuál fue el budget?" is Spanish with an English word."""
    words = re.findall(r"[a-z]+", text.lower())
    if len(words) < 3 or re.search(r"al.?invest", text.lower()):
        return False
    return sum(w in _ENGLISH for w in words) / len(words) >= 0.5


# Words of a question about our subject (not only its generic words).
_OURS = re.compile(r"\s(programa|al invest|proyectos?|benefici\w*|apoy\w*|particip\w*|cierre|clausura)\s")
# Tasks, not questions: "escríbeme un poema", "tradúceme…".
TASK = re.compile(r"\s(poema|poesia|un cuento|una cancion|un chiste|chistes|traduce\w*|traducir|traduccion)\s|"
                  r"\scomo se dice\s.*\s(?:en|al)\s+(?:ingles|frances|quechua|aimara|portugues)\s")
# "hoy", "actualmente": the article tells of 2020, not of today.
_NOW = re.compile(r"\s(hoy|actualmente|hoy en dia|en la actualidad|ahorita|ahora mismo|este ano|este mes)\s")


def _another_subject(f: Frame, n, context: Optional[str], capitals: frozenset) -> bool:
    """Signs of another subject that hold whatever the words of ours around them."""
    definition = re.match(
        r"\s*(?:y\s+)?(?:que|cual|cuales)\s+(?:es|son|significa|era|eran|fue|fueron)\s+"
        r"(?:el\s+|la\s+|los\s+|las\s+|un\s+|una\s+)?(?:(?:palabra|termino|sigla|siglas|concepto)\s+(?:de\s+)?)?(\w+)",
        f.text
    )
    if definition and definition.group(1) in n.foreign:  # "¿qué es el TLC…?", "¿cuál fue la inflación…?"
        return True
    after = re.search(r"\s(?:proximo|proxima|nuevo|nueva|siguiente|futuro|futura)\s+(\w+)", f.text)
    if after and after.group(1) in n.foreign:  # "¿cuándo es el próximo feriado?"
        return True
    taxes = re.search(r"\s(regimen|tributari\w*|impuestos?|igv|ruc|factura\w*|renta)\s", f.text)
    if not _OURS.search(f.text) and (taxes or (f.asks == "how" and re.match(r"\s*como\s+(?:me|nos)\s", f.text))):
        return True  # taxes and paperwork: "¿cómo me paso al régimen MYPE?"
    if f.other_organisation and not f.organisation and (not f.thing or re.search(
            r"\s(significa|quiere decir|siglas?)\s", f.text)):  # "¿qué es el Mercosur?", "¿qué significa ONU?"
        return True
    # What is asked: the noun right after the question word ("¿qué feriados hay…?", not "¿qué ofrecía ese…?").
    head = re.match(r"\s*" + INTERJECTIONS + r"(?:y\s+)?(?:que|cuales|cuantos|cuantas)\s+(\w+)\s+(?:hay|hubo|habra|"
                    r"existen|son|eran|fueron|tiene|tienen|se|de|del|para|por|en|necesito|necesita|necesitan|"
                    r"uso|usan)\s", f.text) or re.match(
        r"\s*como\s+(?:hago|hacer|se hace|puedo hacer)\s+(?:un|una|mi|el|la)\s+(\w+)\s", f.text)
    if head and head.group(1) in n.foreign and not _OURS.search(f.text) and not f.organisation and (
            context is None or re.search(r"\s(necesito|mi propia|mi propio|para poner|para abrir)\s", f.text)):
        return True  # "¿qué feriados hay en noviembre?", "¿cómo hago una videollamada?": what is asked is not ours
    if f.thing in ("apply", "contact", "money") and not f.organisation and not _OURS.search(f.text) and (
            f.other_organisation or capitals & set(n.foreign)):  # "¿cómo registro mi marca en Indecopi?"
        return True
    if re.search(r"\scierre\s+(contable|fiscal|de\s+(caja|mes|ano|cuentas?|ejercicio|tienda|local|negocio|la bolsa|"
                 r"mercado|ventas|fronteras?))\s", f.text):  # "cierre contable", "cierre de caja"
        return True
    if not _OURS.search(f.text) and re.search(r"\s(formaliz\w*|constitu\w*|tramit\w*)\s", f.text):
        return True  # "¿qué pasos sigo para formalizar mi negocio?"
    if re.search(r"\sque hora es\s*$|\s(a cuanto esta|tipo de cambio|cotizacion|que dia es hoy|que fecha es hoy|"
                 r"como esta el clima|que tiempo hace|que tiempo hara|que tiempo va a hacer|clima|va a llover|"
                 r"temperatura)\s", f.text):  # "¿a cuánto está el dólar?", "¿qué hora es?"
        return True
    if (
        re.match(r"\s*como\s+(?:hago para\s+)?\w+o\s+(?:un|una|mi|el|la|los|las)\s", f.text)
        and f.thing == "mipymes"
        and (not _OURS.search(f.text))
    ):  # "¿cómo constituyo una empresa?": advice, not the article
        return True
    named = re.search(r"\sprograma\s+(\w+)", f.text)
    if named and named.group(1) in n.foreign and named.group(1) in capitals and not re.search(r"al invest", f.text):
        return True  # "¿qué es el programa Reactiva Perú?"
    if context is None and not _OURS.search(f.text) and not f.organisation:
        about = re.search(r"\seventos?\s+(?:de|por|para|en|sobre|del)\s+(?:la\s+|el\s+)?(\w+)", f.text)
        if f.thing == "event" and about and about.group(1) in n.foreign:  # "¿hay algún evento por Navidad?"
            return True
        if (
            f.asks == "how" and " mi " in f.text and f.thing not in ("apply", "contact")
        ):  # "¿cómo formalizo mi negocio?"
            return True
        if f.asks == "count" and f.thing == "mipymes" and re.search(r"\s(hay|existen|habia)\s", f.text):
            return True  # "¿cuántas empresas hay en Lima?"
        if _NOW.search(f.text):  # "¿a cuánto está el euro hoy?"
            return True
    return False


def elsewhere(f: Frame, n, context: Optional[str], intent: Optional[str], capitals: frozenset = frozenset()) -> bool:
    """A question about another subject: its nouns are not ours and nothing of ours anchors it,
    or it names only another country, a person, or the model says so over words not ours."""
    named = set(" ".join(f.premise.names + ((f.other_organisation or ""),)).split())
    nouns = [w for w in n.foreign_nouns if w not in named]
    if nouns and intent in ("out_of_scope", "other_language"):
        return True
    if _another_subject(f, n, context, capitals):
        return True
    if (f.premise.elsewhere or f.premise.big) and f.things:  # "¿eran de África?", "¿o solo los grandazos?"
        return False
    if f.country and f.thing == "countries" and f.yes_no:  # "¿Chile fue uno de los 18 países?"
        return False
    if re.search(r"\d+\s*(por|x|entre|mas|menos)\s*\d+|\d+\s*(por ciento|%)\s*de\s*\d+", f.text):
        return True  # arithmetic: "¿cuánto es 11 por ciento de 200?"
    if not ({"names", "mipymes"} <= set(f.things)) and re.search(
            r"\s(recomiendas|recomiendame|recomienda|recomendarme|sugiereme|donde queda|cerca de|como llego|"
            r"comprar|compro|venden|vende|barat\w*|regalar|cocinar|preparar|receta)\s", f.text):
        # recommendations, directions and shopping are never in the article (a beneficiary's name is asked of it)
        return True
    if re.search(r"\s(clasico|partido|futbol|gol|goles|campeonato|liga|seleccion peruana|copa|el mundial|"
                 r"ultimo mundial|olimpiadas|eliminatorias)\s", f.text) or re.search(
            r"\s(juega|juegan|jugo|jugara)\s", f.text) and re.search(r"\s(contra|hoy|manana|hora|estadio)\s", f.text):
        return True  # sports: "¿quién ganó el último clásico?", "¿a qué hora juega Perú contra…?" (not "qué rol juega")
    if not _OURS.search(f.text) and re.search(r"\s(lo llevo|la llevo|los llevo|me conviene|deberia|que hago con)\s",
                                              f.text):
        return True  # the asker's own choices: "mi carro hace ruido, ¿lo llevo a un taller de metalmecánica?"
    if f.thing == "duration" and re.search(r"\sanos\s+(?:tiene|tienes|tengo|hay que tener|debo tener)\s|"
                                           r"\s(jubil\w*|edad|cumple\w*)\s", f.text) and not _OURS.search(f.text):
        return True  # someone's age: "¿cuántos años tiene el Papa?", "¿a qué edad me jubilo?"
    if re.search(r"\s(ano nuevo|navidad|fiestas patrias|halloween|san valentin|carnavales?|semana santa|"
                 r"dia de la madre|dia del padre)\s", f.text) and not _OURS.search(f.text):
        return True  # "¿hay algún evento por Año Nuevo en Miraflores?"
    if f.thing == "countries" and f.eu and re.search(r"\s(tiene|tienen|conforman|forman|integran|miembros?)\s", f.text):
        return True  # "¿cuántos países tiene la Unión Europea?"
    if re.search(r"\s(socio de la camara|hacerme socio|hacerse socio|afiliarme|afiliarse|afiliacion|membresia|"
                 r"cuota de socio)\s", f.text) and not _OURS.search(f.text):
        return True  # "¿cuánto cuesta hacerse socio de la cámara?"
    if _not_a_question_of_ours(f.text):
        return True
    if f.thing == "duration" and f.eu and not re.search(r"\sprograma|al invest|\sduro\s", f.text):
        return True  # "¿cuántos años tiene la Unión Europea?"
    if f.yes_no and not f.things and not context and n.foreign and not f.organisation:
        return True  # "¿el 17 de noviembre es feriado en el Perú?": nothing of ours is asked
    if f.thing == "countries" and re.search(r"\shay\s", f.text) and not re.search(r"\sprograma|al invest", f.text):
        return True  # "¿cuántos países hay en América Latina?"
    if f.thing == "event" and not re.search(r"\s(cierre|clausura|final|al invest)\s", f.text) and re.search(
            r"\s(este fin de semana|fin de semana|hoy|manana|esta semana|este mes|este ano|proximamente)\s", f.text):
        return True  # "¿qué eventos hay este fin de semana?"
    if (f.sector or f.other_sector) and f.asks in ("how", "why", "where", "hour") and not f.inherited:
        return True  # "¿cómo funciona la metalmecánica en…?": the trade, not the programme
    if _weak_programme(f) and not any(t not in lexicon.GENERIC_THINGS | {"programme"} for t in f.things):
        return True  # "un programa de televisión"
    if anchored(f, strict=bool(nouns)) or (context and not nouns):
        return False
    elsewhere = f.country and f.thing not in ("mipymes", "projects", "share")  # "¿cuántos países tiene la UE?"
    return bool(nouns) or bool(elsewhere) or f.thing == "person" or (not (f.asked or f.yes_no) and bool(n.foreign))


# How to do things of one's own business, payroll or computer, never in the article.
_HOW_TO = re.compile(
    r"\scomo (?:hago|se hace|preparo|hacer|horneo|cocino)\s+(?:(?:el|la|un|una|los|las|mi|mis)\s+)?"
    r"(?:pan|panes|torta|tortas|queque|keke|pastel|pasteles|galletas?|postres?|ceviche|empanadas?|chicha)\s|"
    r"\s(gratificacion|gratificaciones|cts|planillas?|boletas? de pago|impuesto a la renta|igv|declaracion jurada|"
    r"sunat|ruc)\s|"
    r"\scomo (?:configuro|configurar|instalo|instalar|descargo|descargar|actualizo|actualizar|reinicio|"
    r"cambio la contrasena|recupero)\s")
# "Who wrote …": of the note, or of something else.
_AUTHOR = re.compile(r"\s(?:quien (?:escribio|escribe|redacto|firmo|es el autor de|es la autora de)|"
                     r"(?:el|la) autora? de)\s+(?P<work>.*)")
_THE_NOTE = re.compile(r"\s(nota|articulo|noticia|texto|informe|comunicado|fuente|publicacion|reportaje|"
                       r"esto|eso|esta|este|info\w*|sobre|acerca)\s")


def _not_a_question_of_ours(text: str) -> bool:
    """A task, the asker's own trade, pay or computer, or another work's author."""
    if TASK.search(text):
        return True  # tasks, not questions: "escríbeme un poema", "tradúceme…"
    if _HOW_TO.search(text) and not _OURS.search(text):
        return True  # "¿cómo hago pan de yema?", "¿cómo calculo la gratificación?", "¿cómo configuro Zoom?"
    return _another_author(text)  # "¿quién escribió Cien años de soledad?" (not "¿quién escribió la nota?")


def _another_author(text: str) -> bool:
    m = _AUTHOR.search(text)
    return bool(m and m.group("work").strip() and not _THE_NOTE.search(f" {m.group('work')} ")
                and not _OURS.search(f" {m.group('work')} "))


def _weak_programme(f: Frame) -> bool:
    """"Programa" that is not ours: "un programa en Python", "qué programa de televisión"."""
    if "programme" not in f.things or "new_programme" in f.things or re.search(
            r"al invest|programa (de la|del) (union|ue|comision)|programa europeo|(el|este|ese|dicho) programa|"
            r"programa de cooperacion", f.text):
        return False
    return bool(
        re.search(r"\s(un|una|algun|otro|otra)\s+programa\s|\sprograma (de|del) (?!la union|la ue)\w+", f.text)
    )


def anchored(f: Frame, strict: bool = False) -> bool:
    """Whether the question itself names the assistant's subject, not only a generic word.

    Strong: the conversation's topic, a named organisation, the EU as creator or
    funder, the programme (unless "programa de tele"), the mipymes, the closing
    event.  "Perú", a sector, "países", "dura" alone could be about anything.
    """
    if strict and f.organisation and not f.inherited and not re.search(
            r"\s(programa|al invest|proyectos?|particip\w*|ejecut\w*|organizaciones|mipymes|mypes|pymes|"
            r"atendi\w*|benefici\w*)\s", f.text):
        return False  # "el curso de inglés de la Cámara de Comercio de Lima": the organisation is not the subject
    if f.inherited or (
        f.eu
        and not strict
        and "countries" not in f.things
        and (f.thing != "creator" or f.stated or "creator" in f.things)
    ):
        return True
    # With words of another subject, a sector or an organisation alone is where it
    # happens ("una mesa de carpintería", "un restaurante cerca de la CCL").
    if (f.organisation or f.sector) and not strict:
        return True
    if f.sector and f.yes_no and re.search(r"\s(estuvieron|estuvo|participaron|participo|entraron|entro|"
                                           r"se beneficiaron|fueron parte|formaron parte|salio|salieron|aparece|"
                                           r"aparecen|figura|figuran|esta entre|estan entre)\s", f.text):
        return True  # "¿los carpinteros también estuvieron en la jugada?"
    if "event" in f.things and re.search(r"\s(cierre|clausura|final)\s", f.text):
        return True
    if _weak_programme(f):
        return any(t not in lexicon.GENERIC_THINGS | {"programme"} for t in f.things)
    return any(t not in lexicon.GENERIC_THINGS for t in f.things)


__all__ = ["TASK", "anchored", "elsewhere", "english"]
