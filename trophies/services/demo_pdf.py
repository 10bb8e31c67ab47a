"""Demo stage: a small, valid PDF pitch deck per demo startup, written by hand (no PDF library); standard library only.

The deck is a PDF 1.7 file with four A4 landscape pages (title, problem and solution, team,
contact), drawn with the standard Type 1 fonts Helvetica and Helvetica-Bold in
WinAnsiEncoding so that French accents print without embedding a font. Output is
byte-for-byte deterministic: the only date is a fixed /CreationDate built from `year`.
"""  # noqa: E501

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["pitch_deck_pdf"]

PAGE_WIDTH = 842  # A4 landscape, in points
PAGE_HEIGHT = 595
MARGIN = 60
BAND_HEIGHT = 96

_TEAL = (0.05, 0.42, 0.45)
_CORAL = (0.93, 0.42, 0.35)
_INK = (0.13, 0.16, 0.20)
_GREY = (0.42, 0.45, 0.50)
_WHITE = (1.0, 1.0, 1.0)
_PALE = (0.93, 0.96, 0.96)

Colour = tuple[float, float, float]

# Characters outside cp1252 that have an obvious stand-in.
_FALLBACKS = str.maketrans(
    {
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2015": "—",  # horizontal bar
        "\u2032": "'",  # prime
        "\u2033": '"',  # double prime
        "\u2009": " ",  # thin space
        "\u202f": "\u00a0",  # narrow no-break space
        "\u2264": "<=",
        "\u2265": ">=",
        "\u2192": "->",
        "\u2212": "-",  # minus sign
    }
)


def pitch_deck_pdf(
    *,
    company_name: str,
    project_title: str,
    summary: str,
    city: str,
    founders: list[str],
    year: int,
) -> bytes:
    """A four-page pitch deck as PDF bytes (about 4-6 KB for demo content).

    `summary` is split after its first sentence: that sentence goes under "Le problème",
    the rest under "Notre solution". `founders` are printed one per line (e.g.
    "Léa Martin — Présidente"). `year` is the competition edition shown in the footer and
    used for /CreationDate.
    """
    problem, solution = _split_summary(summary)
    footer = f"Trophées de l’innovation e-santé {year} · {company_name}"
    pages = [
        _title_page(company_name, project_title, city, year),
        _problem_page(company_name, problem, solution),
        _team_page(company_name, founders),
        _contact_page(company_name, city, founders, year),
    ]
    streams = [
        page + _footer(footer, number, len(pages)) for number, page in enumerate(pages, start=1)
    ]
    info = {
        "Title": f"{company_name} — {project_title}",
        "Author": company_name,
        "Subject": "Pitch deck — Trophées de l’innovation e-santé",
        "Creator": "Trophies",
        "Producer": "Trophies demo",
        "CreationDate": f"D:{year:04d}0101000000Z",
        "ModDate": f"D:{year:04d}0101000000Z",
    }
    return _assemble(streams, info)


# --------------------------------------------------------------------------- pages


def _title_page(company: str, title: str, city: str, year: int) -> bytes:
    c = _Canvas()
    c.rect(0, 0, PAGE_WIDTH, PAGE_HEIGHT, _PALE)
    c.rect(0, PAGE_HEIGHT - BAND_HEIGHT, PAGE_WIDTH, BAND_HEIGHT, _TEAL)
    c.text(MARGIN, PAGE_HEIGHT - 58, f"Trophées de l’innovation e-santé {year}", 18, True, _WHITE)
    y = 360
    for line in _clip(_wrap(company, 40, PAGE_WIDTH - 2 * MARGIN, bold=True), 2):
        c.text(MARGIN, y, line, 40, True, _INK)
        y -= 48
    c.rect(MARGIN, y + 22, 120, 6, _CORAL)
    y -= 20
    for line in _clip(_wrap(title, 22, PAGE_WIDTH - 2 * MARGIN), 3):
        c.text(MARGIN, y, line, 22, False, _INK)
        y -= 30
    c.text(MARGIN, 80, " · ".join(filter(None, (city, "Dossier de candidature"))), 14, False, _GREY)
    return c.content()


def _problem_page(company: str, problem: str, solution: str) -> bytes:
    c = _header_page("Le problème · Notre solution", company)
    y = PAGE_HEIGHT - BAND_HEIGHT - 50
    width = PAGE_WIDTH - 2 * MARGIN - 24
    for heading, body, max_lines in (("Le problème", problem, 5), ("Notre solution", solution, 7)):
        if not body:
            continue
        c.rect(MARGIN, y - 4, 6, 24, _CORAL)
        c.text(MARGIN + 18, y, heading, 22, True, _TEAL)
        y -= 34
        for line in _clip(_wrap(body, 16, width), max_lines):
            c.text(MARGIN + 18, y, line, 16, False, _INK)
            y -= 22
        y -= 24
    return c.content()


def _team_page(company: str, founders: list[str]) -> bytes:
    c = _header_page("L’équipe", company)
    y = PAGE_HEIGHT - BAND_HEIGHT - 60
    for person in founders[:8]:
        c.rect(MARGIN, y + 3, 10, 10, _CORAL)
        line = _wrap(person, 20, PAGE_WIDTH - 2 * MARGIN - 28)[0]
        c.text(MARGIN + 28, y, line, 20, False, _INK)
        y -= 44
    if not founders:
        c.text(MARGIN, y, "Équipe en cours de constitution.", 20, False, _GREY)
    return c.content()


def _contact_page(company: str, city: str, founders: list[str], year: int) -> bytes:
    c = _header_page("Contact", company)
    y = PAGE_HEIGHT - BAND_HEIGHT - 70
    c.text(MARGIN, y, company, 30, True, _INK)
    y -= 44
    c.text(MARGIN, y, city, 20, False, _INK)
    if founders:
        y -= 34
        c.text(MARGIN, y, f"Contact : {founders[0]}", 16, False, _INK)
    y -= 60
    c.text(MARGIN, y, f"Candidature aux Trophées de l’innovation e-santé {year}", 16, False, _GREY)
    c.text(MARGIN, 110, "Merci !", 36, True, _TEAL)
    return c.content()


def _header_page(title: str, company: str) -> _Canvas:
    c = _Canvas()
    c.rect(0, PAGE_HEIGHT - BAND_HEIGHT, PAGE_WIDTH, BAND_HEIGHT, _TEAL)
    c.rect(0, PAGE_HEIGHT - BAND_HEIGHT - 6, PAGE_WIDTH, 6, _CORAL)
    c.text(MARGIN, PAGE_HEIGHT - 60, _wrap(title, 28, 520, bold=True)[0], 28, True, _WHITE)
    label = _wrap(company, 14, 200, bold=True)[0]
    c.text(PAGE_WIDTH - MARGIN - _width(label, 14, True), PAGE_HEIGHT - 56, label, 14, True, _WHITE)
    return c


def _footer(text: str, number: int, total: int) -> bytes:
    c = _Canvas()
    c.rect(MARGIN, 46, PAGE_WIDTH - 2 * MARGIN, 0.8, _GREY)
    c.text(MARGIN, 28, _wrap(text, 10, 600)[0], 10, False, _GREY)
    mark = f"{number} / {total}"
    c.text(PAGE_WIDTH - MARGIN - _width(mark, 10, False), 28, mark, 10, False, _GREY)
    return c.content()


# --------------------------------------------------------------------------- drawing


class _Canvas:
    """Collects content-stream operators for one page."""

    def __init__(self) -> None:
        self._ops: list[bytes] = []

    def rect(self, x: float, y: float, w: float, h: float, colour: Colour) -> None:
        self._ops.append(f"{_rgb(colour)} rg {_n(x)} {_n(y)} {_n(w)} {_n(h)} re f".encode())

    def text(self, x: float, y: float, text: str, size: float, bold: bool, colour: Colour) -> None:
        font = "/F2" if bold else "/F1"
        self._ops.append(
            f"BT {font} {_n(size)} Tf {_rgb(colour)} rg {_n(x)} {_n(y)} Td ".encode()
            + _pdf_string(text)
            + b" Tj ET"
        )

    def content(self) -> bytes:
        return b"\n".join(self._ops) + b"\n"


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _rgb(colour: Colour) -> str:
    return " ".join(_n(part) for part in colour)


def _encode(text: str) -> bytes:
    """Text as cp1252 (= WinAnsiEncoding for printable characters), with fallbacks."""
    text = text.translate(_FALLBACKS)
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1252")
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode("cp1252", "ignore")
            out += base or b"?"
    return bytes(out)


def _pdf_string(text: str) -> bytes:
    raw = _encode(text)
    escaped = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + escaped + b")"


def _char_width(char: str) -> float:
    """Approximate Helvetica advance width in em, by character class."""
    base = unicodedata.normalize("NFKD", char)[:1] or char
    if base in " .,;:!|'’()[]ilIjtf-":
        return 0.28
    if base in "mwMW—@%":
        return 0.86
    if base in "rJ\"*":
        return 0.36
    if base.isupper() or base in "œŒæÆ":
        return 0.70
    return 0.55


def _width(text: str, size: float, bold: bool) -> float:
    return sum(_char_width(c) for c in text) * size * (1.06 if bold else 1.0)


def _wrap(text: str, size: float, max_width: float, *, bold: bool = False) -> list[str]:
    """Greedy word wrap by approximate width; over-long words are cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _width(candidate, size, bold) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while _width(word, size, bold) > max_width:
            cut = len(word)
            while cut > 1 and _width(word[:cut], size, bold) > max_width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(current)
    return lines


def _clip(lines: list[str], count: int) -> list[str]:
    """The first `count` lines, the last one ending with "…" if text was dropped."""
    if len(lines) <= count:
        return lines
    return [*lines[: count - 1], lines[count - 1].rstrip(" .,;:") + "…"]


def _split_summary(summary: str) -> tuple[str, str]:
    sentences = re.split(r"(?<=[.!?…])\s+(?=[A-ZÀ-ÖØ-Þ0-9«])", " ".join(summary.split()))
    if len(sentences) < 2:
        return "", sentences[0] if sentences else ""
    return sentences[0], " ".join(sentences[1:])


# --------------------------------------------------------------------------- file structure


def _info_string(text: str) -> bytes:
    """A PDF text string for the Info dictionary: literal if ASCII, else UTF-16BE hex."""
    if text.isascii():
        return _pdf_string(text)
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _assemble(streams: list[bytes], info: dict[str, str]) -> bytes:
    # Objects: 1 catalog, 2 pages, 3 Helvetica, 4 Helvetica-Bold, then page/content pairs,
    # then the Info dictionary.
    page_ids = [5 + 2 * index for index in range(len(streams))]
    info_id = 5 + 2 * len(streams)
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R /Lang (fr-FR) >>",
        2: (
            b"<< /Type /Pages /Kids ["
            + b" ".join(f"{pid} 0 R".encode() for pid in page_ids)
            + f"] /Count {len(streams)} >>".encode()
        ),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        4: (
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
            b"/Encoding /WinAnsiEncoding >>"
        ),
    }
    for pid, stream in zip(page_ids, streams, strict=True):
        objects[pid] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {pid + 1} 0 R >>"
        ).encode()
        objects[pid + 1] = (
            f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream"
        )
    objects[info_id] = (
        b"<< "
        + b" ".join(b"/" + key.encode() + b" " + _info_string(value) for key, value in info.items())
        + b" >>"
    )

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    xref_at = len(out)
    size = max(objects) + 1
    out += f"xref\n0 {size}\n".encode() + b"0000000000 65535 f \n"
    for number in range(1, size):
        out += f"{offsets[number]:010d} 00000 n \n".encode()
    file_id = hashlib.md5(bytes(out), usedforsecurity=False).hexdigest().upper().encode()
    out += (
        f"trailer\n<< /Size {size} /Root 1 0 R /Info {info_id} 0 R ".encode()
        + b"/ID [<" + file_id + b"> <" + file_id + b">] >>\n"
        + f"startxref\n{xref_at}\n%%EOF\n".encode()
    )
    return bytes(out)
