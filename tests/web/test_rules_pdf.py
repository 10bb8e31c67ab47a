"""The rules of an edition as a PDF: uploaded by its organizers, downloadable with the page."""

from __future__ import annotations

import io
from pathlib import Path

from tests.factories import add_role, make_edition, make_user
from trophies.domain.vocabulary import Phase, Role
from trophies.models import Edition, db
from trophies.services.demo_pdf import pitch_deck_pdf

RULES = pitch_deck_pdf(company_name="Règlement", project_title="Trophées", summary="Article 1.",
                       city="Nantes", founders=["Jury"], year=2027)


def _upload(client, slug, content, name="reglement.pdf"):
    return client.post(f"/admin/editions/{slug}/setup/rules-pdf",
                       data={"rules_pdf": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def test_organizers_upload_the_rules_pdf_which_the_public_page_offers(client, login_as, app):
    edition = make_edition("reglement", phase=Phase.OPEN)
    organizer = make_user()
    add_role(organizer, edition, Role.ORGANIZER)
    db.session.commit()
    login_as(organizer)
    assert _upload(client, edition.slug, RULES).status_code == 302
    db.session.expire_all()
    stored = db.session.get(Edition, edition.id)
    assert stored.rules_pdf_size == len(RULES)
    anonymous = app.test_client()
    page = anonymous.get(f"/editions/{edition.slug}").get_data(as_text=True)
    assert f"/editions/{edition.slug}/rules.pdf" in page
    response = anonymous.get(f"/editions/{edition.slug}/rules.pdf")
    assert response.status_code == 200 and response.data == RULES
    assert "attachment" in response.headers["Content-Disposition"]
    old = stored.rules_pdf_stored
    client.post(f"/admin/editions/{edition.slug}/setup/rules-pdf", data={"action": "remove"})
    db.session.expire_all()
    assert db.session.get(Edition, edition.id).rules_pdf_stored is None
    assert not (Path(app.config["UPLOAD_FOLDER"]) / old).exists()  # removed after commit
    assert anonymous.get(f"/editions/{edition.slug}/rules.pdf").status_code == 404


def test_a_fake_pdf_is_refused_and_a_draft_editions_rules_stay_private(client, login_as, app):
    edition = make_edition("brouillon", phase=Phase.DRAFT)
    organizer = make_user()
    add_role(organizer, edition, Role.ORGANIZER)
    db.session.commit()
    login_as(organizer)
    _upload(client, edition.slug, b"<html>not a pdf</html>")
    db.session.expire_all()
    assert db.session.get(Edition, edition.id).rules_pdf_stored is None
    _upload(client, edition.slug, RULES)
    assert client.get(f"/editions/{edition.slug}/rules.pdf").status_code == 200  # organizer
    assert app.test_client().get(f"/editions/{edition.slug}/rules.pdf").status_code == 404
