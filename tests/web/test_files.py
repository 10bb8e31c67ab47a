"""Web: attachments are downloaded through an authorized view; everyone else gets 404, and
organizers' and jurors' downloads are audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import add_role, make_dossier, make_edition, make_user
from tests.helpers import count, location_path
from trophies.domain.vocabulary import ConflictSource, ConflictStatus, QuestionKind, Role
from trophies.models import (
    Assignment,
    Attachment,
    AuditEvent,
    Conflict,
    JurorProfile,
    Question,
    db,
    utcnow,
)
from trophies.services import files
from trophies.services.demo_pdf import pitch_deck_pdf

DECK = pitch_deck_pdf(company_name="Hélio Lumen", project_title="Capteurs souples",
                      summary="Des capteurs pour tous les toits. Moitié prix.", city="Nantes",
                      founders=["Ada Martin"], year=2026)


@pytest.fixture
def world(app):
    """An edition with a candidate's dossier and its deck, and one user of every kind."""
    edition = make_edition()
    other_edition = make_edition()
    owner, stranger = make_user(), make_user()
    add_role(owner, edition, Role.CANDIDATE)
    add_role(stranger, edition, Role.CANDIDATE)
    dossier = make_dossier(edition, owner)
    make_dossier(edition, stranger)
    question = Question(edition_id=edition.id, key="deck", kind=QuestionKind.FILE,
                        label_fr="Présentation", file_types=["pdf"], is_hidden_when_blind=True)
    db.session.add(question)
    db.session.flush()
    attachment = files.store_upload(dossier, question, filename="Présentation Hélio.pdf",
                                    data=DECK)
    organizer, other_organizer = make_user(), make_user()
    add_role(organizer, edition, Role.ORGANIZER)
    add_role(other_organizer, other_edition, Role.ORGANIZER)
    jurors = {}
    for kind in ("cleared", "unassigned", "conflicted", "unsworn", "unpublished", "withdrawn"):
        juror = jurors[kind] = make_user()
        add_role(juror, edition, Role.JUROR)
        profile = db.session.scalar(select(JurorProfile).where(JurorProfile.user_id == juror.id))
        if kind != "unsworn":
            profile.confidentiality_accepted_at = utcnow() - timedelta(days=1)
        if kind == "withdrawn":
            profile.withdrawn_at = utcnow()
        if kind != "unassigned":
            db.session.add(Assignment(round_id=edition.rounds[0].id, dossier_id=dossier.id,
                                      juror_id=juror.id,
                                      published_at=None if kind == "unpublished" else utcnow()))
        if kind == "conflicted":
            db.session.add(Conflict(edition_id=edition.id, juror_id=juror.id,
                                    dossier_id=dossier.id, source=ConflictSource.DECLARED,
                                    status=ConflictStatus.CONFIRMED))
    # A conflict that was only suggested, or dismissed, does not keep the cleared juror out.
    db.session.add(Conflict(edition_id=edition.id, juror_id=jurors["cleared"].id,
                            dossier_id=dossier.id, source=ConflictSource.ORGANISATION,
                            status=ConflictStatus.DISMISSED))
    admin = make_user(is_admin=True)
    db.session.commit()
    return {"edition": edition, "dossier": dossier, "attachment": attachment, "owner": owner,
            "stranger": stranger, "organizer": organizer, "other_organizer": other_organizer,
            "admin": admin, "jurors": jurors}


def url(world) -> str:
    return f"/files/{world['attachment'].id}"


def downloads(user) -> int:
    return count(AuditEvent, AuditEvent.action == "attachment.downloaded",
                  AuditEvent.actor_id == user.id)


def test_the_owner_downloads_the_exact_bytes_as_an_attachment_that_is_never_rendered(
        client, login_as, world):
    response = login_as(world["owner"]).get(url(world))
    assert response.status_code == 200
    assert response.get_data() == DECK
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Pr%C3%A9sentation%20H%C3%A9lio.pdf" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_the_owners_own_downloads_are_not_audited(client, login_as, world):
    login_as(world["owner"]).get(url(world))
    assert downloads(world["owner"]) == 0


@pytest.mark.parametrize("who", ["organizer", "admin"])
def test_organizers_of_the_edition_and_admins_download_and_are_audited(
        client, login_as, world, who):
    response = login_as(world[who]).get(url(world))
    assert response.status_code == 200 and response.get_data() == DECK
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.actor_id == world[who].id))
    assert (event.action, event.edition_id, event.object_type, event.object_id) == (
        "attachment.downloaded", world["edition"].id, "attachments", world["attachment"].id)
    assert event.data == {"dossier_id": world["dossier"].id}


def test_a_juror_assigned_and_cleared_downloads_and_is_audited(client, login_as, world):
    juror = world["jurors"]["cleared"]
    response = login_as(juror).get(url(world))
    assert response.status_code == 200 and response.get_data() == DECK
    assert downloads(juror) == 1


@pytest.mark.parametrize("who", [
    "stranger", "other_organizer", "unassigned", "conflicted", "unsworn", "unpublished",
    "withdrawn",
])
def test_everyone_else_is_told_the_file_does_not_exist(client, login_as, world, who):
    user = world[who] if who in world else world["jurors"][who]
    response = login_as(user).get(url(world))
    assert response.status_code == 404
    assert DECK not in response.get_data()
    assert downloads(user) == 0


def test_a_missing_attachment_is_a_404(client, login_as, world):
    assert login_as(world["admin"]).get("/files/999999").status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, world):
    response = client.get(url(world))
    assert response.status_code == 302
    assert location_path(response) == "/account/login"


def test_in_a_blind_edition_jurors_cannot_download_a_file_hidden_from_them(
        client, login_as, world):
    world["edition"].is_blind = True
    db.session.commit()
    assert login_as(world["jurors"]["cleared"]).get(url(world)).status_code == 404
    assert login_as(world["organizer"]).get(url(world)).status_code == 200


def test_in_a_blind_edition_jurors_still_download_files_not_hidden_from_them(
        client, login_as, world):
    world["edition"].is_blind = True
    db.session.get(Question, world["attachment"].question_id).is_hidden_when_blind = False
    db.session.commit()
    assert login_as(world["jurors"]["cleared"]).get(url(world)).status_code == 200


def test_a_tampered_stored_name_never_serves_another_file(client, login_as, world, app):
    attachment = db.session.get(Attachment, world["attachment"].id)
    attachment.stored_name = "../../../../etc/passwd"
    db.session.commit()
    response = login_as(world["owner"]).get(url(world))
    assert response.status_code == 404
    assert b"root:" not in response.get_data()
