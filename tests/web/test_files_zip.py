"""All the files of an edition in one ZIP, organised by category and application."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import select

from tests.factories import add_role, make_user
from trophies.domain.vocabulary import DossierStatus, Phase, Role
from trophies.models import AuditEvent, Dossier, Edition, db


def test_the_zip_holds_every_submitted_file_by_category_and_application(client, login_as,
                                                                        runner):
    runner.invoke(args=["trophies", "demo"])
    edition = db.session.scalar(select(Edition).where(Edition.phase == Phase.OPEN))
    organizer = make_user()
    add_role(organizer, edition, Role.ORGANIZER)
    db.session.commit()
    login_as(organizer)
    response = client.get(f"/admin/editions/{edition.slug}/files.zip")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    submitted = db.session.scalars(select(Dossier).where(
        Dossier.edition_id == edition.id, Dossier.status != DossierStatus.DRAFT)).all()
    assert len(names) == len(submitted) > 0
    for dossier in submitted:
        assert any(name.startswith(f"{dossier.category.name_fr}/{dossier.reference} - ")
                   and name.endswith(".pdf") for name in names), dossier.reference
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert all(archive.read(n).startswith(b"%PDF-") for n in names)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "files.exported"))
    assert event.data == {"files": len(names)} and event.actor_id == organizer.id
