"""Checks for files learners upload: size first, then the type read from the content itself.

The name's extension is never trusted alone: a PDF must start like a PDF, a .docx must be a
Word document package (and not a macro-enabled one), an .odt must be an OpenDocument text, a
.txt must be UTF-8 text without binary bytes; and the extension must agree with what the content
is. Nothing here is Django-specific beyond reading the uploaded file object.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain; charset=utf-8",
}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_MAX_ZIP_ENTRIES = 5000
_MAX_MANIFEST_BYTES = 512 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class UploadError(ValueError):
    """The file is refused; ``code`` is one of empty, too_large, unknown_type, extension_mismatch."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class CheckedFile:
    kind: str  # pdf | docx | odt | txt
    content_type: str
    size: int
    name: str  # a safe display name, ending in the right extension


def _zip_kind(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    if not entries or len(entries) > _MAX_ZIP_ENTRIES:
        return None
    names = {entry.filename for entry in entries}
    try:
        first = entries[0]
        if first.filename == "mimetype" and first.file_size <= 100:
            return "odt" if archive.read(first).strip() == _ODT_MIMETYPE else None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            manifest = archive.getinfo("[Content_Types].xml")
            if manifest.file_size > _MAX_MANIFEST_BYTES:
                return None
            types = archive.read(manifest)
            if b"wordprocessingml.document.main+xml" in types and b"macroEnabled" not in types:
                return "docx"
    except (zipfile.BadZipFile, KeyError, RuntimeError, NotImplementedError, OSError, EOFError):
        return None
    return None


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not _CONTROL.search(text)


def sniff(data: bytes) -> str | None:
    """The kind of document ``data`` is (pdf, docx, odt, txt), judged by its content only."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:5] == b"%PDF-":
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        return _zip_kind(data)
    if data and _is_text(data):
        return "txt"
    return None


def safe_name(name: str, kind: str) -> str:
    """A display name without folders or control characters, at most 100 characters, right extension."""
    base = PurePath(str(name or "").replace("\\", "/")).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    stem = PurePath(base).stem.strip(" .") or "document"
    return f"{stem[:90]}.{kind}"


def _read(file: IO[bytes] | Any, limit: int) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limit + 1)
    if hasattr(file, "seek"):
        file.seek(0)
    return bytes(data)


def check_upload(file: Any, name: str | None = None) -> CheckedFile:
    """Check an uploaded file (Django ``UploadedFile`` or any binary file object with a name)."""
    declared = getattr(file, "size", None)
    if declared is not None and declared > MAX_UPLOAD_BYTES:
        raise UploadError("too_large")
    data = _read(file, MAX_UPLOAD_BYTES)
    if not data:
        raise UploadError("empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError("too_large")
    kind = sniff(data)
    if kind is None:
        raise UploadError("unknown_type")
    filename = name if name is not None else str(getattr(file, "name", "") or "")
    extension = PurePath(filename).suffix.lower().lstrip(".")
    if extension != kind:
        raise UploadError("extension_mismatch")
    return CheckedFile(kind=kind, content_type=CONTENT_TYPES[kind], size=len(data), name=safe_name(filename, kind))


# Images shipped in content packs (lesson images): PNG, JPEG, GIF and WebP, sniffed the same way.
IMAGE_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}
MAX_IMAGE_BYTES = 2 * 1024 * 1024


def sniff_image(data: bytes) -> str | None:
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None
