"""Scoring stage: remind jurors of their unfinished score sheets, by e-mail - at once when an
organizer asks (`send_now`), or before a round's deadline from cron (`send_due`, the
`flask trophies remind` command). Imports models, the permissions' dossier statuses and the
audit, mail and scoring services; flushes, never commits.

Invariant: a juror gets a given reminder (round, key) at most once - the Reminder rows are
checked first and their unique (round, juror, key) constraint is the last line of defence.
A reminder never names a dossier: it may reach a juror who has not yet accepted the
confidentiality statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from trophies.domain.vocabulary import ConflictStatus, Phase, Role, SheetStatus
from trophies.models import (
    Assignment,
    Conflict,
    Dossier,
    Edition,
    JurorProfile,
    Membership,
    Reminder,
    Round,
    ScoreSheet,
    User,
    db,
    utcnow,
)
from trophies.permissions import NOT_FOR_JURORS
from trophies.services import audit, mail, scoring

#: The automatic reminder sent when the deadline is at most one day away.
LAST_DAY = "before-1d"
MANUAL_PREFIX = "manual-"


@dataclass(frozen=True)
class SentReminder:
    """One reminder sent (or, in a dry run, that would be sent)."""

    edition_slug: str
    round_number: int
    round_name: str
    juror_id: int
    email: str
    key: str
    pending: int
    deadline: datetime | None

    def as_dict(self) -> dict[str, object]:
        return {"edition": self.edition_slug, "round": self.round_number,
                "round_name": self.round_name, "juror_id": self.juror_id,
                "email": self.email, "key": self.key, "pending": self.pending,
                "deadline": self.deadline.isoformat() if self.deadline else None}


# --- reading --------------------------------------------------------------------------------


def pending_by_juror(round_: Round, *, juror_id: int | None = None) -> dict[int, int]:
    """{juror id: number of unfinished sheets} of the round (one aggregate query).

    Unfinished: a published assignment without a sheet or with a draft, of a dossier jurors
    may see (not in NOT_FOR_JURORS), without a confirmed conflict for the pair, of a juror who
    is active in the edition (juror membership, invitation accepted, not withdrawn, account
    active). Jurors with nothing unfinished are absent."""
    edition_id = round_.edition_id
    conflicted = select(Conflict.id).where(
        Conflict.juror_id == Assignment.juror_id, Conflict.dossier_id == Assignment.dossier_id,
        Conflict.status == ConflictStatus.CONFIRMED).exists()
    is_juror = select(Membership.id).where(
        Membership.user_id == Assignment.juror_id, Membership.edition_id == edition_id,
        Membership.role == Role.JUROR).exists()
    stmt = (
        select(Assignment.juror_id, func.count(Assignment.id))
        .join(Dossier, Dossier.id == Assignment.dossier_id)
        .join(User, User.id == Assignment.juror_id)
        .join(JurorProfile, and_(JurorProfile.user_id == Assignment.juror_id,
                                 JurorProfile.edition_id == edition_id))
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Assignment.round_id == round_.id, Assignment.published_at.is_not(None),
               or_(ScoreSheet.id.is_(None), ScoreSheet.status == SheetStatus.DRAFT),
               Dossier.status.not_in(list(NOT_FOR_JURORS)),
               JurorProfile.accepted_at.is_not(None), JurorProfile.withdrawn_at.is_(None),
               User.is_active.is_(True), is_juror, ~conflicted)
        .group_by(Assignment.juror_id)
    )
    if juror_id is not None:
        stmt = stmt.where(Assignment.juror_id == juror_id)
    return dict(db.session.execute(stmt).all())


def last_reminders(round_: Round) -> dict[int, datetime]:
    """{juror id: when they were last reminded about the round}, any kind (one query)."""
    rows = db.session.execute(
        select(Reminder.juror_id, func.max(Reminder.sent_at))
        .where(Reminder.round_id == round_.id).group_by(Reminder.juror_id)).all()
    return {juror: _aware(sent_at) for juror, sent_at in rows}


def _aware(value: datetime) -> datetime:
    # max() bypasses the column type on some back-ends: the result may come back naive (UTC).
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _already_reminded(round_: Round, key_filter, juror_ids: list[int]) -> set[int]:
    if not juror_ids:
        return set()
    return set(db.session.scalars(select(Reminder.juror_id).where(
        Reminder.round_id == round_.id, key_filter, Reminder.juror_id.in_(juror_ids))))


def _users(ids: list[int]) -> list[User]:
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)))


# --- sending --------------------------------------------------------------------------------


def _send(round_: Round, users: list[User], pending: dict[int, int], *, key: str,
          actor: User | None, now: datetime) -> list[SentReminder]:
    """Add one Reminder row and one e-mail per user (no flush: the caller flushes once)."""
    edition = round_.edition
    deadline = scoring.deadline_of(round_)
    link = mail.absolute_url("jury.edition", slug=edition.slug)
    sent = []
    for user in users:
        count = pending[user.id]
        db.session.add(Reminder(round_id=round_.id, juror_id=user.id, key=key, pending=count,
                                sent_at=now, sent_by_id=actor.id if actor else None))
        mail.queue_for(user, "reminder", edition=edition, round=round_, pending=count,
                       deadline=deadline, link=link)
        sent.append(_sent(round_, user, key, count, deadline))
    return sent


def _sent(round_: Round, user: User, key: str, count: int,
          deadline: datetime | None) -> SentReminder:
    return SentReminder(round_.edition.slug, round_.number, round_.name_fr, user.id, user.email,
                        key, count, deadline)


def _audit(round_: Round, sent: list[SentReminder], *, kind: str, key: str,
           actor: User | None) -> None:
    audit.record("reminders.sent", actor=actor, edition=round_.edition, obj=round_,
                 round=round_.number, kind=kind, key=key, count=len(sent),
                 juror_ids=[s.juror_id for s in sent])


def manual_key(now: datetime) -> str:
    """"manual-202611251430": one manual reminder per juror, round and UTC minute."""
    return MANUAL_PREFIX + now.astimezone(UTC).strftime("%Y%m%d%H%M")


def send_now(round_: Round, *, actor: User, juror_id: int | None = None,
             now: datetime | None = None) -> int:
    """E-mail now every active juror of the round who has unfinished sheets (or only
    `juror_id`, when they have some), each in their language. Returns how many were sent.

    A second call in the same UTC minute (a double click) sends nothing more: the key is
    "manual-" and the minute. Audited once (reminders.sent, kind "manual") when anything was
    sent. Raises scoring.ScoringClosed when the round's sheets cannot change anyway."""
    if not scoring.is_scoring_open(round_):
        raise scoring.ScoringClosed()
    now = now or utcnow()
    key = manual_key(now)
    pending = pending_by_juror(round_, juror_id=juror_id)
    done = _already_reminded(round_, Reminder.key == key, list(pending))
    users = _users([j for j in pending if j not in done])
    if not users:
        return 0
    sent = _send(round_, users, pending, key=key, actor=actor, now=now)
    _audit(round_, sent, kind="manual", key=key, actor=actor)
    try:
        db.session.flush()
    except IntegrityError:  # a concurrent click in the same minute got there first
        db.session.rollback()
        return 0
    return len(sent)


def due_key(edition: Edition, deadline: datetime, now: datetime) -> str | None:
    """Which automatic reminder is due `now` for a round ending at `deadline`: "before-1d"
    when at most one day remains, "before-<n>d" when at most the edition's reminder_days
    (n >= 2; 0 or 1: no early reminder) remain, None otherwise (deadline passed or far)."""
    remaining = deadline - now
    if remaining <= timedelta(0):
        return None
    if remaining <= timedelta(days=1):
        return LAST_DAY
    days = edition.reminder_days or 0
    if days >= 2 and remaining <= timedelta(days=days):
        return f"before-{days}d"
    return None


def _open_rounds() -> list[Round]:
    """Rounds open for scoring in editions that are judging, with their edition (one query)."""
    return list(db.session.scalars(
        select(Round).join(Edition, Edition.id == Round.edition_id)
        .where(Edition.phase == Phase.JUDGING, Round.closed_at.is_(None))
        .options(joinedload(Round.edition)).order_by(Edition.id, Round.number)))


def send_due(*, now: datetime | None = None, dry_run: bool = False) -> list[SentReminder]:
    """For cron: send the automatic reminders that are due (see `due_key`) in every round
    open for scoring whose deadline is ahead, to jurors with unfinished sheets who have not
    had that reminder for that round (an early reminder at most once per round, whatever
    reminder_days became since). A missed early window is not caught up: only the last-day
    reminder goes then. Running it twice sends nothing twice. Audited per round
    (reminders.sent, kind "automatic"). `dry_run`: returns what would be sent, writes
    nothing. Queries: two, then three per round with a reminder due."""
    now = now or utcnow()
    result: list[SentReminder] = []
    for round_ in _open_rounds():
        if not scoring.is_scoring_open(round_):
            continue
        deadline = scoring.deadline_of(round_)
        key = due_key(round_.edition, deadline, now) if deadline is not None else None
        if key is None:
            continue
        key_filter = (Reminder.key == LAST_DAY if key == LAST_DAY else and_(
            Reminder.key.like("before-%"), Reminder.key != LAST_DAY))
        pending = pending_by_juror(round_)
        done = _already_reminded(round_, key_filter, list(pending))
        users = _users([j for j in pending if j not in done])
        if not users:
            continue
        if dry_run:
            result.extend(_sent(round_, u, key, pending[u.id], deadline) for u in users)
            continue
        sent = _send(round_, users, pending, key=key, actor=None, now=now)
        _audit(round_, sent, kind="automatic", key=key, actor=None)
        result.extend(sent)
    if not dry_run:
        db.session.flush()
    return result
