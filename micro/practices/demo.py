"""Demo practices: one per partner, in English and the partner's language, clearly marked as examples.

The texts are written for the demo: plausible for each partner's work, but not descriptions of
real projects, and the figures are illustrative. Every record carries ``is_example=True`` and the
pages show an "Example" notice. Only ``manage.py demo_load`` calls this; it can run again safely.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, TextIO

from django.utils import timezone

from micro.accounts.models import Organisation
from micro.practices.models import (
    ContributionTarget,
    Indicator,
    Practice,
    PracticeTransition,
    Reuse,
    Status,
)
from micro.practices.services import practice_reindex

DEMO_NOTE = "Demo example, loaded with the demo data."
TARGET_DUE = date(2027, 9, 30)

PRACTICES: list[dict[str, Any]] = [
    {
        "slug": "example-microcredit-desks-in-migrant-associations",
        "organisation": "ente-nazionale-microcredito",
        "language": "it",
        "country": "IT",
        "theme": "credit_access",
        "target_groups": ["aspiring_entrepreneurs", "communities"],
        "legal_statuses": ["permit_holders", "long_term_residents", "international_protection"],
        "people_reached": 340,
        "total_cost": Decimal("85000"),
        "started_on": date(2023, 3, 1),
        "competence_codes": ["EF-1", "IC-1"],
        "lesson_links": ["/en/learn/micro-sample/economic-financial/loan-repayment/"],
        "indicators": [
            (
                {"en": "Desks open in migrant associations", "it": "Sportelli aperti presso associazioni"},
                "12",
                "",
                date(2024, 12, 31),
            ),
            (
                {"en": "Loan requests pre-screened", "it": "Richieste di prestito preistruite"},
                "340",
                "",
                date(2024, 12, 31),
            ),
            ({"en": "Microloans granted", "it": "Microcrediti concessi"}, "58", "", date(2024, 12, 31)),
        ],
        "texts": {
            "it": {
                "title": "Sportelli per il microcredito nelle associazioni di migranti",
                "summary": "Operatori formati aprono uno sportello settimanale nelle sedi delle associazioni di migranti: orientamento, preistruttoria della domanda e accompagnamento fino al prestito.",
                "objectives": "Portare l'informazione sul microcredito dove le persone già si incontrano e ridurre le domande incomplete o non ammissibili.",
                "activities": "- Selezione di 12 associazioni in 6 città\n- Formazione di 24 operatori volontari (40 ore)\n- Sportello settimanale con appuntamento\n- Preistruttoria con una scheda comune e invio al soggetto finanziatore\n- Tutoraggio nei primi 12 mesi dopo il prestito",
                "resources": "Due coordinatori regionali, un rimborso spese per gli operatori volontari, materiali in otto lingue. Costo complessivo circa 85.000 euro in due anni.",
                "results": "In due anni gli sportelli hanno accolto 340 richieste; 58 si sono trasformate in un microcredito, con tassi di rimborso in linea con la media nazionale.",
                "evidence": "Registro degli sportelli, dati del soggetto finanziatore, questionario agli utenti dopo sei mesi.",
                "success_factors": "La fiducia verso l'associazione; operatori che parlano la lingua degli utenti; una scheda di preistruttoria semplice e condivisa con le banche.",
                "transferability": "Serve un ente che garantisca la formazione e il collegamento con i finanziatori. Adattare la scheda alla normativa nazionale sul microcredito.",
                "lessons": "Fissare fin dall'inizio un numero massimo di pratiche per operatore volontario, per evitare l'abbandono.",
            },
            "en": {
                "title": "Microcredit desks in migrant associations",
                "summary": "Trained operators open a weekly desk at the premises of migrant associations: guidance, pre-screening of the application and support up to the loan.",
                "objectives": "Bring information on microcredit to where people already meet, and reduce incomplete or ineligible applications.",
                "activities": "- 12 associations chosen in 6 cities\n- 24 volunteer operators trained (40 hours)\n- A weekly desk by appointment\n- Pre-screening with a shared form, then referral to the lender\n- Tutoring during the first 12 months after the loan",
                "resources": "Two regional coordinators, expenses for the volunteer operators, material in eight languages. About 85,000 euros over two years.",
                "results": "In two years the desks received 340 requests; 58 became a microloan, with repayment in line with the national average.",
                "evidence": "Desk register, lender data, a user questionnaire after six months.",
                "success_factors": "Trust in the association; operators who speak the users' language; a simple pre-screening form agreed with the banks.",
                "transferability": "It needs a body that runs the training and the link with lenders. Adapt the form to the national microcredit rules.",
                "lessons": "Set a maximum number of cases per volunteer from the start, so that volunteers do not give up.",
            },
        },
    },
    {
        "slug": "example-business-idea-lab-for-migrant-women",
        "organisation": "cesfor",
        "language": "it",
        "country": "IT",
        "theme": "migrant_training",
        "target_groups": ["women", "aspiring_entrepreneurs"],
        "legal_statuses": ["permit_holders", "international_protection", "naturalised"],
        "people_reached": 64,
        "total_cost": Decimal("32000"),
        "started_on": date(2022, 10, 1),
        "competence_codes": ["EF-2"],
        "lesson_links": ["/en/learn/micro-sample/economic-financial/break-even/"],
        "indicators": [
            (
                {"en": "Women who completed the lab", "it": "Donne che hanno concluso il laboratorio"},
                "64",
                "",
                date(2024, 6, 30),
            ),
            (
                {"en": "Businesses opened within a year", "it": "Imprese avviate entro un anno"},
                "17",
                "",
                date(2024, 6, 30),
            ),
        ],
        "texts": {
            "it": {
                "title": "Laboratorio dell'idea d'impresa per donne migranti",
                "summary": "Otto settimane di incontri serali con servizio di custodia dei bambini: dall'idea al conto economico, con visite a imprenditrici già avviate.",
                "objectives": "Aiutare le donne con background migratorio a verificare la propria idea prima di chiedere un prestito.",
                "activities": "Sedici incontri di due ore: idea e clienti, prezzi, costi, punto di pareggio, regole per aprire un'attività. Due visite a imprese di donne migranti. Colloquio finale con un operatore del microcredito.",
                "resources": "Due formatrici, una mediatrice, un'educatrice per i bambini, un'aula in centro. Circa 8.000 euro per edizione.",
                "results": "Quattro edizioni, 64 partecipanti; 17 imprese avviate entro un anno, 9 con un microcredito.",
                "evidence": "Registri di presenza, monitoraggio a 12 mesi, racconti delle partecipanti.",
                "success_factors": "La custodia dei bambini; gli orari serali; imprenditrici che raccontano anche gli errori.",
                "transferability": "Replicabile da qualsiasi ente di formazione con un partner del microcredito. Adattare gli orari alle abitudini locali.",
                "lessons": "Inserire prima il tema dei permessi di soggiorno e del lavoro autonomo: molte partecipanti non sapevano di poter aprire una partita IVA.",
            },
            "en": {
                "title": "Business idea lab for migrant women",
                "summary": "Eight weeks of evening sessions with childcare: from the idea to the profit and loss account, with visits to women who already run a business.",
                "objectives": "Help women with a migrant background test their idea before they ask for a loan.",
                "activities": "Sixteen two-hour sessions: idea and customers, prices, costs, break-even, the rules for opening a business. Two visits to businesses run by migrant women. A final talk with a microcredit operator.",
                "resources": "Two trainers, a mediator, a childminder, a room in the city centre. About 8,000 euros per edition.",
                "results": "Four editions, 64 participants; 17 businesses opened within a year, 9 with a microloan.",
                "evidence": "Attendance records, follow-up after 12 months, participants' stories.",
                "success_factors": "Childcare; evening hours; entrepreneurs who also talk about their mistakes.",
                "transferability": "Any training body with a microcredit partner can run it. Adapt the hours to local habits.",
                "lessons": "Cover residence permits and self-employment earlier: many participants did not know they could register a business.",
            },
        },
    },
    {
        "slug": "example-intercultural-mediators-in-credit-interviews",
        "organisation": "mediter",
        "language": "fr",
        "country": "BE",
        "theme": "operator_training",
        "target_groups": ["operators", "aspiring_entrepreneurs"],
        "legal_statuses": ["permit_holders", "international_protection", "eu_citizens"],
        "people_reached": 45,
        "started_on": date(2023, 1, 15),
        "competence_codes": ["IC-1", "IC-2", "IC-3"],
        "lesson_links": [
            "/en/learn/micro-sample/intercultural/working-with-interpreters/",
            "/en/learn/micro-sample/intercultural/explaining-a-refusal/",
        ],
        "indicators": [
            ({"en": "Credit advisers trained", "fr": "Conseillers crédit formés"}, "45", "", date(2024, 3, 31)),
            (
                {"en": "Interviews held with a mediator", "fr": "Entretiens menés avec un médiateur"},
                "210",
                "",
                date(2024, 3, 31),
            ),
        ],
        "texts": {
            "fr": {
                "title": "Médiateurs interculturels dans les entretiens de crédit",
                "summary": "Des conseillers en microcrédit apprennent à mener l'entretien avec un médiateur interculturel, et les médiateurs apprennent les bases du crédit.",
                "objectives": "Que le candidat comprenne vraiment les conditions du prêt et que le conseiller comprenne vraiment le projet.",
                "activities": "Deux journées de formation croisée (conseillers et médiateurs ensemble), un guide d'entretien en trois temps, une relecture des cas difficiles chaque mois.",
                "resources": "Un formateur, un réseau de huit médiateurs rémunérés à la mission, le temps des conseillers.",
                "results": "45 conseillers formés, 210 entretiens avec médiation ; moins de dossiers abandonnés après le premier rendez-vous.",
                "evidence": "Suivi des dossiers avant et après ; entretiens de groupe avec des candidats.",
                "success_factors": "Former conseillers et médiateurs ensemble ; préparer l'entretien dix minutes avant avec le médiateur.",
                "transferability": "Transférable partout où existe un réseau de médiateurs. Prévoir un budget pour les rémunérer.",
                "lessons": "Le médiateur n'est pas un traducteur : clarifier son rôle devant le candidat dès le début.",
            },
            "en": {
                "title": "Intercultural mediators in credit interviews",
                "summary": "Microcredit advisers learn to hold the interview with an intercultural mediator, and the mediators learn the basics of credit.",
                "objectives": "That the applicant really understands the loan conditions and the adviser really understands the project.",
                "activities": "Two days of joint training (advisers and mediators together), a three-step interview guide, a monthly review of difficult cases.",
                "resources": "One trainer, a network of eight mediators paid per assignment, advisers' time.",
                "results": "45 advisers trained, 210 interviews with a mediator; fewer applications dropped after the first meeting.",
                "evidence": "Case follow-up before and after; group interviews with applicants.",
                "success_factors": "Training advisers and mediators together; a ten-minute briefing with the mediator before each interview.",
                "transferability": "Transferable wherever a network of mediators exists. Plan a budget to pay them.",
                "lessons": "A mediator is not a translator: explain their role to the applicant at the start.",
            },
        },
    },
    {
        "slug": "example-self-employment-pathway-with-peer-mentoring",
        "organisation": "accion-contra-el-hambre",
        "language": "es",
        "country": "ES",
        "theme": "social_inclusion",
        "target_groups": ["job_seekers", "young_people", "aspiring_entrepreneurs"],
        "legal_statuses": ["permit_holders", "international_protection", "asylum_seekers"],
        "people_reached": 120,
        "total_cost": Decimal("60000"),
        "started_on": date(2022, 9, 1),
        "ended_on": date(2024, 6, 30),
        "indicators": [
            (
                {"en": "People who finished the pathway", "es": "Personas que terminaron el itinerario"},
                "120",
                "",
                date(2024, 6, 30),
            ),
            (
                {"en": "Started a business or got a job", "es": "Crearon un negocio o encontraron empleo"},
                "61",
                "%",
                date(2024, 6, 30),
            ),
        ],
        "texts": {
            "es": {
                "title": "Itinerario de autoempleo con mentoría entre pares",
                "summary": "Grupos de 15 personas en búsqueda de empleo trabajan su proyecto durante cinco meses, con un mentor que ya emprendió y sesiones con entidades de microfinanzas.",
                "objectives": "Mejorar la empleabilidad y abrir el camino al autoempleo de personas migrantes en situación de vulnerabilidad.",
                "activities": "Sesiones grupales semanales (competencias, modelo de negocio, trámites), tutorías individuales, mentoría entre pares y un encuentro con entidades financieras al final.",
                "resources": "Una técnica de empleo por grupo, mentores voluntarios, acuerdos con dos entidades de microcrédito.",
                "results": "Ocho grupos, 120 personas; el 61 % creó un negocio o encontró empleo en los seis meses siguientes.",
                "evidence": "Seguimiento a seis meses; registro de altas como autónomo.",
                "success_factors": "El grupo como red de apoyo; mentores con una historia parecida; contacto directo con las entidades de crédito.",
                "transferability": "Aplicable en otros países si se adaptan los trámites. Las personas solicitantes de asilo deben poder trabajar legalmente: comprobar los plazos nacionales.",
                "lessons": "Separar antes a quien quiere emprender de quien busca empleo por cuenta ajena: las necesidades son distintas.",
            },
            "en": {
                "title": "Self-employment pathway with peer mentoring",
                "summary": "Groups of 15 job seekers work on their project for five months, with a mentor who has started a business and sessions with microfinance institutions.",
                "objectives": "Improve employability and open the way to self-employment for migrants in vulnerable situations.",
                "activities": "Weekly group sessions (skills, business model, formalities), one-to-one tutoring, peer mentoring, and a meeting with lenders at the end.",
                "resources": "One employment adviser per group, volunteer mentors, agreements with two microcredit institutions.",
                "results": "Eight groups, 120 people; 61% started a business or found a job within six months.",
                "evidence": "Follow-up after six months; self-employment registrations.",
                "success_factors": "The group as a support network; mentors with a similar story; direct contact with lenders.",
                "transferability": "Works in other countries once the formalities are adapted. Asylum seekers must be allowed to work: check the national waiting periods.",
                "lessons": "Separate earlier those who want to start a business from those looking for a job: their needs differ.",
            },
        },
    },
    {
        "slug": "example-financial-health-check-before-the-loan",
        "organisation": "nantik-lum",
        "language": "es",
        "country": "ES",
        "theme": "credit_access",
        "target_groups": ["aspiring_entrepreneurs", "migrant_entrepreneurs"],
        "legal_statuses": ["permit_holders", "long_term_residents"],
        "people_reached": 180,
        "started_on": date(2023, 5, 1),
        "competence_codes": ["EF-1", "EF-3"],
        "indicators": [
            (
                {"en": "Financial health checks done", "es": "Chequeos de salud financiera realizados"},
                "180",
                "",
                date(2024, 12, 31),
            ),
            (
                {
                    "en": "Applicants who reduced household debt first",
                    "es": "Solicitantes que redujeron antes su deuda",
                },
                "37",
                "",
                date(2024, 12, 31),
            ),
        ],
        "texts": {
            "es": {
                "title": "Chequeo de salud financiera antes del préstamo",
                "summary": "Antes de solicitar un microcrédito, cada persona revisa con una educadora financiera su presupuesto familiar, sus deudas y su capacidad de ahorro.",
                "objectives": "Evitar el sobreendeudamiento y que el préstamo llegue en el momento adecuado.",
                "activities": "Una sesión individual de 90 minutos con una herramienta sencilla de presupuesto, un plan de acción y una segunda cita al mes.",
                "resources": "Dos educadoras financieras, la herramienta de presupuesto en cinco idiomas.",
                "results": "180 chequeos; 37 personas redujeron primero sus deudas y solicitaron el préstamo más tarde, con mejores condiciones.",
                "evidence": "Comparación de impagos entre quienes hicieron el chequeo y quienes no.",
                "success_factors": "Presentarlo como un servicio y no como un examen; materiales en la lengua de la persona.",
                "transferability": "Cualquier entidad de microfinanzas puede incorporarlo a su proceso de solicitud.",
                "lessons": "Incluir los envíos de dinero a la familia en el presupuesto: son un gasto fijo para muchas personas.",
            },
            "en": {
                "title": "Financial health check before the loan",
                "summary": "Before applying for a microloan, each person reviews their household budget, debts and capacity to save with a financial educator.",
                "objectives": "Prevent over-indebtedness and make sure the loan comes at the right time.",
                "activities": "One 90-minute individual session with a simple budgeting tool, an action plan, and a second appointment a month later.",
                "resources": "Two financial educators, the budgeting tool in five languages.",
                "results": "180 checks; 37 people first reduced their debts and applied later, on better terms.",
                "evidence": "Comparison of arrears between people who had the check and those who did not.",
                "success_factors": "Presenting it as a service, not a test; material in the person's own language.",
                "transferability": "Any microfinance institution can add it to its application process.",
                "lessons": "Include money sent to family abroad in the budget: for many people it is a fixed expense.",
            },
        },
    },
    {
        "slug": "example-shadowing-days-in-migrant-owned-businesses",
        "organisation": "wisamar",
        "language": "de",
        "country": "DE",
        "theme": "migrant_training",
        "target_groups": ["aspiring_entrepreneurs", "young_people"],
        "legal_statuses": ["permit_holders", "international_protection", "temporary_protection"],
        "people_reached": 52,
        "total_cost": Decimal("18500"),
        "started_on": date(2023, 9, 1),
        "competence_codes": ["IC-4"],
        "indicators": [
            ({"en": "Shadowing placements", "de": "Hospitationen"}, "52", "", date(2024, 10, 31)),
            ({"en": "Host businesses", "de": "Gastbetriebe"}, "21", "", date(2024, 10, 31)),
        ],
        "texts": {
            "de": {
                "title": "Hospitationstage in Unternehmen von Migrantinnen und Migranten",
                "summary": "Gründungsinteressierte verbringen drei Tage in einem Betrieb derselben Branche, der von einer zugewanderten Person geführt wird, und lernen den Alltag einer Selbstständigkeit kennen.",
                "objectives": "Ein realistisches Bild der Selbstständigkeit vermitteln, bevor jemand Geld leiht oder einen Mietvertrag unterschreibt.",
                "activities": "Vorbereitungsgespräch, drei Hospitationstage, ein Auswertungsgespräch mit einer Gründungsberaterin und ein kurzer Bericht der Teilnehmenden.",
                "resources": "Eine Koordinatorin, eine kleine Aufwandsentschädigung für die Gastbetriebe, Fahrtkosten.",
                "results": "52 Hospitationen in 21 Betrieben; ein Drittel der Teilnehmenden hat den Gründungsplan danach wesentlich geändert.",
                "evidence": "Berichte der Teilnehmenden, Befragung der Gastbetriebe.",
                "success_factors": "Gastbetriebe, die offen über Zahlen und Rückschläge sprechen; gleiche Branche und, wo möglich, gleiche Sprache.",
                "transferability": "Überall umsetzbar, wo es ein Netzwerk zugewanderter Unternehmerinnen und Unternehmer gibt. Versicherungsfragen vorher klären.",
                "lessons": "Die Auswertung ist genauso wichtig wie die Hospitation: ohne sie bleiben die Eindrücke unverbunden.",
            },
            "en": {
                "title": "Shadowing days in migrant-owned businesses",
                "summary": "Would-be founders spend three days in a business of the same trade run by a migrant entrepreneur, and see what running a business is like day to day.",
                "objectives": "Give a realistic picture of self-employment before anyone borrows money or signs a lease.",
                "activities": "A preparatory talk, three shadowing days, a debriefing with a business adviser and a short report by the participant.",
                "resources": "A coordinator, a small allowance for the host businesses, travel costs.",
                "results": "52 placements in 21 businesses; a third of the participants changed their business plan substantially afterwards.",
                "evidence": "Participants' reports, a survey of host businesses.",
                "success_factors": "Hosts who talk openly about figures and setbacks; the same trade and, where possible, the same language.",
                "transferability": "Possible wherever there is a network of migrant entrepreneurs. Sort out insurance beforehand.",
                "lessons": "The debriefing matters as much as the placement: without it the impressions stay unconnected.",
            },
        },
    },
]

REUSE: dict[str, Any] = {
    "practice": "example-business-idea-lab-for-migrant-women",
    "organisation": "nantik-lum",
    "language": "es",
    "adopted_on": date(2024, 2, 1),
    "people_reached": 14,
    "texts": {
        "adaptation": "Ejemplo: lo redujimos a seis semanas y añadimos una sesión sobre cuentas bancarias y envíos de dinero.",
        "outcome": "Ejemplo: 14 participantes en la primera edición; 4 solicitaron un microcrédito.",
    },
}


def _translations(texts: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    return {language: {**fields, "status": "reviewed"} for language, fields in texts.items()}


def load(stdout: TextIO) -> None:
    organisations = {
        org.slug: org for org in Organisation.objects.filter(slug__in={p["organisation"] for p in PRACTICES})
    }
    now = timezone.now()
    count = 0
    for spec in PRACTICES:
        organisation = organisations.get(spec["organisation"])
        if organisation is None:
            continue
        existing = Practice.objects.filter(slug=spec["slug"]).first()
        practice, created = Practice.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "published_at": existing.published_at if existing and existing.published_at else now,
                "organisation": organisation,
                "original_language": spec["language"],
                "translations": _translations(spec["texts"]),
                "country": spec["country"],
                "theme": spec["theme"],
                "target_groups": spec["target_groups"],
                "legal_statuses": spec["legal_statuses"],
                "people_reached": spec.get("people_reached"),
                "total_cost": spec.get("total_cost"),
                "started_on": spec.get("started_on"),
                "ended_on": spec.get("ended_on"),
                "competence_codes": spec.get("competence_codes", []),
                "lesson_links": spec.get("lesson_links", []),
                "status": Status.PUBLISHED,
                "is_example": True,
                "review_round": 1,
            },
        )
        if created:
            PracticeTransition.objects.create(
                practice=practice, from_status=Status.DRAFT, to_status=Status.PUBLISHED, comment=DEMO_NOTE
            )
        practice.indicators.all().delete()
        for order, (labels, value, unit, measured_on) in enumerate(spec["indicators"]):
            Indicator.objects.create(
                practice=practice,
                original_language=spec["language"],
                translations={lang: {"label": label, "status": "reviewed"} for lang, label in labels.items()},
                value=Decimal(value),
                unit=unit,
                measured_on=measured_on,
                order=order,
            )
        practice_reindex(practice=practice)
        ContributionTarget.objects.get_or_create(
            organisation=organisation, defaults={"target": 3, "due_on": TARGET_DUE}
        )
        count += 1
    adopted = Practice.objects.filter(slug=REUSE["practice"]).first()
    adopter = Organisation.objects.filter(slug=REUSE["organisation"]).first()
    if adopted is not None and adopter is not None:
        Reuse.objects.update_or_create(
            practice=adopted,
            organisation=adopter,
            defaults={
                "original_language": REUSE["language"],
                "translations": {REUSE["language"]: {**REUSE["texts"], "status": "reviewed"}},
                "adopted_on": REUSE["adopted_on"],
                "people_reached": REUSE["people_reached"],
            },
        )
    stdout.write(f"  practices: {count} example practices (one per partner), contribution targets, 1 reuse story")
