"""Jury stage: conflicts of interest - detection, the organizer's decisions, enforcement.

Imports the models, the domain and services.audit (Flask-Babel only to word the detected
reasons in the edition's language); flushes, never commits.

Invariants: one Conflict row per juror x dossier pair, whatever its status (a dismissed
suggestion is never suggested again); a confirmed conflict leaves no assignment of that juror
to that dossier in any round (`enforce_conflict`); every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from trophies.domain import conflicts as detection
from trophies.domain.errors import DomainError
from trophies.domain.phases import is_at_least
from trophies.domain.vocabulary import ConflictSource, ConflictStatus, DossierStatus, Phase
from trophies.models import (
    Answer,
    Assignment,
    Conflict,
    Dossier,
    DossierMember,
    Edition,
    Founder,
    JurorProfile,
    ScoreSheet,
    User,
    db,
    utcnow,
)
from trophies.services import audit

#: Dossiers the jury may have to judge: submitted and later, not withdrawn nor ineligible
#: (an ineligible dossier is never assigned; detection runs again if the decision changes).
JUDGED_STATUSES = (DossierStatus.SUBMITTED, DossierStatus.ELIGIBLE, DossierStatus.SHORTLISTED,
                   DossierStatus.LAUREATE)
#: Once results are frozen, removing a juror's sheet would change them: conflicts are closed.
CLOSED_FROM = Phase.FROZEN
MAX_REASON_LENGTH = 2000


class ConflictsClosed(DomainError):
    """The results are frozen: conflicts of interest can no longer change."""

    code = "conflicts_closed"


class ReasonRequired(DomainError):
    """Lifting a confirmed conflict needs a written reason."""

    code = "reason_required"


class NotInEdition(DomainError):
    """The juror or the dossier does not belong to the edition (or cannot be judged)."""

    code = "not_in_edition"


class AlreadyConfirmed(DomainError):
    """The pair already has a confirmed conflict."""

    code = "already_confirmed"


def is_open(edition: Edition) -> bool:
    return not is_at_least(Phase(edition.phase), CLOSED_FROM)


def check_open(edition: Edition) -> None:
    """Raise ConflictsClosed once the edition's results are frozen."""
    if not is_open(edition):
        raise ConflictsClosed()


# --- detection ------------------------------------------------------------------------------


def _detection_input(edition: Edition) -> tuple[list[detection.JurorFacts],
                                                 list[detection.DossierFacts],
                                                 set[tuple[int, int]]]:
    """Six queries of plain tuples: jurors, dossiers with their owner's e-mail, founders,
    team members, answers, and the pairs that already have a conflict row."""
    jurors = [
        detection.JurorFacts(juror_id=user_id, full_name=name, email=email,
                             organisation=organisation)
        for user_id, name, email, organisation in db.session.execute(
            select(User.id, User.full_name, User.email, JurorProfile.organisation)
            .join(JurorProfile, JurorProfile.user_id == User.id)
            .where(JurorProfile.edition_id == edition.id, JurorProfile.withdrawn_at.is_(None))
            .order_by(User.id))
    ]
    judged = (Dossier.edition_id == edition.id, Dossier.status.in_(JUDGED_STATUSES))
    emails: dict[int, list[str]] = {}
    texts: dict[int, list[str]] = {}
    companies: dict[int, str] = {}
    for dossier_id, company, title, summary, city, website, owner in db.session.execute(
            select(Dossier.id, Dossier.company_name, Dossier.project_title, Dossier.summary,
                   Dossier.city, Dossier.website, User.email)
            .join(User, User.id == Dossier.candidate_id).where(*judged).order_by(Dossier.id)):
        companies[dossier_id] = company
        emails[dossier_id] = [owner]
        texts[dossier_id] = [title, summary or "", city or "", website or ""]
    for dossier_id, name, role_title, email in db.session.execute(
            select(Founder.dossier_id, Founder.full_name, Founder.role_title, Founder.email)
            .join(Dossier, Dossier.id == Founder.dossier_id).where(*judged)):
        texts[dossier_id] += [name, role_title or ""]
        if email:
            emails[dossier_id].append(email)
    for dossier_id, email in db.session.execute(
            select(DossierMember.dossier_id, DossierMember.email)
            .join(Dossier, Dossier.id == DossierMember.dossier_id).where(*judged)):
        emails[dossier_id].append(email)
    for dossier_id, text in db.session.execute(
            select(Answer.dossier_id, Answer.value)
            .join(Dossier, Dossier.id == Answer.dossier_id).where(*judged)):
        texts[dossier_id].append(text or "")
    dossiers = [detection.DossierFacts(dossier_id=i, company_name=companies[i],
                                       emails=tuple(emails[i]), texts=tuple(texts[i]))
                for i in companies]
    known = set(db.session.execute(
        select(Conflict.juror_id, Conflict.dossier_id).where(Conflict.edition_id == edition.id)
    ).all())
    return jurors, dossiers, {(j, d) for j, d in known}


def describe(suggestion: detection.Suggestion) -> str:
    """The reasons of a suggestion in the current locale, e.g. "Same e-mail domain:
    chu-nantes.fr; “CHU de Nantes” is mentioned in the application"."""
    parts = []
    for evidence in suggestion.evidence:
        if evidence.source is ConflictSource.ORGANISATION:
            parts.append(_("Same organisation: %(organisation)s", organisation=evidence.matched))
        elif evidence.source is ConflictSource.EMAIL_DOMAIN:
            parts.append(_("Same e-mail domain: %(domain)s", domain=evidence.matched))
        else:
            parts.append(_("“%(name)s” is mentioned in the application", name=evidence.matched))
    return "; ".join(parts)


def detect_conflicts(edition: Edition, *, actor: User | None) -> int:
    """Create a SUGGESTED conflict, with its reasons worded in the edition's language, for
    every pair the detection rules flag (domain.conflicts) among the edition's jurors who have
    not withdrawn and its dossiers in JUDGED_STATUSES. Pairs that already have a conflict row
    (any status) are skipped. Each suggestion is audited (conflict.suggested). Returns how many
    were created. Raises ConflictsClosed once results are frozen."""
    check_open(edition)
    jurors, dossiers, known = _detection_input(edition)
    suggestions = detection.detect(jurors, dossiers, known=known)
    now = utcnow()
    with force_locale(str(edition.language)):
        reasons = [describe(s) for s in suggestions]
    created = [Conflict(edition_id=edition.id, juror_id=s.juror_id, dossier_id=s.dossier_id,
                        source=s.source, status=ConflictStatus.SUGGESTED, reason=reason,
                        created_at=now, created_by_id=actor.id if actor is not None else None)
               for s, reason in zip(suggestions, reasons, strict=True)]
    db.session.add_all(created)
    db.session.flush()  # one batch of inserts; the audit events need the ids
    for suggestion, conflict in zip(suggestions, created, strict=True):
        audit.record("conflict.suggested", actor=actor, edition=edition, obj=conflict,
                     juror_id=suggestion.juror_id, dossier_id=suggestion.dossier_id,
                     source=suggestion.source.value,
                     rules=sorted({e.source.value for e in suggestion.evidence}))
    return len(suggestions)


# --- enforcement ----------------------------------------------------------------------------


def enforce_conflict(conflict: Conflict, *, actor: User | None) -> int:
    """Remove every assignment of the conflict's juror to its dossier, in every round, with
    its score sheet and marks. Each removal is audited (assignment.removed_for_conflict) with
    the round, whether it had been published and the sheet's status (None: not started).
    Returns how many assignments were removed. Callable for any confirmed conflict."""
    rows = db.session.execute(
        select(Assignment, ScoreSheet)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Assignment.juror_id == conflict.juror_id,
               Assignment.dossier_id == conflict.dossier_id)
        .options(joinedload(Assignment.round))
        .order_by(Assignment.id)
    ).all()
    edition = db.session.get(Edition, conflict.edition_id)
    for assignment, sheet in rows:
        audit.record("assignment.removed_for_conflict", actor=actor, edition=edition,
                     obj=assignment, conflict_id=conflict.id, juror_id=assignment.juror_id,
                     dossier_id=assignment.dossier_id, round=assignment.round.number,
                     was_published=assignment.published_at is not None,
                     sheet_status=str(sheet.status) if sheet is not None else None)
        if sheet is not None:
            db.session.delete(sheet)
        db.session.delete(assignment)
    db.session.flush()
    return len(rows)


def _decide(conflict: Conflict, status: ConflictStatus, actor: User | None,
            now: datetime | None) -> None:
    conflict.status = status
    conflict.decided_at = now or utcnow()
    conflict.decided_by_id = actor.id if actor is not None else None


def confirm_conflict(conflict: Conflict, *, actor: User, now: datetime | None = None) -> int:
    """Confirm a suggested or dismissed conflict (audited conflict.confirmed) and enforce it.
    Returns the number of assignments removed. Raises ConflictsClosed, AlreadyConfirmed."""
    edition = db.session.get(Edition, conflict.edition_id)
    check_open(edition)
    if conflict.status is ConflictStatus.CONFIRMED:
        raise AlreadyConfirmed()
    previous = conflict.status
    _decide(conflict, ConflictStatus.CONFIRMED, actor, now)
    audit.record("conflict.confirmed", actor=actor, edition=edition, obj=conflict,
                 juror_id=conflict.juror_id, dossier_id=conflict.dossier_id,
                 source=str(conflict.source), previous=str(previous))
    return enforce_conflict(conflict, actor=actor)


def dismiss_conflict(conflict: Conflict, *, actor: User, reason: str = "",
                     now: datetime | None = None) -> None:
    """Dismiss a suggestion, or lift a confirmed conflict (a written `reason` is then
    required: ReasonRequired). Lifting gives no assignment back: the organizer re-assigns.
    Audited (conflict.dismissed, with the reason). Raises ConflictsClosed."""
    edition = db.session.get(Edition, conflict.edition_id)
    check_open(edition)
    reason = reason.strip()[:MAX_REASON_LENGTH]
    if conflict.status is ConflictStatus.CONFIRMED and not reason:
        raise ReasonRequired()
    if conflict.status is ConflictStatus.DISMISSED:
        return
    previous = conflict.status
    _decide(conflict, ConflictStatus.DISMISSED, actor, now)
    audit.record("conflict.dismissed", actor=actor, edition=edition, obj=conflict,
                 juror_id=conflict.juror_id, dossier_id=conflict.dossier_id,
                 source=str(conflict.source), previous=str(previous), reason=reason)
    db.session.flush()


def record_confirmed(edition: Edition, *, juror_id: int, dossier: Dossier,
                     source: ConflictSource, reason: str, actor: User,
                     now: datetime | None = None) -> tuple[Conflict, int]:
    """A confirmed conflict for the pair, from an organizer (MANUAL) or the juror (DECLARED):
    a new row, or the pair's existing suggested or dismissed row confirmed with this source
    and reason. Audited (conflict.added or conflict.declared) and enforced. Returns the
    conflict and the number of assignments removed. Raises ConflictsClosed, NotInEdition,
    AlreadyConfirmed."""
    check_open(edition)
    if dossier.edition_id != edition.id or dossier.status not in JUDGED_STATUSES:
        raise NotInEdition(field="dossier")
    reason = reason.strip()[:MAX_REASON_LENGTH]
    now = now or utcnow()
    conflict = db.session.scalar(select(Conflict).where(
        Conflict.juror_id == juror_id, Conflict.dossier_id == dossier.id))
    previous = None
    if conflict is None:
        conflict = Conflict(edition_id=edition.id, juror_id=juror_id, dossier_id=dossier.id,
                            created_at=now, created_by_id=actor.id)
        db.session.add(conflict)
    elif conflict.status is ConflictStatus.CONFIRMED:
        raise AlreadyConfirmed()
    else:
        previous = str(conflict.status)
    conflict.source = source
    conflict.reason = reason or conflict.reason or ""
    _decide(conflict, ConflictStatus.CONFIRMED, actor, now)
    db.session.flush()
    action = "conflict.declared" if source is ConflictSource.DECLARED else "conflict.added"
    audit.record(action, actor=actor, edition=edition, obj=conflict, juror_id=juror_id,
                 dossier_id=dossier.id, source=source.value, previous=previous, reason=reason)
    return conflict, enforce_conflict(conflict, actor=actor)


def add_conflict(edition: Edition, *, juror_id: int, dossier_id: int, reason: str,
                 actor: User) -> tuple[Conflict, int]:
    """An organizer records a conflict by hand (confirmed, source MANUAL) between one of the
    edition's jurors (not withdrawn) and one of its dossiers in judging. See record_confirmed.
    Raises NotInEdition for a juror or dossier of another edition."""
    check_open(edition)
    profile = db.session.scalar(select(JurorProfile).where(
        JurorProfile.edition_id == edition.id, JurorProfile.user_id == juror_id,
        JurorProfile.withdrawn_at.is_(None)))
    if profile is None:
        raise NotInEdition(field="juror")
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None:
        raise NotInEdition(field="dossier")
    return record_confirmed(edition, juror_id=juror_id, dossier=dossier,
                            source=ConflictSource.MANUAL, reason=reason, actor=actor)


# --- reading --------------------------------------------------------------------------------


def confirmed_pairs(edition: Edition) -> set[tuple[int, int]]:
    """(juror_id, dossier_id) of the edition's confirmed conflicts: pairs never to assign."""
    return {(j, d) for j, d in db.session.execute(
        select(Conflict.juror_id, Conflict.dossier_id).where(
            Conflict.edition_id == edition.id, Conflict.status == ConflictStatus.CONFIRMED))}


def judged_dossiers(edition: Edition) -> list[Dossier]:
    """The edition's dossiers in JUDGED_STATUSES by reference, category loaded (one query)."""
    return list(db.session.scalars(
        select(Dossier).where(Dossier.edition_id == edition.id,
                              Dossier.status.in_(JUDGED_STATUSES))
        .options(joinedload(Dossier.category)).order_by(Dossier.reference)))


@dataclass(frozen=True)
class ConflictsOverview:
    """The organizer's page: conflicts by status (juror and dossier loaded), the jurors and
    dossiers to choose from when adding one, each juror's profile by user id."""

    suggested: list[Conflict]
    confirmed: list[Conflict]
    dismissed: list[Conflict]
    profiles: dict[int, JurorProfile]
    dossiers: list[Dossier]

    @property
    def jurors(self) -> list[JurorProfile]:
        """Jurors who have not withdrawn, by name."""
        return sorted((p for p in self.profiles.values() if p.withdrawn_at is None),
                      key=lambda p: (p.user.full_name.casefold(), p.user_id))


def overview(edition: Edition) -> ConflictsOverview:
    """Everything the organizer's conflicts page shows, in three queries whatever the sizes."""
    conflicts = db.session.scalars(
        select(Conflict).where(Conflict.edition_id == edition.id)
        .join(Dossier, Dossier.id == Conflict.dossier_id)
        .join(User, User.id == Conflict.juror_id)
        .options(joinedload(Conflict.juror), joinedload(Conflict.dossier))
        .order_by(Dossier.reference, User.full_name, Conflict.id)).all()
    profiles = {p.user_id: p for p in db.session.scalars(
        select(JurorProfile).where(JurorProfile.edition_id == edition.id)
        .options(joinedload(JurorProfile.user)))}
    by_status: dict[ConflictStatus, list[Conflict]] = {s: [] for s in ConflictStatus}
    for conflict in conflicts:
        by_status[ConflictStatus(conflict.status)].append(conflict)
    return ConflictsOverview(
        suggested=by_status[ConflictStatus.SUGGESTED],
        confirmed=by_status[ConflictStatus.CONFIRMED],
        dismissed=by_status[ConflictStatus.DISMISSED],
        profiles=profiles, dossiers=judged_dossiers(edition))


def get_conflict(edition: Edition, conflict_id: int) -> Conflict | None:
    """The edition's conflict with this id, or None (another edition's too)."""
    return db.session.scalar(select(Conflict).where(
        Conflict.id == conflict_id, Conflict.edition_id == edition.id))

