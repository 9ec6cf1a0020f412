"""Checks for files attached to practices: size first, then the type read from the content itself.

Accepted: PDF, Word (.docx, not macro-enabled), OpenDocument text (.odt), PNG and JPEG, at most
10 MB. The extension of the name must agree with what the content is; images must decode.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

MAX_BYTES = 10 * 1024 * 1024
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "png": "image/png",
    "jpeg": "image/jpeg",
}
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "odt": "odt", "png": "png", "jpg": "jpeg", "jpeg": "jpeg"}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_MAX_ZIP_ENTRIES = 5000
_MAX_MANIFEST_BYTES = 512 * 1024
_MAX_PIXELS = 50_000_000


class UploadError(ValueError):
    """The file is refused; ``code`` is one of empty, too_large, unknown_type, extension_mismatch."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    content_type: str
    size: int
    name: str
    sha256: str
    data: bytes


def _zip_kind(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
        if not entries or len(entries) > _MAX_ZIP_ENTRIES:
            return None
        first = entries[0]
        if first.filename == "mimetype" and first.file_size <= 100:
            return "odt" if archive.read(first).strip() == _ODT_MIMETYPE else None
        names = {entry.filename for entry in entries}
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            manifest = archive.getinfo("[Content_Types].xml")
            if manifest.file_size > _MAX_MANIFEST_BYTES:
                return None
            types = archive.read(manifest)
            if b"wordprocessingml.document.main+xml" in types and b"macroEnabled" not in types:
                return "docx"
    except (zipfile.BadZipFile, KeyError, RuntimeError, NotImplementedError, OSError, EOFError, ValueError):
        return None
    return None


def _image_decodes(data: bytes) -> bool:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > _MAX_PIXELS:
                return False
            image.verify()
    except Exception:
        return False
    return True


def sniff(data: bytes) -> str | None:
    """The kind of document ``data`` is (pdf, docx, odt, png, jpeg), judged by its content only."""
    if data[:5] == b"%PDF-":
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        return _zip_kind(data)
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png" if _image_decodes(data) else None
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg" if _image_decodes(data) else None
    return None


def safe_name(name: str, kind: str) -> str:
    """A display name without folders or control characters, at most 100 characters, right extension."""
    base = PurePath(str(name or "").replace("\\", "/")).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    stem = PurePath(base).stem.strip(" .") or "document"
    extension = "jpg" if kind == "jpeg" else kind
    return f"{stem[:90]}.{extension}"


def check_upload(file: Any, name: str | None = None) -> CheckedFile:
    """Check an uploaded file (Django ``UploadedFile`` or any binary file object with a name)."""
    declared = getattr(file, "size", None)
    if declared is not None and declared > MAX_BYTES:
        raise UploadError("too_large")
    if hasattr(file, "seek"):
        file.seek(0)
    data = bytes(file.read(MAX_BYTES + 1))
    if not data:
        raise UploadError("empty")
    if len(data) > MAX_BYTES:
        raise UploadError("too_large")
    kind = sniff(data)
    if kind is None:
        raise UploadError("unknown_type")
    filename = name if name is not None else str(getattr(file, "name", "") or "")
    if EXTENSIONS.get(PurePath(filename).suffix.lower().lstrip(".")) != kind:
        raise UploadError("extension_mismatch")
    return CheckedFile(
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        size=len(data),
        name=safe_name(filename, kind),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )
