"""Partners and people for the practice tests: two partner organisations, a coordinator's lead
partner, a named expert, and the roles that must not be able to act."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from micro.accounts.models import Country, Organisation, Role, User
from micro.accounts.tests.factories import OrganisationFactory, UserFactory, member


@pytest.fixture(autouse=True)
def _clean_cache(settings, tmp_path) -> None:
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def lead(db: None) -> Organisation:
    return OrganisationFactory.create(name="Lead partner", slug="lead", country=Country.ITALY)


@pytest.fixture
def alpha(db: None) -> Organisation:
    return OrganisationFactory.create(name="Alpha Microfinanza", slug="alpha", country=Country.ITALY)


@pytest.fixture
def beta(db: None) -> Organisation:
    return OrganisationFactory.create(name="Beta Bruxelles", slug="beta", country=Country.BELGIUM)


@pytest.fixture
def coordinator(lead: Organisation) -> User:
    return member(lead, Role.COORDINATOR, email="coordinator@example.org")


@pytest.fixture
def author(alpha: Organisation) -> User:
    return member(alpha, Role.PARTNER_ADMIN, email="author@example.org")


@pytest.fixture
def colleague(alpha: Organisation) -> User:
    """Another partner admin of the author's organisation."""
    return member(alpha, Role.PARTNER_ADMIN, email="colleague@example.org")


@pytest.fixture
def operator(alpha: Organisation) -> User:
    return member(alpha, Role.OPERATOR, email="operator@example.org")


@pytest.fixture
def beta_admin(beta: Organisation) -> User:
    return member(beta, Role.PARTNER_ADMIN, email="beta@example.org")


@pytest.fixture
def expert(db: None) -> User:
    """A user with no organisation role: only a coordinator's assignment lets them review."""
    return UserFactory.create(email="expert@example.org")


@pytest.fixture
def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _image(kind: str) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def sample_files(pdf_bytes: bytes) -> dict[str, bytes]:
    docx_types = b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    return {
        "report.pdf": pdf_bytes,
        "photo.png": _image("PNG"),
        "photo.jpg": _image("JPEG"),
        "notes.docx": _zip([("[Content_Types].xml", docx_types), ("word/document.xml", b"<w:document/>")]),
        "notes.odt": _zip([("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<office/>")]),
    }
