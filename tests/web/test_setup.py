"""Web: organizers set up their edition; other editions' objects answer 404; bad input
re-renders with errors and changes nothing; privileged fields are ignored; audited."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from tests.factories import add_role, make_dossier, make_edition, make_user
from tests.helpers import fr, text
from trophies.domain.vocabulary import Phase, Role
from trophies.models import (
    AuditEvent,
    Category,
    Criterion,
    CriterionLevel,
    Edition,
    Question,
    Round,
    db,
)
from trophies.services import questions


@pytest.fixture
def client(isolated_client):
    return isolated_client


def organizer_of(edition):
    user = make_user()
    add_role(user, edition, Role.ORGANIZER)
    db.session.commit()
    return user


def events(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == action))


def fresh(model, row_id):
    db.session.expire_all()
    return db.session.get(model, row_id)


EDITION_FORM = {"name_fr": "Trophées 2027", "name_en": "Trophies 2027",
                "description_fr": "Desc", "rules_fr": "Règles", "timezone": "Europe/Paris",
                "call_opens_at": "2027-01-10T09:00", "call_closes_at": "2027-03-01T18:00",
                "retention_months": "24", "aggregation": "median",
                "max_jurors_per_organisation": "2", "is_blind": "y"}


@pytest.mark.parametrize("path", ["setup", "setup/categories", "setup/rounds/1",
                                  "setup/rounds/new", "setup/questions"])
def test_each_page_renders_for_the_organizer_and_404s_for_another(client, login_as, path):
    mine, theirs = make_edition("mienne"), make_edition("autre")
    login_as(organizer_of(mine))
    page = client.get(f"/admin/editions/mienne/{path}")
    assert page.status_code == 200
    assert 'lang="fr"' in text(page) or path == "setup/rounds/1"
    assert client.get(f"/admin/editions/{theirs.slug}/{path}").status_code == 404


def test_the_edition_page_links_to_the_set_up_pages(client, login_as):
    edition = make_edition("liens")
    login_as(organizer_of(edition))
    page = text(client.get("/admin/editions/liens"))
    for path in ("setup", "setup/categories", "setup/rounds/1", "setup/questions"):
        assert f'href="/admin/editions/liens/{path}"' in page


def test_edition_settings_are_saved_with_dates_in_the_editions_zone(client, login_as):
    edition = make_edition("reglages", phase=Phase.DRAFT)
    login_as(organizer_of(edition))
    response = client.post("/admin/editions/reglages/setup",
                           data={**EDITION_FORM, "phase": "published", "slug": "volee"})
    assert response.status_code == 302
    saved = fresh(Edition, edition.id)
    assert saved.slug == "reglages" and saved.phase == Phase.DRAFT  # privileged: ignored
    assert saved.name_fr == "Trophées 2027" and saved.aggregation == "median" and saved.is_blind
    assert saved.call_opens_at == datetime(2027, 1, 10, 8, 0, tzinfo=UTC)  # CET = UTC+1
    assert saved.retention_months == 24 and events("setup.edition") == 1
    page = text(client.get("/admin/editions/reglages/setup"))
    assert 'value="2027-01-10T09:00"' in page


@pytest.mark.parametrize("bad", [{"retention_months": "0"}, {"name_fr": ""},
                                 {"call_closes_at": "2027-01-01T09:00"},
                                 {"timezone": "Mars/Olympus"}, {"aggregation": "mode"},
                                 {"call_opens_at": "0001-01-01T00:00"},
                                 {"max_jurors_per_organisation": "99999999999999999999"}])
def test_bad_edition_settings_re_render_with_errors_and_change_nothing(client, login_as, bad):
    edition = make_edition("mauvais")
    login_as(organizer_of(edition))
    response = client.post("/admin/editions/mauvais/setup", data={**EDITION_FORM, **bad})
    assert response.status_code == 400
    assert 'class="error-summary"' in text(response)
    assert fresh(Edition, edition.id).name_fr != "Trophées 2027"
    assert events("setup.edition") == 0


def test_categories_are_added_edited_and_removed_unless_used(client, login_as):
    edition = make_edition("cats", categories=("Équité", "Usage"))
    login_as(organizer_of(edition))
    used, unused = edition.categories
    make_dossier(edition, make_user()).category_id = used.id
    db.session.commit()
    assert client.post("/admin/editions/cats/setup/categories",
                       data={"new-name_fr": "Nouvelle", "new-name_en": "New"}).status_code == 302
    assert client.post(f"/admin/editions/cats/setup/categories/{unused.id}",
                       data={f"c{unused.id}-name_fr": "Usages"}).status_code == 302
    assert fresh(Category, unused.id).name_fr == "Usages"
    refused = client.post(f"/admin/editions/cats/setup/categories/{used.id}/remove")
    assert refused.status_code == 409 and fresh(Category, used.id) is not None
    assert client.post(f"/admin/editions/cats/setup/categories/{unused.id}/remove"
                       ).status_code == 302
    assert fresh(Category, unused.id) is None
    assert [events(f"setup.category_{a}") for a in ("added", "changed", "removed")] == [1, 1, 1]
    duplicate = client.post("/admin/editions/cats/setup/categories",
                            data={"new-name_fr": "Nouvelle"})
    assert duplicate.status_code == 400 and 'class="error-summary"' in text(duplicate)


def test_another_editions_objects_answer_404(client, login_as):
    mine, theirs = make_edition("a-moi"), make_edition("a-eux")
    question = questions.add_question(theirs, actor=make_user(), kind="yes_no", label_fr="Q ?")
    login_as(organizer_of(mine))
    other_category = theirs.categories[0].id
    other_criterion = theirs.rounds[0].criteria[0].id
    for path in (f"setup/categories/{other_category}", f"setup/categories/{other_category}/remove",
                 f"setup/rounds/1/criteria/{other_criterion}",
                 f"setup/rounds/1/criteria/{other_criterion}/remove",
                 f"setup/questions/{question.id}", f"setup/questions/{question.id}/remove",
                 f"setup/questions/{question.id}/move"):
        assert client.post(f"/admin/editions/a-moi/{path}",
                           data={"direction": "up"}).status_code == 404, path
    assert fresh(Category, other_category) is not None


def test_a_round_and_its_criteria_with_level_texts(client, login_as):
    edition = make_edition("manches", phase=Phase.DRAFT)
    login_as(organizer_of(edition))
    round_id = edition.rounds[0].id
    assert client.post("/admin/editions/manches/setup/rounds/1", data={
        "name_fr": "Sélection", "jurors_per_dossier": "4", "starts_at": "2027-04-01T08:00",
        "ends_at": "2027-05-01T08:00", "edition_id": "999"}).status_code == 302
    saved = fresh(Round, round_id)
    assert saved.jurors_per_dossier == 4 and saved.starts_at.hour == 6  # CEST = UTC+2
    assert client.post("/admin/editions/manches/setup/rounds/1/criteria", data={
        "new-name_fr": "Faisabilité", "new-weight": "3", "new-scale_min": "0",
        "new-scale_max": "4", "new-scale_step": "1", "new-level_fr_0": "Absent",
        "new-level_en_4": "Excellent"}).status_code == 302
    criterion = db.session.scalar(select(Criterion).where(Criterion.name_fr == "Faisabilité"))
    assert [(lv.value, lv.label_fr, lv.label_en) for lv in criterion.levels] == [
        (0, "Absent", ""), (4, "", "Excellent")]
    path = f"/admin/editions/manches/setup/rounds/1/criteria/{criterion.id}"
    assert 'name="level_en_4" value="Excellent"' in text(client.get(path))
    for bad_values in ({"scale_step": "2"}, {"weight": "9" * 20}, {"weight": "0"}):
        bad = client.post(path, data={"name_fr": "F", "weight": "2", "scale_min": "0",
                                      "scale_max": "5", "scale_step": "1", **bad_values})
        assert bad.status_code == 400 and 'class="error-summary"' in text(bad)
    assert fresh(Criterion, criterion.id).weight == 3
    assert events("setup.round_changed") == 1 and events("setup.criterion_added") == 1
    assert client.post(f"{path}/remove").status_code == 302
    assert fresh(Criterion, criterion.id) is None


def test_a_new_round_is_numbered_after_the_last(client, login_as):
    edition = make_edition("nouvelle-manche")
    login_as(organizer_of(edition))
    response = client.post("/admin/editions/nouvelle-manche/setup/rounds/new",
                           data={"name_fr": "Finale", "jurors_per_dossier": "5"})
    assert response.headers["Location"].endswith("/setup/rounds/2")
    assert client.post("/admin/editions/nouvelle-manche/setup/rounds/new",
                       data={"name_fr": "", "jurors_per_dossier": "99"}).status_code == 400


def test_during_judging_scoring_changes_are_refused_and_texts_corrected(client, login_as):
    edition = make_edition("jugement", phase=Phase.JUDGING)
    login_as(organizer_of(edition))
    criterion = edition.rounds[0].criteria[0]
    path = f"/admin/editions/jugement/setup/rounds/1/criteria/{criterion.id}"
    form = {"name_fr": "Impact", "weight": "2", "scale_min": "0", "scale_max": "5",
            "scale_step": "1"}
    refused = client.post(path, data={**form, "weight": "9"})
    assert refused.status_code == 409
    assert fr("Eligibility screening") in text(refused)
    assert fresh(Criterion, criterion.id).weight == 2
    assert client.post(path, data={**form, "name_fr": "Impact réel",
                                   "level_fr_5": "Exemplaire"}).status_code == 302
    assert fresh(Criterion, criterion.id).name_fr == "Impact réel"
    assert db.session.scalar(select(CriterionLevel.label_fr)) == "Exemplaire"
    assert client.post("/admin/editions/jugement/setup/rounds/1/criteria", data={
        "new-name_fr": "X", "new-weight": "1", "new-scale_min": "0", "new-scale_max": "5",
        "new-scale_step": "1"}).status_code == 409
    assert client.post(f"{path}/remove").status_code == 409
    assert client.post("/admin/editions/jugement/setup/rounds/1", data={
        "name_fr": "Pré-sélection", "jurors_per_dossier": "5"}).status_code == 409
    assert fresh(Round, edition.rounds[0].id).jurors_per_dossier == 3


QUESTION = {"new-label_fr": "Stade du projet", "new-label_en": "Project stage",
            "new-kind": "single_choice", "new-choices": "Idée | Idea\nPilote | Pilot",
            "new-is_required": "y"}


def test_questions_are_added_edited_moved_and_removed(client, login_as):
    edition = make_edition("questions", phase=Phase.DRAFT)
    login_as(organizer_of(edition))
    assert client.post("/admin/editions/questions/setup/questions",
                       data=QUESTION).status_code == 302
    assert client.post("/admin/editions/questions/setup/questions", data={
        "new-label_fr": "Plaquette", "new-kind": "file", "new-file_types": ["pdf", "png"],
        "new-max_file_mb": "5", "new-key": "plaquette"}).status_code == 302
    stage, leaflet = db.session.scalars(select(Question).order_by(Question.position)).all()
    assert stage.key == "stade_du_projet" and stage.is_required
    assert [c["value"] for c in stage.choices] == ["idee", "pilote"]
    assert leaflet.file_types == ["pdf", "png"] and leaflet.max_file_bytes == 5 * 1024 * 1024
    page = text(client.get(f"/admin/editions/questions/setup/questions/{stage.id}"))
    assert "idee | Idée | Idea" in page
    assert client.post(f"/admin/editions/questions/setup/questions/{stage.id}", data={
        "label_fr": "Stade", "kind": "number", "min_value": "1", "max_value": "9",
        "edition_id": "999"}).status_code == 302
    assert fresh(Question, stage.id).max_value == 9
    assert client.post(f"/admin/editions/questions/setup/questions/{leaflet.id}/move",
                       data={"direction": "up"}).status_code == 302
    assert fresh(Question, leaflet.id).position == 0
    assert client.post(f"/admin/editions/questions/setup/questions/{stage.id}/remove"
                       ).status_code == 302
    assert fresh(Question, stage.id) is None
    assert [events(f"setup.question_{a}") for a in ("added", "changed", "moved", "removed")
            ] == [2, 1, 1, 1]


@pytest.mark.parametrize("bad", [{"new-label_fr": ""}, {"new-choices": "Seule"},
                                 {"new-kind": "file"}, {"new-key": "Pas Bon"},
                                 {"new-kind": "number", "new-min_value": "5",
                                  "new-max_value": "1"},
                                 {"new-kind": "number", "new-max_value": "9" * 20}])
def test_bad_questions_re_render_with_errors_and_change_nothing(client, login_as, bad):
    edition = make_edition("mauvaises")
    login_as(organizer_of(edition))
    response = client.post("/admin/editions/mauvaises/setup/questions",
                           data={**QUESTION, **bad})
    assert response.status_code == 400 and 'class="error-summary"' in text(response)
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_questions_are_frozen_once_the_call_closed_with_applications(client, login_as):
    edition = make_edition("fermee", phase=Phase.SCREENING)
    question = questions.add_question(edition, actor=make_user(), kind="yes_no", label_fr="Q ?")
    make_dossier(edition, make_user())
    login_as(organizer_of(edition))
    response = client.post(f"/admin/editions/fermee/setup/questions/{question.id}",
                           data={"label_fr": "Autre", "kind": "yes_no"})
    assert response.status_code == 409
    assert client.post(f"/admin/editions/fermee/setup/questions/{question.id}/remove"
                       ).status_code == 409
    assert fresh(Question, question.id).label_fr == "Q ?"
