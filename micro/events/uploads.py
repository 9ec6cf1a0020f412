"""Checks for conference materials: size first, then the type read from the content itself.

Slides and documents: PDF, PowerPoint (.pptx), Word (.docx), OpenDocument presentation (.odp)
and text (.odt). The name's extension must agree with the content; macro-enabled Office files
are refused.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

MAX_MATERIAL_BYTES = 20 * 1024 * 1024
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
}
_ODF = {
    b"application/vnd.oasis.opendocument.presentation": "odp",
    b"application/vnd.oasis.opendocument.text": "odt",
}
_OOXML = {
    b"presentationml.presentation.main+xml": ("pptx", "ppt/presentation.xml"),
    b"wordprocessingml.document.main+xml": ("docx", "word/document.xml"),
}
_MAX_ZIP_ENTRIES = 10_000
_MAX_MANIFEST_BYTES = 512 * 1024


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


def _zip_kind(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
        if not entries or len(entries) > _MAX_ZIP_ENTRIES:
            return None
        names = {entry.filename for entry in entries}
        first = entries[0]
        if first.filename == "mimetype" and first.file_size <= 100:
            return _ODF.get(archive.read(first).strip())
        if "[Content_Types].xml" not in names:
            return None
        manifest = archive.getinfo("[Content_Types].xml")
        if manifest.file_size > _MAX_MANIFEST_BYTES:
            return None
        types = archive.read(manifest)
        if b"macroEnabled" in types:
            return None
        for marker, (kind, part) in _OOXML.items():
            if marker in types and part in names:
                return kind
    except (zipfile.BadZipFile, KeyError, RuntimeError, NotImplementedError, OSError, EOFError, ValueError):
        return None
    return None


def sniff(data: bytes) -> str | None:
    if data[:5] == b"%PDF-":
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        return _zip_kind(data)
    return None


def safe_name(name: str, kind: str) -> str:
    base = PurePath(str(name or "").replace("\\", "/")).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    stem = PurePath(base).stem.strip(" .") or "document"
    return f"{stem[:90]}.{kind}"


def check_material(file: Any) -> CheckedFile:
    """Check an uploaded file (a Django ``UploadedFile`` or any binary file object with a name)."""
    declared = getattr(file, "size", None)
    if declared is not None and declared > MAX_MATERIAL_BYTES:
        raise UploadError("too_large")
    if hasattr(file, "seek"):
        file.seek(0)
    data = bytes(file.read(MAX_MATERIAL_BYTES + 1))
    if hasattr(file, "seek"):
        file.seek(0)
    if not data:
        raise UploadError("empty")
    if len(data) > MAX_MATERIAL_BYTES:
        raise UploadError("too_large")
    kind = sniff(data)
    if kind is None:
        raise UploadError("unknown_type")
    filename = str(getattr(file, "name", "") or "")
    if PurePath(filename).suffix.lower().lstrip(".") != kind:
        raise UploadError("extension_mismatch")
    return CheckedFile(kind=kind, content_type=CONTENT_TYPES[kind], size=len(data), name=safe_name(filename, kind))
