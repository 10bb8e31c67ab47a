"""Scoring stage: a juror's score sheet on one assignment - save a draft (optimistic version
check), submit, recuse; an organizer reopens a sheet or closes a round. Imports models,
domain and the audit, mail, conflict and assignment services.

A sheet is writable only while the edition is judging, its round is not closed, the
assignment is published and the sheet is not submitted: leaving the judging phase or closing
the round makes every sheet read-only without touching them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified, set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from trophies.domain import phases
from trophies.domain import scoring as domain
from trophies.domain.errors import DomainError
from trophies.domain.vocabulary import ConflictSource, Phase, Role, SheetStatus
from trophies.models import (
    Assignment,
    Criterion,
    Dossier,
    Edition,
    Mark,
    Membership,
    Round,
    ScoreSheet,
    User,
    db,
    utcnow,
)
from trophies.services import audit, conflicts, mail

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


class NotSubmitted(DomainError):
    code = "not_submitted"


class ReasonRequired(DomainError):
    code = "reason_required"


MAX_REASON = 2000


# --- reading --------------------------------------------------------------------------------


def scales_of(criteria: list[Criterion]) -> list[domain.Scale]:
    return [domain.Scale(c.id, c.weight, c.scale_min, c.scale_max, c.scale_step, c.allows_na)
            for c in criteria]


def criteria_of(round_: Round) -> list[Criterion]:
    """The round's criteria in order, with their level descriptions (two queries)."""
    return list(db.session.scalars(
        select(Criterion).where(Criterion.round_id == round_.id)
        .options(selectinload(Criterion.levels)).order_by(Criterion.position, Criterion.id)))


def deadline_of(round_: Round) -> datetime | None:
    """When the round's scoring ends: its own end date, else the edition's judging deadline."""
    return round_.ends_at or round_.edition.judging_deadline_at


def is_scoring_open(round_: Round) -> bool:
    """Sheets of the round may change: the edition is judging and the round is not closed."""
    return phases.scoring_open(Phase(round_.edition.phase)) and round_.closed_at is None


def sheet_of(assignment: Assignment) -> ScoreSheet | None:
    """The assignment's sheet with its marks, or None before the first save (two queries)."""
    return _sheet_by_assignment(assignment.id)


def _sheet_by_assignment(assignment_id: int) -> ScoreSheet | None:
    return db.session.scalar(select(ScoreSheet).where(ScoreSheet.assignment_id == assignment_id)
                             .options(selectinload(ScoreSheet.marks)))


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
               now: datetime | None = None) -> ScoreSheet:
    """Write the juror's marks and comments as a draft (creating the sheet on the first
    save), whatever is still blank. `version` is the sheet version the form was loaded with
    (0 before the first save); the sheet's version moves on by one.

    Raises ScoringClosed, SheetSubmitted, InvalidMarks (an entry off its scale: nothing is
    written) and StaleSheet (the sheet changed since `version`: nothing is written, the
    session is rolled back). Drafts are not audited (they are frequent and change nothing
    the jury decides); submissions are."""
    sheet = sheet_of(assignment)
    _check_writable(assignment, sheet)
    _check_version(sheet, version)
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


# --- recusal --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recusal:
    """What a recusal did: the assignments removed (every round), and whether the freed slot
    of the round was filled again at once (`refilled`: the new pairs, published) or why not."""

    removed: int
    refilled: int
    refill_problem: str | None


def recuse(assignment: Assignment, *, reason: str, actor: User,
           now: datetime | None = None) -> Recusal:
    """The juror declares a conflict of interest on an assigned dossier: the conflict is
    confirmed at once (source "declared"), the juror's assignments of the dossier are removed
    in every round with their sheets (conflicts.record_confirmed audits each one with the
    sheet's state and marks), and the round's freed slot is solved again as in the
    assignment stage - only when every other pair of the round is published, so that an
    organizer's unpublished draft plan is never overwritten, and only when the solver changes
    nothing but this dossier (see _refill); new pairs are published (the new juror gets the
    usual e-mail). Every organizer of the edition is told by e-mail.
    Raises ReasonRequired, ScoringClosed (outside judging or a closed round)."""
    reason = reason.strip()[:MAX_REASON]
    if not reason:
        raise ReasonRequired()
    round_ = assignment.round
    if assignment.published_at is None or not is_scoring_open(round_):
        raise ScoringClosed()
    edition, dossier, juror = round_.edition, assignment.dossier, assignment.juror
    _conflict, removed = conflicts.record_confirmed(
        edition, juror_id=juror.id, dossier=dossier, source=ConflictSource.DECLARED,
        reason=reason, actor=actor, now=now)
    refilled, problem = 0, None
    refilled, problem = _refill(round_, dossier, now=now)
    audit.record("juror.recused", actor=actor, edition=edition, obj=dossier,
                 juror_id=juror.id, dossier_id=dossier.id, round=round_.number, reason=reason,
                 removed=removed, refilled=refilled, refill_problem=problem)
    for organizer in organizers_of(edition):
        mail.queue_for(organizer, "juror_recused", edition=edition, round=round_,
                       dossier=dossier, juror=juror, reason=reason, refilled=refilled,
                       problem=problem,
                       link=mail.absolute_url("admin.assignment", slug=edition.slug,
                                              number=round_.number))
    return Recusal(removed, refilled, problem)


def _refill(round_: Round, dossier: Dossier, *, now: datetime | None) -> tuple[int, str | None]:
    """Give the dossier's freed slot of the round to another juror, as the assignment stage
    does (the solver keeps every published pair and fills what is missing), and publish it -
    only when that changes nothing else: every other pair of the round is published, and the
    plan adds pairs for this dossier alone (a dry run first). Returns (pairs published,
    None) or (0, why not: "unpublished_plan", "other_changes", "infeasible")."""
    from trophies.domain.assignment import Infeasible
    from trophies.services import assignment as assignment_service

    pending = db.session.scalar(select(Assignment.id).where(
        Assignment.round_id == round_.id, Assignment.published_at.is_(None)).limit(1))
    if pending is not None:
        return 0, "unpublished_plan"
    seed = int((round_.assignment_run or {}).get("seed", 0))
    try:
        trial = assignment_service.run_assignment(round_, seed=seed, actor=None, dry_run=True,
                                                  now=now)
        current = {(reference, email) for reference, email in db.session.execute(
            select(Dossier.reference, User.email)
            .join(Assignment, Assignment.dossier_id == Dossier.id)
            .join(User, User.id == Assignment.juror_id)
            .where(Assignment.round_id == round_.id))}
        added = set(trial.pairs) - current
        if any(reference != dossier.reference for reference, _email in added):
            return 0, "other_changes"
        if not added:
            return 0, None
        assignment_service.run_assignment(round_, seed=seed, actor=None, now=now)
    except (Infeasible, assignment_service.NoJurors, assignment_service.AssignmentClosed):
        return 0, "infeasible"
    return assignment_service.publish(round_, actor=None, now=now), None


def organizers_of(edition: Edition) -> list[User]:
    """The edition's organizers (one query)."""
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.edition_id == edition.id, Membership.role == Role.ORGANIZER,
               User.is_active.is_(True)).order_by(User.id)))


# --- the organizer --------------------------------------------------------------------------


def reopen_sheet(sheet: ScoreSheet, *, reason: str, actor: User,
                 now: datetime | None = None) -> None:
    """Give a submitted sheet back to its juror as a draft, with a reason: audited
    (sheet.reopened), the juror told by e-mail in their language. Raises NotSubmitted,
    ReasonRequired, ScoringClosed (the juror could not change it anyway)."""
    reason = reason.strip()[:MAX_REASON]
    if sheet.status is not SheetStatus.SUBMITTED:
        raise NotSubmitted()
    if not reason:
        raise ReasonRequired()
    assignment = sheet.assignment
    round_ = assignment.round
    if not is_scoring_open(round_):
        raise ScoringClosed()
    now = now or utcnow()
    sheet.status, sheet.submitted_at = SheetStatus.DRAFT, None
    sheet.reopened_at, sheet.reopen_reason, sheet.updated_at = now, reason, now
    db.session.flush()
    edition, dossier = round_.edition, assignment.dossier
    audit.record("sheet.reopened", actor=actor, edition=edition, obj=sheet,
                 round=round_.number, dossier_id=dossier.id, juror_id=assignment.juror_id,
                 reason=reason)
    mail.queue_for(assignment.juror, "sheet_reopened", edition=edition, round=round_,
                   dossier=dossier, reason=reason,
                   link=mail.absolute_url("jury.sheet", slug=edition.slug,
                                          number=round_.number, reference=dossier.reference))


class RoundClosed(DomainError):
    code = "round_closed"


class RoundOpen(DomainError):
    code = "round_open"


def close_round(round_: Round, *, actor: User, now: datetime | None = None) -> bool:
    """Close the round: every sheet of it becomes read-only (drafts stay drafts and do not
    count in the results). Audited (round.closed, with the sheet counts). When it is the
    edition's last round and no other round with assignments is still open, the edition moves
    on to deliberation (the phase change, audited); closing round 1 of two keeps the edition
    judging, for the shortlist and round 2. Returns True when the phase moved. Raises
    RoundClosed, ScoringClosed (not judging)."""
    from trophies.services import editions

    edition = round_.edition
    if round_.closed_at is not None:
        raise RoundClosed()
    if Phase(edition.phase) is not Phase.JUDGING:
        raise ScoringClosed()
    now = now or utcnow()
    # One close only, even when two organizers click at once: the second UPDATE waits for
    # the first and then matches no row.
    closed = db.session.execute(
        update(Round).where(Round.id == round_.id, Round.closed_at.is_(None))
        .values(closed_at=now))
    if closed.rowcount != 1:
        raise RoundClosed()
    set_committed_value(round_, "closed_at", now)   # the loaded object agrees with the row
    counts = dict(db.session.execute(
        select(ScoreSheet.status, func.count(ScoreSheet.id))
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .where(Assignment.round_id == round_.id).group_by(ScoreSheet.status)).all())
    assigned = db.session.scalar(select(func.count(Assignment.id)).where(
        Assignment.round_id == round_.id, Assignment.published_at.is_not(None)))
    audit.record("round.closed", actor=actor, edition=edition, obj=round_,
                 round=round_.number, assigned=assigned,
                 submitted=counts.get(SheetStatus.SUBMITTED, 0),
                 drafts=counts.get(SheetStatus.DRAFT, 0))
    db.session.flush()
    later = db.session.scalar(select(Round.id).where(
        Round.edition_id == edition.id, Round.number > round_.number).limit(1))
    still_open = db.session.scalar(select(Round.id).where(
        Round.edition_id == edition.id, Round.closed_at.is_(None), Round.id != round_.id,
        select(Assignment.id).where(Assignment.round_id == Round.id).exists()).limit(1))
    if later is None and still_open is None:
        editions.change_phase(edition, Phase.DELIBERATION, actor=actor, now=now)
        return True
    return False


def reopen_round(round_: Round, *, reason: str, actor: User) -> None:
    """Open a closed round again (a late juror, a deadline moved), with a reason; audited.
    Scoring resumes only while the edition is judging. Raises RoundOpen, ReasonRequired."""
    reason = reason.strip()[:MAX_REASON]
    if round_.closed_at is None:
        raise RoundOpen()
    if not reason:
        raise ReasonRequired()
    round_.closed_at = None
    audit.record("round.reopened", actor=actor, edition=round_.edition, obj=round_,
                 round=round_.number, reason=reason)
    db.session.flush()

