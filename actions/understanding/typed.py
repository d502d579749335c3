"""How people type what they ask: numbers in words, months, ordinals, chat shorthand and chatter (folded).

The other half of ``lexicon.py`` (which re-exports these names): those words
name the parts of a question; these only tell how a word was typed, or that
it carries no question at all.
"""

from __future__ import annotations

from typing import Dict

# Ordinals for "¿y el primero de esos días?".
ORDINALS: Dict[str, int] = {
    "primero": 0, "primera": 0, "primer": 0, "segundo": 1, "segunda": 1, "tercero": 2, "tercera": 2,
    "tercer": 2, "cuarto": 3, "cuarta": 3, "ultimo": -1, "ultima": -1, "penultimo": -2, "penultima": -2,
}

# Numbers in words (premises such as "¿fueron ocho proyectos?").
NUMBER_WORDS: Dict[str, int] = {
    "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
    "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veinticinco": 25,
    "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80,
    "noventa": 90, "cien": 100, "doscientas": 200, "doscientos": 200, "trescientas": 300,
    "trescientos": 300, "cuatrocientas": 400, "quinientas": 500, "quinientos": 500, "mil": 1000,
}
MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
          "octubre", "noviembre", "diciembre"]
MONTHS_EN = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
             "october", "november", "december"]

# Chat shorthand, glued forms and English words people mix in, read as Spanish.
SHORTHAND: Dict[str, str] = {
    "q": "que", "k": "que", "fa": "favor", "whats": "cual es", "enq": "en que", "dq": "de que", "kien": "quien",
    "kienes": "quienes",
    "kuantos": "cuantos", "kuantas": "cuantas",
    "kuanto": "cuanto", "kuando": "cuando", "cmo": "como", "komo": "como", "xk": "por que",
    "dnde": "donde", "ubo": "hubo", "aber": "a ver", "pa": "para", "ke": "que", "xq": "por que", "pq": "por que",
    "porq": "por que", "x": "por", "i": "y", "uropea": "europea", "uropa": "europa", "compu": "computadora",
    "nov": "noviembre", "dic": "diciembre", "oct": "octubre", "sept": "septiembre",
    "tb": "tambien", "tmb": "tambien", "tbn": "tambien", "d": "de", "dnd": "donde", "cdo": "cuando",
    "cnt": "cuanto", "cuant": "cuantas", "emp": "empresas", "emps": "empresas", "info": "informacion",
    "xfa": "por favor", "porfa": "por favor", "pls": "por favor", "plis": "por favor", "ps": "pues",
    "pe": "pues", "pes": "pues", "nd": "nada", "mpymes": "mipymes", "mipimes": "mipymes", "mypimes": "mipymes",
    "pimes": "pymes", "orgs": "organizaciones", "org": "organizacion", "aprox": "aproximadamente",
    "prog": "programa", "progr": "programa", "progra": "programa",
    "budget": "presupuesto", "online": "online", "closing": "cierre", "event": "evento", "companies": "empresas",
    "sectors": "sectores", "projects": "proyectos", "dates": "fechas", "date": "fecha", "countries": "paises",
    "how": "como", "many": "many", "what": "que", "who": "quien", "where": "donde", "when": "cuando",
    "funded": "financio", "founded": "creo", "meeting": "evento", "results": "resultados", "goal": "objetivo",
    "target": "objetivo", "fyi": "", "ok": "ok", "cuantoas": "cuantas", "cuantaz": "cuantas",
    "pal": "para el", "na": "nada", "toy": "estoy", "tas": "estas", "ud": "usted", "uds": "ustedes",
    "dl": "del", "dla": "de la", "xa": "para", "sq": "es que", "bn": "bien", "msj": "mensaje", "bs": "besos",
    "alinvest": "al invest", "imbest": "invest", "inbest": "invest", "imvest": "invest", "invez": "invest",
    "lim": "lima", "limenas": "de lima", "limenos": "de lima", "limena": "de lima", "limeno": "de lima",
    "alinves": "al invest", "alinvet": "al invest", "al-invest": "al invest",
    "percent": "por ciento", "productivity": "productividad", "innovation": "innovacion", "markets": "mercados",
    "sales": "ventas", "partners": "socios", "goals": "objetivos", "top": "top", "okey": "ok", "cuanto's": "cuantos",
}

# Greetings, courtesy and chatter: words that carry no question.
CHATTER = [
    "hola", "holi", "holaa", "buenas", "buenos", "dias", "tardes", "noches", "saludos", "gracias", "muchas",
    "mil", "oye", "oiga", "disculpa", "disculpe", "perdon", "porfavor", "favor", "ayuda", "ayudame",
    "consulta", "pregunta", "preguntita", "duda", "dudita", "querer", "quiero", "quisiera", "queria",
    "saber", "conocer", "decir", "dime", "digame", "contar", "cuentame", "explicar", "podrias", "puedes",
    "podria", "puede", "me", "gustaria", "interesa", "informacion", "datos", "dato", "pata", "causa", "hermano",
    "bro", "amigo", "amiga", "senor", "senora", "senorita", "estimado", "estimada", "estimados", "habla",
    "ya", "pues", "nomas", "al", "toque", "bacan", "chevere", "pucha", "oe", "ok", "vale", "listo", "bueno",
    "bien", "genial", "excelente", "perfecto", "super", "claro", "jaja", "jajaja", "ja", "xd", "uy", "ay",
    "soy", "somos", "tengo", "tenemos", "trabajo", "trabajamos", "estoy", "estamos", "escribo", "escribimos",
    "leyendo", "lei", "vi", "nota", "noticia", "articulo", "periodista", "reportero", "estudiante",
    "investigando", "haciendo", "reportaje", "informe", "tesis", "chamba", "chambeo", "dueno", "duena",
    "senores", "ustedes", "usted", "tu", "asistente", "bot", "robot", "rapido", "rapidito", "urgente",
    "necesito", "necesitamos", "favorcito", "entonces", "porfis", "xfa", "qtal", "tal", "que tal", "wena",
    "weno", "aver", "a ver", "mira", "fijate", "sabes", "sabias", "alguien", "algo", "mas", "tambien",
    "ademas", "otra", "otro", "cosa", "ultima", "duda", "curiosidad", "simplemente", "solo", "nada",
    "exactamente", "aproximadamente", "mas o menos", "como", "eh", "em", "mmm", "hmm", "ah", "oh",
    "interesante", "ahi", "bonito", "buenazo", "bacano", "chamo", "compa", "mano", "broder", "brother",
    "jefe", "jefecito", "joven", "senito", "senio", "cumpa", "causita", "patita", "manyas", "habla",
    "hablame", "porfavor", "please", "thanks", "hi", "hello", "hey", "escribo", "escribimos", "pregunto",
    "asociacion", "boletin", "informe", "colega", "profe", "profesor", "universidad",
    "trabajo", "area", "diario", "radio", "medio", "local", "regional", "asociados", "socios",
    "esposo", "esposa", "familia", "mama", "papa", "hijo", "hija", "vecino", "barrio", "rumor", "dijeron",
    "contaron", "comentaron", "oi", "escuche", "buen", "buena", "dia", "hora", "atencion", "cordiales",
    "bendiciones", "abrazo", "espero", "respuesta", "pronto", "antemano", "adelantado", "ayudarme", "ayudar",
    "preguntas", "dudas", "cacho", "cachar", "cachas", "tia", "tio", "abuela", "abuelo", "prima",
    "primo", "hermana", "sobrino", "sobrina", "suegra", "suegro", "cunado", "cunada", "aclarar", "confirmar",
    "verificar", "chequear", "revisar",
    "palabras", "encargo",
]

