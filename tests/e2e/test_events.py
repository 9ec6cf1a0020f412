"""Conferences in a real browser: a journalist registers in German on a phone, gets the email and
its calendar file, cancels; a person on the waiting list moves up; the organiser checks two
people in (QR payload and search) and exports the list; axe finds nothing serious; the public
conference page stays light.

Only data we control is asserted on (names typed, codes, URLs, structure): the UI catalogues are
translated in parallel, so no UI string is compared.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.support import BLOCKING_IMPACTS, E2E, axe_violations, describe_violation, lang_dir

pytestmark = E2E

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 1, "is_mobile": True, "has_touch": True}
LINK = re.compile(r"https?://[^/\s]+(/[a-z-]+/events/r/[0-9a-f]{64}/)")
PARTNER_EMAIL = "partner@demo.micro.example"


@pytest.fixture
def conference(demo_data: None) -> Any:
    from django.utils import timezone

    from micro.accounts.models import Organisation
    from micro.events.tests.factories import EventFactory

    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=14)
    return EventFactory.create(
        organisation=Organisation.objects.get(slug="ente-nazionale-microcredito"),
        slug="e2e-rome",
        title="Konferenz Mikrokredit Rom",
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        capacity=30,
        interpretation=["de", "en"],
        translations={
            "en": {
                "title": "Microcredit conference Rome",
                "description": "A day on **microcredit**.",
                "status": "reviewed",
            },
            "de": {
                "title": "Konferenz Mikrokredit Rom",
                "description": "Ein Tag über **Mikrokredit**.",
                "status": "reviewed",
            },
        },
    )


@pytest.fixture
def organiser(demo_data: None) -> Any:
    from micro.accounts.models import User

    return User.objects.get(email=PARTNER_EMAIL)


def _blocking(page: Any, name: str) -> list[str]:
    return [f"{name}: {describe_violation(v)}" for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]


def _outbox(to: str) -> list[Any]:
    from django.core import mail

    return [message for message in mail.outbox if message.to == [to]]


def _ics(message: Any) -> Any:
    import icalendar

    content = next(content for name, content, _type in message.attachments if name.endswith(".ics"))
    return icalendar.Calendar.from_ical(content).events[0]


def test_journalist_registers_in_german_gets_the_email_and_cancels(
    new_context: Any, conference: Any, problems: Any
) -> None:
    from micro.events.models import Registration

    page = new_context(**PHONE).new_page()
    blocking: list[str] = []
    page.goto(f"/de/events/{conference.slug}/")
    assert lang_dir(page) == ("de", "ltr")
    assert page.locator("h1").inner_text() == "Konferenz Mikrokredit Rom"
    page.locator(f"main a[href='/de/events/{conference.slug}/register/']").first.click()
    page.wait_for_url(re.compile(r"/de/events/e2e-rome/register/$"))
    blocking += _blocking(page, "register")

    page.locator("#id_full_name").fill("Jana Schreiber")
    page.locator("#id_email").fill("jana.schreiber@example.org")
    page.locator("#id_organisation_name").fill("Leipziger Rundschau")
    page.locator("input[name=category][value=press]").check()
    page.locator("#id_interpretation_language").select_option("de")
    page.locator("#id_needs").fill("Stufenloser Zugang")
    page.locator("#id_privacy").check()
    page.locator("#id_list_consent").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/de/events/r/[0-9a-f]{64}/$"))
    assert lang_dir(page) == ("de", "ltr")
    registration = Registration.objects.get(email="jana.schreiber@example.org")
    assert (registration.status, registration.category, registration.language) == ("confirmed", "press", "de")
    assert page.locator("img.qr").count() == 1 and registration.checkin_code in page.locator("main").inner_text()
    blocking += _blocking(page, "personal page")

    [message] = _outbox("jana.schreiber@example.org")
    link = LINK.search(message.body)
    assert link and link.group(1).startswith("/de/events/r/") and page.url.endswith(link.group(1))
    entry = _ics(message)
    assert entry.start == conference.starts_at and str(entry["summary"]) == "Konferenz Mikrokredit Rom"
    assert any(
        name == "check-in-qr.png" and content.startswith(b"\x89PNG") for name, content, _t in message.attachments
    )

    # Later, from the link in the email: "I can no longer attend".
    page.goto(link.group(1))
    page.locator(f"main a[href='{link.group(1)}cancel/']").click()
    blocking += _blocking(page, "cancel")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(link.group(1)) + "$"))
    registration.refresh_from_db()
    assert registration.status == "cancelled" and registration.cancelled_at is not None
    assert page.locator("img.qr").count() == 0
    assert len(_outbox("jana.schreiber@example.org")) == 2
    assert not blocking, "\n".join(blocking)
    assert problems.all() == []


def test_a_waiting_list_registrant_moves_up(new_context: Any, conference: Any, problems: Any) -> None:
    from micro.events.models import Event, Registration
    from micro.events.services import registration_create

    Event.objects.filter(pk=conference.pk).update(capacity=1)
    conference.refresh_from_db()
    _holder, holder_token = registration_create(
        event=conference,
        full_name="Place Holder",
        email="holder@example.org",
        category="ngo",
        language="en",
        privacy_accepted=True,
    )
    page = new_context(**PHONE).new_page()
    page.goto(f"/en/events/{conference.slug}/register/")
    page.locator("#id_full_name").fill("Wafa Benali")
    page.locator("#id_email").fill("wafa@example.org")
    page.locator("input[name=category][value=migrant_entrepreneur]").check()
    page.locator("#id_privacy").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/events/r/[0-9a-f]{64}/$"))
    waiting_url = page.url
    assert Registration.objects.get(email="wafa@example.org").status == "waitlisted"
    assert page.locator("img.qr").count() == 0
    assert not _ics_attachments(_outbox("wafa@example.org"))

    other = new_context().new_page()
    other.goto(f"/en/events/r/{holder_token}/cancel/")
    other.locator("main form button[type=submit]").click()
    other.wait_for_url(re.compile(rf"/en/events/r/{holder_token}/$"))

    assert Registration.objects.get(email="wafa@example.org").status == "confirmed"
    promoted = _outbox("wafa@example.org")[-1]
    assert _ics(promoted).start == conference.starts_at
    page.goto(waiting_url)
    assert page.locator("img.qr").count() == 1
    assert problems.all() == []


def _ics_attachments(messages: list[Any]) -> list[Any]:
    return [name for message in messages for name, *_rest in message.attachments if name.endswith(".ics")]


def test_organiser_checks_two_people_in_and_exports_match(
    new_context: Any, conference: Any, organiser: Any, sign_in_cookie: Any, problems: Any
) -> None:
    from micro.events import tokens
    from micro.events.models import CheckIn, Registration
    from micro.events.services import registration_create

    people = [
        registration_create(
            event=conference,
            full_name=name,
            email=email,
            organisation_name=org,
            category=category,
            language="it",
            privacy_accepted=True,
            list_consent=True,
        )[0]
        for name, email, org, category in (
            ("Giorgio Neri", "giorgio@example.org", "=Comune di Roma", "local_decision_maker"),
            ("Fatou Ndiaye", "fatou@example.org", "Sartoria Ndiaye", "migrant_entrepreneur"),
            ("Paolo Verdi", "paolo@example.org", "Banca Etica", "microcredit_operator"),
        )
    ]
    context = new_context(**PHONE)
    sign_in_cookie(context, organiser)
    page = context.new_page()
    blocking: list[str] = []
    page.goto(f"/en/events/{conference.slug}/check-in/")
    blocking += _blocking(page, "check-in")

    # 1. The QR payload as the camera (or a scanner acting as a keyboard) delivers it.
    page.locator("#id_code").fill(tokens.qr_payload(conference.pk, str(people[0].checkin_code)))
    page.locator("#id_code").press("Enter")
    page.locator("#checkin-result.checkin-ok").wait_for()
    assert "Giorgio Neri" in page.locator("#checkin-result").inner_text()
    # The same code again is refused: nobody is checked in twice.
    page.locator("#id_code").fill(people[0].checkin_code)
    page.locator("#id_code").press("Enter")
    page.locator("#checkin-result.checkin-error").wait_for()

    # 2. By name.
    page.locator("#id_q").fill("ndiaye")
    page.locator("#id_q").press("Enter")
    page.wait_for_url(re.compile(r"\?q=ndiaye$"))
    page.locator(f"form.checkin-person input[value='{people[1].pk}'] ~ button").click()
    page.wait_for_load_state()
    assert set(CheckIn.objects.values_list("registration_id", flat=True)) == {people[0].pk, people[1].pk}
    page.goto(f"/en/events/{conference.slug}/check-in/")
    recent = page.locator("#recent-checkins").inner_text()
    assert "Giorgio Neri" in recent and "Fatou Ndiaye" in recent

    page.goto(f"/en/events/{conference.slug}/manage/")
    assert "67 %" in page.locator("main").inner_text()  # 2 of 3 confirmed came
    blocking += _blocking(page, "dashboard")
    page.goto(f"/en/events/{conference.slug}/manage/registrations/")
    blocking += _blocking(page, "registrations")

    csv_text = context.request.get(f"/en/events/{conference.slug}/manage/registrations.csv").text()
    rows = list(csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))))
    registrations = list(Registration.objects.filter(event=conference).order_by("full_name"))
    assert [(row[3], row[4]) for row in rows[1:]] == [(r.full_name, r.email) for r in registrations]
    assert "'=Comune di Roma" in csv_text
    from openpyxl import load_workbook

    xlsx = context.request.get(f"/en/events/{conference.slug}/manage/registrations.xlsx").body()
    sheet = load_workbook(io.BytesIO(xlsx)).active
    xlsx_rows = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert xlsx_rows == rows
    checked = [row for row in rows[1:] if row[12]]
    assert sorted(row[3] for row in checked) == ["Fatou Ndiaye", "Giorgio Neri"]
    listing = json.loads(context.request.get(f"/en/events/{conference.slug}/check-in/list/?format=json").text())
    assert len(listing["people"]) == 3 and sum(1 for p in listing["people"] if p["checked_in_at"]) == 2
    assert not blocking, "\n".join(blocking)
    assert problems.all() == []


def test_public_conference_page_weight_and_accessibility(
    new_context: Any, demo_data: None, artifacts_dir: Path, problems: Any
) -> None:
    """The Rome demo conference (programme, speakers) on a cold visit, in Italian and Arabic."""
    import io as _io

    from micro.events import demo

    demo.load(_io.StringIO())
    measured: dict[str, dict[str, int]] = {}
    blocking: list[str] = []
    for lang in ("it", "ar"):
        context = new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        finished: dict[str, float] = {}
        cdp.on(
            "Network.loadingFinished",
            lambda event, box=finished: box.__setitem__(event["requestId"], event["encodedDataLength"]),
        )
        page.goto(f"/{lang}/events/rome-2026/", wait_until="networkidle")
        measured[f"event-{lang}"] = {"bytes": int(sum(finished.values())), "requests": len(finished)}
        assert lang_dir(page) == (lang, "rtl" if lang == "ar" else "ltr")
        blocking += _blocking(page, f"event page {lang}")
    (artifacts_dir / "page-weight-events.json").write_text(json.dumps(measured, indent=2) + "\n", encoding="utf-8")
    print(f"\nconference page weight (cold visit): {json.dumps(measured)}")
    for name, numbers in measured.items():
        assert numbers["bytes"] <= 50 * 1024, (name, numbers)
    assert not blocking, "\n".join(blocking)
    assert problems.all() == []
