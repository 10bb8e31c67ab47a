"""Editions stage: listing editions with their counts and moving an edition between phases."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from trophies.domain.errors import PhaseError
from trophies.domain.phases import TransitionError, check_transition
from trophies.domain.vocabulary import Phase, Role
from trophies.models import (
    Assignment,
    Dossier,
    Edition,
    JurorProfile,
    Membership,
    Round,
    ScoreSheet,
    User,
    db,
)
from trophies.services import audit


@dataclass(frozen=True)
class EditionCounts:
    dossiers: int
    jurors: int
    sheets: int
    submitted_sheets: int


def counts_by_edition(edition_ids: list[int] | None = None) -> dict[int, EditionCounts]:
    """Dossiers (not drafts), jurors and score sheets per edition, in four grouped queries."""

    def grouped(stmt):
        return dict(db.session.execute(stmt).all())

    dossiers = grouped(select(Dossier.edition_id, func.count()).where(
        Dossier.status != "draft").group_by(Dossier.edition_id))
    jurors = grouped(select(JurorProfile.edition_id, func.count()).where(
        JurorProfile.withdrawn_at.is_(None)).group_by(JurorProfile.edition_id))
    sheet_base = (select(Round.edition_id, func.count()).select_from(ScoreSheet)
                  .join(Assignment, ScoreSheet.assignment_id == Assignment.id)
                  .join(Round, Assignment.round_id == Round.id)
                  .where(ScoreSheet.status != "voided").group_by(Round.edition_id))
    sheets = grouped(sheet_base)
    submitted = grouped(sheet_base.where(ScoreSheet.status == "submitted"))
    ids = edition_ids if edition_ids is not None else list(
        db.session.scalars(select(Edition.id)))
    return {
        i: EditionCounts(dossiers.get(i, 0), jurors.get(i, 0), sheets.get(i, 0),
                         submitted.get(i, 0))
        for i in ids
    }


def list_editions(*, phases: set[Phase] | None = None) -> list[Edition]:
    stmt = (select(Edition).options(selectinload(Edition.categories))
            .order_by(Edition.call_opens_at.desc().nulls_last(), Edition.id.desc()))
    if phases:
        stmt = stmt.where(Edition.phase.in_(phases))
    return list(db.session.scalars(stmt))


def roles_by_edition(user: User) -> dict[int, set[Role]]:
    """{edition id: roles} for one user, in one query."""
    rows = db.session.execute(
        select(Membership.edition_id, Membership.role).where(Membership.user_id == user.id)
    )
    roles: dict[int, set[Role]] = {}
    for edition_id, role in rows:
        roles.setdefault(edition_id, set()).add(Role(role))
    return roles


def change_phase(edition: Edition, target: Phase, *, actor: User | None, reason: str = "") -> None:
    """Move `edition` to `target` if the transition table allows it. Raises PhaseError."""
    try:
        check_transition(Phase(edition.phase), target)
    except TransitionError as error:
        raise PhaseError(str(error), current=edition.phase, target=target) from error
    previous = edition.phase
    edition.phase = target
    audit.record("edition.phase_changed", actor=actor, edition=edition, obj=edition,
                 previous=str(previous), phase=target.value, reason=reason)
