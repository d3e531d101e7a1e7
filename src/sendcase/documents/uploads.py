"""Checking a file before it is kept: its type from its content (never its name or the type the
browser claims), its size, and a safe name."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Any

from sendcase.casework.domain.errors import ActionError

ALLOWED = "a PDF, a Word document (DOCX), or a PNG or JPEG image"
# The content type and extension for each kind of file we accept.
KINDS = {
    "pdf": ("application/pdf", ".pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "png": ("image/png", ".png"),
    "jpeg": ("image/jpeg", ".jpg"),
}


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str
    size: int
    data: bytes


def sniff(data: bytes) -> str | None:
    """The kind of file from its first bytes (and, for a DOCX, its parts), or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "docx"
    return None


def safe_name(name: str, extension: str) -> str:
    """A file name with no path, no control or odd characters, at most 100 characters, ending in
    the extension of what the file really is."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(r"[^A-Za-z0-9 _()-]+", "-", stem).strip(" .-_") or "document"
    return f"{stem[:100]}{extension}"


def checked_upload(upload: Any, *, max_bytes: int) -> CheckedFile:
    if upload is None:
        raise ActionError("Select a file", field="file")
    if upload.size == 0:
        raise ActionError("The selected file is empty", field="file")
    if upload.size > max_bytes:
        raise ActionError(
            f"The selected file must be smaller than {max_bytes // 2**20}MB", field="file"
        )
    data = b"".join(upload.chunks())
    kind = sniff(data)
    if kind is None:
        raise ActionError(f"The selected file must be {ALLOWED}", field="file")
    content_type, extension = KINDS[kind]
    return CheckedFile(safe_name(upload.name, extension), content_type, len(data), data)
