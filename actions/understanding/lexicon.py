"""The words people use for each part of a question, folded (no accents, lower case).

A question is read as *what is asked* (a count, a date, a place, a name, a
yes/no…) about *what* (the Peruvian mipymes, the projects, the closing
event…), narrowed by *where or which* (Peru, the whole programme, a sector,
an organisation, a city, another country).  This module only lists the words
for each of those parts; ``frames.py`` reads a question with them and
``resolve.py`` looks the resulting pair up in the knowledge file.  No fact
lives here: figures, names and dates come from ``knowledge/al_invest_5.yml``
(the names of the organisations and sectors the article gives are read from
it too; the words below only add how people refer to them).

Each entry is a list of phrases of whole words; a phrase matches where its
words stand together in the folded text.
"""

from __future__ import annotations

from typing import Dict, List, Tuple

# --- What is asked ---------------------------------------------------------------
ASKED: Dict[str, List[str]] = {
    "count": ["cuantos", "cuantas", "cuanto", "cuanta", "numero de", "cantidad de", "cifra de",
              "numero", "cantidad", "how many", "total de", "nro de", "cifra", "esa cifra", "ese numero", "ese dato"],
    "when": ["cuando", "que fecha", "que fechas", "en que fecha", "que dia", "que dias", "en que mes",
             "que mes", "en que ano", "que ano", "when", "que fechas fueron"],
    "where": ["en que parte del mundo", "que parte del mundo", "en que continente", "en que region", "donde",
              "en que lugar", "en que ciudad", "que lugar", "que ciudad", "en que sitio", "lugar", "sede",
              "where", "que local"],
    "who": ["quien", "quienes", "who", "que entidad", "que institucion", "que organismo"],
    "what": ["dame", "dime", "pasame", "indicame", "muestrame", "quiero saber", "quisiera saber",
             "me gustaria saber",
             "me puedes decir", "me podrias decir", "sabes", "sabe", "que es", "que era", "que son", "que fue",
             "que cosa es", "que cosa era", "que cosa fue",
             "en que consiste", "en que consistio", "de que trata",
             "de que se trata", "que significa", "what is", "explicame", "explica", "cuentame", "informacion sobre",
             "info sobre", "hablame", "dime que es"],
    "which": ["cuales", "cual", "que tipo de", "que tipos de", "which", "listar", "lista de", "listame", "enumera",
              "enumerame", "nombrame", "nombra", "menciona", "mencioname", "cuales son",
              "me puedes nombrar", "me podrias nombrar", "me puedes mencionar", "me podrias mencionar",
              "me puedes listar", "me podrias listar", "me puedes enumerar", "me podrias enumerar"],
    "how": ["como", "de que manera", "de que forma"],
    "why": ["por que", "para que", "xq", "que razon", "cual es la razon", "cual fue la razon", "que motivo",
            "cual es el motivo", "cual fue el motivo", "por que motivo"],
    "hour": ["a que hora", "que hora", "hora", "horas", "horario", "horarios"],
}

# Phrases that make a message a yes/no check of what it states.
YES_NO_TAGS = ["verdad", "cierto", "es cierto", "no es cierto", "es verdad", "correcto", "o no", "no", "acaso",
               "o sea que", "osea que", "o sea", "osea", "entonces", "confirmame", "confirma", "seguro", "right",
               "es asi", "sera que", "fue asi", "si o no", "nomas", "no mas"]

# --- What it is asked about --------------------------------------------------------
# Order matters only to break ties between things named in one question: the
# thing named right after the question word wins, then this order.
THINGS: Dict[str, List[str]] = {
    # Who wrote the article and when: it does not say.
    "article_meta": ["quien escribio", "autor", "autora", "escribio la nota", "se publico", "fecha de publicacion",
                     "publicada", "publicaron la nota", "quien redacto", "publico la nota", "medio que publico"],
    "source": ["de donde sacaste", "de donde sale", "de donde salio", "de donde viene", "de donde obtuviste",
               "de donde sacas", "cual es la fuente", "cual es tu fuente", "que fuente", "tu fuente", "la fuente",
               "en que te basas", "segun quien", "de que nota", "referencia"],
    "money": ["presupuesto", "plata", "dinero", "soltaron", "desembolsaron",
              "desembolso", "monto", "montos", "fondos", "fondo", "euros", "euro", "soles",
              "dolares", "inversion", "entrada", "entradas", "ticket", "tickets", "invirtio", "invirtieron",
              "invertido", "budget", "costo", "costos", "cuesta",
              "costaba", "costo", "gasto", "gastaron", "gastos", "financiamiento", "recursos economicos",
              "prestamo", "prestamos", "credito", "creditos", "donacion", "subsidio", "subsidios", "pagar",
              "pagaron", "pago", "cobraban", "cobran", "gratis", "gratuito", "plata puso", "billete", "lucas",
              "millones", "aporte", "aportes", "aporto", "presupuestos", "cuanto costo", "cuanto invirtieron",
              "cuanto invirtio", "cuanto dinero",
              "monto total", "cofinanciamiento", "contrapartida", "cuanto puso"],
    "contact": ["telefono", "celular", "cel", "wsp", "wasa", "fono", "numero de contacto",
                "correo", "email", "mail", "contacto", "datos de contacto",
                "whatsapp", "pagina web", "web", "sitio web", "pagina", "link", "enlace", "url", "direccion",
                "oficina", "redes sociales", "contactar", "comunicarme", "escribirles", "a quien llamo",
                "a que numero", "que numero llamo",
                "a quien llamar", "quien me atiende", "con quien hablo", "con quien me comunico", "a quien le escribo",
                "llamar", "wasap", "mandar un correo", "correo electronico", "informes", "linkedin", "twitter",
                "numero de telefono", "grabacion", "grabaciones", "grabado", "video", "videos", "repeticion",
                "volver a ver", "ver de nuevo"],
    "apply": ["postular", "postulo", "postulacion", "postulaciones", "inscribir", "inscribirme", "inscribo",
              "inscripcion", "inscripciones", "requisitos", "requisito", "registrarme", "registro", "unirme",
              "acceder", "aplicar a", "como aplico", "formar parte", "beneficiarme", "convocatoria", "convocatorias",
              "meter mi", "meterla", "meterlo", "meterme", "meternos", "me meto", "entrar al programa",
              "registraba", "registrarse", "me registro", "inscribia", "inscribirse",
              "ingresar al programa", "puedo participar", "como participo", "me apunto", "quiero participar",
              "como puedo participar", "podemos participar", "apuntarme", "sumarme", "inscribe", "deadline",
              "fecha limite", "plazo para postular",
              "como me uno", "como accedo",
              "para entrar", "para ingresar", "que necesito para", "quienes podian participar",
              "quien podia participar",
              "podia participar", "pueden participar", "formulario", "bases", "postulan", "postularon"],
    "person": ["director", "directora", "presidente", "presidenta", "gerente", "jefe", "jefa", "coordinador",
               "coordinadora", "ministro", "ministra", "embajador", "embajadora", "vocero", "vocera",
               "encargado", "encargada", "dirigio", "lider", "representante", "comisario", "funcionario",
               "autoridad", "autoridades", "persona a cargo", "quien estaba a cargo", "dirigia", "dirige",
               "dirigido por",
               "dirigida por", "conducia", "fundadora", "secretario", "secretaria", "alcalde", "preside",
               "presidia", "presidio", "presiden", "dirigen"],
    "ministry": ["ministerio", "ministerios", "produce", "mincetur", "gobierno", "estado peruano", "municipalidad",
                 "municipio", "gobierno regional", "congreso", "sunat", "promperu", "prom peru", "entidades del estado",
                 "entidades publicas", "instituciones publicas", "el estado", "del estado", "sector publico"],
    "opinion": ["feedback", "opinion", "opiniones", "opinaron", "satisfaccion", "satisfechas", "satisfechos",
                "valoracion", "valoraron", "calificaron", "testimonios", "que dijeron las"],
    "improvement": ["ventas", "venta", "exportaciones", "exportaron", "ingresos", "facturacion", "ganancias",
                    "utilidades", "crecieron", "crecimiento", "cuanto aumentaron", "cuanto mejoraron",
                    "cuanto crecio", "cuanto aumento", "en cuanto", "rentabilidad", "empleos generados",
                    "cuanto subio", "cuanto subieron", "porcentaje de mejora", "porcentaje de aumento", "cuanto mejoro",
                    "en que porcentaje", "cifras de mejora", "vendieron", "facturaron", "crecio"],
    "names": ["nombres", "nombre", "como se llama", "como se llaman", "como se llamaban", "como se llamaba",
              "como se llamara", "como se llamaria", "se llamara", "se llamaria",
              "se llamaba", "se llamaban", "se llama", "se llaman", "llamado", "llamados", "titulo", "titulos",
              "razon social", "marcas", "marca", "lista de empresas", "que empresas", "cuales empresas",
              "cuales fueron las empresas", "ejemplos de empresas", "alguna empresa", "algunas empresas",
              "empresas especificas", "lista", "listado", "la lista", "nombre de alguna", "nombre de la empresa",
              "que empresa", "cual empresa", "que negocio", "cual negocio", "otro nombre",
              "nombre de las empresas"],
    "people": ["personas", "trabajadores", "trabajadoras", "empleados", "gente", "chambeadores", "personal", "obreros",
               "operarios", "empleos", "empleo", "puestos de trabajo", "chambas",
               "colaboradores", "mujeres", "jovenes", "asistentes", "asistieron", "inscritos", "participantes",
               "conectados", "espectadores", "emprendedoras", "familias", "hombres", "beneficiarios directos",
               "ponentes", "expositores", "expusieron", "expuso", "expondran", "panelistas", "oradores", "speakers",
               "invitados", "asistio", "dirigidas por mujeres", "lideradas por mujeres",
               "jovenes emprendedores", "por mujeres"],
    "share": ["porcentaje", "por ciento", "%", "proporcion", "tajada", "porcion", "cuarta parte", "quinta parte",
              "decima parte",
              "que parte de las", "que parte de los",
              "que parte del total", "fraccion", "que tanto por ciento",
              "porcentualmente", "percent", "mitad", "tercio", "la mayoria", "que tanto"],
    "new_programme": ["nuevo programa", "futuro programa", "proximo programa", "siguiente programa",
                      "otro programa", "al invest 6", "alinvest 6", "al invest 6 0", "segunda parte",
                      "continuacion", "lineas de intervencion", "proxima fase", "proxima edicion",
                      "proxima etapa", "nueva fase", "nueva edicion", "sucesor", "lo que viene", "despues del programa",
                      "nuevo", "nueva", "futuro", "proximo", "siguiente", "anunciaron", "anunciar", "anuncio",
                      "programa nuevo",
                      "que viene despues", "viene despues", "el que sigue", "lo que sigue",
                      "se dio a conocer", "dar a conocer", "se dara a conocer", "anunsiar", "anunciaria",
                      "darian a conocer", "daria a conocer", "continuidad", "otra edicion", "anunciara", "anunciarian",
                      "se anunciara", "al invest 6 0"],
    "event": ["evento de cierre", "evento final", "evento", "eventos", "cierre", "clausura", "closing",
              "closing event", "ceremonia", "encuentro final", "event", "webinar", "conferencia",
              "cierre del programa", "acto de cierre", "jornadas", "jornada", "cierre del al invest", "evento virtual",
              "encuentro", "sesiones", "sesion"],
    # Which platform carried the virtual event: the article does not say.
    "platform": ["plataforma", "transmite", "transmitira", "transmiten", "tv", "television", "canal", "zoom",
                 "youtube", "facebook", "meet", "teams", "google meet", "transmitio",
                 "transmitieron", "transmision", "se transmitio", "streaming", "por donde se vio", "instagram"],
    "format": ["virtual", "virtuales", "presencial", "presenciales", "online", "on line", "en linea",
               "formato", "modalidad", "remoto", "remota", "a distancia", "en persona", "fisico", "fisica",
               "hibrido", "hibrida", "internet", "en vivo", "cara a cara", "por la computadora"],
    "activities": ["actividades", "actividad", "agenda", "charlas", "charla", "paneles", "conferencias",
                   "que se hizo", "que hicieron", "que se hara",
                   "que habra", "que hubo", "contenido", "ponencias", "historias de exito", "casos de exito",
                   "historia de exito", "caso de exito",
                   "para que fue el evento", "para que sirvio", "para que sera", "objetivo del evento",
                   "proposito del evento", "de que trato", "que se presento", "presentaron",
                   "intercambiar", "intercambio", "experiencias", "red de contactos", "lecciones", "para que mas",
                   "networking", "mostrar", "presentar", "que paso en", "como se desarrollo", "que ofrecio",
                   "hacer contactos",
                   "contactos con", "compartir", "aprendizaje", "que se podia ganar", "espacio", "ganar"],
    "results": ["resultados", "resultado", "logros", "logro", "lograron", "beneficios", "beneficio", "impacto",
                "impactos", "mejoras", "mejoraron", "mejoro", "consiguieron", "ganaron", "obtuvieron",
                "aprendieron", "sirvio", "ayudo", "ayudaron", "les ayudo", "les sirvio", "cambio", "cambios",
                "avances", "aumentar", "aumentaron", "productividad", "innovacion", "vinculos", "mercados",
                "diversificar", "capacidad institucional", "alianzas", "nuevos servicios", "que gano",
                "en que les ayudo", "de que les sirvio", "que obtuvieron", "que les dejo", "que les dio",
                "diversificaron", "incorporaron", "innovaron", "lograr", "mejorar", "aumentaron su",
                "que mas lograron", "alianzas publico privadas", "publico privadas", "fortalecieron", "que paso con",
                "sacaron", "que sacaron", "de bueno", "que les quedo", "como les fue", "que tal les fue",
                "servicios", "vinculos empresariales", "pudieron fortalecer", "pudieron desarrollar",
                "lograron fortalecer", "lograron desarrollar"],
    "focus": ["objetivo", "objetivos", "foco", "finalidad", "proposito", "meta", "metas", "enfoque", "mision",
              "se enfoco", "se enfocaba", "se centro", "se centraba",
              "para que sirve", "para que fue creado", "para que se creo", "fin", "a que apuntaba",
              "que buscaba", "que busca", "busco", "capacidades", "que pretendia", "apuntaba", "apunta",
              "a que apunta", "fortalecer",
              "querian fortalecer", "buscaban fortalecer", "focus", "la onda", "idea del programa", "para que era",
              "idea central", "para que fue creado el programa", "pa que era", "idea principal", "la idea",
              "foco central", "que fortalecia", "productivas", "asociativas"],
    "role": ["rol", "papel", "importantes", "importante", "importancia", "por que las mipymes", "clave",
             "por que apoyar", "por que ayudar", "por que a las mipymes", "por que se enfoco", "desarrollo social",
             "desarrollo economico", "por que las pymes", "por que importan", "para que sirven las",
             "por que las apoyan", "para que las apoyan", "apoyan tanto", "por que apoyaron", "por que se apoyo",
             "rol clave", "que papel juegan", "desarrollo tecnologico", "por que son clave"],
    "creator": ["creo", "creador", "creadora", "crearon", "creado", "creada", "impulso", "impulsor", "impulsado",
                "organizadores",
                "lanzo", "promovio", "organizo", "organizado", "organizador", "detras", "a cargo del programa",
                "fundo", "fundador", "invento", "propuso", "iniciativa de", "pertenece", "dueno",
                "financio", "financiado", "financia", "financiador", "financista", "financiaba", "auspicio",
                "auspiciado", "patrocino", "patrocinado", "pago", "puso", "quien esta detras",
                "responsable del programa",
                "que institucion", "que organismo", "ejecuto el programa", "ejecutor del programa", "de quien es",
                "de quien era", "quien lo hizo", "quien esta atras", "origen", "quien financia"],
    "sectors": ["sectores", "sector", "rubros", "rubro", "industrias", "areas", "actividades economicas",
                "giros", "giro", "ramas", "tipo de negocios", "tipos de negocio", "de que tipo", "en que sectores",
                "sectores top", "top", "activos", "mas activos",
                "destacados", "mas destacados", "mas fuertes", "sobresalieron", "resaltaron", "movidos", "mas movidos",
                "mas participaron"],
    "organisations": ["organizaciones", "organizacion", "organismos", "gremios", "gremio", "entidades",
                      "entidad", "camaras", "asociaciones", "ejecutoras", "ejecutores", "ejecutaron",
                      "llevaron adelante", "llevaron", "responsables", "socios", "operadores",
                      "implementaron", "implementadoras", "a cargo", "encargaron", "estuvieron a cargo",
                      "organizaciones empresariales", "instituciones ejecutoras", "chambeo",
                      "trabajaron", "estuvo a cargo", "figura", "nombre completo", "siglas", "sigla", "acronimo"],
    "projects": ["proyectos", "proyecto", "iniciativas", "intervenciones"],
    "countries": ["paises", "pais", "naciones", "nacion", "countries", "country"],
    "institutions": ["instituciones", "institucion"],
    "duration": ["duro", "dura", "duracion", "durante cuanto", "cuanto tiempo", "cuantos anos", "anos",
                 "ano", "tiempo", "duraba", "se ejecuto", "se extendio", "vigencia", "periodo", "plazo",
                 "years", "cuanto tiempo duro", "duro el programa"],
    "mipymes": ["mipymes", "mipyme", "mypes", "mype", "pymes", "pyme", "mi pyme", "mis pymes", "empresas",
                "empresa", "empresitas", "empresita", "empresarios", "negocios", "negocio", "negocitos",
                "negocito", "emprendedores", "emprendimientos", "companias", "firmas", "beneficiarios",
                "beneficiarias", "beneficiados", "beneficiadas", "beneficiaron", "beneficio a", "microempresas",
                "microempresa", "pequenas empresas", "medianas empresas", "bodegas", "talleres", "companies",
                "apoyadas", "apoyados", "apoyaron", "atendidas", "atendio", "favorecidas", "favorecio",
                "se beneficiaron", "pymes beneficiadas", "mipymes beneficiadas", "empresas beneficiadas",
                "micro", "pequenas", "medianas", "emprendedor", "empresarias", "chambas"],
    "programme": ["programa", "al invest", "alinvest", "al invest 5", "al invest 5 0", "alinvest 5",
                  "el programa", "iniciativa", "cooperacion", "programa europeo", "vaina", "la vaina esa", "esa vaina",
                  "ese programa", "esa iniciativa", "tipo de empresas", "tipos de empresas", "a quienes apoya",
                  "a quien apoya", "a quienes apoyaba", "a quienes iba dirigido", "para quienes era",
                  "cooperacion internacional", "programas"],
}

# Things that only name this assistant's subject when another word of it is
# near: "¿cuánto dura un vuelo?" is not about the programme.
GENERIC_THINGS = frozenset({"platform", "duration", "money", "contact", "apply", "person", "ministry", "improvement",
                            "opinion",
                            "names", "people", "share", "activities", "results", "focus", "role", "creator",
                            "new_programme", "format", "countries", "institutions", "projects", "event", "sectors"})

# --- Where or which: what narrows the question ----------------------------------------
SCOPES: Dict[str, List[str]] = {
    "peru": ["peru", "peruanas", "peruanos", "peruana", "peruano", "en el pais", "nacionales", "de aca", "aca",
             "en nuestro pais", "mi pais", "nuestro pais", "peruvian", "peruanitas"],
    "total": ["en total", "total", "totales", "en general", "todo el programa", "toda la region",
              "a nivel regional", "a nivel latinoamericano", "latam", "latinoamerica", "america latina",
              "la region", "region", "todos los paises", "en todos", "continente", "globalmente", "global",
              "a nivel general", "en toda", "en todo", "latinoamericanas", "latinoamericanos", "caribe",
              "sumando", "entre todos", "en conjunto", "en todo el programa", "todos los paises",
              "en todos los paises", "contando todos los paises", "los 18 paises", "en los 18 paises",
              "todos los paises participantes", "en los 18", "de los 18", "totl", "a nivel de todo"],
    "per_day": ["por dia", "cada dia", "diario", "diarios", "por jornada", "cada jornada", "el primer dia",
                "el segundo dia", "el ultimo dia", "cada fecha", "por fecha"],
}

# Countries other than Peru, and places in Peru: the article gives figures for
# neither (only Peru's total and the programme's total).
OTHER_COUNTRIES = [
    "argentina", "bolivia", "brasil", "brazil", "chile", "colombia", "costa rica", "cuba", "ecuador",
    "el salvador", "guatemala", "haiti", "honduras", "mexico", "nicaragua", "panama", "paraguay",
    "republica dominicana", "dominicana", "uruguay", "venezuela", "jamaica", "belice", "guyana", "surinam",
    "trinidad", "barbados", "espana", "estados unidos", "eeuu", "usa", "canada", "alemania", "francia",
    "italia", "china", "japon", "bolivianas", "chilenas", "colombianas", "ecuatorianas", "mexicanas",
    "argentinas", "brasilenas", "chilenos", "colombianos", "ecuatorianos", "mexicanos", "bolivianos",
    "argentinos", "venezolanos", "venezolanas", "uruguayos", "paraguayos", "otros paises", "otro pais",
    "cada pais", "por pais",
]
PLACES_IN_PERU = [
    "lima", "arequipa", "cusco", "cuzco", "trujillo", "piura", "chiclayo", "iquitos", "huancayo", "tacna",
    "puno", "ayacucho", "cajamarca", "ica", "chimbote", "tarapoto", "pucallpa", "huanuco", "lambayeque",
    "la libertad", "junin", "loreto", "ancash", "san martin", "ucayali", "madre de dios", "moquegua",
    "tumbes", "apurimac", "amazonas", "pasco", "huancavelica", "callao", "juliaca", "huaraz", "sullana",
    "provincias", "provincia", "regiones del peru", "regiones", "departamentos", "departamento", "ciudades",
    "ciudad", "distritos", "distrito", "gamarra", "villa el salvador", "miraflores", "san isidro", "norte",
    "sur", "sierra", "selva", "costa", "la selva", "la sierra", "zona", "zonas", "localidad", "ate", "chulucanas",
    "comas", "san juan de lurigancho", "sjl", "los olivos", "puente piedra", "surco", "la victoria",
    "limenas", "limenos", "arequipenas", "arequipenos", "cusquenas", "cusquenos", "punenas", "punenos",
    "trujillanas", "trujillanos", "piuranas", "piuranos", "chiclayanas", "chiclayanos", "loretanas", "loretanos",
    "huancainas", "huancainos", "ayacuchanas", "ayacuchanos", "tacnenas", "tacnenos", "chalacas", "chalacos",
    "provincianas", "provincianos", "regionales",
]

# How people name the sectors the article lists (keys: the knowledge file's
# sector names, folded), and sectors it does not name.
SECTOR_WORDS: Dict[str, List[str]] = {
    "agropecuario": ["agropecuario", "agropecuaria", "agro", "agricultura", "agricola", "agricolas",
                     "agricultores", "ganaderia", "ganadero", "ganaderos", "agropecuarias", "campo", "agrario",
                     "agroindustria", "agroindustrial"],
    "textil": ["textil", "textiles", "textileria", "confecciones", "confeccion", "tejidos", "ropa", "prendas",
               "textilero", "textileros"],
    "artesanal": ["artesanal", "artesanales", "artesania", "artesanias", "artesanos", "artesano", "artesana"],
    "panaderia": ["panaderia", "panaderias", "panadero", "panaderos", "pan", "panificacion", "panificadoras"],
    "carpinteria": ["carpinteria", "carpinterias", "carpintero", "carpinteros", "muebles", "muebleria",
                    "ebanisteria"],
    "metalmecanica": ["metalmecanica", "metalmecanico", "metales", "metalicos", "metal mecanica", "metal mecanico",
                      "metalmecanicas",
                      "metalmecanicos",
                      "metalurgia", "metalurgica", "metalurgico", "soldadura", "metal"],
}
OTHER_SECTORS = [
    "bodega", "bodeguero", "bodeguera", "minimarket", "abarrotes",
    "mineria", "minero", "minera", "pesca", "pesquero", "pesquera", "turismo", "turistico", "gastronomia",
    "gastronomico", "restaurantes", "restaurante", "chifa", "cevicheria", "tecnologia", "tecnologico", "software",
    "construccion", "comercio", "servicios", "salud", "educacion", "transporte", "calzado", "zapatos", "cuero",
    "joyeria", "energia", "forestal", "madera", "cafe", "cacao", "cosmetica", "belleza", "logistica",
    "inmobiliario", "financiero", "banca", "telecomunicaciones", "quimico", "farmaceutico", "plasticos",
    "imprenta", "grafica", "marketing", "moda", "alimentos", "bebidas", "pasteleria", "reposteria",
    "hoteleria", "hoteles", "acuicultura", "avicola", "lacteos", "chocolate", "quinua", "pisco", "vinos",
    "bodegas de vino", "ferreteria", "abarrotes", "mecanica automotriz", "automotriz", "petroleo", "gas",
    "videojuegos", "fintech", "startups", "ecommerce", "comercio electronico", "agroexportacion",
]

# How people name the organisations beyond the knowledge file's aliases
# (keys: acronyms as the file writes them), and organisations it does not name.
ORGANISATION_WORDS: Dict[str, List[str]] = {
    "CCL": ["camara de comercio de lima", "camara de lima", "la de lima", "ccl", "c c l", "camara limena", "ce ce ele",
            "camara de comercio lima"],
    "PeruCámaras": ["perucamaras", "peru camaras", "camara nacional", "camaras regionales", "la nacional",
                    "camara nacional de comercio", "perucamara"],
    "Adex": ["adex", "adeks", "adx", "adexx", "a dex", "ad ex", "exportadores", "exportadoras", "de los exportadores",
             "asociacion de exportadores"],
    "SNI": ["sni", "s n i", "ese ene i", "ese ene y", "s n y", "sociedad nacional de industrias",
            "sociedad nacional de industria", "industriales",
            "de industrias", "sociedad de industrias", "la de industrias", "la de las industrias",
            "de las industrias", "la de industria", "la de los industriales"],
}
OTHER_ORGANISATIONS = [
    "gringos", "los gringos", "yanquis", "estadounidenses", "norteamericanos", "los chinos", "los japoneses",
    "comexperu", "comex peru", "comex", "promperu", "sunat", "produce", "bid", "onu", "naciones unidas", "caf",
    "usaid", "cepal", "mincetur", "sierra exportadora", "cites", "innovate peru", "banco mundial", "fmi",
    "oit", "unesco", "unicef", "bcp", "cofide", "senati", "sence", "confiep", "asbanc", "indecopi",
    "camara de comercio de arequipa", "camara de comercio de cusco", "camara de comercio de trujillo",
    "camara americana", "amcham", "jica", "giz", "kfw", "oea", "apec", "mercosur", "can",
    "comunidad andina", "estados unidos", "china", "japon", "gobierno peruano", "el estado",
    "banco interamericano", "la onu", "el bid", "la caf", "sebrae", "sercotec", "corfo",
]
# Who the programme is of: the article's creator (Comisión Europea) and funder
# (Unión Europea) as people write them; anything else named as its creator is not.
EU_WORDS = {
    "funder": ["union europea", "ue", "u e", "european union", "eu", "europeos", "los europeos"],
    "creator": ["comision europea", "la comision", "comision", "european commission", "ce"],
}

# How people type numbers, months, shorthand and chatter: typed.py (the same names, read here as lx.*).
from actions.understanding.typed import CHATTER, MONTHS, MONTHS_EN, NUMBER_WORDS, ORDINALS, SHORTHAND  # noqa: E402


def phrases_of(table: Dict[str, List[str]]) -> List[Tuple[str, str]]:
    """(key, phrase) pairs of a table, longest phrase first (so longer matches win)."""
    pairs = [(key, phrase) for key, phrases in table.items() for phrase in phrases]
    return sorted(pairs, key=lambda kp: -len(kp[1]))


__all__ = ["ASKED", "CHATTER", "EU_WORDS", "GENERIC_THINGS", "MONTHS", "MONTHS_EN", "NUMBER_WORDS", "ORDINALS",
           "OTHER_COUNTRIES", "OTHER_ORGANISATIONS", "OTHER_SECTORS", "ORGANISATION_WORDS", "PLACES_IN_PERU",
           "SCOPES", "SECTOR_WORDS", "SHORTHAND", "THINGS", "YES_NO_TAGS", "phrases_of"]
