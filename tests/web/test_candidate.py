"""A candidate applies: starts a draft, saves answers and files, submits, edits, withdraws;
the server enforces limits, ownership and the deadline."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import func, select

from tests.factories import make_edition, make_user
from trophies.domain.vocabulary import DossierStatus, QuestionKind
from trophies.models import (
    Attachment,
    AuditEvent,
    Dossier,
    OutboxMessage,
    Question,
    db,
    utcnow,
)
from trophies.services.demo_pdf import pitch_deck_pdf

DECK = pitch_deck_pdf(company_name="Médilien", project_title="Télésurveillance", year=2026,
                      summary="Un projet. Une solution.", city="Nantes", founders=["A. B."])


def _edition():
    edition = make_edition("esante-2027")
    db.session.add_all([
        Question(edition_id=edition.id, position=0, key="probleme", kind=QuestionKind.LONG_TEXT,
                 label_fr="Problème adressé", label_en="Problem addressed", is_required=True,
                 max_length=50),
        Question(edition_id=edition.id, position=1, key="salaries", kind=QuestionKind.NUMBER,
                 label_fr="Salariés", label_en="Employees", min_value=0, max_value=500),
        Question(edition_id=edition.id, position=2, key="maturite",
                 kind=QuestionKind.SINGLE_CHOICE, label_fr="Maturité", label_en="Maturity",
                 is_required=True, choices=[
                     {"value": "idee", "label_fr": "Idée", "label_en": "Idea"},
                     {"value": "pilote", "label_fr": "Pilote", "label_en": "Pilot"}]),
        Question(edition_id=edition.id, position=3, key="deck", kind=QuestionKind.FILE,
                 label_fr="Pitch deck", label_en="Pitch deck", is_required=True,
                 file_types=["pdf"], max_file_bytes=1024 * 1024),
    ])
    db.session.flush()
    return edition


def _start(client, edition):
    response = client.post(f"/candidate/apply/{edition.slug}", data={
        "category_id": str(edition.categories[0].id), "company_name": "Médilien",
        "project_title": "Télésurveillance cardiaque"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "/candidate/dossiers/" in response.location
    return db.session.scalar(select(Dossier))


def _complete(version, **overrides):
    data = {"version": str(version), "company_name": "Médilien",
            "project_title": "Télésurveillance cardiaque", "summary": "Suivi à domicile.",
            "probleme": "Les réhospitalisations.", "salaries": "14", "maturite": "pilote",
            "action": "save", "deck": (io.BytesIO(DECK), "deck.pdf")}
    data.update(overrides)
    return data


def test_a_candidate_applies_submits_and_is_told_by_email(client, login_as):
    edition = _edition()
    candidate = make_user("anne@medilien.example")
    db.session.commit()
    login_as(candidate)
    assert edition.slug in client.get("/candidate/").get_data(as_text=True)
    dossier = _start(client, edition)
    assert dossier.status == DossierStatus.DRAFT and dossier.reference
    page = client.get(f"/candidate/dossiers/{dossier.reference}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Problème adressé" in html
    assert 'type="radio"' in html and 'value="pilote"' in html and ">Pilote</label>" in html

    saved = client.post(f"/candidate/dossiers/{dossier.reference}",
                        data=_complete(dossier.version, action="review"),
                        content_type="multipart/form-data")
    assert saved.status_code == 302 and saved.location.endswith("/review")
    db.session.expire_all()
    [attachment] = db.session.scalars(select(Attachment)).all()
    assert attachment.original_name == "deck.pdf"

    submitted = client.post(f"/candidate/dossiers/{dossier.reference}/submit")
    assert submitted.status_code == 200
    db.session.expire_all()
    dossier = db.session.get(Dossier, dossier.id)
    assert dossier.status == DossierStatus.SUBMITTED and dossier.submitted_at
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.template == "dossier_submitted")) == 1
    # submitting twice is harmless
    assert client.post(f"/candidate/dossiers/{dossier.reference}/submit").status_code == 200
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "dossier.submitted")) == 1


def test_an_incomplete_dossier_cannot_be_submitted_and_says_what_is_missing(client, login_as):
    edition = _edition()
    user = make_user()
    db.session.commit()
    login_as(user)
    dossier = _start(client, edition)
    review = client.get(f"/candidate/dossiers/{dossier.reference}/review")
    html = review.get_data(as_text=True)
    assert "Problème adressé" in html and "Pitch deck" in html
    response = client.post(f"/candidate/dossiers/{dossier.reference}/submit")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).status == DossierStatus.DRAFT


def test_limits_are_enforced_by_the_server_and_the_typed_values_come_back(client, login_as):
    edition = _edition()
    user = make_user()
    db.session.commit()
    login_as(user)
    dossier = _start(client, edition)
    response = client.post(f"/candidate/dossiers/{dossier.reference}",
                           data=_complete(dossier.version, probleme="x" * 51, salaries="beaucoup",
                                          maturite="forged"),
                           content_type="multipart/form-data")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in html and "x" * 51 in html and "beaucoup" in html
    assert 'href="#q-probleme"' in html and 'href="#q-salaries"' in html
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0
    assert db.session.get(Dossier, dossier.id).summary == ""


def test_an_html_file_renamed_pdf_is_refused(client, login_as):
    edition = _edition()
    user = make_user()
    db.session.commit()
    login_as(user)
    dossier = _start(client, edition)
    response = client.post(
        f"/candidate/dossiers/{dossier.reference}",
        data=_complete(dossier.version, deck=(io.BytesIO(b"<html><script>x</script>"), "d.pdf")),
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_an_empty_or_oversize_file_is_refused_and_the_other_values_are_kept(client, login_as):
    edition = _edition()
    edition.questions[-1].max_file_bytes = 2000  # small bodies: no temporary file in the client
    user = make_user()
    db.session.commit()
    login_as(user)
    dossier = _start(client, edition)
    for content in (b"", b"%PDF-1.7\n" + b"0" * 2001):
        response = client.post(
            f"/candidate/dossiers/{dossier.reference}",
            data=_complete(dossier.version, summary="Texte gardé",
                           deck=(io.BytesIO(content), "deck.pdf")),
            content_type="multipart/form-data")
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert "Texte gardé" in html and 'id="q-deck-error"' in html
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_another_users_dossier_is_not_found(client, login_as):
    edition = _edition()
    user = make_user()
    db.session.commit()
    login_as(user)
    dossier = _start(client, edition)
    intruder = make_user()
    db.session.commit()
    login_as(intruder)
    for method, path in (("get", ""), ("post", ""), ("get", "/review"), ("post", "/submit"),
                         ("post", "/withdraw")):
        response = getattr(client, method)(f"/candidate/dossiers/{dossier.reference}{path}")
        assert response.status_code == 404, (method, path)


def test_after_the_deadline_everything_is_read_only(client, login_as):
    edition = _edition()
    user = make_user()
    db.session.commit()
    login_as(user)
    dossier = _start(client, edition)
    edition.call_closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = client.get(f"/candidate/dossiers/{dossier.reference}")
    assert page.status_code == 200 and "<form method=\"post\" enctype" not in page.get_data(
        as_text=True)
    response = client.post(f"/candidate/dossiers/{dossier.reference}",
                           data=_complete(dossier.version), content_type="multipart/form-data")
    assert response.status_code == 302
    refused = client.get(response.location).get_data(as_text=True)
    assert "(Europe/Paris)" in refused  # the deadline is shown with the refusal
    assert client.post(f"/candidate/dossiers/{dossier.reference}/submit").status_code == 302
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).status == DossierStatus.DRAFT
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_a_stale_version_is_a_conflict_with_the_input_kept(client, login_as):
    edition = _edition()
    user = make_user()
    db.session.commit()
    login_as(user)
    dossier = _start(client, edition)
    response = client.post(f"/candidate/dossiers/{dossier.reference}",
                           data=_complete(dossier.version + 5, summary="Mon texte à garder"),
                           content_type="multipart/form-data")
    assert response.status_code == 409
    assert "Mon texte à garder" in response.get_data(as_text=True)


def test_forged_category_or_status_fields_are_ignored(client, login_as):
    edition = make_edition("forge", categories=("Équité", "Durabilité"))
    user = make_user()
    db.session.commit()
    login_as(user)
    dossier = _start(client, edition)
    client.post(f"/candidate/dossiers/{dossier.reference}",
                data={"version": str(dossier.version), "company_name": "X",
                      "project_title": "Y", "status": "laureate",
                      "category_id": str(edition.categories[1].id), "action": "save"})
    db.session.expire_all()
    dossier = db.session.get(Dossier, dossier.id)
    assert dossier.status == DossierStatus.DRAFT
    assert dossier.category_id == edition.categories[0].id


def test_a_withdrawn_application_stays_withdrawn(client, login_as):
    edition = _edition()
    user = make_user()
    db.session.commit()
    login_as(user)
    dossier = _start(client, edition)
    assert client.post(f"/candidate/dossiers/{dossier.reference}/withdraw").status_code == 302
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).status == DossierStatus.WITHDRAWN
    assert client.post(f"/candidate/dossiers/{dossier.reference}/submit").status_code == 302
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).status == DossierStatus.WITHDRAWN
