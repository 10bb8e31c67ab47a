"""Organizers assign a round on one page: preview, run (infeasible explained, nothing changed),
adjust by hand, publish, CSV export and import; other editions' organizers get 404."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from sqlalchemy import select

from tests.factories import add_role, make_user
from tests.helpers import count, fr, frn, messages, text
from tests.services.test_assignment_service import (
    add_juror,
    build_round,
    confirm_conflict,
    pairs_of,
)
from trophies.domain.vocabulary import AssignmentSource, Phase, Role
from trophies.models import Assignment, AuditEvent, Round, ScoreSheet, db
from trophies.services import assignment as service
from trophies.services import assignment_csv


def url(jury, action: str = "") -> str:
    base = f"/admin/editions/{jury.edition.slug}/rounds/{jury.round.number}/assignment"
    return base + action


@pytest.fixture
def jury(login_as):
    built = build_round(dossiers=6, jurors=4, k=2)
    login_as(built.organizer)
    return built


def test_the_page_shows_figures_warnings_and_a_bar_per_juror_with_its_number(client, jury):
    add_juror(jury.edition, accepted=False, name="Juré en attente")
    db.session.commit()
    service.run_assignment(jury.round, seed=4, actor=None)
    db.session.commit()
    response = client.get(url(jury))
    assert response.status_code == 200
    page = text(response)
    assert page.count("<meter") == 4
    assert "3 / 3" in page  # load / capacity, ceil(2 * 6 / 4) = 3, in text beside the bar
    assert "Juré en attente" in page  # not yet accepted: reported in the warnings
    for dossier in jury.dossiers:
        assert f'id="dossier-{dossier.id}"' in page and dossier.reference in page
    run = db.session.get(Round, jury.round.id).assignment_run
    assert str(run["objective"]) in page
    assert 'name="seed"' in page and 'value="4"' in page  # the last seed is the default


def test_running_writes_the_plan_and_an_impossible_run_explains_itself_with_422(client, jury):
    response = client.post(url(jury, "/run"), data={"seed": "11"})
    assert response.status_code == 302
    assert Counter(d for d, _j in pairs_of(jury.round)) == dict.fromkeys(
        (d.id for d in jury.dossiers), 2)
    before = set(pairs_of(jury.round))
    blocked = jury.dossiers[0]
    for juror in jury.jurors[:3]:
        confirm_conflict(juror, blocked)
    db.session.commit()
    failed = client.post(url(jury, "/run"), data={"seed": "12"})
    assert failed.status_code == 422
    page = text(failed)
    assert blocked.reference in page and "conflit" in page.lower()
    assert set(pairs_of(jury.round)) == before
    bad_seed = client.post(url(jury, "/run"), data={"seed": "douze"})
    assert bad_seed.status_code == 400 and set(pairs_of(jury.round)) == before


def test_an_organizer_of_another_edition_gets_404_on_every_action(client, login_as):
    jury = build_round(dossiers=2, jurors=2, k=1)
    stranger = make_user()
    other = build_round(dossiers=1, jurors=1, k=1)
    add_role(stranger, other.edition, Role.ORGANIZER)
    db.session.commit()
    login_as(stranger)
    assert client.get(url(jury)).status_code == 404
    assert client.get(url(jury, ".csv")).status_code == 404
    for action in ("/run", "/publish", "/add", "/remove", "/swap", "/pin", "/import"):
        assert client.post(url(jury, action), data={"seed": "1"}).status_code == 404, action
    assert count(Assignment) == 0


def test_adding_refuses_a_conflict_and_warns_when_the_juror_goes_over_capacity(client, jury):
    dossier = jury.dossiers[0]
    conflicted, busy = jury.jurors[0], jury.jurors[1]
    confirm_conflict(conflicted, dossier)
    db.session.commit()
    refused = client.post(url(jury, "/add"), data={"dossier": dossier.id,
                                                   "juror": conflicted.id},
                          follow_redirects=True)
    assert "conflit d’intérêts" in text(refused)
    assert count(Assignment) == 0
    for item in jury.dossiers[:4]:  # capacity ceil(2 * 6 / 4) = 3: the 4th is one too many
        last = client.post(url(jury, "/add"), data={"dossier": item.id, "juror": busy.id},
                           follow_redirects=True)
    assert fr("Done, but the juror is now over capacity.") in text(last)
    assert count(Assignment, Assignment.juror_id == busy.id) == 4
    assert all(a.is_pinned and a.source == AssignmentSource.MANUAL
               for a in pairs_of(jury.round).values())
    duplicate = client.post(url(jury, "/add"), data={"dossier": dossier.id, "juror": busy.id},
                            follow_redirects=True)
    assert fr("This juror is already assigned to this application.") in text(duplicate)
    assert count(AuditEvent, AuditEvent.action == "assignment.added") == 4


def test_pin_remove_and_swap_change_one_pair_each_and_are_audited(client, jury):
    client.post(url(jury, "/run"), data={"seed": "1"})
    pairs = pairs_of(jury.round)
    target = min(pairs.values(), key=lambda a: a.id)
    target_id, dossier_id, juror_id = target.id, target.dossier_id, target.juror_id

    assert client.post(url(jury, "/pin"), data={"assignment": target_id,
                                               "pinned": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Assignment, target_id).is_pinned
    client.post(url(jury, "/pin"), data={"assignment": target_id, "pinned": "0"})
    db.session.expire_all()
    assert not db.session.get(Assignment, target_id).is_pinned

    on_dossier = {j for d, j in pairs if d == dossier_id}
    newcomer = next(j for j in jury.jurors if j.id not in on_dossier)
    client.post(url(jury, "/swap"), data={"assignment": target_id, "juror": newcomer.id})
    now = {j for d, j in pairs_of(jury.round) if d == dossier_id}
    assert newcomer.id in now and juror_id not in now and len(now) == 2

    started = next(a for a in pairs_of(jury.round).values() if a.dossier_id != dossier_id)
    db.session.add(ScoreSheet(assignment_id=started.id))
    db.session.commit()
    refused = client.post(url(jury, "/remove"), data={"assignment": started.id},
                          follow_redirects=True)
    assert fr("The juror has started the score sheet: the pair can no longer change.") \
        in text(refused)
    assert db.session.get(Assignment, started.id) is not None
    swapped = pairs_of(jury.round)[(dossier_id, newcomer.id)]
    client.post(url(jury, "/remove"), data={"assignment": swapped.id})
    assert (dossier_id, newcomer.id) not in pairs_of(jury.round)
    actions = Counter(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.like("assignment.%"))))
    assert actions["assignment.pinned"] == 1 and actions["assignment.unpinned"] == 1
    assert actions["assignment.swapped"] == 1 and actions["assignment.removed"] == 1
    assert client.post(url(jury, "/remove"), data={"assignment": 999999}).status_code == 404


def test_publishing_notifies_each_juror_once_and_only_in_screening_or_judging(client, jury):
    client.post(url(jury, "/run"), data={"seed": "1"})
    response = client.post(url(jury, "/publish"), follow_redirects=True)
    assert frn("%(num)d assignment published; the jurors concerned are notified.", 12) \
        in text(response)
    assert sorted(m.recipient for m in messages(template="assignments_published")) == sorted(
        j.email for j in jury.jurors)
    assert all(a.published_at for a in pairs_of(jury.round).values())
    jury.edition.phase = Phase.DELIBERATION
    db.session.commit()
    refused = client.post(url(jury, "/run"), data={"seed": "2"}, follow_redirects=True)
    assert "Les affectations ne peuvent changer" in text(refused)
    page = text(client.get(url(jury)))
    assert "Les affectations ne peuvent changer" in page and "/assignment/run" not in page


def test_the_csv_export_downloads_and_an_import_replaces_or_lists_errors_by_line(client, jury):
    client.post(url(jury, "/run"), data={"seed": "1"})
    before = assignment_csv.assignment_pairs(jury.round)
    exported = client.get(url(jury, ".csv"))
    assert exported.status_code == 200
    assert exported.headers["Content-Disposition"].startswith("attachment")
    assert exported.headers["Cache-Control"] == "no-store"
    content = exported.data
    assert content.startswith(b"\xef\xbb\xbf") and len(content.splitlines()) == 13
    imported = client.post(url(jury, "/import"), data={
        "file": (io.BytesIO(content), "assignments.csv")},
        content_type="multipart/form-data", follow_redirects=True)
    assert frn("%(num)d pair imported (not published yet).", 12) in text(imported)
    assert assignment_csv.assignment_pairs(jury.round) == before
    wrong = b"Reference,Juror e-mail\nNOPE-1," + jury.jurors[0].email.encode() + b"\n"
    rejected = client.post(url(jury, "/import"), data={
        "file": (io.BytesIO(wrong), "assignments.csv")},
        content_type="multipart/form-data")
    assert rejected.status_code == 400
    assert "Ligne 2" in text(rejected) and "NOPE-1" in text(rejected)
    assert assignment_csv.assignment_pairs(jury.round) == before


@pytest.mark.parametrize("content", [
    b"Reference,Juror e-mail\n" + b"x" * 200_000 + b",a@example.org\n",  # over csv's limit
    b"R\xe9f\xe9rence;Courriel\nT-1;a@example.org\n",  # Windows-1252, not UTF-8
], ids=["huge-cell", "not-utf8"])
def test_an_unreadable_import_file_is_refused_with_400_and_changes_nothing(
        client, jury, content):
    client.post(url(jury, "/run"), data={"seed": "1"})
    before = assignment_csv.assignment_pairs(jury.round)
    response = client.post(url(jury, "/import"), data={
        "file": (io.BytesIO(content), "assignments.csv")}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert fr("The file is not a UTF-8 CSV file.") in text(response)
    assert assignment_csv.assignment_pairs(jury.round) == before


def test_the_page_runs_a_constant_number_of_queries_whatever_the_number_of_dossiers(
        client, login_as, count_queries):
    counts = []
    for size in (10, 40):
        jury = build_round(dossiers=size, jurors=6, k=3)
        service.run_assignment(jury.round, seed=1, actor=None)
        db.session.commit()
        login_as(jury.organizer)
        with count_queries() as counter:
            response = client.get(url(jury))
        assert response.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
