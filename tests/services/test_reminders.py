"""Reminders to jurors with unfinished score sheets: the automatic windows before a round's
deadline (send_due), the organizer's "remind now" (send_now), who counts as unfinished, the
e-mail, the audit and the query count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.factories import add_role, make_dossier, make_edition, make_user
from tests.helpers import count, fr, frn, messages
from trophies.domain.vocabulary import (
    ConflictSource,
    ConflictStatus,
    DossierStatus,
    Language,
    Phase,
    Role,
    SheetStatus,
)
from trophies.models import (
    Assignment,
    AuditEvent,
    Conflict,
    Dossier,
    Edition,
    JurorProfile,
    OutboxMessage,
    Reminder,
    Round,
    ScoreSheet,
    User,
    db,
)
from trophies.services import reminders
from trophies.services.scoring import ScoringClosed

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
DEADLINE = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)


@dataclass
class World:
    edition: Edition
    round: Round
    organizer: User
    jurors: list[User]
    dossiers: list[Dossier]


def build(jurors: int = 3, dossiers: int = 2, *, reminder_days: int = 7,
          deadline: datetime | None = DEADLINE, slug: str | None = None) -> World:
    """A judging edition whose round ends at `deadline`; every juror has every dossier,
    published, and no sheet yet."""
    edition = make_edition(slug, phase=Phase.JUDGING)
    edition.reminder_days = reminder_days
    round_ = edition.rounds[0]
    round_.ends_at = deadline
    organizer = make_user()
    add_role(organizer, edition, Role.ORGANIZER)
    candidate = make_user()
    folders = [make_dossier(edition, candidate) for _ in range(dossiers)]
    people = []
    for _ in range(jurors):
        juror = make_user()
        add_role(juror, edition, Role.JUROR)
        people.append(juror)
        for dossier in folders:
            db.session.add(Assignment(round_id=round_.id, dossier_id=dossier.id,
                                      juror_id=juror.id, published_at=NOW - timedelta(days=20)))
    db.session.flush()
    return World(edition, round_, organizer, people, folders)


def assignment(world: World, juror: User, dossier: Dossier) -> Assignment:
    return db.session.scalar(select(Assignment).where(
        Assignment.round_id == world.round.id, Assignment.juror_id == juror.id,
        Assignment.dossier_id == dossier.id))


def add_sheet(world: World, juror: User, dossier: Dossier, status: SheetStatus) -> None:
    db.session.add(ScoreSheet(assignment_id=assignment(world, juror, dossier).id, status=status,
                              submitted_at=NOW if status is SheetStatus.SUBMITTED else None))
    db.session.flush()


def due(days: float = 0, hours: float = 0, **kwargs) -> list[reminders.SentReminder]:
    """send_due as if it were the deadline minus `days` and `hours`."""
    return reminders.send_due(now=DEADLINE - timedelta(days=days, hours=hours), **kwargs)


def keys() -> list[tuple[int, str]]:
    return sorted(db.session.execute(select(Reminder.juror_id, Reminder.key)).all())


def reminder_events() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "reminders.sent").order_by(AuditEvent.id)))


def plural(msgid: str, plural_msgid: str, num: int, language: str, **values) -> str:
    """The text of a plural message as the mail shows it: the French catalog's, or the
    English text while the catalog does not have it yet."""
    if language == "fr":
        try:
            return frn(msgid, num, **values)
        except KeyError:
            pass
    return (msgid if num == 1 else plural_msgid) % {"num": num, **values}


# --- the automatic windows ------------------------------------------------------------------


def test_eight_days_before_a_seven_day_reminder_nothing_is_sent(app):
    build()
    assert due(days=8) == []
    assert count(Reminder) == 0 and count(OutboxMessage) == 0 and reminder_events() == []


def test_six_days_before_every_juror_with_unfinished_sheets_gets_the_seven_day_reminder(app):
    world = build()
    sent = due(days=6)
    assert sorted((s.juror_id, s.key, s.pending) for s in sent) == [
        (j.id, "before-7d", 2) for j in world.jurors]
    db.session.commit()
    assert keys() == [(j.id, "before-7d") for j in world.jurors]
    assert {m.recipient for m in messages(template="reminder")} == {
        j.email for j in world.jurors}
    rows = db.session.scalars(select(Reminder)).all()
    assert all(r.pending == 2 and r.sent_by_id is None for r in rows)
    assert {r.sent_at.replace(tzinfo=UTC) if r.sent_at.tzinfo is None else r.sent_at
            for r in rows} == {DEADLINE - timedelta(days=6)}


def test_twelve_hours_before_the_deadline_the_last_day_reminder_goes_as_well(app):
    world = build()
    due(days=6)
    sent = due(hours=12)
    assert {(s.juror_id, s.key) for s in sent} == {(j.id, "before-1d") for j in world.jurors}
    assert len(keys()) == 6
    assert count(OutboxMessage) == 6


def test_running_the_reminders_again_never_sends_the_same_one_twice(app):
    build()
    assert len(due(days=6)) == 3
    assert due(days=6) == []
    assert due(days=5) == []  # still inside the early window: already reminded
    assert len(due(hours=20)) == 3
    assert due(hours=2) == []
    assert count(Reminder) == 6 and count(OutboxMessage) == 6
    assert len(reminder_events()) == 2


def test_a_missed_early_window_sends_only_the_last_day_reminder(app):
    world = build()
    sent = due(hours=12)
    assert {(s.juror_id, s.key) for s in sent} == {(j.id, "before-1d") for j in world.jurors}
    assert due(hours=11) == []
    assert {key for _, key in keys()} == {"before-1d"}


def test_an_early_reminder_goes_once_per_round_even_when_the_setting_changes(app):
    world = build()
    due(days=6)
    world.edition.reminder_days = 5
    assert due(days=4) == []
    assert {key for _, key in keys()} == {"before-7d"}


@pytest.mark.parametrize("days", [0, 1])
def test_without_an_early_reminder_only_the_day_before_counts(app, days):
    build(reminder_days=days)
    assert due(days=3) == [] and due(days=1, hours=1) == []
    assert {s.key for s in due(hours=23)} == {"before-1d"}


def test_the_round_deadline_falls_back_to_the_editions_judging_deadline(app):
    world = build(deadline=None)
    world.edition.judging_deadline_at = DEADLINE
    assert {s.key for s in due(days=6)} == {"before-7d"}


def test_a_round_without_deadline_or_past_it_gets_no_reminder(app):
    world = build(deadline=None)
    assert due(hours=1) == []
    world.round.ends_at = DEADLINE
    assert due(hours=-1) == []  # an hour after the deadline
    assert count(Reminder) == 0


def test_a_closed_round_gets_no_reminder(app):
    world = build()
    world.round.closed_at = NOW
    assert due(days=6) == [] and due(hours=12) == []


@pytest.mark.parametrize("phase", [Phase.SCREENING, Phase.DELIBERATION, Phase.FROZEN])
def test_an_edition_that_is_not_judging_gets_no_reminder(app, phase):
    world = build()
    world.edition.phase = phase
    assert due(days=6) == [] and due(hours=12) == []


# --- who has unfinished sheets --------------------------------------------------------------


def test_only_drafts_and_missing_sheets_count_as_unfinished(app):
    world = build(jurors=3)
    done, half, drafting = world.jurors
    for dossier in world.dossiers:
        add_sheet(world, done, dossier, SheetStatus.SUBMITTED)
    add_sheet(world, half, world.dossiers[0], SheetStatus.SUBMITTED)
    add_sheet(world, drafting, world.dossiers[0], SheetStatus.DRAFT)
    sent = {s.juror_id: s.pending for s in due(days=6)}
    assert sent == {half.id: 1, drafting.id: 2}
    assert messages(to=done.email) == []


def test_withdrawn_removed_or_deactivated_jurors_are_not_reminded(app):
    world = build(jurors=4)
    withdrawn, inactive, not_member, kept = world.jurors
    db.session.scalar(select(JurorProfile).where(
        JurorProfile.user_id == withdrawn.id)).withdrawn_at = NOW
    inactive.is_active = False
    for membership in not_member.memberships:
        db.session.delete(membership)
    db.session.flush()
    assert [s.juror_id for s in due(days=6)] == [kept.id]


def test_confirmed_conflicts_unpublished_pairs_and_hidden_dossiers_do_not_count(app):
    world = build(jurors=3, dossiers=3)
    conflicted, suggested, other = world.jurors
    first, second, third = world.dossiers
    for juror, dossier, status in ((conflicted, first, ConflictStatus.CONFIRMED),
                                   (conflicted, second, ConflictStatus.CONFIRMED),
                                   (suggested, first, ConflictStatus.SUGGESTED)):
        db.session.add(Conflict(edition_id=world.edition.id, juror_id=juror.id,
                                dossier_id=dossier.id, source=ConflictSource.DECLARED,
                                status=status))
    third.status = DossierStatus.WITHDRAWN
    assignment(world, other, second).published_at = None
    db.session.flush()
    sent = {s.juror_id: s.pending for s in due(days=6)}
    assert sent == {suggested.id: 2, other.id: 1}
    assert reminders.pending_by_juror(world.round) == sent


def test_a_juror_with_every_sheet_in_conflict_is_not_reminded(app):
    world = build(jurors=1, dossiers=1)
    db.session.add(Conflict(edition_id=world.edition.id, juror_id=world.jurors[0].id,
                            dossier_id=world.dossiers[0].id, source=ConflictSource.DECLARED,
                            status=ConflictStatus.CONFIRMED))
    db.session.flush()
    assert due(hours=12) == []


# --- dry run, audit --------------------------------------------------------------------------


def test_a_dry_run_says_what_would_be_sent_and_writes_nothing(app):
    world = build()
    sent = due(days=6, dry_run=True)
    assert sorted(s.juror_id for s in sent) == sorted(j.id for j in world.jurors)
    assert {s.email for s in sent} == {j.email for j in world.jurors}
    assert {(s.key, s.pending, s.deadline, s.edition_slug, s.round_number) for s in sent} == {
        ("before-7d", 2, DEADLINE, world.edition.slug, 1)}
    db.session.flush()
    assert count(Reminder) == 0 and count(OutboxMessage) == 0 and reminder_events() == []
    assert len(due(days=6)) == 3  # and the real run still sends them


def test_each_round_s_automatic_reminders_are_audited_once(app):
    world = build()
    due(days=6)
    (event,) = reminder_events()
    assert event.actor_id is None and event.edition_id == world.edition.id
    assert event.object_type == "rounds" and event.object_id == world.round.id
    assert event.data["kind"] == "automatic" and event.data["key"] == "before-7d"
    assert event.data["count"] == 3
    assert sorted(event.data["juror_ids"]) == sorted(j.id for j in world.jurors)


# --- the e-mail ------------------------------------------------------------------------------


def test_the_reminder_is_written_in_the_jurors_language_and_time_zone(app):
    world = build(jurors=2, dossiers=2)
    french, english = world.jurors
    english.language, english.timezone = Language.EN, "America/New_York"
    add_sheet(world, english, world.dossiers[0], SheetStatus.DRAFT)
    add_sheet(world, english, world.dossiers[1], SheetStatus.SUBMITTED)
    due(days=6)
    (fr_mail,) = messages(to=french.email)
    (en_mail,) = messages(to=english.email)
    assert fr_mail.language == Language.FR and en_mail.language == Language.EN
    edition = world.edition
    assert en_mail.subject.startswith(plural(
        "Reminder: %(num)d application still to evaluate for %(edition)s",
        "Reminder: %(num)d applications still to evaluate for %(edition)s", 1, "en",
        edition=edition.name_en))
    assert fr_mail.subject.startswith(plural(
        "Reminder: %(num)d application still to evaluate for %(edition)s",
        "Reminder: %(num)d applications still to evaluate for %(edition)s", 2, "fr",
        edition=edition.name_fr))
    assert "Hello " + english.full_name + "," in en_mail.body_text
    assert fr("Hello %(name)s,", name=french.full_name) in fr_mail.body_text
    assert plural(
        "You still have %(num)d application to evaluate in the round “%(round)s” of "
        "%(edition)s.",
        "You still have %(num)d applications to evaluate in the round “%(round)s” of "
        "%(edition)s.", 1, "en", round="Pre-selection", edition=edition.name_en
    ) in en_mail.body_text
    assert plural(
        "You still have %(num)d application to evaluate in the round “%(round)s” of "
        "%(edition)s.",
        "You still have %(num)d applications to evaluate in the round “%(round)s” of "
        "%(edition)s.", 2, "fr", round="Pré-sélection", edition=edition.name_fr
    ) in fr_mail.body_text
    # 17:00 UTC is noon in New York (EST) and 18:00 in Paris (CET)
    assert "November 30, 2026" in en_mail.body_text and "(America/New_York)" in en_mail.body_text
    assert "12:00" in en_mail.body_text and "17:00" not in en_mail.body_text
    assert fr("%(date)s at %(time)s", date="30 novembre 2026", time="18:00") + \
        " (Europe/Paris)" in fr_mail.body_text
    for message in (fr_mail, en_mail):
        assert f"http://trophies.test/jury/{edition.slug}/" in message.body_text
        assert message.template == "reminder" and message.edition_id == edition.id


def test_the_reminder_never_names_an_application(app):
    world = build(jurors=1, dossiers=2)
    due(days=6)
    (message,) = messages(template="reminder")
    for dossier in world.dossiers:
        for name in (dossier.reference, dossier.company_name, dossier.project_title):
            assert name not in message.subject and name not in message.body_text


# --- the organizer's "remind now" -----------------------------------------------------------


def test_remind_now_e_mails_every_juror_with_unfinished_sheets_once_a_minute(app):
    world = build(jurors=3)
    for dossier in world.dossiers:
        add_sheet(world, world.jurors[0], dossier, SheetStatus.SUBMITTED)
    assert reminders.send_now(world.round, actor=world.organizer, now=NOW) == 2
    assert reminders.send_now(world.round, actor=world.organizer,
                              now=NOW + timedelta(seconds=40)) == 0  # a double click
    rows = db.session.scalars(select(Reminder)).all()
    assert {(r.juror_id, r.key, r.sent_by_id) for r in rows} == {
        (j.id, "manual-202611200900", world.organizer.id) for j in world.jurors[1:]}
    assert count(OutboxMessage) == 2
    (event,) = reminder_events()
    assert event.actor_id == world.organizer.id and event.data["kind"] == "manual"
    assert event.data["count"] == 2
    assert sorted(event.data["juror_ids"]) == sorted(j.id for j in world.jurors[1:])
    assert reminders.send_now(world.round, actor=world.organizer,
                              now=NOW + timedelta(minutes=1)) == 2
    assert count(OutboxMessage) == 4


def test_remind_now_can_target_one_juror_and_sends_nothing_when_they_are_done(app):
    world = build(jurors=3)
    target, done, _ = world.jurors
    for dossier in world.dossiers:
        add_sheet(world, done, dossier, SheetStatus.SUBMITTED)
    assert reminders.send_now(world.round, actor=world.organizer, juror_id=target.id,
                              now=NOW) == 1
    assert [m.recipient for m in messages(template="reminder")] == [target.email]
    assert reminders.send_now(world.round, actor=world.organizer, juror_id=done.id,
                              now=NOW + timedelta(minutes=5)) == 0
    assert count(OutboxMessage) == 1 and len(reminder_events()) == 1


def test_remind_now_is_refused_when_the_round_is_not_open_for_scoring(app):
    world = build()
    world.round.closed_at = NOW
    with pytest.raises(ScoringClosed):
        reminders.send_now(world.round, actor=world.organizer, now=NOW)
    world.round.closed_at = None
    world.edition.phase = Phase.DELIBERATION
    with pytest.raises(ScoringClosed):
        reminders.send_now(world.round, actor=world.organizer, now=NOW)
    assert count(Reminder) == 0 and count(OutboxMessage) == 0


def test_remind_now_works_without_a_deadline(app):
    world = build(jurors=1, deadline=None)
    assert reminders.send_now(world.round, actor=world.organizer, now=NOW) == 1
    (message,) = messages(template="reminder")
    assert "2026" not in message.body_text  # no deadline sentence


def test_last_reminders_gives_each_juror_s_latest_reminder(app):
    world = build(jurors=3)
    first, second, never = world.jurors
    for dossier in world.dossiers:
        add_sheet(world, never, dossier, SheetStatus.SUBMITTED)
    due(days=6)
    reminders.send_now(world.round, actor=world.organizer, juror_id=second.id,
                       now=DEADLINE - timedelta(days=2))
    db.session.commit()
    assert reminders.last_reminders(world.round) == {
        first.id: DEADLINE - timedelta(days=6), second.id: DEADLINE - timedelta(days=2)}


def test_the_unique_key_is_the_last_line_of_defence(app):
    from sqlalchemy.exc import IntegrityError

    world = build(jurors=1)
    due(days=6)
    db.session.commit()
    db.session.add(Reminder(round_id=world.round.id, juror_id=world.jurors[0].id,
                            key="before-7d", pending=1))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# --- queries ---------------------------------------------------------------------------------


def selects(counter) -> int:
    # Reads only: each reminder and e-mail is one row to insert (batched where the driver can).
    return sum(1 for s in counter.statements if s.lstrip().upper().startswith("SELECT"))


def test_reminders_read_with_a_constant_number_of_queries(app, count_queries):
    statements = []
    for size, slug in ((3, "petit"), (12, "grand")):
        world = build(jurors=size, slug=slug)
        db.session.commit()
        with count_queries() as counter:
            assert len(due(days=6)) == size
        statements.append(selects(counter))
        with count_queries() as counter:
            assert reminders.send_now(world.round, actor=world.organizer, now=NOW) == size
        statements.append(selects(counter))
        world.round.closed_at = NOW  # out of the next run
        db.session.commit()
    assert statements[0] == statements[2] and statements[1] == statements[3]
