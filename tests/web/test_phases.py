"""Organizers move an edition through its phases; what is missing is explained; audited."""

from __future__ import annotations

from sqlalchemy import select

from tests.factories import add_role, make_edition, make_user
from trophies.domain.vocabulary import Phase, Role
from trophies.models import AuditEvent, Edition, db


def _organizer_of(edition):
    user = make_user()
    add_role(user, edition, Role.ORGANIZER)
    db.session.commit()
    return user


def test_opening_a_complete_edition_is_audited(client, login_as):
    edition = make_edition("ouverture", phase=Phase.DRAFT)
    login_as(_organizer_of(edition))
    page = client.get(f"/admin/editions/{edition.slug}").get_data(as_text=True)
    assert 'name="target" value="open"' in page
    response = client.post(f"/admin/editions/{edition.slug}/phase", data={"target": "open"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Edition, edition.id).phase == Phase.OPEN
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "edition.phase_changed"))
    assert event.data["previous"] == "draft" and event.data["phase"] == "open"


def test_a_move_that_is_not_ready_is_explained_and_changes_nothing(client, login_as):
    edition = make_edition("pas-prete", phase=Phase.OPEN)  # call closes in 20 days
    login_as(_organizer_of(edition))
    response = client.post(f"/admin/editions/{edition.slug}/phase",
                           data={"target": "screening"})
    assert response.status_code == 409
    assert 'class="error-summary"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Edition, edition.id).phase == Phase.OPEN


def test_going_back_needs_a_reason_and_moves_outside_the_table_are_refused(client, login_as):
    edition = make_edition("retour", phase=Phase.OPEN)
    login_as(_organizer_of(edition))
    assert client.post(f"/admin/editions/{edition.slug}/phase",
                       data={"target": "draft"}).status_code == 409
    # freezing and publishing go through the deliberation page (snapshot, e-mails)
    response = client.post(f"/admin/editions/{edition.slug}/phase", data={"target": "published"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/editions/{edition.slug}/deliberation")
    db.session.expire_all()
    assert db.session.get(Edition, edition.id).phase == Phase.OPEN
    assert client.post(f"/admin/editions/{edition.slug}/phase",
                       data={"target": "nonsense"}).status_code == 400
    ok = client.post(f"/admin/editions/{edition.slug}/phase",
                     data={"target": "draft", "reason": "Règlement à corriger"})
    assert ok.status_code == 302
    db.session.expire_all()
    assert db.session.get(Edition, edition.id).phase == Phase.DRAFT


def test_only_the_editions_organizers_may_change_its_phase(client, login_as):
    edition = make_edition("autre", phase=Phase.DRAFT)
    other = make_edition("mienne", phase=Phase.DRAFT)
    login_as(_organizer_of(other))
    response = client.post(f"/admin/editions/{edition.slug}/phase", data={"target": "open"})
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Edition, edition.id).phase == Phase.DRAFT
