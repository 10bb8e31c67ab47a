"""Jury stage: reading a jurors CSV (pasted or uploaded) into checked rows, before any change.

No database access: services.jurors.import_jurors looks up accounts and applies the rows.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

from trophies.domain.errors import DomainError
from trophies.domain.text import fold
from trophies.domain.vocabulary import Language
from trophies.models import Category

MAX_IMPORT_ROWS = 1000
MAX_IMPORT_BYTES = 1_000_000
MAX_CAPACITY = 1000

#: Column names accepted in the header (compared folded: case, accents, hyphens ignored).
COLUMNS = {
    "email": ("email", "e mail", "courriel", "mail", "adresse e mail", "adresse email",
              "adresse electronique", "email address", "e mail address"),
    "name": ("name", "nom", "full name", "nom complet", "prenom nom", "prenom et nom",
             "nom prenom", "nom et prenom"),
    "first_name": ("first name", "firstname", "given name", "prenom"),
    "last_name": ("last name", "lastname", "surname", "family name", "nom de famille"),
    "organisation": ("organisation", "organization", "structure", "organisme", "entreprise",
                     "company", "affiliation", "etablissement", "employer", "employeur"),
    "expertise": ("expertise", "expertises", "categories", "category", "categorie", "prix",
                  "prizes"),
    "capacity": ("capacity", "capacite"),
    "language": ("language", "langue", "lang"),
}
ALIASES = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}
LANGUAGES = {"fr": Language.FR, "francais": Language.FR, "french": Language.FR,
             "fr fr": Language.FR, "en": Language.EN, "english": Language.EN,
             "anglais": Language.EN, "en gb": Language.EN, "en us": Language.EN}


@dataclass(frozen=True)
class LineError:
    """One problem of an import: the file's line (1 = the header; 0 = the whole file), a code
    the web layer translates, the value at fault."""

    line: int
    code: str
    value: str = ""


class ImportRejected(DomainError):
    """The file has problems: nothing was imported. `errors` lists them (LineError)."""

    code = "import_rejected"

    def __init__(self, errors: Sequence[LineError]) -> None:
        super().__init__("import_rejected", errors=list(errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class ParsedRow:
    """One juror line. Only the details whose column is in the file are to be applied
    (`columns`); the others stay as they are for a juror already on the jury."""

    line: int
    email: str
    full_name: str
    organisation: str
    expertise: tuple[Category, ...]
    capacity: int | None
    language: Language
    columns: frozenset[str]


@dataclass(frozen=True)
class ParsedFile:
    rows: list[ParsedRow]
    errors: list[LineError]
    #: header cells that are no known column (shown to the organizer, not imported)
    ignored: list[str]


def _key(text: str) -> str:
    return " ".join(fold(text.replace("’", "'")).replace("-", " ").replace("_", " ")
                    .strip(" *:").split())


def read_upload(data: bytes) -> str:
    """An uploaded file's text: UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1252
    (what French Excel's "CSV (semicolon)" export writes). Raises ImportRejected (too_large,
    encoding)."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRejected([LineError(0, "too_large")])
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportRejected([LineError(0, "encoding")]) from None


def _delimiter(text: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _header(cells: list[str]) -> tuple[dict[str, int], list[LineError], list[str]]:
    positions: dict[str, int] = {}
    errors, ignored = [], []
    for index, cell in enumerate(cells):
        column = ALIASES.get(_key(cell))
        if column is None:
            if cell.strip():
                ignored.append(cell.strip())
        elif column in positions:
            errors.append(LineError(1, "duplicate_column", cell.strip()))
        else:
            positions[column] = index
    if "email" not in positions:
        errors.append(LineError(1, "missing_email_column"))
    return positions, errors, ignored


class _Categories:
    """Category names of the edition, French or English, compared folded."""

    def __init__(self, categories: Sequence[Category]) -> None:
        self.by_key: dict[str, Category] = {}
        for category in categories:
            for name in (category.name_fr, category.name_en):
                if name:
                    self.by_key.setdefault(_key(name), category)

    def match(self, cell: str) -> tuple[list[Category], list[str]]:
        """The categories named in `cell` ("A | B", "A; B", or "A, B" when names have no
        comma), and the names not recognised."""
        found, unknown = [], []
        for piece in (p.strip() for p in re.split(r"[|;\n]", cell)):
            if not piece:
                continue
            category = self.by_key.get(_key(piece))
            if category is not None:
                found.append(category)
                continue
            parts = [self.by_key.get(_key(p)) for p in piece.split(",") if p.strip()]
            if len(parts) > 1 and all(parts):
                found.extend(p for p in parts if p is not None)
            else:
                unknown.append(piece)
        return list(dict.fromkeys(found)), unknown


def _row(line: int, values: dict[str, str], categories: _Categories,
         default_language: Language) -> tuple[ParsedRow | None, list[LineError]]:
    errors = []
    email = ""
    if not values.get("email"):
        errors.append(LineError(line, "missing_email"))
    else:
        try:
            email = validate_email(values["email"], check_deliverability=False).normalized
            email = email.lower()
        except EmailNotValidError:
            errors.append(LineError(line, "invalid_email", values["email"]))
    first = values.get("first_name", "")
    full_name = " ".join(p for p in (first, values.get("name") or values.get("last_name", ""))
                         if p)
    organisation = values.get("organisation", "")
    for label, text in (("name", full_name), ("organisation", organisation)):
        if len(text) > 200:
            errors.append(LineError(line, f"{label}_too_long", text[:40] + "…"))
    expertise, unknown = categories.match(values.get("expertise", ""))
    errors.extend(LineError(line, "unknown_category", name) for name in unknown)
    capacity = None
    if values.get("capacity"):
        if re.fullmatch(r"\d{1,4}", values["capacity"]) and int(values["capacity"]) \
                <= MAX_CAPACITY:
            capacity = int(values["capacity"])
        else:
            errors.append(LineError(line, "bad_capacity", values["capacity"]))
    language = default_language
    if values.get("language"):
        language = LANGUAGES.get(_key(values["language"]))  # type: ignore[assignment]
        if language is None:
            errors.append(LineError(line, "bad_language", values["language"]))
    if errors:
        return None, errors
    columns = {c for c in values if c not in ("first_name", "last_name")}
    if "first_name" in values or "last_name" in values:
        columns.add("name")
    return ParsedRow(line, email, full_name, organisation, tuple(expertise), capacity,
                     language, frozenset(columns)), []


def parse_jurors_csv(text: str, categories: Sequence[Category], *,
                     default_language: Language = Language.FR) -> ParsedFile:
    """Read a CSV of jurors: a header row (column names in French or English, see COLUMNS),
    then one juror per line; comma, semicolon or tab separated (guessed from the header).

    Returns every valid row and every problem by line: missing or invalid e-mail, an e-mail
    seen twice, an unknown category, a bad capacity or language, a value too long, and
    problems of the header or of the file as a whole (empty, too many rows, unreadable).
    Blank lines are skipped. Raises nothing; the caller decides.
    """
    text = text.lstrip("\ufeff")
    if len(text.encode("utf-8")) > MAX_IMPORT_BYTES:
        return ParsedFile([], [LineError(0, "too_large")], [])
    if "\x00" in text:
        return ParsedFile([], [LineError(0, "encoding")], [])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    known = _Categories(categories)
    rows: list[ParsedRow] = []
    errors: list[LineError] = []
    seen: dict[str, int] = {}
    positions: dict[str, int] | None = None
    ignored: list[str] = []
    count = 0
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if positions is None:
                positions, problems, ignored = _header(cells)
                if problems:
                    return ParsedFile([], problems, ignored)
                continue
            count += 1
            if count > MAX_IMPORT_ROWS:
                return ParsedFile([], [LineError(0, "too_many_rows", str(MAX_IMPORT_ROWS))],
                                  ignored)
            values = {column: cells[i].strip() if i < len(cells) else ""
                      for column, i in positions.items()}
            row, problems = _row(start, values, known, default_language)
            errors.extend(problems)
            if row is not None:
                if row.email in seen:
                    errors.append(LineError(start, "duplicate_email", row.email))
                else:
                    seen[row.email] = start
                    rows.append(row)
    except csv.Error:
        errors.append(LineError(line, "malformed"))
    if positions is None:
        errors.append(LineError(1, "empty"))
    elif count == 0 and not errors:
        errors.append(LineError(0, "no_rows"))
    return ParsedFile(rows, errors, ignored)
