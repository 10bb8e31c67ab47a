"""Scoring stage: a juror's score sheet on one assignment - read it, save a draft (optimistic
version check), submit it. Imports models, domain and the audit service; recusal, reopening
and closing are in services.scoring_control.

A sheet is writable only while the edition is judging, its round is not closed, the
assignment is published and the sheet is not submitted: leaving the judging phase or closing
the round makes every sheet read-only without touching them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from trophies.domain import phases
from trophies.domain import scoring as domain
from trophies.domain.errors import DomainError
from trophies.domain.vocabulary import Phase, SheetStatus
from trophies.models import (
    Assignment,
    Criterion,
    Edition,
    Mark,
    Round,
    ScoreSheet,
    User,
    db,
    utcnow,
)
from trophies.services import audit

# --- errors ---------------------------------------------------------------------------------


class ScoringClosed(DomainError):
    """The edition is not in its judging phase, or the round is closed: sheets are read-only."""

    code = "scoring_closed"


class SheetSubmitted(DomainError):
    """The sheet is submitted: read-only until an organizer reopens it."""

    code = "sheet_submitted"


class StaleSheet(DomainError):
    """The sheet changed since the form was loaded (another tab, another device): nothing was
    written. `sheet` is the saved version (None: it was deleted meanwhile)."""

    code = "stale_sheet"

    def __init__(self, sheet: ScoreSheet | None) -> None:
        super().__init__()
        self.sheet = sheet


class InvalidMarks(DomainError):
    """Some entries are not on their criterion's scale: nothing was written. `problems` maps
    criterion ids (domain.GENERAL for the general comment) to the domain Problem."""

    code = "invalid_marks"

    def __init__(self, problems: Mapping[int, domain.Problem]) -> None:
        super().__init__()
        self.problems = dict(problems)


class IncompleteSheet(InvalidMarks):
    """The sheet cannot be submitted yet (a criterion without a mark, a required comment)."""

    code = "incomplete_sheet"


# --- reading --------------------------------------------------------------------------------


def scales_of(criteria: list[Criterion]) -> list[domain.Scale]:
    return [domain.Scale(c.id, c.weight, c.scale_min, c.scale_max, c.scale_step, c.allows_na)
            for c in criteria]


def criteria_of(round_: Round, *, levels: bool = True) -> list[Criterion]:
    """The round's criteria in order, with their level descriptions unless `levels` is False
    (two queries, or one)."""
    query = select(Criterion).where(Criterion.round_id == round_.id) \
        .order_by(Criterion.position, Criterion.id)
    if levels:
        query = query.options(selectinload(Criterion.levels))
    return list(db.session.scalars(query))


def deadline_of(round_: Round) -> datetime | None:
    """When the round's scoring ends: its own end date, else the edition's judging deadline."""
    return round_.ends_at or round_.edition.judging_deadline_at


def is_scoring_open(round_: Round) -> bool:
    """Sheets of the round may change: the edition is judging and the round is not closed."""
    return phases.scoring_open(Phase(round_.edition.phase)) and round_.closed_at is None


def sheet_of(assignment: Assignment) -> ScoreSheet | None:
    """The assignment's sheet with its marks, or None before the first save (one query)."""
    return _sheet_by_assignment(assignment.id)


def _sheet_by_assignment(assignment_id: int) -> ScoreSheet | None:
    return db.session.execute(
        select(ScoreSheet).where(ScoreSheet.assignment_id == assignment_id)
        .options(joinedload(ScoreSheet.marks))).unique().scalar_one_or_none()


def entries_of(sheet: ScoreSheet | None) -> dict[int, domain.Entry]:
    if sheet is None:
        return {}
    return {m.criterion_id: domain.Entry(m.value, m.is_na, m.comment) for m in sheet.marks}


def total_of(sheet: ScoreSheet | None, scales: list[domain.Scale]) -> Fraction | None:
    return domain.sheet_total(scales, entries_of(sheet))


def is_writable(assignment: Assignment, sheet: ScoreSheet | None) -> bool:
    return (assignment.published_at is not None and is_scoring_open(assignment.round)
            and (sheet is None or sheet.status is SheetStatus.DRAFT))


def peer_totals(assignment: Assignment, sheet: ScoreSheet | None,
                scales: list[domain.Scale]) -> list[Fraction] | None:
    """The totals of the other jurors' submitted sheets on the same dossier and round, in
    ascending order and without names, when the edition shows them and this juror has
    submitted; None otherwise (two queries)."""
    if not assignment.round.edition.shows_peer_totals or sheet is None or (
            sheet.status is not SheetStatus.SUBMITTED):
        return None
    others = db.session.scalars(
        select(ScoreSheet).join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .where(Assignment.round_id == assignment.round_id,
               Assignment.dossier_id == assignment.dossier_id,
               Assignment.id != assignment.id, ScoreSheet.status == SheetStatus.SUBMITTED)
        .options(selectinload(ScoreSheet.marks)))
    totals = [domain.sheet_total(scales, entries_of(s)) for s in others]
    return sorted(t for t in totals if t is not None)


# --- the juror writes -----------------------------------------------------------------------


@dataclass(frozen=True)
class SheetInput:
    """What the scoring form carries: an entry per criterion id, the general comment."""

    entries: dict[int, domain.Entry]
    general_comment: str


def _check_writable(assignment: Assignment, sheet: ScoreSheet | None) -> None:
    # The round and its edition read afresh under a shared row lock (PostgreSQL; SQLite has
    # one writer at a time): a close or a phase change waits for this write to commit, or
    # this write waits for it and then sees the round closed.
    db.session.execute(
        select(Round, Edition).join(Edition, Edition.id == Round.edition_id)
        .where(Round.id == assignment.round_id).with_for_update(read=True)
        .execution_options(populate_existing=True)).one()
    if assignment.published_at is None or not is_scoring_open(assignment.round):
        raise ScoringClosed()
    if sheet is not None and sheet.status is not SheetStatus.DRAFT:
        raise SheetSubmitted()


def _check_version(sheet: ScoreSheet | None, version: int) -> None:
    if (sheet.version if sheet is not None else 0) != version:
        raise StaleSheet(sheet)


def _write(assignment: Assignment, sheet: ScoreSheet | None, data: SheetInput,
           scales: list[domain.Scale], now: datetime) -> ScoreSheet:
    assignment_id = assignment.id   # the rollback below expires it; a recusal may delete it
    if sheet is None:
        sheet = ScoreSheet(assignment_id=assignment.id, status=SheetStatus.DRAFT,
                           created_at=now, updated_at=now, general_comment="")
        db.session.add(sheet)
    marks = {m.criterion_id: m for m in sheet.marks}
    for scale in scales:
        entry = data.entries.get(scale.criterion_id, domain.Entry())
        mark = marks.get(scale.criterion_id)
        if entry.is_blank and not entry.comment:
            if mark is not None:
                sheet.marks.remove(mark)
            continue
        if mark is None:
            mark = Mark(criterion_id=scale.criterion_id)
            sheet.marks.append(mark)
        mark.value, mark.is_na, mark.comment = entry.value, entry.is_na, entry.comment
    sheet.general_comment = data.general_comment
    sheet.updated_at = now
    # Always an UPDATE of the row, even when nothing else changed (the same instant, the same
    # values): the version always moves on and the flush always checks it.
    flag_modified(sheet, "updated_at")
    try:
        db.session.flush()
    except StaleDataError as error:  # another transaction wrote the sheet after we read it
        db.session.rollback()
        raise StaleSheet(_sheet_by_assignment(assignment_id)) from error
    except IntegrityError as error:  # two first saves raced: the other one created the sheet
        db.session.rollback()
        raise StaleSheet(_sheet_by_assignment(assignment_id)) from error
    return sheet


def _problems(data: SheetInput, scales: list[domain.Scale]) -> dict[int, domain.Problem]:
    problems: dict[int, domain.Problem] = {}
    for scale in scales:
        entry = data.entries.get(scale.criterion_id)
        if entry is None:
            continue
        if entry.is_na and (not scale.allows_na or entry.value is not None):
            problems[scale.criterion_id] = domain.Problem.NA_NOT_ALLOWED
        elif entry.value is not None and (problem := domain.check_value(scale, entry.value)):
            problems[scale.criterion_id] = problem
        elif len(entry.comment) > domain.MAX_COMMENT:
            problems[scale.criterion_id] = domain.Problem.COMMENT_TOO_LONG
    if len(data.general_comment) > domain.MAX_GENERAL_COMMENT:
        problems[domain.GENERAL] = domain.Problem.GENERAL_COMMENT_TOO_LONG
    return problems


def save_draft(assignment: Assignment, data: SheetInput, *, version: int, actor: User,
               now: datetime | None = None,
               scales: list[domain.Scale] | None = None) -> ScoreSheet:
    """Write the juror's marks and comments as a draft (creating the sheet on the first
    save), whatever is still blank. `version` is the sheet version the form was loaded with
    (0 before the first save); the sheet's version moves on by one.

    Raises ScoringClosed, SheetSubmitted, InvalidMarks (an entry off its scale: nothing is
    written) and StaleSheet (the sheet changed since `version`: nothing is written, the
    session is rolled back). Drafts are not audited (they are frequent and change nothing
    the jury decides); submissions are. `scales` are the round's (scales_of(criteria_of)),
    when the caller has them already."""
    sheet = sheet_of(assignment)
    _check_writable(assignment, sheet)
    _check_version(sheet, version)
    if scales is None:
        scales = scales_of(criteria_of(assignment.round))
    problems = _problems(data, scales)
    if problems:
        raise InvalidMarks(problems)
    return _write(assignment, sheet, data, scales, now or utcnow())


def submit_sheet(assignment: Assignment, data: SheetInput | None, *, version: int,
                 actor: User, now: datetime | None = None) -> tuple[ScoreSheet, bool]:
    """Submit the sheet (after writing `data` when given): every criterion must have a mark on
    its scale or N/A where allowed, and the general comment must be there when the edition
    requires it. The sheet becomes read-only; audited as sheet.submitted with the marks and
    the exact total. Returns (sheet, True), or (sheet, False) when it was already submitted:
    submitting twice is harmless. Raises ScoringClosed, IncompleteSheet, InvalidMarks,
    StaleSheet."""
    sheet = sheet_of(assignment)
    if sheet is not None and sheet.status is SheetStatus.SUBMITTED:
        return sheet, False
    _check_writable(assignment, sheet)
    _check_version(sheet, version)
    now = now or utcnow()
    criteria = criteria_of(assignment.round)
    scales = scales_of(criteria)
    if data is None:
        data = SheetInput(entries_of(sheet), sheet.general_comment if sheet else "")
    else:
        problems = _problems(data, scales)
        if problems:
            raise InvalidMarks(problems)
    edition = assignment.round.edition
    problems = domain.submission_problems(
        scales, data.entries, general_comment=data.general_comment,
        comment_required=edition.is_general_comment_required)
    if problems:
        raise IncompleteSheet(problems)
    try:
        sheet = _write(assignment, sheet, data, scales, now)
    except StaleSheet as stale:
        if stale.sheet is not None and stale.sheet.status is SheetStatus.SUBMITTED:
            return stale.sheet, False    # a double click: the other request submitted it
        raise
    sheet.status, sheet.submitted_at = SheetStatus.SUBMITTED, now
    db.session.flush()
    total = domain.sheet_total(scales, data.entries)
    audit.record("sheet.submitted", actor=actor, edition=edition, obj=sheet,
                 round=assignment.round.number, dossier_id=assignment.dossier_id,
                 juror_id=assignment.juror_id, version=sheet.version,
                 total=str(total) if total is not None else None,
                 marks=_marks_record(criteria, data.entries))
    return sheet, True


def _marks_record(criteria: list[Criterion], entries: Mapping[int, domain.Entry]
                  ) -> dict[str, int | str | None]:
    record: dict[str, int | str | None] = {}
    for criterion in criteria:
        entry = entries.get(criterion.id, domain.Entry())
        record[criterion.key or str(criterion.id)] = "na" if entry.is_na else entry.value
    return record
