"""Dashboard stage: what each role of a user has to do, per edition, in a few grouped queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from trophies.domain.vocabulary import Role, SheetStatus
from trophies.models import Assignment, Dossier, Edition, Round, ScoreSheet, User, db
from trophies.services.editions import EditionCounts, counts_by_edition, roles_by_edition


@dataclass(frozen=True)
class JurorProgress:
    assigned: int
    drafts: int
    submitted: int

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.assigned) if self.assigned else 0


@dataclass
class EditionDashboard:
    edition: Edition
    roles: set[Role]
    dossiers: list[Dossier] = field(default_factory=list)     # the candidate's own
    progress: JurorProgress | None = None                       # the juror's
    counts: EditionCounts | None = None                         # the organizer's


def juror_progress(user: User, edition_ids: list[int]) -> dict[int, JurorProgress]:
    """{edition id: progress} on the user's published assignments (voided sheets left out),
    for the editions among `edition_ids` where they have any; one query."""
    rows = db.session.execute(
        select(Round.edition_id, func.count(Assignment.id),
               func.count(case((ScoreSheet.status == SheetStatus.DRAFT, 1))),
               func.count(case((ScoreSheet.status == SheetStatus.SUBMITTED, 1))))
        .select_from(Assignment)
        .join(Round, Assignment.round_id == Round.id)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Assignment.juror_id == user.id, Round.edition_id.in_(edition_ids),
               Assignment.published_at.is_not(None))  # a draft plan is not the juror's yet
        .where((ScoreSheet.status.is_(None)) | (ScoreSheet.status != SheetStatus.VOIDED))
        .group_by(Round.edition_id)
    )
    return {edition_id: JurorProgress(assigned, drafts, submitted)
            for edition_id, assigned, drafts, submitted in rows}


def dashboard_for(user: User) -> list[EditionDashboard]:
    """One entry per edition where `user` has a role, newest first; admins see every edition."""
    roles = roles_by_edition(user)
    if user.is_admin:
        for edition_id in db.session.scalars(select(Edition.id)):
            roles.setdefault(edition_id, set())
    if not roles:
        return []
    editions = db.session.scalars(
        select(Edition).where(Edition.id.in_(roles)).order_by(Edition.call_opens_at.desc())
    ).all()
    boards = {e.id: EditionDashboard(e, roles[e.id]) for e in editions}
    for dossier in db.session.scalars(
        select(Dossier).where(Dossier.candidate_id == user.id, Dossier.edition_id.in_(roles))
        .options(selectinload(Dossier.category)).order_by(Dossier.created_at)
    ):
        boards[dossier.edition_id].dossiers.append(dossier)
    for edition_id, progress in juror_progress(user, list(roles)).items():
        boards[edition_id].progress = progress
    managed = [i for i, b in boards.items() if Role.ORGANIZER in b.roles or user.is_admin]
    if managed:
        for edition_id, counts in counts_by_edition(managed).items():
            boards[edition_id].counts = counts
    return [boards[e.id] for e in editions]
