"""Editions stage: listing editions with their counts and moving an edition between phases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from trophies.domain.errors import DomainError, PhaseError
from trophies.domain.phases import (
    ORDER,
    EditionFacts,
    Requirement,
    TransitionError,
    can_move,
    check_transition,
    missing_for,
)
from trophies.domain.vocabulary import DossierStatus, Phase, Role
from trophies.models import (
    Assignment,
    Category,
    Criterion,
    CriterionLevel,
    Dossier,
    Edition,
    JurorProfile,
    Membership,
    Question,
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
    """{edition id: roles} for one user, in one query. A juror who withdrew or was removed
    keeps the membership (their started sheets stay theirs) but no longer holds the role."""
    rows = db.session.execute(
        select(Membership.edition_id, Membership.role)
        .outerjoin(JurorProfile, (JurorProfile.user_id == Membership.user_id)
                   & (JurorProfile.edition_id == Membership.edition_id)
                   & (Membership.role == Role.JUROR))
        .where(Membership.user_id == user.id, JurorProfile.withdrawn_at.is_(None))
    )
    roles: dict[int, set[Role]] = {}
    for edition_id, role in rows:
        roles.setdefault(edition_id, set()).add(Role(role))
    return roles


def edition_facts(edition: Edition) -> EditionFacts:
    """What the phase checks look at, in a handful of count queries."""

    def count(stmt) -> int:
        return db.session.scalar(stmt) or 0

    first_round = db.session.scalar(select(Round).where(Round.edition_id == edition.id)
                                    .order_by(Round.number).limit(1))
    statuses = dict(db.session.execute(
        select(Dossier.status, func.count()).where(Dossier.edition_id == edition.id)
        .group_by(Dossier.status)).all())
    return EditionFacts(
        categories=count(select(func.count()).select_from(Category)
                         .where(Category.edition_id == edition.id)),
        first_round_criteria=count(select(func.count()).select_from(Criterion)
                                   .where(Criterion.round_id == first_round.id))
        if first_round else 0,
        jurors_per_dossier=first_round.jurors_per_dossier if first_round else 1,
        call_opens_at=edition.call_opens_at,
        call_closes_at=edition.call_closes_at,
        undecided_dossiers=statuses.get(DossierStatus.SUBMITTED, 0),
        eligible_dossiers=statuses.get(DossierStatus.ELIGIBLE, 0),
        jurors=count(select(func.count()).select_from(JurorProfile).where(
            JurorProfile.edition_id == edition.id, JurorProfile.withdrawn_at.is_(None))),
    )


def phase_moves(edition: Edition, *, now: datetime) -> list[tuple[Phase, list[Requirement]]]:
    """Every phase the edition may move to next, with what each move still needs."""
    facts = edition_facts(edition)
    current = Phase(edition.phase)
    return [(target, missing_for(current, target, facts, now=now, reason="-"))
            for target in ORDER if can_move(current, target)]


def change_phase(edition: Edition, target: Phase, *, actor: User | None, now: datetime,
                 reason: str = "") -> None:
    """Move `edition` to `target`: the transition table must allow it and every requirement
    must hold (going back needs a reason). Raises PhaseError with `missing`; audited."""
    current = Phase(edition.phase)
    try:
        check_transition(current, target)
    except TransitionError as error:
        raise PhaseError(str(error), current=current, target=target, missing=[]) from error
    missing = missing_for(current, target, edition_facts(edition), now=now, reason=reason)
    if missing:
        raise PhaseError("requirements missing", current=current, target=target,
                         missing=missing)
    edition.phase = target
    audit.record("edition.phase_changed", actor=actor, edition=edition, obj=edition,
                 previous=current.value, phase=target.value, reason=reason.strip())


class SlugTaken(DomainError):
    code = "slug_taken"


#: Edition columns copied by duplicate_edition (texts and settings; never phase or dates).
COPIED_SETTINGS = (
    "description_fr", "description_en", "rules_fr", "rules_en", "privacy_notice_fr",
    "privacy_notice_en", "language", "timezone", "retention_months", "is_blind", "aggregation",
    "max_jurors_per_organisation", "is_feedback_enabled", "shows_peer_totals",
    "is_general_comment_required", "tie_break", "eligibility_rules",
)


def duplicate_edition(source: Edition, *, slug: str, name_fr: str, name_en: str,
                      actor: User) -> Edition:
    """A new draft edition with the source's categories, rounds, criteria (with their level
    descriptors), questions, texts and settings — no dossier, jury, dates or results.
    Raises SlugTaken."""
    slug = slug.strip().lower()
    if db.session.scalar(select(Edition.id).where(Edition.slug == slug)) is not None:
        raise SlugTaken(slug=slug)
    copy = Edition(slug=slug, name_fr=name_fr.strip(), name_en=name_en.strip(),
                   phase=Phase.DRAFT,
                   **{column: getattr(source, column) for column in COPIED_SETTINGS})
    copy.categories = [Category(position=c.position, name_fr=c.name_fr, name_en=c.name_en,
                                description_fr=c.description_fr,
                                description_en=c.description_en) for c in source.categories]
    copy.rounds = [
        Round(number=r.number, name_fr=r.name_fr, name_en=r.name_en,
              jurors_per_dossier=r.jurors_per_dossier,
              criteria=[Criterion(
                  position=c.position, key=c.key, name_fr=c.name_fr, name_en=c.name_en,
                  description_fr=c.description_fr, description_en=c.description_en,
                  weight=c.weight, scale_min=c.scale_min, scale_max=c.scale_max,
                  scale_step=c.scale_step, allows_na=c.allows_na,
                  levels=[CriterionLevel(value=lv.value, label_fr=lv.label_fr,
                                         label_en=lv.label_en) for lv in c.levels])
                  for c in r.criteria])
        for r in source.rounds]
    copy.questions = [Question(
        position=q.position, key=q.key, kind=q.kind, label_fr=q.label_fr, label_en=q.label_en,
        help_fr=q.help_fr, help_en=q.help_en, is_required=q.is_required,
        max_length=q.max_length, min_value=q.min_value, max_value=q.max_value,
        choices=list(q.choices or []), file_types=list(q.file_types or []),
        max_file_bytes=q.max_file_bytes, is_hidden_when_blind=q.is_hidden_when_blind)
        for q in source.questions]
    db.session.add(copy)
    db.session.flush()
    db.session.add(Membership(user_id=actor.id, edition_id=copy.id, role=Role.ORGANIZER))
    audit.record("edition.duplicated", actor=actor, edition=copy, obj=copy, source=source.slug)
    return copy
