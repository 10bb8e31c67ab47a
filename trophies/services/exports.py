"""Screening stage, downloads: an edition's dossiers as CSV, XLSX or JSON (confidential, audited).

Imports models, SQLAlchemy, Flask-Babel (labels in the export's language) and openpyxl.

One row per non-draft dossier, ordered by reference. Columns: reference, company, legal form,
city, website, project, category, status, submission date (ISO 8601 in the edition's time
zone), founders ("Name (role)" joined by "; "), then one column per application question in
form order (choices by their label, several joined by "; ", yes/no translated, file questions
give the attached file names).

Formats:
- CSV: RFC 4180 (comma separator, minimal quoting, CRLF line ends), UTF-8 with a byte order
  mark so that spreadsheet programs read accents correctly. French spreadsheets expect ";"
  when they open a CSV file directly: organizers who work in a spreadsheet should take the XLSX
  file; the CSV file is for programs.
- XLSX: the same cells; bold, frozen header row with a filter, column widths fitted.
- JSON, stable and versioned (``"format": "trophies.dossiers", "version": 1``)::

    {"format": "trophies.dossiers", "version": 1, "edition": "<slug>", "language": "fr",
     "generated_at": "<ISO 8601, UTC>",
     "columns": [{"key": "reference", "label": "Référence"}, ...],
     "dossiers": [{"reference": "ES26-0001", "company": "...", ...}, ...]}

  Keys do not depend on the language nor on how an organizer words a question: the fixed
  columns use the names in `FIXED_COLUMNS`, questions use ``question.<key>``. Every value is a
  string ("" when empty). Columns are listed in the CSV's order.

CSV and XLSX cells that a spreadsheet would take for a formula (starting with = + - @, a tab
or a carriage return) are prefixed with a single quote; JSON values are left untouched.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from trophies.domain.vocabulary import DossierStatus
from trophies.models import Dossier, Edition, Question, User, db, utcnow
from trophies.services import audit
from trophies.services.dossiers import answer_lines, questions_of, status_label

JSON_FORMAT = "trophies.dossiers"
JSON_VERSION = 1

#: (key, header) of the columns every edition has, before its questions.
FIXED_COLUMNS = (
    ("reference", _l("Reference")),
    ("company", _l("Company")),
    ("legal_form", _l("Legal form")),
    ("city", _l("City")),
    ("website", _l("Website")),
    ("project", _l("Project")),
    ("category", _l("Category")),
    ("status", _l("Status")),
    ("submitted_at", _l("Submitted at")),
    ("founders", _l("Founders")),
)

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
FORMATS = tuple(MIMETYPES)

#: What makes a spreadsheet evaluate a cell (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIN_WIDTH, XLSX_MAX_WIDTH = 8, 60
#: C0 control characters but tab, line feed and carriage return: meaningless in a dossier and
#: refused by XLSX, so they are dropped from every format alike.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(text: str) -> str:
    """Line ends as \\n (browsers send \\r\\n, XLSX keeps \\n) and no control character, so
    that the three formats hold the same text."""
    return CONTROL_CHARACTERS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def column_keys(questions: list[Question]) -> list[str]:
    return [key for key, _label in FIXED_COLUMNS] + [f"question.{q.key}" for q in questions]


def _table(edition: Edition, language: str) -> tuple[list[str], list[str], list[list[str]]]:
    """(keys, headers, rows) in five queries whatever the number of dossiers."""
    questions = questions_of(edition)
    dossiers = db.session.scalars(
        select(Dossier)
        .where(Dossier.edition_id == edition.id, Dossier.status != DossierStatus.DRAFT)
        .options(
            joinedload(Dossier.category),
            selectinload(Dossier.founders),
            selectinload(Dossier.answers),
            selectinload(Dossier.attachments),
        )
        .order_by(Dossier.reference)
    ).all()
    zone = ZoneInfo(edition.timezone)
    with force_locale(language):
        headers = [str(label) for _key, label in FIXED_COLUMNS]
        headers += [_clean(q.localized("label", language)) for q in questions]
        rows = []
        for dossier in dossiers:
            submitted = (dossier.submitted_at.astimezone(zone).isoformat(timespec="seconds")
                         if dossier.submitted_at else "")
            founders = "; ".join(
                f"{f.full_name} ({f.role_title})" if f.role_title else f.full_name
                for f in dossier.founders)
            row = [dossier.reference, dossier.company_name, dossier.legal_form, dossier.city,
                   dossier.website, dossier.project_title,
                   dossier.category.localized("name", language), status_label(dossier.status),
                   submitted, founders]
            row += ["; ".join(line.values)
                    for line in answer_lines(dossier, questions, language=language)]
            rows.append([_clean(cell) for cell in row])
    return column_keys(questions), headers, rows


def dossier_rows(edition: Edition, *, language: str) -> tuple[list[str], list[list[str]]]:
    """(headers, rows): headers in `language`, one row of strings per non-draft dossier."""
    _keys, headers, rows = _table(edition, language)
    return headers, rows


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would read as a formula gets a leading single quote."""
    return "'" + cell if cell.startswith(FORMULA_PREFIXES) else cell


def to_csv(headers: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=",", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in [headers, *rows]:
        writer.writerow([neutralise(str(cell)) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(headers: list[str], rows: list[list[str]], *, title: str = "Dossiers") -> bytes:
    """One sheet holding exactly the CSV's cells, all as text (never a formula)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    widths = [0] * len(headers)
    for row in [headers, *rows]:
        cells = [neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(cell))) for cell in row]
        sheet.append(cells)
        for i, cell in enumerate(cells):
            widths[i] = max(widths[i], max((len(line) for line in cell.splitlines()), default=0))
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(
            max(width + 2, XLSX_MIN_WIDTH), XLSX_MAX_WIDTH)
    sheet.freeze_panes = "A2"
    if headers:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    """Excel refuses []:*?/\\ in a sheet's name and more than 31 characters."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()
    return (cleaned or "Dossiers")[:31]


def to_json(edition: Edition, headers: list[str], rows: list[list[str]], *,
            keys: list[str] | None = None, language: str | None = None,
            generated_at: datetime | None = None) -> bytes:
    """The structure documented in this module's docstring, UTF-8, indented."""
    if keys is None:
        keys = column_keys(questions_of(edition))
    if len(keys) != len(headers):
        raise ValueError("one key per header expected")
    document = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "edition": edition.slug,
        "language": language or "",
        "generated_at": (generated_at or utcnow()).isoformat(timespec="seconds"),
        "columns": [{"key": k, "label": h} for k, h in zip(keys, headers, strict=True)],
        "dossiers": [dict(zip(keys, row, strict=True)) for row in rows],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@dataclass(frozen=True)
class ExportedFile:
    content: bytes
    filename: str
    mimetype: str
    count: int


def export_dossiers(edition: Edition, fmt: str, *, language: str, actor: User | None,
                    now: datetime | None = None) -> ExportedFile:
    """The edition's dossiers as a file in `fmt` ("csv", "xlsx" or "json"), and an audit event
    "dossiers.exported" (who, which edition, format, how many rows) in the caller's transaction.

    Raises ValueError for an unknown format.
    """
    if fmt not in MIMETYPES:
        raise ValueError(f"unknown export format: {fmt!r}")
    now = now or utcnow()
    keys, headers, rows = _table(edition, language)
    if fmt == "csv":
        content = to_csv(headers, rows)
    elif fmt == "xlsx":
        with force_locale(language):
            title = str(_l("Applications"))
        content = to_xlsx(headers, rows, title=title)
    else:
        content = to_json(edition, headers, rows, keys=keys, language=language, generated_at=now)
    audit.record("dossiers.exported", actor=actor, edition=edition, obj=edition, format=fmt,
                 count=len(rows), language=language)
    stamp = now.astimezone(ZoneInfo(edition.timezone)).strftime("%Y%m%d-%H%M")
    return ExportedFile(content=content, filename=f"{edition.slug}-dossiers-{stamp}.{fmt}",
                        mimetype=MIMETYPES[fmt], count=len(rows))
