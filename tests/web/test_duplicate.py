"""Duplicate an edition for next year: the set-up, never the applications."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.factories import add_role, make_dossier, make_edition, make_user
from trophies.domain.vocabulary import Phase, Role
from trophies.models import AuditEvent, Criterion, CriterionLevel, Dossier, Edition, db
from trophies.web.admin.views import next_year


def test_duplicating_copies_the_set_up_and_no_application(client, login_as):
    source = make_edition("trophees-2026", phase=Phase.PUBLISHED,
                          categories=("Équité", "Durabilité"))
    source.rounds[0].criteria[0].levels = [CriterionLevel(value=0, label_fr="0 — absent")]
    source.rules_fr = "Règlement"
    organizer = make_user()
    add_role(organizer, source, Role.ORGANIZER)
    make_dossier(source, make_user())
    db.session.commit()
    login_as(organizer)
    page = client.get(f"/admin/editions/{source.slug}").get_data(as_text=True)
    assert 'value="trophees-2027"' in page
    response = client.post(f"/admin/editions/{source.slug}/duplicate",
                           data={"new_slug": "trophees-2027", "name_fr": "Trophées 2027",
                                 "name_en": "Trophies 2027"})
    assert response.status_code == 302 and response.location.endswith("/trophees-2027")
    db.session.expire_all()
    copy = db.session.scalar(select(Edition).where(Edition.slug == "trophees-2027"))
    assert copy.phase == Phase.DRAFT and copy.rules_fr == "Règlement"
    assert [c.name_fr for c in copy.categories] == ["Équité", "Durabilité"]
    [criterion] = copy.rounds[0].criteria
    assert criterion.id != source.rounds[0].criteria[0].id
    assert [lv.label_fr for lv in criterion.levels] == ["0 — absent"]
    assert copy.call_opens_at is None
    assert db.session.scalar(select(func.count()).select_from(Dossier).where(
        Dossier.edition_id == copy.id)) == 0
    assert db.session.scalar(select(func.count()).select_from(Criterion)) == 2
    assert db.session.scalar(select(AuditEvent.data).where(
        AuditEvent.action == "edition.duplicated")) == {"source": "trophees-2026"}
    assert client.get("/admin/editions/trophees-2027").status_code == 200  # organizer of it


def test_a_taken_or_malformed_address_is_refused(client, login_as):
    source = make_edition("trophees-2026")
    make_edition("trophees-2027")
    organizer = make_user()
    add_role(organizer, source, Role.ORGANIZER)
    db.session.commit()
    login_as(organizer)
    for slug in ("trophees-2027", "Pas Valide!", ""):
        response = client.post(f"/admin/editions/{source.slug}/duplicate",
                               data={"new_slug": slug, "name_fr": "Copie"})
        assert response.status_code == 400, slug
    assert db.session.scalar(select(func.count()).select_from(Edition)) == 2


def test_the_next_years_name_is_suggested():
    assert next_year("trophees-esante-2026") == "trophees-esante-2027"
    assert next_year("Trophées 2025 de l’e-santé") == "Trophées 2026 de l’e-santé"
    assert next_year("sans-annee") == "sans-annee"
