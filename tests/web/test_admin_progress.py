"""Organizers follow a round's scoring on one page: figures per juror, application and
category with bars and their numbers, filters without JavaScript, reminders, reading and
reopening a sheet, closing and reopening the round; nobody else learns the pages exist."""

from __future__ import annotations

import re

import pytest

from tests.conftest import IsolatedClient
from tests.factories import add_role, make_user
from tests.helpers import count, csrf_token, fr, frn, location_path, messages, text, value
from tests.services.test_progress import assign, build
from trophies.domain import scoring as domain
from trophies.domain.vocabulary import Phase, Role, SheetStatus
from trophies.models import (
    Assignment,
    AuditEvent,
    Edition,
    Mark,
    Reminder,
    Round,
    ScoreSheet,
    db,
)
from trophies.services import scoring


def plural(singular: str, plural_: str, num: int) -> str:
    """frn(), or the English form while the French catalog does not have the message yet."""
    try:
        return frn(singular, num)
    except KeyError:
        return (singular if num == 1 else plural_) % {"num": num}


def url(f, action: str = "/progress") -> str:
    return f"/admin/editions/{f.edition.slug}/rounds/{f.round.number}{action}"


def sheet_of(f, dossier: str, juror: str) -> ScoreSheet:
    return db.session.scalar(db.select(ScoreSheet).join(Assignment).where(
        Assignment.dossier_id == f.dossiers[dossier].id,
        Assignment.juror_id == f.jurors[juror].id))


@pytest.fixture
def f(login_as):
    built = build()
    login_as(built.organizer)
    return built


def test_the_page_shows_totals_and_three_tables_with_bars_and_their_numbers(client, f):
    response = client.get(url(f))
    assert response.status_code == 200
    page = text(response)
    assert page.count("<caption") == 3
    assert page.count("<meter") == 1 + 4 + 4 + 2  # the round, jurors, applications, categories
    assert "4 / 7 (" + fr("%(percent)d%%", percent=57) + ")" in page
    for name in ("Alice Martin", "Bruno Petit", "Chloé Durand", "Denis Leroy"):
        assert name in page
    assert plural("Send a reminder to the %(num)d juror with unfinished sheets",
                  "Send a reminder to the %(num)d jurors with unfinished sheets", 2) in page
    assert page.count(fr("Send a reminder") + '<span class="visually-hidden">') == 2
    assert f.dossiers["d4"].reference not in page  # ineligible: out of the round
    for key in ("d1", "d2", "d3", "d5"):
        assert f'id="dossier-{f.dossiers[key].id}"' in page
    sheet = sheet_of(f, "d2", "Denis")
    assert url(f, f"/sheets/{sheet.id}") in page  # every sheet is linked
    assert fr("Withdrawn from the jury") in page
    assert 'name="confirm"' in page and "required" in page
    assert plural("%(num)d score sheet is unfinished",
                  "%(num)d score sheets are unfinished", 3) in page


def test_the_filters_work_as_a_plain_get_form(client, f):
    page = text(client.get(url(f), query_string={"status": "idle"}))
    assert '<th scope="row">Chloé Durand' in page
    assert '<th scope="row">Alice Martin' not in page  # named only among Chloé's co-jurors
    assert '<option value="idle" selected>' in page
    souverainete = f.edition.categories[1]
    page = text(client.get(url(f), query_string={"category": souverainete.id, "q": "alice"}))
    assert '<th scope="row">Alice Martin' in page
    assert '<th scope="row">Bruno Petit' not in page
    assert f'id="dossier-{f.dossiers["d3"].id}"' in page
    assert f'id="dossier-{f.dossiers["d1"].id}"' not in page
    assert fr("Show everything") in page
    assert client.get(url(f), query_string={"category": "x", "status": "?"}).status_code == 200


def test_the_page_runs_a_constant_number_of_queries(client, f, count_queries, login_as):
    from tests.services.test_progress import _grow

    big = build()
    _grow(big, 12, 6)
    login_as(big.organizer)
    counts = []
    for fixture in (f, big):
        db.session.expire_all()
        login_as(fixture.organizer)
        with count_queries() as counter:
            assert client.get(url(fixture)).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_only_the_editions_organizers_see_the_pages_and_others_get_404(client, f, login_as):
    sheet = sheet_of(f, "d1", "Alice")
    other = build()
    gets = [url(f), url(f, f"/sheets/{sheet.id}")]
    posts = ["/reminders", "/close", "/reopen", f"/sheets/{sheet.id}/reopen"]
    for person in (other.organizer, f.jurors["Alice"]):
        login_as(person)
        for path in gets:
            want = 404 if person is other.organizer else 403
            assert client.get(path).status_code == want, path
        for action in posts:
            assert client.post(url(f, action), data={"confirm": "y", "reason": "x"}
                               ).status_code in (403, 404), action
    login_as(f.organizer)
    assert client.get(url(f, f"/sheets/{sheet.id + 9999}")).status_code == 404
    assert client.get(url(other, f"/sheets/{sheet.id}")).status_code == 404  # not theirs
    assert client.get(f"/admin/editions/{f.edition.slug}/rounds/7/progress").status_code == 404
    assert value(ScoreSheet.status, sheet.id) == SheetStatus.SUBMITTED
    assert value(Round.closed_at, f.round.id) is None
    assert count(Reminder) == 0


def test_a_juror_gets_404_from_another_editions_organizer_pages(client, f, login_as):
    """An organizer of edition B who is also a juror in A still gets 404 on A's pages."""
    other = build()
    add_role(other.organizer, f.edition, Role.JUROR)
    db.session.commit()
    login_as(other.organizer)
    assert client.get(url(f)).status_code == 404


def test_every_post_needs_a_csrf_token(app_factory, f, login_as):
    protected = app_factory(WTF_CSRF_ENABLED=True)
    client = IsolatedClient(protected, protected.response_class, use_cookies=True)
    login_as(f.organizer, client)
    sheet = sheet_of(f, "d1", "Alice")
    for action in ("/reminders", "/close", "/reopen", f"/sheets/{sheet.id}/reopen"):
        response = client.post(url(f, action), data={"confirm": "y", "reason": "Parce que."})
        assert response.status_code == 400, action
    assert value(ScoreSheet.status, sheet.id) == SheetStatus.SUBMITTED
    assert value(Round.closed_at, f.round.id) is None and count(Reminder) == 0
    page = client.get(url(f))
    token = csrf_token(page)
    response = client.post(url(f, "/reminders"), data={"csrf_token": token})
    assert response.status_code == 302 and count(Reminder) == 2


def test_reminders_go_to_every_late_juror_or_to_one(client, f):
    response = client.post(url(f, "/reminders"), data={"juror_id": str(f.jurors["Chloé"].id),
                                                      "status": "late"})
    assert response.status_code == 302
    assert location_path(response) == url(f) and "status=late" in response.headers["Location"]
    assert [m.recipient for m in messages(template="reminder")] == [f.jurors["Chloé"].email]
    page = text(client.get(url(f)))
    assert plural("Reminder sent to %(num)d juror.", "", 1) in page
    assert client.post(url(f, "/reminders"), data={"juror_id": "abc"}).status_code == 400
    followed = client.post(url(f, "/reminders"), follow_redirects=True)
    # Chloé was reminded this very minute: only Alice gets one now
    assert plural("Reminder sent to %(num)d juror.", "", 1) in text(followed)
    assert sorted(m.recipient for m in messages(template="reminder")) == sorted(
        [f.jurors["Chloé"].email, f.jurors["Alice"].email])
    nobody = client.post(url(f, "/reminders"), data={"juror_id": str(f.jurors["Bruno"].id)},
                         follow_redirects=True)
    assert fr("No reminder sent: nobody has unfinished score sheets, or they were reminded "
              "a moment ago.") in text(nobody)


def test_the_sheet_page_shows_marks_levels_comments_and_the_total(client, f):
    sheet = sheet_of(f, "d1", "Alice")
    criterion = f.round.criteria[0]
    db.session.add(Mark(sheet_id=sheet.id, criterion_id=criterion.id, value=3,
                        comment="<b>Correct</b>"))
    sheet.general_comment = "Bon dossier."
    db.session.commit()
    response = client.get(url(f, f"/sheets/{sheet.id}"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "&lt;b&gt;Correct&lt;/b&gt;" in page  # escaped
    body = text(response)
    assert "Alice Martin" in body and f.dossiers["d1"].reference in body
    assert "Bon dossier." in body and fr("Submitted") in body
    assert "60,0" in body  # 3 on 0-5 is 60, shown with the one display rule, in French
    assert fr("This score sheet has never been reopened.") in body
    assert 'name="reason"' in body


def test_reopening_a_sheet_needs_a_reason_then_audits_mails_and_makes_it_a_draft(client, f):
    sheet = sheet_of(f, "d1", "Alice")
    blank = client.post(url(f, f"/sheets/{sheet.id}/reopen"), data={"reason": "   "})
    assert blank.status_code == 400
    assert fr("Give a reason.") in text(blank)
    assert value(ScoreSheet.status, sheet.id) == SheetStatus.SUBMITTED
    response = client.post(url(f, f"/sheets/{sheet.id}/reopen"),
                           data={"reason": "La note d’impact semble inversée."})
    assert response.status_code == 302
    assert value(ScoreSheet.status, sheet.id) == SheetStatus.DRAFT
    assert value(ScoreSheet.reopen_reason, sheet.id) == "La note d’impact semble inversée."
    events = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.action == "sheet.reopened")).all()
    assert len(events) == 1 and events[0].actor_id == f.organizer.id
    (mail,) = messages(template="sheet_reopened")
    assert mail.recipient == f.jurors["Alice"].email
    dossier = f.dossiers["d1"]
    assert dossier.reference in mail.subject
    assert "La note d’impact semble inversée." in mail.body_text
    assert dossier.project_title in mail.body_text
    assert dossier.company_name not in mail.body_text + mail.subject
    assert f"/jury/{f.edition.slug}/rounds/1/dossiers/{dossier.reference}" in mail.body_text
    page = text(client.get(url(f, f"/sheets/{sheet.id}")))
    assert "La note d’impact semble inversée." in page and fr("In progress") in page
    again = client.post(url(f, f"/sheets/{sheet.id}/reopen"), data={"reason": "Encore."})
    assert again.status_code == 400  # a draft: nothing to reopen
    assert fr("This score sheet is not submitted: there is nothing to reopen.") in text(again)


def test_closing_needs_the_box_ticked_then_makes_every_sheet_read_only(client, f):
    unticked = client.post(url(f, "/close"), data={})
    assert unticked.status_code == 400 and fr("Tick the box to confirm.") in text(unticked)
    assert value(Round.closed_at, f.round.id) is None
    response = client.post(url(f, "/close"), data={"confirm": "y"}, follow_redirects=True)
    page = text(response)
    assert fr("Round %(number)d is closed: its score sheets are read-only.", number=1) in page
    # the only round with assignments: the edition moves on to deliberation
    assert fr("No round is open any more: the edition moved to the “%(phase)s” phase.",
              phase=fr("Deliberation")) in page
    assert value(Edition.phase, f.edition.id) == Phase.DELIBERATION
    assert count(AuditEvent, AuditEvent.action == "round.closed") == 1
    db.session.expire_all()
    draft = db.session.get(Assignment, sheet_of(f, "d2", "Alice").assignment_id)
    with pytest.raises(scoring.ScoringClosed):
        scoring.save_draft(draft, scoring.SheetInput({}, ""), version=1,
                           actor=f.jurors["Alice"])
    db.session.rollback()
    assert fr("Reopen the round") in page and 'name="confirm"' not in page
    submitted = sheet_of(f, "d1", "Alice")
    refused = client.post(url(f, f"/sheets/{submitted.id}/reopen"), data={"reason": "Oups."})
    assert refused.status_code == 400
    assert value(ScoreSheet.status, submitted.id) == SheetStatus.SUBMITTED


def test_closing_one_round_of_two_keeps_the_edition_judging(client, f):
    second = Round(edition_id=f.edition.id, number=2, name_fr="Finale", name_en="Final",
                   jurors_per_dossier=3)
    db.session.add(second)
    db.session.flush()
    assign(second, f.dossiers["d1"], f.jurors["Bruno"])
    db.session.commit()
    page = text(client.post(url(f, "/close"), data={"confirm": "y"}, follow_redirects=True))
    assert value(Edition.phase, f.edition.id) == Phase.JUDGING
    assert fr("Round %(number)d is closed: its score sheets are read-only.", number=1) in page
    assert "délibération" not in page.lower()


def test_reopening_the_round_needs_a_reason_and_opens_the_sheets_again(client, f):
    second = Round(edition_id=f.edition.id, number=2, name_fr="Finale", name_en="Final")
    db.session.add(second)
    db.session.flush()
    assign(second, f.dossiers["d1"], f.jurors["Bruno"])
    db.session.commit()
    client.post(url(f, "/close"), data={"confirm": "y"})
    assert value(Round.closed_at, f.round.id) is not None
    blank = client.post(url(f, "/reopen"), data={"reason": ""})
    assert blank.status_code == 400 and fr("Give a reason.") in text(blank)
    response = client.post(url(f, "/reopen"), data={"reason": "Un juré malade."},
                           follow_redirects=True)
    assert fr("Round %(number)d is open again.", number=1) in text(response)
    assert value(Round.closed_at, f.round.id) is None
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "round.reopened"))
    assert event.data["reason"] == "Un juré malade."
    db.session.expire_all()
    draft = db.session.get(Assignment, sheet_of(f, "d2", "Alice").assignment_id)
    saved = scoring.save_draft(draft, scoring.SheetInput({}, "Repris."), version=1,
                               actor=f.jurors["Alice"])
    assert saved.general_comment == "Repris."
    again = client.post(url(f, "/reopen"), data={"reason": "Encore."}, follow_redirects=True)
    assert fr("This round is open already.") in text(again)


def test_the_edition_and_assignment_pages_link_to_the_progress_page(client, f):
    link = f'href="{url(f)}"'
    assert link in client.get(f"/admin/editions/{f.edition.slug}").get_data(as_text=True)
    assert link in client.get(url(f, "/assignment")).get_data(as_text=True)


def test_the_score_shown_uses_the_one_display_rule(client, f):
    sheet = sheet_of(f, "d1", "Bruno")
    criterion = f.round.criteria[0]
    criterion.scale_max = 6  # 1 on 0-6: 16.666... -> 16,7
    db.session.add(Mark(sheet_id=sheet.id, criterion_id=criterion.id, value=1))
    db.session.commit()
    body = text(client.get(url(f, f"/sheets/{sheet.id}")))
    assert str(domain.display_score(domain.sheet_total(
        scoring.scales_of([criterion]), {criterion.id: domain.Entry(1)}))).replace(".", ",") \
        in body
    assert re.search(r"16,7", body)


def test_a_stranger_cannot_read_a_sheet_by_guessing_its_id_in_another_round(client, f, login_as):
    stranger = make_user()
    add_role(stranger, f.edition, Role.CANDIDATE)
    db.session.commit()
    login_as(stranger)
    sheet = sheet_of(f, "d1", "Alice")
    assert client.get(url(f, f"/sheets/{sheet.id}")).status_code == 403
