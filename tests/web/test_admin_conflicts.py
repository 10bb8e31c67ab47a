"""Web, organizer side of conflicts of interest: detect, confirm, dismiss, lift with a reason,
add by hand; enforced at once (the juror loses the assignment and gets 404); another
edition's organizer gets 404; the page's query count does not grow with the data."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import add_role, make_dossier, make_edition, make_user
from tests.helpers import count, fr, location_path, text
from tests.services.test_conflicts import assign, make_juror
from trophies.domain.vocabulary import (
    ConflictSource,
    ConflictStatus,
    Language,
    Phase,
    Role,
    SheetStatus,
)
from trophies.models import Assignment, AuditEvent, Conflict, ScoreSheet, db


@pytest.fixture
def world(app):
    edition = make_edition("conflits-web", phase=Phase.JUDGING)
    edition.language = Language.EN
    organizer = make_user()
    add_role(organizer, edition, Role.ORGANIZER)
    juror, _ = make_juror(edition, name="Claire Fontaine", email="claire@medicalis.fr",
                          organisation="Medicalis")
    other_juror, _ = make_juror(edition, name="Paul Girard", email="paul@biotech-ouest.fr",
                                organisation="Biotech Ouest")
    match = make_dossier(edition, make_user("ceo@telesuivi.io"))
    match.company_name, match.project_title = "Medicalis SAS", "Télésuivi"
    plain = make_dossier(edition, make_user("ceo@plain.io"))
    plain.company_name, plain.project_title = "Plain Co", "Plain project"
    assignment = assign(edition.rounds[0], match, juror, sheet=SheetStatus.DRAFT)
    db.session.commit()
    return {"edition": edition, "organizer": organizer, "juror": juror,
            "other_juror": other_juror, "match": match, "plain": plain,
            "assignment": assignment, "url": f"/admin/editions/{edition.slug}/conflicts"}


def detect(client, world):
    return client.post(world["url"] + "/detect")


def only_conflict() -> Conflict:
    db.session.expire_all()
    return db.session.scalars(select(Conflict)).one()


def test_detect_now_lists_the_suggestion_with_its_source_and_reason(client, login_as, world):
    login_as(world["organizer"])
    response = detect(client, world)
    assert location_path(response) == world["url"]
    body = text(client.get(world["url"]))
    assert "Claire Fontaine" in body and "Medicalis SAS" in body and "Télésuivi" in body
    assert world["match"].reference in body
    assert "Same organisation: Medicalis" in body
    assert count(AuditEvent, AuditEvent.action == "conflict.suggested") == 1
    detect(client, world)
    assert count(Conflict) == 1  # never twice


def test_confirming_a_suggestion_removes_the_assignment_and_the_juror_gets_404(
        client, login_as, world, app):
    login_as(world["organizer"])
    detect(client, world)
    conflict = only_conflict()
    response = client.post(f"{world['url']}/{conflict.id}/confirm")
    assert location_path(response) == world["url"]
    assert only_conflict().status is ConflictStatus.CONFIRMED
    assert count(Assignment) == 0 and count(ScoreSheet) == 0
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "assignment.removed_for_conflict")).one()
    assert event.data["sheet_status"] == "draft"
    juror_client = app.test_client()
    login_as(world["juror"], juror_client)
    reference = world["match"].reference
    page = juror_client.get(f"/jury/{world['edition'].slug}/dossiers/{reference}")
    assert page.status_code == 404


def test_a_conflicted_juror_gets_404_even_if_an_assignment_is_published(
        client, login_as, world, app):
    login_as(world["organizer"])
    detect(client, world)
    client.post(f"{world['url']}/{only_conflict().id}/confirm")
    assign(world["edition"].rounds[0], world["match"], world["juror"])  # e.g. a stale import
    db.session.commit()
    juror_client = app.test_client()
    login_as(world["juror"], juror_client)
    reference = world["match"].reference
    assert juror_client.get(f"/jury/{world['edition'].slug}/dossiers/{reference}"
                            ).status_code == 404
    assert reference not in text(juror_client.get(f"/jury/{world['edition'].slug}/"))


def test_a_dismissed_suggestion_stays_dismissed_and_can_be_confirmed_later(
        client, login_as, world):
    login_as(world["organizer"])
    detect(client, world)
    conflict_id = only_conflict().id
    client.post(f"{world['url']}/{conflict_id}/dismiss")
    assert only_conflict().status is ConflictStatus.DISMISSED
    assert count(Assignment) == 1  # a dismissal takes nothing away
    detect(client, world)
    assert only_conflict().status is ConflictStatus.DISMISSED
    client.post(f"{world['url']}/{conflict_id}/confirm")
    assert only_conflict().status is ConflictStatus.CONFIRMED
    assert count(Assignment) == 0


def test_lifting_a_confirmed_conflict_needs_a_reason(client, login_as, world):
    login_as(world["organizer"])
    detect(client, world)
    conflict_id = only_conflict().id
    client.post(f"{world['url']}/{conflict_id}/confirm")
    refused = client.post(f"{world['url']}/{conflict_id}/dismiss", data={"reason": " "})
    assert refused.status_code == 400
    assert fr("Give the reason why this confirmed conflict is lifted.") in text(refused)
    assert only_conflict().status is ConflictStatus.CONFIRMED
    lifted = client.post(f"{world['url']}/{conflict_id}/dismiss",
                         data={"reason": "Another Claire"})
    assert location_path(lifted) == world["url"]
    assert only_conflict().status is ConflictStatus.DISMISSED


def test_an_organizer_adds_a_conflict_by_hand(client, login_as, world):
    login_as(world["organizer"])
    body = text(client.get(world["url"]))
    assert f'<option value="{world["other_juror"].id}">Paul Girard (Biotech Ouest)' in body
    response = client.post(world["url"] + "/add", data={
        "juror": str(world["juror"].id), "dossier": str(world["plain"].id),
        "reason": "Shareholder"})
    assert location_path(response) == world["url"]
    conflict = only_conflict()
    assert (conflict.juror_id, conflict.dossier_id, conflict.source, conflict.status,
            conflict.reason) == (world["juror"].id, world["plain"].id, ConflictSource.MANUAL,
                                 ConflictStatus.CONFIRMED, "Shareholder")
    assert count(AuditEvent, AuditEvent.action == "conflict.added") == 1
    again = client.post(world["url"] + "/add", data={
        "juror": str(world["juror"].id), "dossier": str(world["plain"].id)})
    assert again.status_code == 409
    assert count(Conflict) == 1


@pytest.mark.parametrize("data", [{}, {"juror": "0", "dossier": "0"},
                                  {"juror": "999999", "dossier": "1"}])
def test_adding_without_a_valid_juror_and_application_is_refused(client, login_as, world, data):
    login_as(world["organizer"])
    assert client.post(world["url"] + "/add", data=data).status_code == 400
    assert count(Conflict) == 0


def test_a_juror_or_dossier_of_another_edition_cannot_be_added(client, login_as, world):
    other = make_edition("autre-edition")
    stranger, _ = make_juror(other)
    elsewhere = make_dossier(other, make_user())
    db.session.commit()
    login_as(world["organizer"])
    for juror_id, dossier_id in ((stranger.id, world["plain"].id),
                                 (world["juror"].id, elsewhere.id)):
        response = client.post(world["url"] + "/add", data={
            "juror": str(juror_id), "dossier": str(dossier_id)})
        assert response.status_code == 400
    assert count(Conflict) == 0


def test_the_organizer_of_another_edition_gets_404_everywhere(client, login_as, world):
    login_as(world["organizer"])
    detect(client, world)
    conflict_id = only_conflict().id
    intruder = make_user()
    other = make_edition("autre")
    add_role(intruder, other, Role.ORGANIZER)
    db.session.commit()
    login_as(intruder)
    assert client.get(world["url"]).status_code == 404
    for tail in ("/detect", "/add", f"/{conflict_id}/confirm", f"/{conflict_id}/dismiss"):
        assert client.post(world["url"] + tail, data={"reason": "x"}).status_code == 404, tail
    # Through their own edition's address, the other edition's conflict does not exist either.
    own = f"/admin/editions/{other.slug}/conflicts/{conflict_id}/confirm"
    assert client.post(own).status_code == 404
    assert only_conflict().status is ConflictStatus.SUGGESTED


def test_frozen_results_close_the_conflicts(client, login_as, world):
    login_as(world["organizer"])
    detect(client, world)
    conflict_id = only_conflict().id
    world["edition"].phase = Phase.FROZEN
    db.session.commit()
    body = text(client.get(world["url"]))
    assert fr("Detect now") not in body and "/confirm" not in body
    assert client.post(f"{world['url']}/{conflict_id}/confirm").status_code == 409
    assert detect(client, world).status_code == 409
    assert only_conflict().status is ConflictStatus.SUGGESTED


def test_the_page_runs_a_constant_number_of_queries(client, login_as, world, count_queries):
    login_as(world["organizer"])
    url = world["url"]
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    edition = world["edition"]
    for n in range(5):
        juror, _ = make_juror(edition, name=f"Juror Number{n}", organisation=f"Org {n}")
        dossier = make_dossier(edition, make_user())
        db.session.add(Conflict(edition_id=edition.id, juror_id=juror.id,
                                dossier_id=dossier.id, source=ConflictSource.DECLARED,
                                status=list(ConflictStatus)[n % 3], reason=f"Motif-{n}"))
    db.session.commit()
    with count_queries() as many:
        body = text(client.get(url))
    assert body.count("Motif-") == 5
    assert many.count == few.count <= 8
