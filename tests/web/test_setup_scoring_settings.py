"""Web: the scoring settings of the edition form - reminder days (0..60), blind judging,
peer totals, required general comment - are shown with their help and saved, audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import add_role, make_edition, make_user
from tests.helpers import fr, text
from trophies.domain.vocabulary import Phase, Role
from trophies.models import AuditEvent, Edition, db
from trophies.services import setup


@pytest.fixture
def client(isolated_client):
    return isolated_client


FORM = {"name_fr": "Trophées", "timezone": "Europe/Paris", "retention_months": "24",
        "aggregation": "mean", "max_jurors_per_organisation": "2"}


def organizer_of(edition):
    user = make_user()
    add_role(user, edition, Role.ORGANIZER)
    db.session.commit()
    return user


def saved(edition) -> Edition:
    db.session.expire_all()
    return db.session.get(Edition, edition.id)


def test_the_form_shows_the_reminder_days_with_their_help_and_current_value(client, login_as):
    edition = make_edition("rappel-vue")
    edition.reminder_days = 9
    login_as(organizer_of(edition))
    page = text(client.get("/admin/editions/rappel-vue/setup"))
    assert 'name="reminder_days"' in page and 'value="9"' in page
    assert fr("Reminder before the deadline (days)") in page
    assert fr("Jurors with unfinished sheets are reminded this many days before the deadline, "
              "and again the day before; 0: only the day before.") in page
    assert fr("Jurors never see the company, founders, or the answers marked hidden.") in page
    assert fr("After submitting, a juror sees the other jurors’ totals on the same "
              "application, without names.") in page
    assert 'aria-describedby="reminder_days-hint"' in page


@pytest.mark.parametrize("days", [0, 3, 60])
def test_the_organizer_saves_the_reminder_days_and_scoring_settings(client, login_as, days):
    edition = make_edition("rappel", phase=Phase.JUDGING)
    login_as(organizer_of(edition))
    response = client.post("/admin/editions/rappel/setup", data={
        **FORM, "reminder_days": str(days), "is_blind": "y", "shows_peer_totals": "y",
        "is_general_comment_required": "y"})
    assert response.status_code == 302
    edition = saved(edition)
    assert edition.reminder_days == days
    assert edition.is_blind and edition.shows_peer_totals and edition.is_general_comment_required
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "setup.edition"))
    assert "reminder_days" in event.data["fields"]


@pytest.mark.parametrize("bad", ["-1", "61", "sept"])
def test_reminder_days_out_of_range_re_render_with_an_error_and_change_nothing(
        client, login_as, bad):
    edition = make_edition("rappel-faux")
    login_as(organizer_of(edition))
    response = client.post("/admin/editions/rappel-faux/setup",
                           data={**FORM, "reminder_days": bad})
    assert response.status_code == 400
    page = text(response)
    assert 'class="error-summary"' in page and 'href="#reminder_days"' in page
    assert saved(edition).reminder_days == 7 and saved(edition).name_fr != "Trophées"


def test_a_post_without_reminder_days_keeps_the_editions_value(client, login_as):
    edition = make_edition("rappel-garde")
    edition.reminder_days = 12
    login_as(organizer_of(edition))
    response = client.post("/admin/editions/rappel-garde/setup", data=FORM)
    assert response.status_code == 302
    assert saved(edition).reminder_days == 12 and saved(edition).name_fr == "Trophées"


@pytest.mark.parametrize("days", [-1, 61])
def test_the_service_refuses_reminder_days_out_of_range(app, days):
    edition = make_edition()
    with pytest.raises(setup.SetupInvalid):
        setup.update_edition(edition, actor=make_user(), reminder_days=days)
