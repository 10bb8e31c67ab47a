"""Assignment stage: a round's assignments as CSV, and back (import). Imports models,
SQLAlchemy, Flask-Babel and the other assignment services.

Export: one row per pair, ordered by reference then juror e-mail; columns reference,
category, company, project, juror e-mail, juror name, pinned, published (headers and yes/no
in the requested language), written by the dossiers export's services.exports.to_csv (comma
separator, CRLF, UTF-8 with a byte order mark, formula-looking cells neutralised).

Import: the columns "reference" and "juror e-mail" (found by their header, in English or
French, in any order; comma or semicolon separated). Every line is checked first (unknown
reference, unknown or unavailable juror, conflict of interest, duplicate pair); on any error
nothing is imported and the errors are listed by line. Otherwise the round's unpublished,
unpinned, unstarted assignments are replaced by the file's pairs (source "import").
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from trophies.domain.errors import DomainError
from trophies.domain.vocabulary import AssignmentSource
from trophies.models import Assignment, Category, Dossier, Round, User, db, utcnow
from trophies.services import audit
from trophies.services.assignment import check_open, replace_pairs
from trophies.services.assignment_stats import load_state
from trophies.services.exports import MIMETYPES, to_csv

HEADERS = (
    ("reference", _l("Reference")),
    ("category", _l("Category")),
    ("company", _l("Company")),
    ("project", _l("Project")),
    ("email", _l("Juror e-mail")),
    ("name", _l("Juror name")),
    ("pinned", _l("Pinned")),
    ("published", _l("Published")),
)
#: Header spellings the import recognises besides the translated headers.
ALIASES = {
    "reference": {"reference", "référence", "ref", "dossier"},
    "email": {"juror e-mail", "juror email", "e-mail", "email", "e-mail du juré",
              "courriel", "juror"},
}
MAX_ERRORS = 50


@dataclass(frozen=True)
class ExportedAssignments:
    content: bytes
    filename: str
    mimetype: str
    count: int


def export_csv(round_: Round, *, language: str, actor: User | None,
               now: datetime | None = None) -> ExportedAssignments:
    """The round's pairs as CSV; audited ("assignment.exported")."""
    edition = round_.edition
    now = now or utcnow()
    rows = db.session.execute(
        select(Dossier.reference, Category.name_fr, Category.name_en, Dossier.company_name,
               Dossier.project_title, User.email, User.full_name, Assignment.is_pinned,
               Assignment.published_at)
        .select_from(Assignment).join(Dossier, Assignment.dossier_id == Dossier.id)
        .join(Category, Dossier.category_id == Category.id)
        .join(User, Assignment.juror_id == User.id)
        .where(Assignment.round_id == round_.id)
        .order_by(Dossier.reference, User.email)).all()
    with force_locale(language):
        yes, no = _("yes"), _("no")
        content = to_csv([str(label) for _key, label in HEADERS], [
            [ref, (cat_en or cat_fr) if language == "en" else cat_fr, company, project, email,
             name, yes if pinned else no, yes if published else no]
            for ref, cat_fr, cat_en, company, project, email, name, pinned, published in rows])
    audit.record("assignment.exported", actor=actor, edition=edition, obj=round_,
                 count=len(rows), language=language)
    stamp = now.astimezone(ZoneInfo(edition.timezone)).strftime("%Y%m%d-%H%M")
    return ExportedAssignments(
        content=content,
        filename=f"{edition.slug}-round{round_.number}-assignments-{stamp}.csv",
        mimetype=MIMETYPES["csv"], count=len(rows))


@dataclass(frozen=True)
class LineError:
    line: int
    code: str        # unreadable, header, unknown_reference, unknown_juror, conflict, duplicate
    value: str = ""


class ImportRejected(DomainError):
    code = "assignment_import_rejected"

    def __init__(self, errors: list[LineError]) -> None:
        super().__init__("assignment import rejected", errors=tuple(errors))
        self.errors = tuple(errors)


def _columns(header: list[str]) -> tuple[int, int] | None:
    names = [h.strip().lstrip("\ufeff").casefold() for h in header]
    wanted = {}
    for key in ("reference", "email"):
        label = dict(HEADERS)[key]
        spellings = set(ALIASES[key])
        for language in ("fr", "en"):
            with force_locale(language):
                spellings.add(str(label).casefold())
        wanted[key] = next((i for i, n in enumerate(names) if n in spellings), None)
    if wanted["reference"] is None or wanted["email"] is None:
        return None
    return wanted["reference"], wanted["email"]


def _read(data: bytes) -> list[list[str]] | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:  # e.g. a cell over the csv module's field size limit
        return None


def import_csv(round_: Round, data: bytes, *, actor: User | None,
               now: datetime | None = None) -> int:
    """Replace the round's replaceable assignments with the file's pairs; returns how many
    pairs the file holds. Raises ImportRejected (nothing imported) listing the errors by
    line, or AssignmentClosed outside the screening and judging phases."""
    check_open(round_.edition)
    lines = _read(data)
    if lines is None:
        raise ImportRejected([LineError(0, "unreadable")])
    if not lines or (columns := _columns(lines[0])) is None:
        raise ImportRejected([LineError(1, "header")])
    state = load_state(round_)
    by_reference = {info.reference.casefold(): d for d, info in state.dossiers.items()}
    by_email = {p.user.email.casefold(): j for j, p in state.active.items()}
    errors: list[LineError] = []
    pairs: dict[tuple[int, int], int] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in line):
            continue
        cells = line + [""] * (max(columns) + 1 - len(line))
        reference = cells[columns[0]].strip().lstrip("'")
        email = cells[columns[1]].strip().lstrip("'")
        dossier_id = by_reference.get(reference.casefold())
        juror_id = by_email.get(email.casefold())
        if dossier_id is None:
            errors.append(LineError(number, "unknown_reference", reference))
        if juror_id is None:
            errors.append(LineError(number, "unknown_juror", email))
        if dossier_id is None or juror_id is None:
            continue
        if (dossier_id, juror_id) in state.forbidden:
            errors.append(LineError(number, "conflict", f"{reference} / {email}"))
        elif (dossier_id, juror_id) in pairs:
            errors.append(LineError(number, "duplicate", f"{reference} / {email}"))
        else:
            pairs[(dossier_id, juror_id)] = number
    if errors:
        raise ImportRejected(errors[:MAX_ERRORS])
    removed, created = replace_pairs(state, set(pairs), source=AssignmentSource.IMPORT,
                                     now=now or utcnow())
    audit.record("assignment.imported", actor=actor, edition=round_.edition, obj=round_,
                 pairs=len(pairs), created=created, removed=removed)
    return len(pairs)


def line_error_text(error: LineError) -> str:
    """The error in the current language."""
    texts = {
        "unreadable": _("The file is not a UTF-8 CSV file."),
        "header": _("Line 1 must name the columns, among them “Reference” and “Juror "
                    "e-mail”."),
        "unknown_reference": _("Line %(line)d: no application “%(value)s” in this round.",
                               line=error.line, value=error.value),
        "unknown_juror": _("Line %(line)d: “%(value)s” is not a juror who accepted the "
                           "invitation.", line=error.line, value=error.value),
        "conflict": _("Line %(line)d: %(value)s is a conflict of interest.",
                      line=error.line, value=error.value),
        "duplicate": _("Line %(line)d: %(value)s appears twice.", line=error.line,
                       value=error.value),
    }
    return texts[error.code]


def assignment_pairs(round_: Round) -> set[tuple[str, str]]:
    """(reference, juror e-mail) of every pair of the round (tests, CLI)."""
    return {(a.dossier.reference, a.juror.email) for a in db.session.scalars(
        select(Assignment).where(Assignment.round_id == round_.id)
        .options(joinedload(Assignment.dossier), joinedload(Assignment.juror)))}
