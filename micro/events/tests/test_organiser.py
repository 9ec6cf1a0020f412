"""Organiser pages: scoping, statistics, exports, participant list, badges, editing the conference and its programme."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from micro.accounts.models import Organisation, Role, User
from micro.accounts.tests.factories import OrganisationFactory, UserFactory, member
from micro.core.models import AuditEvent
from micro.events.models import Category, Event, Material, PracticeLink, Question, Session, Speaker
from micro.events.services import checkin_record
from micro.events.tests.factories import EventFactory, register

pytestmark = pytest.mark.django_db

MANAGE_PAGES = [
    "manage/",
    "manage/edit/",
    "manage/texts/",
    "manage/programme/",
    "manage/questions/",
    "manage/results/",
    "manage/registrations/",
    "manage/registrations.csv",
    "manage/registrations.xlsx",
    "manage/participants/",
    "manage/badges.pdf",
    "check-in/",
    "check-in/list/",
    "check-in/list/?format=json",
]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("page", MANAGE_PAGES)
def test_organisers_open_every_page(event: Event, organiser: User, page: str) -> None:
    register(event, full_name="Lena Vogel", list_consent=True)
    assert _client(organiser).get(f"/en/events/{event.slug}/{page}").status_code == 200


@pytest.mark.parametrize("page", MANAGE_PAGES)
def test_another_organisations_admin_sees_nothing(event: Event, page: str) -> None:
    register(event, full_name="Lena Vogel")
    other_admin = member(OrganisationFactory.create(), Role.PARTNER_ADMIN)
    other_coordinator = member(OrganisationFactory.create(), Role.COORDINATOR)
    operator = member(event.organisation, Role.OPERATOR)
    for user in (other_admin, other_coordinator, operator):
        response = _client(user).get(f"/en/events/{event.slug}/{page}")
        assert response.status_code == 404, (user, page)
    assert Client().get(f"/en/events/{event.slug}/{page}").status_code == 302


def test_named_organisers_and_coordinators_of_the_owner_may_organise(event: Event, organisation: Organisation) -> None:
    named = UserFactory.create()
    event.organisers.add(named)
    coordinator = member(organisation, Role.COORDINATOR)
    for user in (named, coordinator):
        assert _client(user).get(f"/en/events/{event.slug}/manage/registrations/").status_code == 200
    # A named organiser does not choose other organisers.
    response = _client(named).post(
        f"/en/events/{event.slug}/manage/edit/", {"save_organisers": "1", "emails": named.email}
    )
    assert response.status_code == 403


def test_organiser_list_only_shows_own_conferences(event: Event, organiser: User) -> None:
    EventFactory.create(title="Someone else's conference")
    html = _client(organiser).get("/en/events/manage/").content.decode()
    assert "Rome conference" in html and "Someone else" not in html
    assert _client(UserFactory.create()).get("/en/events/manage/").status_code == 404


def test_statistics_by_category_status_and_attendance(event: Event, organiser: User) -> None:
    Event.objects.filter(pk=event.pk).update(capacity=3)
    people = [
        register(event, category=category)[0]
        for category in (Category.PRESS, Category.PRESS, Category.NGO, Category.NGO)
    ]
    checkin_record(event=event, actor=organiser, idempotency_key="a", registration_id=people[0].pk)
    from micro.events.selectors import event_stats

    stats = event_stats(event)
    assert (stats.confirmed, stats.waitlisted, stats.checked_in, stats.attendance_percent) == (3, 1, 1, 33)
    press = next(row for row in stats.by_category if row["category"] == "press")
    assert (press["confirmed"], press["checked_in"]) == (2, 1)
    html = _client(organiser).get(f"/en/events/{event.slug}/manage/").content.decode()
    assert "33 %" in html


def test_exports_match_the_registrations(event: Event, organiser: User) -> None:
    created = [register(event, full_name=f"Person Ü{i}", organisation_name=f"Org {i}")[0] for i in range(3)]
    client = _client(organiser)
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/en/events/{event.slug}/manage/registrations.csv").content.decode("utf-8-sig"))
        )
    )
    assert len(rows) == 4
    assert {row[3] for row in rows[1:]} == {r.full_name for r in created}
    assert {row[4] for row in rows[1:]} == {r.email for r in created}
    sheet = load_workbook(io.BytesIO(client.get(f"/en/events/{event.slug}/manage/registrations.xlsx").content)).active
    values = list(sheet.iter_rows(values_only=True))
    as_text = [["" if cell is None else str(cell) for cell in row] for row in values]
    assert as_text == rows
    assert AuditEvent.objects.filter(action__startswith="event_registration.export_").count() == 2


def test_participant_list_only_shows_those_who_agreed(event: Event, organiser: User) -> None:
    register(event, full_name="Agreed Person", list_consent=True)
    register(event, full_name="Private Person", list_consent=False)
    html = _client(organiser).get(f"/en/events/{event.slug}/manage/participants/").content.decode()
    assert "Agreed Person" in html and "Private Person" not in html


def test_badges_are_a_pdf(event: Event, organiser: User) -> None:
    register(event, full_name="Лена Фогель", organisation_name="مؤسسة")
    response = _client(organiser).get(f"/en/events/{event.slug}/manage/badges.pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")


def _event_form(**overrides: object) -> dict[str, object]:
    start = (timezone.now() + timedelta(days=40)).strftime("%Y-%m-%dT09:00")
    end = (timezone.now() + timedelta(days=40)).strftime("%Y-%m-%dT17:00")
    data: dict[str, object] = {
        "title": "Leipzig conference",
        "slug": "leipzig-test",
        "status": "published",
        "city": "Leipzig",
        "venue_name": "VHS",
        "venue_address": "Löhrstraße 3",
        "map_url": "https://www.openstreetmap.org/",
        "time_zone": "Europe/Berlin",
        "starts_at": start,
        "ends_at": end,
        "languages": ["de", "en"],
        "interpretation": ["uk"],
        "capacity": "60",
        "retention_days": "90",
        "retention_action": "delete",
        "reminder_days_before": "2",
        "limit_press": "5",
        "description": "Ein Tag **Gründung**.",
    }
    data.update(overrides)
    return data


def test_create_and_edit_a_conference(organisation: Organisation, organiser: User) -> None:
    client = _client(organiser)
    response = client.post("/de/events/manage/new/", {**_event_form(), "organisation": organisation.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(slug="leipzig-test")
    assert event.starts_at.astimezone(event.starts_at.tzinfo).hour in (7, 8)  # 09:00 in Berlin is 07:00 or 08:00 UTC
    assert (
        event.category_capacity == {"press": 5} and event.translations["de"]["description"] == "Ein Tag **Gründung**."
    )
    response = client.post(f"/en/events/{event.slug}/manage/edit/", {**_event_form(capacity="70"), "save_event": "1"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.capacity == 70
    other = OrganisationFactory.create()
    assert (
        client.post("/en/events/manage/new/", {**_event_form(slug="x2"), "organisation": other.pk}).status_code == 200
    )
    assert not Event.objects.filter(slug="x2").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"slug": "manage"}, "reserved"),
        ({"ends_at": "2020-01-01T09:00"}, "after the start"),
        ({"limit_press": "500"}, "more places than the conference"),
        ({"time_zone": "Mars/Olympus"}, "Select a valid choice"),
        ({"capacity": "0"}, "greater than or equal to 1"),
        ({"map_url": "javascript:alert(1)"}, "Enter a valid URL"),
    ],
)
def test_bad_conference_input_is_refused(
    organisation: Organisation, organiser: User, overrides: dict, message: str
) -> None:
    response = _client(organiser).post(
        "/en/events/manage/new/", {**_event_form(**overrides), "organisation": organisation.pk}
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not Event.objects.exists()


def test_more_places_move_the_waiting_list_up(event: Event, organiser: User) -> None:
    Event.objects.filter(pk=event.pk).update(capacity=1)
    register(event)
    waiting, _ = register(event)
    from micro.events.services import event_update

    event.refresh_from_db()
    event_update(event=event, actor=organiser, data={"capacity": 2})
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_texts_in_several_languages_with_fallback(client: Client, event: Event, organiser: User) -> None:
    staff = _client(organiser)
    staff.post(
        f"/en/events/{event.slug}/manage/texts/",
        {"language": "de", "title": "Konferenz Rom", "description": "Beschreibung", "summary": "", "status": "draft"},
    )
    event.refresh_from_db()
    assert event.translations["de"] == {"title": "Konferenz Rom", "description": "Beschreibung", "status": "draft"}
    html = client.get(f"/de/events/{event.slug}/").content.decode()
    assert "Konferenz Rom" in html and "notice-draft" in html
    html = client.get(f"/ar/events/{event.slug}/").content.decode()
    assert "Rome conference" in html and 'role="note"' in html and 'dir="rtl"' in html


def test_programme_speakers_and_questions(client: Client, event: Event, organiser: User) -> None:
    staff = _client(organiser)
    staff.post(
        f"/en/events/{event.slug}/manage/programme/",
        {
            "add_speaker": "1",
            "language": "en",
            "status": "reviewed",
            "name": "Nadia El Amrani",
            "affiliation": "Mediter",
            "bio": "Coach.",
        },
    )
    speaker = Speaker.objects.get()
    day = timezone.localtime(event.starts_at, timezone=__import__("zoneinfo").ZoneInfo(event.time_zone)).strftime(
        "%Y-%m-%d"
    )
    response = staff.post(
        f"/en/events/{event.slug}/manage/programme/",
        {
            "add_session": "1",
            "language": "en",
            "status": "reviewed",
            "title": "Opening <b>panel</b>",
            "abstract": "",
            "starts_at": f"{day}T10:00",
            "ends_at": f"{day}T11:00",
            "room": "Sala A",
            "session_language": "it",
            "speakers": [speaker.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    session = Session.objects.get()
    assert timezone.localtime(session.starts_at, timezone=__import__("zoneinfo").ZoneInfo("Europe/Rome")).hour == 10
    html = client.get(f"/en/events/{event.slug}/").content.decode()
    assert "Opening &lt;b&gt;panel&lt;/b&gt;" in html and "Nadia El Amrani" in html and "Coach." in html
    staff.post(
        f"/en/events/{event.slug}/manage/questions/",
        {
            "language": "en",
            "status": "reviewed",
            "label": "T-shirt size?",
            "kind": "choice",
            "options": "S\nM\nL",
            "order": "1",
        },
    )
    question = Question.objects.get()
    assert question.option_count == 3 and question.translations["en"]["options"] == ["S", "M", "L"]
    response = staff.post(
        f"/en/events/{event.slug}/manage/questions/",
        {
            "question": question.pk,
            "language": "it",
            "status": "reviewed",
            "label": "Taglia?",
            "kind": "choice",
            "options": "S\nM",
            "order": "1",
        },
    )
    assert "as many options" in response.content.decode()
    other = EventFactory.create()
    foreign = Session.objects.create(event=other, starts_at=other.starts_at, ends_at=other.ends_at)
    assert staff.get(f"/en/events/{event.slug}/manage/sessions/{foreign.pk}/").status_code == 404


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_materials_are_checked_for_size_and_type(
    client: Client, event: Event, organiser: User, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    staff = _client(organiser)
    url = f"/en/events/{event.slug}/manage/results/"
    response = staff.post(url, {"add_material": "1", "title": "Slides", "file": SimpleUploadedFile("slides.pdf", PDF)})
    assert response.status_code == 302
    material = Material.objects.get()
    assert material.file_type == "pdf" and material.size == len(PDF)
    for name, content, message in (
        ("virus.exe", b"MZ\x90\x00" + b"\x00" * 100, "not accepted"),
        ("slides.pptx", PDF, "does not match"),
        ("empty.pdf", b"", "empty"),
        ("big.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024), "larger than 20 MB"),
        ("page.pdf", b"<html><script>alert(1)</script>", "not accepted"),
    ):
        response = staff.post(url, {"add_material": "1", "title": "X", "file": SimpleUploadedFile(name, content)})
        assert response.status_code == 200 and message in response.content.decode(), name
    assert Material.objects.count() == 1
    download = client.get(f"/en/events/materials/{material.pk}/")
    assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]


def test_practice_links_and_results_summary(client: Client, event: Event, organiser: User) -> None:
    staff = _client(organiser)
    url = f"/en/events/{event.slug}/manage/results/"
    staff.post(
        url, {"add_link": "1", "title": "Tailoring cooperative", "url": "https://micro.example/en/practices/tailoring/"}
    )
    assert staff.post(url, {"add_link": "1", "title": "Bad", "url": "javascript:alert(1)"}).status_code == 200
    assert PracticeLink.objects.count() == 1
    staff.post(
        f"/en/events/{event.slug}/manage/texts/",
        {
            "language": "en",
            "title": "Rome conference",
            "description": "",
            "summary": "We agreed on **three** actions.",
            "status": "reviewed",
        },
    )
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(days=3), ends_at=timezone.now() - timedelta(days=2)
    )
    html = client.get(f"/en/events/{event.slug}/").content.decode()
    assert "<strong>three</strong>" in html and "https://micro.example/en/practices/tailoring/" in html
