"""Jury stage: an edition's jurors - list, invite (one by one or from a CSV), edit, resend the
invitation, remove (freeing their unstarted assignments).

Imports the models, the domain and the accounts, audit and mail services; never the web layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum, StrEnum
from typing import Any

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import joinedload, selectinload

from trophies.domain.errors import DomainError
from trophies.domain.organisations import normalise_organisation
from trophies.domain.text import fold
from trophies.domain.vocabulary import Language, Role, TokenPurpose
from trophies.models import (
    AccountToken,
    Assignment,
    Category,
    Dossier,
    Edition,
    JurorProfile,
    Round,
    ScoreSheet,
    User,
    db,
    utcnow,
)
from trophies.services import accounts, audit, mail
from trophies.services.jurors_csv import (
    MAX_CAPACITY,
    ImportRejected,
    LineError,
    parse_jurors_csv,
)

# --- errors ---------------------------------------------------------------------------------


class InvalidJurorDetails(DomainError):
    """A value an organizer typed is out of range; `field` names it."""

    code = "juror_invalid"


class InvitationAccepted(DomainError):
    """The juror has already accepted: there is nothing to resend."""

    code = "invitation_accepted"


class JurorWithdrawn(DomainError):
    """The juror has already withdrawn or been removed."""

    code = "juror_withdrawn"


# --- the list -------------------------------------------------------------------------------


class Stage(StrEnum):
    """How far a juror went, for the list; the four steps are cumulative in practice."""

    INVITED = "invited"
    ACCEPTED = "accepted"
    STATEMENT_ACCEPTED = "statement_accepted"
    CONFLICTS_DECLARED = "conflicts_declared"
    WITHDRAWN = "withdrawn"


def stage_of(profile: JurorProfile) -> Stage:
    if profile.withdrawn_at is not None:
        return Stage.WITHDRAWN
    if profile.accepted_at is None:
        return Stage.INVITED
    if profile.conflicts_declared_at is not None and profile.confidentiality_accepted_at:
        return Stage.CONFLICTS_DECLARED
    if profile.confidentiality_accepted_at is not None:
        return Stage.STATEMENT_ACCEPTED
    return Stage.ACCEPTED


@dataclass(frozen=True)
class RoundLoad:
    total: int = 0
    published: int = 0


@dataclass(frozen=True)
class JurorRow:
    profile: JurorProfile
    stage: Stage
    #: round id -> the juror's assignments in that round
    loads: dict[int, RoundLoad]

    def load(self, round_id: int) -> RoundLoad:
        return self.loads.get(round_id, RoundLoad())


@dataclass(frozen=True)
class JurorList:
    rows: list[JurorRow]
    #: invited (everyone not withdrawn), accepted, statement_accepted, conflicts_declared,
    #: withdrawn
    counts: dict[str, int]


def list_jurors(edition: Edition) -> JurorList:
    """Every juror profile of `edition` (withdrawn ones last), by name, with each juror's
    assignments per round and the counters of the page. Three queries whatever the number of
    jurors (profiles with their accounts, their expertise, the assignment counts)."""
    profiles = db.session.scalars(
        select(JurorProfile).where(JurorProfile.edition_id == edition.id)
        .options(joinedload(JurorProfile.user), selectinload(JurorProfile.expertise))
    ).unique().all()
    loads: dict[int, dict[int, RoundLoad]] = {}
    for juror_id, round_id, total, published in db.session.execute(
            select(Assignment.juror_id, Assignment.round_id, func.count(),
                   func.count(Assignment.published_at))
            .join(Round, Round.id == Assignment.round_id)
            .where(Round.edition_id == edition.id)
            .group_by(Assignment.juror_id, Assignment.round_id)):
        loads.setdefault(juror_id, {})[round_id] = RoundLoad(total, published)
    rows = [JurorRow(p, stage_of(p), loads.get(p.user_id, {})) for p in profiles]
    rows.sort(key=lambda r: (r.stage is Stage.WITHDRAWN, fold(r.profile.user.full_name),
                             r.profile.user.email))
    active = [r.profile for r in rows if r.stage is not Stage.WITHDRAWN]
    counts = {
        "invited": len(active),
        "accepted": sum(p.accepted_at is not None for p in active),
        "statement_accepted": sum(p.confidentiality_accepted_at is not None for p in active),
        "conflicts_declared": sum(p.conflicts_declared_at is not None for p in active),
        "withdrawn": len(rows) - len(active),
    }
    return JurorList(rows, counts)


def get_profile(edition: Edition, profile_id: int) -> JurorProfile | None:
    """The juror profile `profile_id` if it belongs to `edition`, else None."""
    profile = db.session.get(JurorProfile, profile_id)
    return profile if profile is not None and profile.edition_id == edition.id else None


@dataclass(frozen=True)
class AssignmentTally:
    unstarted: int
    started: int


def assignment_tally(profile: JurorProfile) -> AssignmentTally:
    """The juror's assignments in every round of the edition: without a score sheet (freed if
    the juror is removed) and with one (kept)."""
    total, started = db.session.execute(
        select(func.count(Assignment.id), func.count(ScoreSheet.id)).select_from(Assignment)
        .join(Round, Round.id == Assignment.round_id)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Round.edition_id == profile.edition_id, Assignment.juror_id == profile.user_id)
    ).one()
    return AssignmentTally(total - started, started)


# --- invite and edit ------------------------------------------------------------------------


class Keep(Enum):
    """A juror detail left as it is."""

    KEEP = "keep"


KEEP = Keep.KEEP


class Outcome(StrEnum):
    INVITED = "invited"        # a new juror of the edition: invitation mailed
    REINVITED = "reinvited"    # was withdrawn or removed: back on the jury, invitation mailed
    UPDATED = "updated"        # already on the jury: details changed, no mail
    UNCHANGED = "unchanged"    # already on the jury with these details: nothing done


@dataclass(frozen=True)
class InviteResult:
    outcome: Outcome
    profile: JurorProfile
    changed: list[str] = field(default_factory=list)


def _checked(edition_id: int, organisation: str | Keep, expertise: Sequence[Category] | Keep,
             capacity: int | None | Keep) -> None:
    if not isinstance(organisation, Keep) and len(organisation.strip()) > 200:
        raise InvalidJurorDetails(field="organisation")
    if not isinstance(capacity, Keep) and capacity is not None and not (
            0 <= capacity <= MAX_CAPACITY):
        raise InvalidJurorDetails(field="capacity")
    if not isinstance(expertise, Keep) and any(c.edition_id != edition_id for c in expertise):
        raise InvalidJurorDetails(field="expertise")


def _apply(profile: JurorProfile, organisation: str | Keep, expertise: Sequence[Category] | Keep,
           capacity: int | None | Keep) -> list[str]:
    """Set the given details; the names of those that changed."""
    changed = []
    if not isinstance(organisation, Keep) and organisation.strip() != profile.organisation:
        profile.organisation = organisation.strip()
        profile.organisation_key = normalise_organisation(profile.organisation)
        changed.append("organisation")
    if not isinstance(expertise, Keep) and ({c.id for c in expertise}
                                            != {c.id for c in profile.expertise}):
        profile.expertise = sorted(set(expertise), key=lambda c: (c.position, c.id))
        changed.append("expertise")
    if not isinstance(capacity, Keep) and capacity != profile.capacity:
        profile.capacity = capacity
        changed.append("capacity")
    return changed


def _details(profile: JurorProfile, changed: list[str]) -> dict[str, Any]:
    values = {"organisation": profile.organisation, "capacity": profile.capacity,
              "expertise": sorted(c.id for c in profile.expertise)}
    return {name: values[name] for name in changed}


def update_juror(profile: JurorProfile, *, actor: User, organisation: str | Keep = KEEP,
                 expertise: Sequence[Category] | Keep = KEEP,
                 capacity: int | None | Keep = KEEP) -> list[str]:
    """Change a juror's organisation (its normalised key follows), expertise (categories of the
    juror's edition) and capacity (None = the balanced default). Details passed as KEEP stay.

    Returns the names of the details that changed; audited as juror.updated when any did.
    Raises InvalidJurorDetails(field=...) for a capacity outside 0..MAX_CAPACITY, an
    organisation over 200 characters or a category of another edition (nothing changes).
    """
    _checked(profile.edition_id, organisation, expertise, capacity)
    changed = _apply(profile, organisation, expertise, capacity)
    if changed:
        audit.record("juror.updated", actor=actor, edition=profile.edition, obj=profile,
                     juror_id=profile.user_id, changed=changed, **_details(profile, changed))
    return changed


def _profile_of(edition: Edition, user: User) -> JurorProfile | None:
    return db.session.scalar(select(JurorProfile).filter_by(edition_id=edition.id,
                                                            user_id=user.id))


def _drop_pending_invitations(profile: JurorProfile) -> None:
    """Unused juror invitation links of this juror for this edition stop working."""
    db.session.execute(delete(AccountToken).where(
        AccountToken.purpose == TokenPurpose.INVITATION, AccountToken.used_at.is_(None),
        AccountToken.user_id == profile.user_id, AccountToken.edition_id == profile.edition_id,
        AccountToken.role == Role.JUROR))


def _send_invitation(profile: JurorProfile, *, actor: User) -> None:
    """A fresh link replaces the pending ones; accounts.invite mails it and audits it."""
    _drop_pending_invitations(profile)
    user = profile.user
    accounts.invite(profile.edition, email=user.email, full_name=user.full_name,
                    role=Role.JUROR, language=str(user.language), actor=actor)
    profile.invited_at = utcnow()


def _reinstate(profile: JurorProfile, *, actor: User) -> None:
    profile.withdrawn_at = None
    profile.accepted_at = None  # they accept the new invitation again
    audit.record("juror.reinvited", actor=actor, edition=profile.edition, obj=profile,
                 juror_id=profile.user_id)


def invite_juror(edition: Edition, *, email: str, full_name: str, actor: User,
                 language: str = Language.FR, organisation: str | Keep = KEEP,
                 expertise: Sequence[Category] | Keep = KEEP,
                 capacity: int | None | Keep = KEEP) -> InviteResult:
    """Put the person with `email` on the jury of `edition`.

    - Not a juror of the edition yet: an account is prepared if needed (`full_name` and
      `language` apply to a new account only) and the invitation is mailed in the account's
      language (accounts.invite, audited as invitation.sent) -> INVITED.
    - Withdrawn or removed earlier: back on the jury, to accept again, invitation mailed,
      audited as juror.reinvited -> REINVITED.
    - Already on the jury: no mail; the given details are applied (update_juror) -> UPDATED or
      UNCHANGED. The account's name and language are never changed here.

    The details are those of update_juror (KEEP leaves them, a new profile starts empty).
    Raises InvalidJurorDetails before anything changes. The address must be valid (forms and
    import_jurors check it).
    """
    _checked(edition.id, organisation, expertise, capacity)
    user = accounts.find_user(email)
    profile = _profile_of(edition, user) if user is not None else None
    if profile is not None and profile.withdrawn_at is None:
        changed = update_juror(profile, actor=actor, organisation=organisation,
                               expertise=expertise, capacity=capacity)
        return InviteResult(Outcome.UPDATED if changed else Outcome.UNCHANGED, profile, changed)
    if profile is not None:
        _reinstate(profile, actor=actor)
        _apply(profile, organisation, expertise, capacity)
        _send_invitation(profile, actor=actor)
        return InviteResult(Outcome.REINVITED, profile)
    user = accounts.invite(edition, email=email, full_name=full_name, role=Role.JUROR,
                           language=str(language), actor=actor)
    profile = _profile_of(edition, user)
    assert profile is not None  # accounts.invite created it
    _apply(profile, organisation, expertise, capacity)
    return InviteResult(Outcome.INVITED, profile)


def resend_invitation(profile: JurorProfile, *, actor: User) -> None:
    """Mail the juror a new invitation link (the pending ones stop working), in their language;
    audited (invitation.sent). A removed juror is put back on the jury first (juror.reinvited).

    Raises InvitationAccepted when the juror has accepted and is still on the jury.
    """
    if profile.withdrawn_at is not None:
        _reinstate(profile, actor=actor)
    elif profile.accepted_at is not None:
        raise InvitationAccepted()
    _send_invitation(profile, actor=actor)


# --- remove ---------------------------------------------------------------------------------


def free_unstarted_assignments(profile: JurorProfile, *, actor: User | None) -> int:
    """Delete the juror's assignments that have no score sheet yet, in every round of the
    profile's edition (published or not, pinned or not): those slots are free again and the
    dossiers fall below k, for the assignment page to re-solve. Assignments with a sheet (draft,
    submitted or voided) are kept. Returns how many were freed; audited as assignments.freed
    when there were any. Raises nothing."""
    freed = db.session.execute(
        select(Assignment.id, Round.number, Dossier.reference)
        .join(Round, Round.id == Assignment.round_id)
        .join(Dossier, Dossier.id == Assignment.dossier_id)
        .where(Round.edition_id == profile.edition_id, Assignment.juror_id == profile.user_id,
               ~exists().where(ScoreSheet.assignment_id == Assignment.id))
        .order_by(Round.number, Dossier.reference)).all()
    if not freed:
        return 0
    db.session.execute(delete(Assignment).where(Assignment.id.in_([a for a, _, _ in freed])),
                       execution_options={"synchronize_session": "fetch"})
    audit.record("assignments.freed", actor=actor, edition=profile.edition, obj=profile,
                 juror_id=profile.user_id, count=len(freed),
                 pairs=[[number, reference] for _, number, reference in freed])
    return len(freed)


def remove_juror(profile: JurorProfile, *, actor: User, notify: bool = True,
                 now: datetime | None = None) -> int:
    """Take the juror off the jury: withdrawn_at is set, pending invitation links stop working,
    unstarted assignments are freed (free_unstarted_assignments), started sheets stay. The
    juror is told by e-mail in their language when `notify`. Audited as juror.removed with the
    freed count, which is returned. Raises JurorWithdrawn if already off the jury. The juror can
    be invited again (invite_juror or resend_invitation)."""
    if profile.withdrawn_at is not None:
        raise JurorWithdrawn()
    profile.withdrawn_at = now or utcnow()
    _drop_pending_invitations(profile)
    freed = free_unstarted_assignments(profile, actor=actor)
    audit.record("juror.removed", actor=actor, edition=profile.edition, obj=profile,
                 juror_id=profile.user_id, freed=freed, notified=notify)
    if notify:
        mail.queue_for(profile.user, "juror_removed", edition=profile.edition)
    return freed


# --- import ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    invited: int = 0
    reinvited: int = 0
    updated: int = 0
    unchanged: int = 0
    #: header cells that are no known column, left aside
    ignored_columns: list[str] = field(default_factory=list)


def import_jurors(edition: Edition, text: str, *, actor: User,
                  default_language: Language = Language.FR) -> ImportReport:
    """Invite or update every juror of a CSV text (jurors_csv.parse_jurors_csv: header row,
    e-mail required, name required for an address without an account, organisation, expertise,
    capacity, language; comma or semicolon separated).

    All lines are checked first: on any problem nothing changes and ImportRejected lists the
    problems by line. Otherwise each line goes through invite_juror (the details whose column
    is absent stay as they are for jurors already on the jury) and the report counts the
    outcomes; audited once as jurors.imported, plus each invitation.
    """
    parsed = parse_jurors_csv(text, edition.categories, default_language=default_language)
    errors = list(parsed.errors)
    emails = [row.email for row in parsed.rows]
    known = set(db.session.scalars(select(User.email).where(User.email.in_(emails)))) \
        if emails else set()
    errors += [LineError(row.line, "name_required", row.email) for row in parsed.rows
               if row.email not in known and not row.full_name]
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.line))
    tally = dict.fromkeys(Outcome, 0)
    for row in parsed.rows:
        result = invite_juror(
            edition, email=row.email, full_name=row.full_name, language=row.language,
            actor=actor,
            organisation=row.organisation if "organisation" in row.columns else KEEP,
            expertise=row.expertise if "expertise" in row.columns else KEEP,
            capacity=row.capacity if "capacity" in row.columns else KEEP)
        tally[result.outcome] += 1
    report = ImportReport(tally[Outcome.INVITED], tally[Outcome.REINVITED],
                          tally[Outcome.UPDATED], tally[Outcome.UNCHANGED], parsed.ignored)
    audit.record("jurors.imported", actor=actor, edition=edition, rows=len(parsed.rows),
                 invited=report.invited, reinvited=report.reinvited, updated=report.updated,
                 unchanged=report.unchanged)
    return report


