"""Scoring stage, the exceptional acts: a juror recuses from an assigned dossier; an organizer
reads any sheet and reopens a submitted one, closes and reopens a round. Imports models,
services.scoring and the audit, mail, conflict, editions and assignment services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from trophies.domain.errors import DomainError
from trophies.domain.vocabulary import ConflictSource, Phase, Role, SheetStatus
from trophies.models import (
    Assignment,
    AuditEvent,
    Criterion,
    CriterionLevel,
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
from trophies.services.scoring import (
    ScoringClosed,
    criteria_of,
    is_scoring_open,
    scales_of,
    total_of,
)


class NotSubmitted(DomainError):
    code = "not_submitted"


class ReasonRequired(DomainError):
    code = "reason_required"


MAX_REASON = 2000


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


# --- the organizer reads a sheet ------------------------------------------------------------


@dataclass(frozen=True)
class MarkLine:
    """A criterion of the round with the sheet's mark on it (None: blank) and the level
    description of that mark, if the criterion has one."""

    criterion: Criterion
    mark: Mark | None
    level: CriterionLevel | None


@dataclass(frozen=True)
class Reopening:
    at: datetime
    reason: str
    by: str


@dataclass(frozen=True)
class SheetView:
    sheet: ScoreSheet
    assignment: Assignment
    lines: tuple[MarkLine, ...]
    total: Fraction | None
    reopenings: tuple[Reopening, ...]
    can_reopen: bool


def sheet_view(round_: Round, sheet_id: int) -> SheetView | None:
    """Sheet `sheet_id` as an organizer reads it, or None when it is not a sheet of `round_`:
    every criterion in order with its mark and level, the exact total, every reopening
    (from the audit log, oldest first), and whether it may be reopened now (submitted, and
    the round open for scoring). Six queries."""
    sheet = db.session.scalar(
        select(ScoreSheet).join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .where(ScoreSheet.id == sheet_id, Assignment.round_id == round_.id)
        .options(selectinload(ScoreSheet.marks),
                 joinedload(ScoreSheet.assignment).joinedload(Assignment.juror),
                 joinedload(ScoreSheet.assignment).joinedload(Assignment.dossier)))
    if sheet is None:
        return None
    criteria = criteria_of(round_)
    marks = {m.criterion_id: m for m in sheet.marks}
    lines = []
    for criterion in criteria:
        mark = marks.get(criterion.id)
        value = mark.value if mark is not None else None
        level = next((lv for lv in criterion.levels if lv.value == value), None)
        lines.append(MarkLine(criterion, mark, level))
    events = db.session.execute(
        select(AuditEvent.occurred_at, AuditEvent.data, User.full_name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.action == "sheet.reopened", AuditEvent.object_type == "score_sheets",
               AuditEvent.object_id == sheet.id)
        .order_by(AuditEvent.id))
    reopenings = tuple(Reopening(at, str((data or {}).get("reason", "")), by or "")
                       for at, data, by in events)
    return SheetView(sheet, sheet.assignment, tuple(lines), total_of(sheet, scales_of(criteria)),
                     reopenings,
                     sheet.status is SheetStatus.SUBMITTED and is_scoring_open(round_))
