"""Uploads: a per-route request size limit and the file type read from the content.

The app's MAX_CONTENT_LENGTH stays small; a route that takes files raises the limit for itself
only (`allow_larger`). The limit is set by a URL value preprocessor, which Flask runs before
every before_request function, so it already holds when the CSRF check parses the form.
A request above it raises RequestEntityTooLarge (413); the route's blueprint turns that into
a page with a clear message.

`detect_type` trusts only the bytes: magic numbers for PDF, PNG and JPEG, the inner structure
of the ZIP container for PPTX, DOCX and XLSX, strict UTF-8 without control characters for plain
text. The uploaded name and the browser's content type are ignored.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from flask import Flask, request

EXTENSION_KEY = "peerlab.upload_limits"


def allow_larger(app: Flask, endpoint: str, limit: int) -> None:
    """Let requests to `endpoint` carry up to `limit` bytes (instead of MAX_CONTENT_LENGTH)."""
    limits = app.extensions.get(EXTENSION_KEY)
    if limits is None:
        limits = app.extensions[EXTENSION_KEY] = {}

        @app.url_value_preprocessor
        def _limit(endpoint_name, values) -> None:
            if endpoint_name in limits:
                request.max_content_length = limits[endpoint_name]

    limits[endpoint] = limit


@dataclass(frozen=True)
class FileType:
    key: str  # "pdf"
    extension: str  # ".pdf"
    mimetype: str
    label: str  # shown to people: "PDF"


TYPES = {
    t.key: t
    for t in (
        FileType("pdf", ".pdf", "application/pdf", "PDF"),
        FileType("png", ".png", "image/png", "PNG"),
        FileType("jpeg", ".jpg", "image/jpeg", "JPEG"),
        FileType(
            "pptx",
            ".pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "PowerPoint",
        ),
        FileType(
            "docx",
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word",
        ),
        FileType(
            "xlsx",
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel",
        ),
        FileType("txt", ".txt", "text/plain; charset=utf-8", "Text"),
    )
}

# the part each Office Open XML document must hold, besides [Content_Types].xml
_OFFICE_PARTS = {
    "pptx": "ppt/presentation.xml",
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
}
_TEXT_CONTROLS_ALLOWED = {"\t", "\n", "\r", "\f"}


def _office_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    found = [key for key, part in _OFFICE_PARTS.items() if part in names]
    return found[0] if len(found) == 1 else None


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(
        (ord(ch) < 32 or ord(ch) == 127) and ch not in _TEXT_CONTROLS_ALLOWED for ch in text
    )


def detect_type(data: bytes) -> FileType | None:
    """The type of a file from its content, or None for anything not allowed."""
    if data.startswith(b"%PDF-"):
        return TYPES["pdf"]
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return TYPES["png"]
    if data.startswith(b"\xff\xd8\xff"):
        return TYPES["jpeg"]
    if data.startswith(b"PK\x03\x04"):
        key = _office_type(data)
        return TYPES[key] if key else None
    if data and _is_text(data):
        return TYPES["txt"]
    return None
