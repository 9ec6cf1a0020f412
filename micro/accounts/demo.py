"""Demo partners and one account per role. Only ``manage.py demo_load`` calls this."""

from __future__ import annotations

from typing import TextIO

from django.conf import settings

from micro.accounts.models import Country, Membership, Organisation, Role, User

PARTNERS = [
    (
        "ente-nazionale-microcredito",
        "Ente Nazionale per il Microcredito",
        Country.ITALY,
        "Rome",
        "https://www.microcredito.gov.it",
    ),
    ("cesfor", "Ce.S.F.Or", Country.ITALY, "Rome", ""),
    ("mediter", "Mediter", Country.BELGIUM, "Brussels", ""),
    (
        "accion-contra-el-hambre",
        "Acción contra el Hambre",
        Country.SPAIN,
        "Madrid",
        "https://www.accioncontraelhambre.org",
    ),
    ("nantik-lum", "Nantik Lum", Country.SPAIN, "Madrid", ""),
    ("wisamar", "Wisamar", Country.GERMANY, "Leipzig", ""),
]

# email, full name, organisation slug, role (None: no membership), preferred language
DEMO_USERS = [
    ("coordinator@demo.micro.example", "Chiara Coordinatrice", "ente-nazionale-microcredito", Role.COORDINATOR, "it"),
    ("partner@demo.micro.example", "Paolo Partner", "ente-nazionale-microcredito", Role.PARTNER_ADMIN, "it"),
    ("trainer@demo.micro.example", "Teresa Trainer", "cesfor", Role.TRAINER, "en"),
    ("operator@demo.micro.example", "Omar Operatore", "cesfor", Role.OPERATOR, "it"),
    ("operator2@demo.micro.example", "Olga Operadora", "accion-contra-el-hambre", Role.OPERATOR, "es"),
    ("migrant@demo.micro.example", "Amina Demo", None, None, "ar"),
]


def load(stdout: TextIO) -> None:
    organisations = {}
    for slug, name, country, city, website in PARTNERS:
        organisation, _created = Organisation.objects.update_or_create(
            slug=slug, defaults={"name": name, "country": country, "city": city, "website": website, "is_partner": True}
        )
        organisations[slug] = organisation
    for email, full_name, org_slug, role, language in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=settings.DEMO_PASSWORD,
                full_name=full_name,
                preferred_language=language,
                # The coordinator also runs the admin (course authoring, audit log).
                is_staff=role == Role.COORDINATOR,
                is_superuser=role == Role.COORDINATOR,
            )
        if org_slug and role:
            Membership.objects.update_or_create(
                user=user, organisation=organisations[org_slug], defaults={"role": role, "is_active": True}
            )
    stdout.write(f"  accounts: {len(PARTNERS)} organisations, {len(DEMO_USERS)} demo users")
