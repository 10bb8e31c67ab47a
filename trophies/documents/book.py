"""Document 6, the juror's dossier book as PDF (confidential): a cover, the round's criteria
with their weights and levels, a table of contents, then every dossier of the juror's
published assignments of the round as the juror reads it on the web (services.jury.juror_view:
a blind edition hides who applied and the questions hidden when blind), with each attached
PDF appended at the end under a bookmark.

The dossier list is the juror's board (services.jury_board.board): published assignments, no
confirmed conflict, dossiers still in the competition, in the juror's own order. Imports the
documents package, the models, pypdf and the jury, scoring, dossiers and files services.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from flask_babel import format_percent
from flask_babel import gettext as _
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from trophies import documents, permissions
from trophies.domain import scoring as domain
from trophies.domain.text import fold
from trophies.domain.vocabulary import ConflictStatus
from trophies.models import (
    Answer,
    Assignment,
    Attachment,
    Conflict,
    Criterion,
    Dossier,
    Edition,
    JurorProfile,
    Round,
    User,
    db,
)
from trophies.services import conflicts, files, jury, jury_board, scoring

PDF = "application/pdf"


@dataclass(frozen=True)
class CriterionLine:
    """A criterion as the cover explains it: weight, share of the total, scale, levels."""

    criterion: Criterion
    name: str
    description: str
    scale: domain.Scale
    share: str                      # "25 %", in the document's locale
    levels: list[tuple[int, str]]   # (mark, meaning) in mark order


@dataclass(frozen=True)
class FileLine:
    """One file of a dossier in the book: its printed name and where to read it."""

    attachment: Attachment
    name: str                        # "File 2" in a blind edition
    status: str                      # "appended", "not_pdf", "unreadable"
    appendix: int | None = None      # number among the book's appendices
    pages: int = 0


@dataclass(frozen=True)
class BookEntry:
    anchor: str
    view: jury.JurorDossier
    files: list[FileLine]
    file_names: dict[int, str]


def subjects(edition: Edition, round_number: int | None = None) -> list[User]:
    """The edition's active jurors with at least one published assignment they may read (no
    confirmed conflict, dossier in the competition), in `round_number` if given; by name."""
    confirmed = select(Conflict.id).where(
        Conflict.juror_id == Assignment.juror_id, Conflict.dossier_id == Assignment.dossier_id,
        Conflict.status == ConflictStatus.CONFIRMED)
    query = (select(Assignment.juror_id).join(Round, Round.id == Assignment.round_id)
             .join(Dossier, Dossier.id == Assignment.dossier_id)
             .where(Round.edition_id == edition.id, Assignment.published_at.is_not(None),
                    ~confirmed.exists(), Dossier.status.in_(conflicts.JUDGED_STATUSES)))
    if round_number is not None:
        query = query.where(Round.number == round_number)
    rows = db.session.execute(
        select(User, JurorProfile)
        .join(JurorProfile, (JurorProfile.user_id == User.id)
              & (JurorProfile.edition_id == edition.id))
        .where(User.id.in_(query.distinct()))
        .options(selectinload(User.memberships))).all()
    found = [user for user, profile in rows
             if permissions.is_active_juror(user, edition, juror_profile=profile)]
    return sorted(found, key=lambda u: (fold(u.full_name), u.id))


def _board(edition: Edition, juror: User, round_number: int | None) -> tuple[
        JurorProfile, jury_board.RoundBoard]:
    """The juror's profile and board of the round (default: their latest round)."""
    profile = jury.profile_of(juror, edition)
    boards = []
    if profile is not None and permissions.is_active_juror(juror, edition,
                                                           juror_profile=profile):
        boards = [b for b in jury_board.board(profile) if b.items and (
            round_number is None or b.round.number == round_number)]
    if profile is None or not boards:
        raise documents.DocumentUnavailable(
            "no_assignments", _("This juror has no application to evaluate in this round."))
    return profile, boards[-1]


def _criteria(round_: Round, lang: str) -> list[CriterionLine]:
    criteria = scoring.criteria_of(round_, levels=True)
    scales = scoring.scales_of(criteria)
    total = sum(c.weight for c in criteria) or 1
    return [CriterionLine(
        c, c.localized("name", lang), c.localized("description", lang), scale,
        format_percent(float(Fraction(c.weight, total))),
        sorted((level.value, level.localized("label", lang)) for level in c.levels))
        for c, scale in zip(criteria, scales, strict=True)]


def _dossiers(ids: list[int]) -> dict[int, Dossier]:
    """The dossiers with what a juror reads (as services.dossiers.get_dossier loads it)."""
    loaded = db.session.scalars(
        select(Dossier).where(Dossier.id.in_(ids)).options(
            joinedload(Dossier.category), selectinload(Dossier.founders),
            selectinload(Dossier.answers).joinedload(Answer.question),
            selectinload(Dossier.attachments)))
    return {d.id: d for d in loaded}


def _pdf_pages(attachment: Attachment) -> tuple[bytes, int] | None:
    """The stored PDF and its page count if it reads and passes the upload checks again
    (no script, not encrypted), else None."""
    try:
        data = files.read(attachment)
        files.check_upload(data, allowed=["pdf"], max_bytes=len(data) + 1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pages = len(PdfReader(io.BytesIO(data), strict=False).pages)
    except Exception:  # noqa: BLE001 - rejected, missing, unsafe name, or pypdf's many types
        return None
    return data, pages


def _entries(board: jury_board.RoundBoard, profile: JurorProfile, lang: str
             ) -> tuple[list[BookEntry], list[tuple[str, bytes]]]:
    """Each dossier as the juror reads it, its files, and the PDFs to append in order."""
    loaded = _dossiers([item.dossier.id for item in board.items])
    entries: list[BookEntry] = []
    appendices: list[tuple[str, bytes]] = []
    for number, item in enumerate(board.items, start=1):
        dossier = loaded[item.dossier.id]
        standing = jury.Standing([item.assignment], [], profile)
        view = jury.juror_view(dossier, standing, language=lang)
        lines, names = [], {}
        for index, attachment in enumerate(view.attachments, start=1):
            name = (_("File %(num)d", num=index) if view.is_blind
                    else attachment.original_name)
            names[attachment.id] = name
            found = _pdf_pages(attachment) if attachment.content_type == PDF else None
            if found is None:
                status = "not_pdf" if attachment.content_type != PDF else "unreadable"
                lines.append(FileLine(attachment, name, status))
                continue
            data, pages = found
            appendices.append((f"{dossier.reference} — {name}", data))
            lines.append(FileLine(attachment, name, "appended", len(appendices), pages))
        entries.append(BookEntry(f"dossier-{number}", view, lines, names))
    return entries, appendices


def build(edition: Edition, juror: User, lang: str, *, round_number: int | None = None,
          now: datetime | None = None) -> documents.Doc:
    """The book of `juror`'s dossiers of the round (default: the latest round where they
    have published assignments) in `lang`. Raises DocumentUnavailable("no_assignments")."""
    lang = documents.language_of(edition, lang)
    profile, board = _board(edition, juror, round_number)
    round_ = board.round
    with documents.in_language(lang):
        entries, appendices = _entries(board, profile, lang)
        statement = (getattr(edition, f"confidentiality_{lang}", "")
                     or edition.confidentiality_fr or "").strip()
        title = _("Applications to evaluate — %(name)s", name=juror.full_name)
        html = documents.render_html(
            "pdf/book.html", edition=edition, lang=lang, title=title, now=now,
            juror=juror, profile=profile, round=round_, deadline=board.deadline,
            criteria=_criteria(round_, lang), entries=entries, statement=statement,
            is_blind=edition.is_blind,
            appended=[(e, f) for e in entries for f in e.files if f.status == "appended"])
        filename = documents.slug_filename(_("applications to evaluate"), edition.slug,
                                           juror.full_name, _("round"), str(round_.number))
    rows = sum(len(e.view.lines) + len(e.files) + 6 for e in entries) + 20
    return documents.Doc(
        kind="book", filename=filename, title=title, lang=lang, html=html,
        appendices=tuple(appendices), rows=rows,
        meta={"juror_id": juror.id, "round": round_.number,
              "dossiers": [e.view.dossier.reference for e in entries],
              "appendices": len(appendices)})
