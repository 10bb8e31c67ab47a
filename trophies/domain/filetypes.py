"""Submission stage: what kind of file some bytes are, and a filename safe to send back.

Standard library only. The type is decided by content (magic bytes), never by the extension
or the Content-Type the client sent.
"""

from __future__ import annotations

import re
import unicodedata

#: Kinds a question may accept, with the MIME type we serve them as and their extensions
#: (the first one is used when the uploaded name has none of them).
MIME_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
}
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "pdf": (".pdf",),
    "png": (".png",),
    "jpeg": (".jpg", ".jpeg"),
}
KINDS = tuple(MIME_TYPES)

PDF_MAGIC = b"%PDF-"
#: ISO 32000-1 (implementation note 13): readers accept the header within the first 1024 bytes.
PDF_HEADER_WINDOW = 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"

MAX_FILENAME_LENGTH = 120
_MAX_EXTENSION_LENGTH = 10
#: Characters Windows or a shell would trip on; replaced rather than dropped.
_RESERVED = re.compile(r'[<>:"|?*;]')
_SPACES = re.compile(r"\s+")


def sniff(data: bytes) -> str | None:
    """"pdf", "png" or "jpeg" from the leading bytes of `data`, None for anything else.

    A PDF header may follow up to 1024 bytes of leading garbage (as readers allow); PNG and
    JPEG signatures must start the file. Cheap: looks at the first 1 KiB only.
    """
    if data.startswith(PNG_MAGIC):
        return "png"
    if data.startswith(JPEG_MAGIC):
        return "jpeg"
    if PDF_MAGIC in data[: PDF_HEADER_WINDOW + len(PDF_MAGIC) - 1]:
        return "pdf"
    return None


def mime_type(kind: str) -> str:
    """The MIME type a sniffed kind is served as. Raises KeyError for an unknown kind."""
    return MIME_TYPES[kind]


def safe_filename(name: str, *, default: str = "file") -> str:
    """A display name fit for Content-Disposition, built from what the client sent.

    Keeps only the last path component (either separator), turns any run of blanks into one
    space, drops control and format characters (including the bidirectional overrides that
    disguise an extension), replaces reserved characters, removes leading dots, and cuts to
    120 characters while keeping the extension. Never empty: `default` stands in for the stem.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _SPACES.sub(" ", name)
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = _RESERVED.sub("_", name).strip(" ").lstrip(".").strip(" ")
    stem, extension = _split_extension(name)
    if not stem:
        stem = default
    room = MAX_FILENAME_LENGTH - len(extension)
    return stem[:room].rstrip(" .") + extension


def with_extension(name: str, kind: str) -> str:
    """`name` ending with an extension that matches `kind` (".pdf" for a PDF, etc.).

    A PDF uploaded as "deck.html" is offered back as "deck.html.pdf", so that opening the
    downloaded file never hands it to the wrong program. The result stays within 120 chars.
    """
    allowed = EXTENSIONS[kind]
    if name.lower().endswith(allowed):
        return name
    extension = allowed[0]
    return name[: MAX_FILENAME_LENGTH - len(extension)].rstrip(" .") + extension


def _split_extension(name: str) -> tuple[str, str]:
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or not extension or len(extension) > _MAX_EXTENSION_LENGTH:
        return name, ""
    if not extension.isalnum():
        return name, ""
    return stem.rstrip(" "), "." + extension
