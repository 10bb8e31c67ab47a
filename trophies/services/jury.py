"""Jury stage, the juror's side: the confidentiality statement, conflict declarations,
preferences, and what a juror may see (their published assignments, a dossier read-only).

Imports the models, the domain and the audit, conflicts and dossiers services; flushes, never
commits. Invariant: nothing about a dossier (not even its name) is given out for a juror who
has not accepted the statement; a confirmed conflict hides the dossier from that juror.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from trophies.domain.errors import DomainError
from trophies.domain.vocabulary import (
    ConflictSource,
    ConflictStatus,
    PreferenceLevel,
    Role,
)
from trophies.models import (
    Assignment,
    Attachment,
    Conflict,
    Dossier,
    Edition,
    JurorPreference,
    JurorProfile,
    Membership,
    Question,
    Round,
    User,
    db,
    utcnow,
)
from trophies.services import audit, conflicts, jury_board
from trophies.services import dossiers as dossier_service
from trophies.services.dashboard import JurorProgress, juror_progress


class StatementNotAccepted(DomainError):
    """The juror must first accept the confidentiality statement."""

    code = "statement_not_accepted"


class EmptyDeclaration(DomainError):
    """"I have conflicts" with no application ticked."""

    code = "empty_declaration"


class ContradictoryDeclaration(DomainError):
    """"No conflict" while applications are ticked."""

    code = "contradictory_declaration"


class PreferencesDisabled(DomainError):
    code = "preferences_disabled"


class Step(StrEnum):
    """What a juror has to do next in an edition, in order."""

    STATEMENT = "statement"
    CONFLICTS = "conflicts"
    PREFERENCES = "preferences"
    EVALUATE = "evaluate"
    WAIT = "wait"


def next_step(profile: JurorProfile, *, has_preferences: bool, preferences_saved: bool,
              assigned: int) -> Step:
    """The first thing left to do: statement, conflicts, preferences (when the edition asks
    and none are saved), then evaluate (something is assigned and published) or wait."""
    if profile.confidentiality_accepted_at is None:
        return Step.STATEMENT
    if profile.conflicts_declared_at is None:
        return Step.CONFLICTS
    if has_preferences and not preferences_saved:
        return Step.PREFERENCES
    return Step.EVALUATE if assigned else Step.WAIT


# --- who is a juror -------------------------------------------------------------------------


def edition_and_profile(user: User, slug: str) -> tuple[Edition | None, JurorProfile | None]:
    """The edition with this slug and the user's juror profile there, in one query."""
    if not getattr(user, "is_authenticated", False):
        return db.session.scalar(select(Edition).where(Edition.slug == slug)), None
    row = db.session.execute(
        select(Edition, JurorProfile)
        .outerjoin(JurorProfile, (JurorProfile.edition_id == Edition.id)
                   & (JurorProfile.user_id == user.id))
        .where(Edition.slug == slug)).first()
    return (row[0], row[1]) if row is not None else (None, None)


def profile_of(user: User, edition: Edition) -> JurorProfile | None:
    """The user's juror profile in `edition` (withdrawn or not; permissions decide)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(JurorProfile).where(
        JurorProfile.edition_id == edition.id, JurorProfile.user_id == user.id))


@dataclass(frozen=True)
class JurorEdition:
    """One line of the juror's overview."""

    edition: Edition
    profile: JurorProfile
    progress: JurorProgress
    step: Step


def overview(user: User) -> list[JurorEdition]:
    """The editions where `user` is an active juror (membership, profile not withdrawn), newest
    first, with their progress on published assignments and the next step. Three queries."""
    profiles = db.session.scalars(
        select(JurorProfile)
        .join(Membership, (Membership.user_id == JurorProfile.user_id)
              & (Membership.edition_id == JurorProfile.edition_id)
              & (Membership.role == Role.JUROR))
        .join(Edition, Edition.id == JurorProfile.edition_id)
        .where(JurorProfile.user_id == user.id, JurorProfile.withdrawn_at.is_(None))
        .options(joinedload(JurorProfile.edition))
        .order_by(Edition.call_opens_at.desc(), Edition.id.desc())).all()
    if not profiles:
        return []
    ids = [p.edition_id for p in profiles]
    progress = juror_progress(user, ids)
    with_preferences = set(db.session.scalars(
        select(JurorPreference.edition_id).where(JurorPreference.juror_id == user.id,
                                                 JurorPreference.edition_id.in_(ids))
        .distinct()))
    lines = []
    for profile in profiles:
        done = progress.get(profile.edition_id, JurorProgress(0, 0, 0))
        step = next_step(profile, has_preferences=profile.edition.has_preferences,
                         preferences_saved=profile.edition_id in with_preferences,
                         assigned=done.assigned)
        lines.append(JurorEdition(profile.edition, profile, done, step))
    return lines


# --- the statement --------------------------------------------------------------------------


def accept_confidentiality(profile: JurorProfile, *, actor: User,
                           now: datetime | None = None) -> bool:
    """Record that the juror accepted the confidentiality statement (once; audited
    juror.confidentiality_accepted). Returns False when it was already accepted."""
    if profile.confidentiality_accepted_at is not None:
        return False
    profile.confidentiality_accepted_at = now or utcnow()
    audit.record("juror.confidentiality_accepted", actor=actor, edition=profile.edition,
                 obj=profile)
    db.session.flush()
    return True


def _require_statement(profile: JurorProfile) -> None:
    if profile.confidentiality_accepted_at is None:
        raise StatementNotAccepted()


def _confirmed_conflicts(profile: JurorProfile) -> dict[int, Conflict]:
    """{dossier id: conflict} of the juror's confirmed conflicts in the edition (one query)."""
    return {c.dossier_id: c for c in db.session.scalars(select(Conflict).where(
        Conflict.edition_id == profile.edition_id, Conflict.juror_id == profile.user_id,
        Conflict.status == ConflictStatus.CONFIRMED))}


def _saved_preferences(profile: JurorProfile) -> dict[int, JurorPreference]:
    """{dossier id: preference} of the juror in the edition (one query)."""
    return {p.dossier_id: p for p in db.session.scalars(select(JurorPreference).where(
        JurorPreference.edition_id == profile.edition_id,
        JurorPreference.juror_id == profile.user_id))}


# --- conflicts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeclarationRow:
    """A dossier of the declaration list; `conflict` is the juror's confirmed one, if any."""

    dossier: Dossier
    conflict: Conflict | None = None


def declaration_rows(profile: JurorProfile) -> list[DeclarationRow]:
    """The edition's dossiers in judging (conflicts.JUDGED_STATUSES) by reference, each with
    the juror's confirmed conflict on it (suggestions and dismissals are the organizers'
    business and are not shown). Two queries. Raises StatementNotAccepted."""
    _require_statement(profile)
    confirmed = _confirmed_conflicts(profile)
    return [DeclarationRow(d, confirmed.get(d.id))
            for d in conflicts.judged_dossiers(profile.edition)]


def declare_conflicts(profile: JurorProfile, dossier_ids: Iterable[int], *, reason: str = "",
                      no_conflict: bool = False, actor: User,
                      now: datetime | None = None) -> int:
    """The juror's declaration: conflicts with the ticked dossiers (confirmed at once, source
    DECLARED, enforced: their assignments go), or `no_conflict` with nothing ticked. Either
    way `conflicts_declared_at` is set and the declaration audited (juror.conflicts_declared).
    Dossiers already confirmed, or not in judging in this edition, are ignored. Returns the
    number of new conflicts. Raises StatementNotAccepted, EmptyDeclaration,
    ContradictoryDeclaration, conflicts.ConflictsClosed."""
    _require_statement(profile)
    edition = profile.edition
    conflicts.check_open(edition)
    wanted = set(dossier_ids)
    if no_conflict and wanted:
        raise ContradictoryDeclaration()
    if not no_conflict and not wanted:
        raise EmptyDeclaration()
    now = now or utcnow()
    fresh = wanted - set(_confirmed_conflicts(profile)) if wanted else set()
    chosen = db.session.scalars(select(Dossier).where(
        Dossier.id.in_(fresh), Dossier.edition_id == edition.id,
        Dossier.status.in_(conflicts.JUDGED_STATUSES)).order_by(Dossier.reference)
    ).all() if fresh else []
    removed = 0
    for dossier in chosen:
        _conflict, count = conflicts.record_confirmed(
            edition, juror_id=profile.user_id, dossier=dossier, source=ConflictSource.DECLARED,
            reason=reason, actor=actor, now=now)
        removed += count
    profile.conflicts_declared_at = now
    audit.record("juror.conflicts_declared", actor=actor, edition=edition, obj=profile,
                 dossier_ids=[d.id for d in chosen], no_conflict=no_conflict,
                 assignments_removed=removed)
    db.session.flush()
    return len(chosen)


# --- preferences ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PreferenceRow:
    dossier: Dossier
    level: PreferenceLevel


def _preferable_dossiers(profile: JurorProfile) -> list[Dossier]:
    """The dossiers in judging the juror has no confirmed conflict with (two queries).
    Raises StatementNotAccepted, PreferencesDisabled."""
    _require_statement(profile)
    if not profile.edition.has_preferences:
        raise PreferencesDisabled()
    conflicted = _confirmed_conflicts(profile)
    return [d for d in conflicts.judged_dossiers(profile.edition) if d.id not in conflicted]


def preference_rows(profile: JurorProfile) -> list[PreferenceRow]:
    """The dossiers in judging the juror has no confirmed conflict with, each with the saved
    level (CAN by default). Three queries. Raises StatementNotAccepted, PreferencesDisabled."""
    dossiers = _preferable_dossiers(profile)
    saved = _saved_preferences(profile)
    return [PreferenceRow(d, PreferenceLevel(saved[d.id].level) if d.id in saved
                          else PreferenceLevel.CAN) for d in dossiers]


def save_preferences(profile: JurorProfile, levels: Mapping[int, PreferenceLevel], *,
                     actor: User) -> int:
    """Store the juror's level for each dossier of `preference_rows` (missing ones: CAN);
    other dossier ids are ignored. One audit event per save (juror.preferences_saved, with
    the counts per level). Returns the number of rows written or changed."""
    dossiers = _preferable_dossiers(profile)
    existing = _saved_preferences(profile)
    changed = 0
    counts = dict.fromkeys((str(level) for level in PreferenceLevel), 0)
    for dossier in dossiers:
        level = PreferenceLevel(levels.get(dossier.id, PreferenceLevel.CAN))
        counts[str(level)] += 1
        preference = existing.get(dossier.id)
        if preference is None:
            db.session.add(JurorPreference(edition_id=profile.edition_id,
                                           juror_id=profile.user_id,
                                           dossier_id=dossier.id, level=level))
            changed += 1
        elif preference.level != level:
            preference.level = level
            changed += 1
    audit.record("juror.preferences_saved", actor=actor, edition=profile.edition, obj=profile,
                 changed=changed, **counts)
    db.session.flush()
    return changed


# --- what the juror sees --------------------------------------------------------------------


@dataclass
class JurorHome:
    """The juror's page for an edition: where they stand and, once the statement is accepted,
    their published assignments per round (services.jury_board)."""

    profile: JurorProfile
    step: Step
    preferences_saved: bool
    rounds: list[jury_board.RoundBoard] = field(default_factory=list)


def home(profile: JurorProfile) -> JurorHome:
    """Everything jury/edition shows, in at most three queries whatever the number of
    dossiers. Before the statement is accepted, no dossier is loaded at all."""
    edition = profile.edition
    saved = edition.has_preferences and db.session.scalar(
        select(JurorPreference.id).where(JurorPreference.edition_id == edition.id,
                                         JurorPreference.juror_id == profile.user_id)
        .limit(1)) is not None
    rounds = (jury_board.board(profile) if profile.confidentiality_accepted_at is not None
              else [])
    assigned = sum(len(entry.items) for entry in rounds)
    step = next_step(profile, has_preferences=edition.has_preferences,
                     preferences_saved=bool(saved), assigned=assigned)
    return JurorHome(profile, step, bool(saved), rounds)


@dataclass(frozen=True)
class Standing:
    """What the permissions need to judge a juror on one dossier (see permissions)."""

    assignments: list[Assignment]
    conflicts: list[Conflict]
    juror_profile: JurorProfile | None

    def as_kwargs(self) -> dict:
        return {"assignments": self.assignments, "conflicts": self.conflicts,
                "juror_profile": self.juror_profile}


def standing(user: User, dossier: Dossier, profile: JurorProfile | None) -> Standing:
    """The user's assignments (with their rounds) and conflicts on `dossier`: two queries."""
    return Standing(
        assignments=list(db.session.scalars(
            select(Assignment).where(Assignment.dossier_id == dossier.id,
                                     Assignment.juror_id == user.id)
            .options(joinedload(Assignment.round)))),
        conflicts=list(db.session.scalars(select(Conflict).where(
            Conflict.dossier_id == dossier.id, Conflict.juror_id == user.id))),
        juror_profile=profile)


@dataclass(frozen=True)
class JurorDossier:
    """A dossier as a juror reads it: in a blind edition without who applied (company,
    founders) nor the answers and files of questions hidden when blind."""

    dossier: Dossier
    is_blind: bool
    lines: list[dossier_service.AnswerLine]
    attachments: list[Attachment]
    rounds: list[Round]


def juror_view(dossier: Dossier, standing_: Standing, *, language: str) -> JurorDossier:
    """What the juror's dossier page shows (one query: the questions). The caller has checked
    permissions.can_view_dossier_as_juror."""
    edition = dossier.edition
    questions: list[Question] = dossier_service.questions_of(edition)
    hidden = {q.id for q in questions if edition.is_blind and q.is_hidden_when_blind}
    lines = dossier_service.answer_lines(
        dossier, [q for q in questions if q.id not in hidden], language=language)
    attachments = [a for a in dossier.attachments if a.question_id not in hidden]
    rounds = sorted({a.round.id: a.round for a in standing_.assignments
                     if a.published_at is not None}.values(), key=lambda r: r.number)
    return JurorDossier(dossier, edition.is_blind, lines, attachments, rounds)
