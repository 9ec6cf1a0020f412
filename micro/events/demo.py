"""Demo conferences in Rome, Brussels, Madrid and Leipzig. Only ``manage.py demo_load`` calls this.

Dates are set a few weeks ahead of the day the demo is loaded, so registration is open. The
programmes are invented for the demo; names of speakers are fictitious.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from django.utils import timezone

from micro.accounts.models import Organisation
from micro.events import tokens
from micro.events.models import Category, Event, EventStatus, Registration, RegistrationStatus, Session, Speaker

S = "reviewed"

CONFERENCES: list[dict[str, Any]] = [
    {
        "slug": "rome-2026",
        "organisation": "ente-nazionale-microcredito",
        "days_ahead": 30,
        "zone": "Europe/Rome",
        "title": "Migrant entrepreneurs and microcredit: what works in Italy",
        "city": "Rome",
        "venue_name": "Sala conferenze, Palazzo delle Esposizioni",
        "venue_address": "Via Nazionale 194, 00184 Roma",
        "map_url": "https://www.openstreetmap.org/search?query=Via%20Nazionale%20194%20Roma",
        "languages": ["it", "en"],
        "interpretation": ["en", "ar", "sgn"],
        "capacity": 120,
        "category_capacity": {"press": 15},
        "texts": {
            "en": {
                "title": "Migrant entrepreneurs and microcredit: what works in Italy",
                "description": "A day for the people who help migrants turn an idea into a business: microcredit operators, "
                "municipalities, chambers of commerce, NGOs and the entrepreneurs themselves.\n\n"
                "We present the first results of the M.I.C.R.O. info-training path, discuss what stops a good "
                "idea on its way to a loan, and hear from entrepreneurs who made it.",
            },
            "it": {
                "title": "Imprenditori migranti e microcredito: cosa funziona in Italia",
                "description": "Una giornata per chi aiuta le persone migranti a trasformare un'idea in un'impresa: operatori "
                "del microcredito, comuni, camere di commercio, associazioni e gli imprenditori stessi.\n\n"
                "Presentiamo i primi risultati del percorso di info-formazione M.I.C.R.O., discutiamo di cosa "
                "blocca una buona idea sulla strada verso il prestito e ascoltiamo chi ce l'ha fatta.",
            },
        },
        "speakers": [
            (
                "Giulia Ferraro",
                "Ente Nazionale per il Microcredito",
                "Coordinates the M.I.C.R.O. project and the network of microcredit tutors.",
            ),
            (
                "Moussa Diallo",
                "Sartoria Diallo, Roma",
                "Opened a tailoring workshop in 2022 with a microcredit and a tutor's support.",
            ),
            (
                "Elena Russo",
                "Comune di Roma",
                "Works on inclusion policies for new citizens in the city's economic development office.",
            ),
            ("Karim Haddad", "Ce.S.F.Or", "Trains operators in intercultural competences."),
        ],
        "sessions": [
            ("09:30", "10:00", "Sala A", "it", "Welcome and opening", "Benvenuto e apertura", [0]),
            (
                "10:00",
                "11:15",
                "Sala A",
                "it",
                "From idea to loan: first results of the info-training path",
                "Dall'idea al prestito: i primi risultati del percorso",
                [0, 3],
            ),
            (
                "11:30",
                "12:45",
                "Sala A",
                "it",
                "Round table: what cities can do for migrant businesses",
                "Tavola rotonda: cosa possono fare le città",
                [2],
            ),
            ("14:00", "15:00", "Sala B", "en", "Entrepreneurs tell their story", "Gli imprenditori raccontano", [1]),
            (
                "15:15",
                "16:30",
                "Sala B",
                "it",
                "Workshop: preparing a credit dossier together",
                "Laboratorio: preparare insieme il dossier di credito",
                [3],
            ),
        ],
    },
    {
        "slug": "brussels-2026",
        "organisation": "mediter",
        "days_ahead": 45,
        "zone": "Europe/Brussels",
        "title": "Opening doors: inclusive finance for newcomers in Belgium",
        "city": "Brussels",
        "venue_name": "Maison des Associations Internationales",
        "venue_address": "Rue Washington 40, 1050 Bruxelles",
        "map_url": "https://www.openstreetmap.org/search?query=Rue%20Washington%2040%20Bruxelles",
        "languages": ["fr", "nl", "en"],
        "interpretation": ["fr", "nl", "en"],
        "capacity": 80,
        "category_capacity": {},
        "texts": {
            "en": {
                "title": "Opening doors: inclusive finance for newcomers in Belgium",
                "description": "Belgian and European practitioners meet to compare how newcomers reach business support and "
                "credit in Brussels, Flanders and Wallonia, and what a European network of operators could share.",
            },
            "fr": {
                "title": "Ouvrir les portes : la finance inclusive pour les nouveaux arrivants en Belgique",
                "description": "Des praticiens belges et européens comparent la manière dont les nouveaux arrivants accèdent à "
                "l'accompagnement et au crédit à Bruxelles, en Flandre et en Wallonie, et ce qu'un réseau européen "
                "d'opérateurs pourrait mettre en commun.",
            },
            "nl": {
                "title": "Deuren openen: inclusieve financiering voor nieuwkomers in België",
                "description": "Belgische en Europese praktijkmensen vergelijken hoe nieuwkomers in Brussel, Vlaanderen en "
                "Wallonië ondersteuning en krediet vinden, en wat een Europees netwerk van organisaties kan delen.",
            },
        },
        "speakers": [
            (
                "Nadia El Amrani",
                "Mediter",
                "Runs the Brussels coaching programme for entrepreneurs with a migration background.",
            ),
            (
                "Pieter Janssens",
                "Microfinance practitioner",
                "Has assessed small loans for starters for fifteen years.",
            ),
            ("Amadou Sow", "Épicerie Sow, Anderlecht", "Started a neighbourhood grocery after a coaching programme."),
        ],
        "sessions": [
            ("09:00", "09:30", "Salle 1", "fr", "Welcome", "Accueil", [0]),
            (
                "09:30",
                "11:00",
                "Salle 1",
                "fr",
                "Three regions, three roads to credit",
                "Trois régions, trois chemins vers le crédit",
                [1],
            ),
            (
                "11:15",
                "12:30",
                "Salle 1",
                "nl",
                "Coaching that lasts after the loan",
                "Un accompagnement qui dure après le prêt",
                [0],
            ),
            (
                "13:30",
                "14:30",
                "Salle 2",
                "fr",
                "Testimonies from Anderlecht and Molenbeek",
                "Témoignages d'Anderlecht et de Molenbeek",
                [2],
            ),
        ],
    },
    {
        "slug": "madrid-2026",
        "organisation": "accion-contra-el-hambre",
        "days_ahead": 60,
        "zone": "Europe/Madrid",
        "title": "Entrepreneurship without borders: employability and microcredit in Spain",
        "city": "Madrid",
        "venue_name": "Centro Cultural Casa de Vacas",
        "venue_address": "Paseo del Venezuela 1, 28009 Madrid",
        "map_url": "https://www.openstreetmap.org/search?query=Casa%20de%20Vacas%20Madrid",
        "languages": ["es"],
        "interpretation": ["en", "ar", "fr"],
        "capacity": 100,
        "category_capacity": {"migrant_entrepreneur": 40},
        "texts": {
            "en": {
                "title": "Entrepreneurship without borders: employability and microcredit in Spain",
                "description": "How do training, mentoring and microcredit fit together for migrant entrepreneurs in Spain? "
                "Programmes from Madrid and Andalusia present their results, and the M.I.C.R.O. partners invite "
                "operators to test the e-learning course.",
            },
            "es": {
                "title": "Emprender sin fronteras: empleabilidad y microcrédito en España",
                "description": "¿Cómo encajan la formación, la mentoría y el microcrédito para las personas emprendedoras "
                "migrantes en España? Programas de Madrid y Andalucía presentan sus resultados y los socios de "
                "M.I.C.R.O. invitan a los operadores a probar el curso en línea.",
            },
        },
        "speakers": [
            (
                "Lucía Martín",
                "Acción contra el Hambre",
                "Leads employment and entrepreneurship programmes in the Madrid region.",
            ),
            ("Omar Benali", "Nantik Lum", "Specialist in financial education for vulnerable groups."),
            ("Rosa Quispe", "Panadería Quispe, Lavapiés", "Runs a bakery opened with a microloan in 2021."),
        ],
        "sessions": [
            ("10:00", "10:30", "Auditorio", "es", "Opening", "Apertura", [0]),
            (
                "10:30",
                "12:00",
                "Auditorio",
                "es",
                "Mentoring and microcredit: lessons from five years",
                "Mentoría y microcrédito: lecciones de cinco años",
                [0, 1],
            ),
            (
                "12:15",
                "13:15",
                "Sala 2",
                "es",
                "Financial education that people actually use",
                "Educación financiera que se usa de verdad",
                [1],
            ),
            ("15:00", "16:00", "Auditorio", "es", "Entrepreneurs' corner", "El rincón de las emprendedoras", [2]),
        ],
    },
    {
        "slug": "leipzig-2026",
        "organisation": "wisamar",
        "days_ahead": 75,
        "zone": "Europe/Berlin",
        "title": "Starting up in Saxony: support for migrant founders",
        "city": "Leipzig",
        "venue_name": "Volkshochschule Leipzig",
        "venue_address": "Löhrstraße 3–7, 04105 Leipzig",
        "map_url": "https://www.openstreetmap.org/search?query=L%C3%B6hrstra%C3%9Fe%203%20Leipzig",
        "languages": ["de", "en"],
        "interpretation": ["en", "ar", "uk", "tr"],
        "capacity": 60,
        "category_capacity": {"press": 8},
        "texts": {
            "en": {
                "title": "Starting up in Saxony: support for migrant founders",
                "description": "Founding advice, recognition of qualifications and access to small loans: advisers, "
                "the chamber of commerce and founders from Leipzig discuss what helps and what gets in the way.",
            },
            "de": {
                "title": "Gründen in Sachsen: Unterstützung für Gründerinnen und Gründer mit Migrationsgeschichte",
                "description": "Gründungsberatung, Anerkennung von Abschlüssen und Zugang zu Kleinkrediten: Beratungsstellen, "
                "Kammer und Gründerinnen aus Leipzig sprechen darüber, was hilft und was im Weg steht.",
            },
        },
        "speakers": [
            (
                "Anna Weber",
                "Wisamar Bildungsgesellschaft",
                "Coordinates European projects on adult education and migration.",
            ),
            (
                "Oleksandr Kovalenko",
                "IT-Dienstleister, Leipzig",
                "Founded a small software company after arriving from Kharkiv.",
            ),
            ("Aylin Demir", "Gründungsberatung", "Advises founders in German, Turkish and English."),
        ],
        "sessions": [
            ("09:30", "10:00", "Raum 101", "de", "Welcome", "Begrüßung", [0]),
            (
                "10:00",
                "11:30",
                "Raum 101",
                "de",
                "The founding path in Saxony, step by step",
                "Der Weg zur Gründung in Sachsen, Schritt für Schritt",
                [2],
            ),
            (
                "11:45",
                "12:45",
                "Raum 101",
                "en",
                "From Kharkiv to Leipzig: founding twice",
                "Von Charkiw nach Leipzig: zweimal gründen",
                [1],
            ),
            (
                "14:00",
                "15:30",
                "Raum 204",
                "de",
                "Workshop: the business plan with real numbers",
                "Workshop: der Businessplan mit echten Zahlen",
                [0, 2],
            ),
        ],
    },
]

LOCAL_LANGUAGE = {"rome-2026": "it", "brussels-2026": "fr", "madrid-2026": "es", "leipzig-2026": "de"}

DEMO_REGISTRANTS = [
    ("Francesca Bianchi", "francesca.bianchi@example.org", "Comune di Roma", Category.LOCAL_DECISION_MAKER, "it", True),
    ("Samir Toumi", "samir.toumi@example.org", "", Category.MIGRANT_ENTREPRENEUR, "ar", True),
    ("Laura Conti", "laura.conti@example.org", "Radio Quartiere", Category.PRESS, "it", False),
    ("Joseph Mensah", "joseph.mensah@example.org", "Associazione Ponti", Category.NGO, "en", True),
    (
        "Marta Greco",
        "marta.greco@example.org",
        "Banca di Credito Cooperativo",
        Category.MICROCREDIT_OPERATOR,
        "it",
        True,
    ),
]


def _at(day: datetime, clock: str, zone: ZoneInfo) -> datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(day.date(), time(hours, minutes), tzinfo=zone)


def load(stdout: TextIO) -> None:
    today = timezone.now()
    count = 0
    for spec in CONFERENCES:
        organisation = Organisation.objects.filter(slug=spec["organisation"]).first()
        if organisation is None:
            continue
        zone = ZoneInfo(spec["zone"])
        day = today + timedelta(days=spec["days_ahead"])
        sessions = spec["sessions"]
        local = LOCAL_LANGUAGE[spec["slug"]]
        translations = {code: {**texts, "status": S} for code, texts in spec["texts"].items()}
        event, _created = Event.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "organisation": organisation,
                "title": spec["title"],
                "status": EventStatus.PUBLISHED,
                "city": spec["city"],
                "venue_name": spec["venue_name"],
                "venue_address": spec["venue_address"],
                "map_url": spec["map_url"],
                "starts_at": _at(day, sessions[0][0], zone),
                "ends_at": _at(day, sessions[-1][1], zone),
                "time_zone": spec["zone"],
                "languages": spec["languages"],
                "interpretation": spec["interpretation"],
                "capacity": spec["capacity"],
                "category_capacity": spec["category_capacity"],
                "translations": translations,
            },
        )
        event.sessions.all().delete()
        event.speakers.all().delete()
        speakers = [
            Speaker.objects.create(
                event=event, name=name, affiliation=affiliation, translations={"en": {"bio": bio, "status": S}}
            )
            for name, affiliation, bio in spec["speakers"]
        ]
        for start, end, room, language, title_en, title_local, speaker_indexes in sessions:
            session = Session.objects.create(
                event=event,
                starts_at=_at(day, start, zone),
                ends_at=_at(day, end, zone),
                room=room,
                language=language,
                translations={"en": {"title": title_en, "status": S}, local: {"title": title_local, "status": S}},
            )
            session.speakers.set([speakers[i] for i in speaker_indexes])
        count += 1
    rome = Event.objects.filter(slug="rome-2026").first()
    if rome is not None and not rome.registrations.exists():
        for name, email, organisation_name, category, language, list_consent in DEMO_REGISTRANTS:
            registration = Registration(
                event=rome,
                status=RegistrationStatus.CONFIRMED,
                category=category,
                full_name=name,
                email=email,
                organisation_name=organisation_name,
                language=language,
                privacy_accepted_at=today,
                list_consent_at=today if list_consent else None,
                link_nonce=tokens.new_nonce(),
                checkin_code=tokens.new_checkin_code(),
                confirmed_at=today,
            )
            registration.token_hash = tokens.hash_token(
                tokens.registration_token(registration.public_id, registration.link_nonce)
            )
            registration.save()
    stdout.write(f"  events: {count} conferences (Rome, Brussels, Madrid, Leipzig)")
