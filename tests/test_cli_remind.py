"""CLI: `flask trophies remind [--now ISO8601] [--dry-run] [--json]` (run from cron)."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.helpers import count, messages
from tests.services.test_reminders import DEADLINE, build
from trophies.models import AuditEvent, OutboxMessage, Reminder, db


def iso(delta: timedelta) -> str:
    return (DEADLINE - delta).isoformat()


def test_remind_sends_the_due_reminders_prints_them_and_commits(runner):
    world = build(jurors=2, slug="rappels")
    db.session.commit()
    result = runner.invoke(args=["trophies", "remind", "--now", iso(timedelta(days=6))])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    for juror in world.jurors:
        assert any(juror.email in line and "rappels" in line and "round 1" in line
                   and "before-7d" in line and "2 pending" in line for line in lines)
    assert lines[-1] == "2 reminders sent"
    db.session.expire_all()
    assert count(Reminder) == 2 and len(messages(template="reminder")) == 2
    again = runner.invoke(args=["trophies", "remind", "--now", iso(timedelta(days=5))])
    assert again.exit_code == 0 and again.output.strip() == "0 reminders sent"


def test_remind_reads_a_naive_now_as_utc(runner):
    build(jurors=1)
    db.session.commit()
    # 23h30 before the deadline in UTC; read as Paris time it would be 24h30: early window
    naive = (DEADLINE - timedelta(hours=23, minutes=30)).replace(tzinfo=None).isoformat()
    result = runner.invoke(args=["trophies", "remind", "--now", naive, "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [r["key"] for r in document["reminders"]] == ["before-1d"]


def test_remind_dry_run_lists_what_would_go_and_writes_nothing(runner):
    world = build(jurors=3)
    db.session.commit()
    result = runner.invoke(args=["trophies", "remind", "--now", iso(timedelta(hours=12)),
                                 "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == \
        "3 reminders would be sent (dry run: nothing written)"
    assert all(j.email in result.output for j in world.jurors)
    db.session.expire_all()
    assert count(Reminder) == 0 and count(OutboxMessage) == 0 and count(AuditEvent) == 0


def test_remind_json_lists_every_reminder_and_the_total(runner):
    world = build(jurors=2, slug="rappels-json")
    db.session.commit()
    now = iso(timedelta(hours=12))
    result = runner.invoke(args=["trophies", "remind", "--now", now, "--json", "--dry-run"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["total"] == 2 and document["dry_run"] is True
    assert document["now"] == now
    assert sorted(document["reminders"], key=lambda r: r["juror_id"]) == [
        {"edition": "rappels-json", "round": 1, "round_name": "Pré-sélection",
         "juror_id": j.id, "email": j.email, "key": "before-1d", "pending": 2,
         "deadline": DEADLINE.isoformat()} for j in sorted(world.jurors, key=lambda u: u.id)]


def test_remind_refuses_a_date_that_is_not_iso_8601(runner):
    result = runner.invoke(args=["trophies", "remind", "--now", "tomorrow"])
    assert result.exit_code == 2
    assert "ISO 8601" in result.output
