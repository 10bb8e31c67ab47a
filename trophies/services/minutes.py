"""Results stage, the deliberation meeting: what only the organizer knows and the procès-verbal
prints (date, place, chair, jurors present, notes). Imports models, the domain and the audit
service; flushes, never commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from trophies.domain.errors import DomainError
from trophies.domain.text import fold
from trophies.domain.vocabulary import Role
from trophies.models import DeliberationMinutes, Edition, JurorProfile, Membership, User, db
from trophies.services import audit

MAX_PLACE = 200
MAX_CHAIR = 200
MAX_NOTES = 5000


class InvalidMinutes(DomainError):
    """A value the organizer typed is refused; `field` (in details) names it."""

    code = "invalid_minutes"


@dataclass(frozen=True)
class MinutesInput:
    held_on: date | None = None
    place: str = ""
    chair_name: str = ""
    attendee_ids: frozenset[int] = field(default_factory=frozenset)
    notes: str = ""


def _row(edition: Edition) -> DeliberationMinutes | None:
    return db.session.scalar(select(DeliberationMinutes)
                             .where(DeliberationMinutes.edition_id == edition.id))


def inputs_of(edition: Edition) -> MinutesInput:
    """The organizer's inputs for the edition's minutes; empty values when never saved."""
    row = _row(edition)
    if row is None:
        return MinutesInput()
    return MinutesInput(row.held_on, row.place or "", row.chair_name or "",
                        frozenset(int(i) for i in row.attendee_ids or ()), row.notes or "")


def _by_name(users: list[User]) -> list[User]:
    return sorted(users, key=lambda u: (fold(u.full_name), u.full_name, u.id))


def _members(edition: Edition, *, withdrawn: bool) -> list[User]:
    """Users holding the edition's JUROR membership whose profile is (not) withdrawn; a
    membership without profile counts as active (as in services.editions.roles_by_edition)."""
    profile_joined = select(User).join(Membership, Membership.user_id == User.id).outerjoin(
        JurorProfile, (JurorProfile.user_id == User.id)
        & (JurorProfile.edition_id == edition.id))
    condition = (JurorProfile.withdrawn_at.is_not(None) if withdrawn
                 else JurorProfile.withdrawn_at.is_(None))
    return _by_name(list(db.session.scalars(profile_joined.where(
        Membership.edition_id == edition.id, Membership.role == Role.JUROR, condition))))


def jurors_of(edition: Edition) -> list[User]:
    """The edition's jury, by name: users who accepted the JUROR role of the edition (their
    membership) and have not withdrawn nor been removed. Invited jurors who never accepted are
    not members of the jury; withdrawn ones cannot attend (see `withdrawn_jurors_of`)."""
    return _members(edition, withdrawn=False)


def withdrawn_jurors_of(edition: Edition) -> list[User]:
    """Jurors who accepted, then withdrew or were removed, by name (the minutes name them
    apart: they neither attend nor count as absent)."""
    return _members(edition, withdrawn=True)


def _clean(data: MinutesInput, jurors: set[int]) -> MinutesInput:
    if data.held_on is not None and (isinstance(data.held_on, datetime)
                                     or not isinstance(data.held_on, date)):
        raise InvalidMinutes(_("Enter the date of the meeting as a date."), field="held_on")
    place, chair, notes = data.place.strip(), data.chair_name.strip(), data.notes.strip()
    if len(place) > MAX_PLACE:
        raise InvalidMinutes(_("The place is limited to %(num)d characters.", num=MAX_PLACE),
                             field="place")
    if len(chair) > MAX_CHAIR:
        raise InvalidMinutes(_("The chair’s name is limited to %(num)d characters.",
                               num=MAX_CHAIR), field="chair_name")
    if len(notes) > MAX_NOTES:
        raise InvalidMinutes(_("The notes are limited to %(num)d characters.", num=MAX_NOTES),
                             field="notes")
    attendees = frozenset(int(i) for i in data.attendee_ids)
    if not attendees <= jurors:
        raise InvalidMinutes(_("Only members of the edition’s jury can be ticked as present."),
                             field="attendee_ids", unknown=sorted(attendees - jurors))
    return MinutesInput(data.held_on, place, chair, attendees, notes)


def save_inputs(edition: Edition, data: MinutesInput, *, actor: User) -> None:
    """Store the organizer's inputs for the minutes (any phase: the meeting's facts are not part
    of the frozen results). Text is stripped; attendees must be `jurors_of(edition)`. Audited
    as "minutes.saved" with the fields that changed (the notes by their length); nothing is
    written when nothing changed. Flushes, never commits. Raises InvalidMinutes (`field`)."""
    clean = _clean(data, {u.id for u in jurors_of(edition)})
    row = _row(edition)
    before = inputs_of(edition)
    changed: dict[str, Any] = {}
    if clean.held_on != before.held_on:
        changed["held_on"] = clean.held_on.isoformat() if clean.held_on else None
    if clean.place != before.place:
        changed["place"] = clean.place
    if clean.chair_name != before.chair_name:
        changed["chair_name"] = clean.chair_name
    if clean.attendee_ids != before.attendee_ids:
        changed["attendee_ids"] = sorted(clean.attendee_ids)
    if clean.notes != before.notes:
        changed["notes_length"] = len(clean.notes)
    if not changed and row is not None:
        return
    if row is None:
        row = DeliberationMinutes(edition_id=edition.id)
        db.session.add(row)
    row.held_on = clean.held_on
    row.place = clean.place
    row.chair_name = clean.chair_name
    row.attendee_ids = sorted(clean.attendee_ids)
    row.notes = clean.notes
    row.updated_by_id = actor.id
    db.session.flush()
    audit.record("minutes.saved", actor=actor, edition=edition, obj=row,
                 changed=sorted(k.removesuffix("_length") for k in changed), **changed)
