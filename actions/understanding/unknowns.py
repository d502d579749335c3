"""What the article does not give, as the bot names it, and the nearest fact it offers instead.

``resolve.py`` decides *that* a question has no value in the knowledge file
(mipymes per sector, the event's city, money…); this table only says how the
answer names what is missing ("La fuente no lo indica: la nota no dice nada
sobre {topic}") and which known facts (answer keys of
``actions.knowledge.answers``) follow as "lo más cercano que sí indica".
"""

# What the bot calls what the source does not give ({...}: the frame's words).
SILENT_TOPICS = {
    "money": "el presupuesto, los montos o los costos del programa",
    "contact": "datos de contacto, páginas web o enlaces",
    "apply": "cómo postular, inscribirse o participar",
    "person": "los nombres de las personas a cargo",
    "ministry": "la participación de ministerios u otras entidades del Estado",
    "improvement": "cifras de mejora en ventas, exportaciones o porcentajes de crecimiento",
    "people": "el número de personas (trabajadores, asistentes o participantes)",
    "company_names": "los nombres de las mipymes beneficiadas",
    "project_names": "los nombres de los proyectos",
    "programme_name_next": "el nombre de un próximo programa",
    "event_place": "una ciudad o sede del evento de cierre",
    "event_time": "el horario del evento de cierre",
    "event_link": "el enlace o la inscripción al evento de cierre",
    "event_cost": "si el evento de cierre tenía algún costo",
    "event_speakers": "quiénes fueron los expositores o ponentes del evento de cierre",
    "event_people": "cuántas personas asistieron al evento de cierre",
    "per_day": "cifras por día del evento",
    "country": "las cifras de {country}",
    "country_in": "si {country} estuvo entre los países del programa (no da la lista)",
    "countries_list": "la lista de los {countries} países",
    "place": "cifras por ciudad o región del Perú ({place})",
    "per_sector": "cuántas mipymes hubo por sector ({sector})",
    "per_organisation": "cuántas mipymes o proyectos atendió cada organización ({organisation})",
    "projects_total": "el número total de proyectos del programa en los {countries} países",
    "sectors_total": "los sectores más activos en todo el programa",
    "programme_dates": "las fechas de inicio y fin del programa",
    "event_platform": "la plataforma por la que se transmitió el evento de cierre",
    "institutions_list": "la lista de las {institutions} instituciones",
    "next_programme_date": "cuándo empezaría un próximo programa",
    "next_programme_details": "el detalle de un próximo programa o de las líneas de intervención",
    "comparison": "comparaciones entre países",
    "size_breakdown": "cuántas eran micro, pequeñas o medianas empresas",
    "event_count": "cuántas actividades, presentaciones o historias de éxito tuvo el evento de cierre",
    "article_meta": "quién escribió la nota ni cuándo se publicó",
    "event_details": "el detalle de lo que se presentó o compartió en el evento de cierre",
    "other_sectors": "qué otros sectores participaron, además de los que nombra",
    "women": "cuántas mipymes eran dirigidas por mujeres o por jóvenes",
    "institutions_peru": "cuántas de las {institutions} instituciones eran peruanas",
    "per_year": "cuántas mipymes hubo por año",
    "programme_place": "una ciudad o sede del programa",
    "other": "eso",
}

# The nearest fact offered after each unknown (answer keys).
NEAREST = {
    "money": ["creator"], "contact": ["organisations"], "apply": ["organisations"], "person": ["creator"],
    "ministry": ["creator"], "improvement": ["results"], "people": ["beneficiaries_peru"],
    "company_names": ["beneficiaries_peru"], "project_names": ["projects"], "programme_name_next": ["new_programme"],
    "event_place": ["event_format"], "event_time": ["event_dates"], "event_link": ["event_dates"], "event_cost": ["event_format"],
    "event_speakers": ["event_activities"], "women": ["beneficiaries_peru"],
    "institutions_peru": ["organisations"], "per_year": ["beneficiaries_peru", "duration"],
    "programme_place": ["countries"],
    "event_people": ["event_dates"], "per_day": ["event_dates"], "country": ["beneficiaries_total"],
    "country_in": ["countries"], "countries_list": ["countries"], "place": ["beneficiaries_peru"],
    "per_sector": ["sectors"], "per_organisation": ["projects"], "projects_total": ["projects"],
    "sectors_total": ["sectors"], "programme_dates": ["duration"], "other": [],
    "event_platform": ["event_format"], "institutions_list": ["institutions"], "next_programme_date": ["new_programme"],
    "next_programme_details": ["new_programme"], "comparison": ["peru_share"], "size_breakdown": ["beneficiaries_peru"],
    "event_count": ["event_activities"], "article_meta": [], "other_sectors": ["sectors"],
    "event_details": ["event_activities"],
}
