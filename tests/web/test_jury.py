"""Web, the juror's side: their editions, the confidentiality statement (nothing about any
dossier before it), conflict declarations, preferences, and the assigned dossiers read-only
(404 for anything unassigned, unpublished or in conflict, files included)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import add_role, make_dossier, make_edition, make_user
from tests.helpers import count, fr, location_path, text
from tests.services.test_conflicts import assign, make_juror
from trophies.domain.vocabulary import (
    ConflictSource,
    ConflictStatus,
    DossierStatus,
    Language,
    Phase,
    PreferenceLevel,
    QuestionKind,
    Role,
    SheetStatus,
)
from trophies.models import (
    Answer,
    Assignment,
    AuditEvent,
    Conflict,
    Founder,
    JurorPreference,
    JurorProfile,
    Question,
    db,
    utcnow,
)
from trophies.services import files
from trophies.services.demo_pdf import pitch_deck_pdf

DECK = pitch_deck_pdf(company_name="Hélio Lumen", project_title="Capteurs souples",
                      summary="Des capteurs.", city="Nantes", founders=["Ada Martin"], year=2026)


@pytest.fixture
def world(app):
    """An edition in judging: a juror (statement accepted) with published assignments, an
    unpublished one, a dossier with a public answer, a hidden-when-blind answer and files."""
    edition = make_edition("jury-web", phase=Phase.JUDGING)
    juror, profile = make_juror(edition, name="Claire Fontaine")
    dossier = make_dossier(edition, make_user())
    dossier.company_name, dossier.project_title = "Hélio Lumen SAS", "Capteurs souples"
    db.session.add(Founder(dossier_id=dossier.id, full_name="Ada Martin",
                           email="ada@helio.example"))
    public = Question(edition_id=edition.id, key="impact", kind=QuestionKind.LONG_TEXT,
                      label_fr="Impact", label_en="Impact", position=1)
    identity = Question(edition_id=edition.id, key="equipe", kind=QuestionKind.LONG_TEXT,
                        label_fr="Équipe", label_en="Team", position=2,
                        is_hidden_when_blind=True)
    deck = Question(edition_id=edition.id, key="deck", kind=QuestionKind.FILE,
                    label_fr="Pitch deck", label_en="Pitch deck", file_types=["pdf"],
                    position=3, is_hidden_when_blind=True)
    db.session.add_all([public, identity, deck])
    db.session.flush()
    db.session.add_all([
        Answer(dossier_id=dossier.id, question_id=public.id, value="Moins de pertes."),
        Answer(dossier_id=dossier.id, question_id=identity.id, value="Ada, ex-Polytechnique."),
    ])
    attachment = files.store_upload(dossier, deck, filename="deck-helio.pdf", data=DECK)
    unpublished = make_dossier(edition, make_user())
    unpublished.company_name = "Secret Pending SAS"
    other = make_dossier(edition, make_user())
    other.company_name = "Nobody Assigned SAS"
    round_ = edition.rounds[0]
    assign(round_, dossier, juror)
    assign(round_, unpublished, juror, published=False)
    db.session.commit()
    return {"edition": edition, "juror": juror, "profile": profile, "dossier": dossier,
            "attachment": attachment, "unpublished": unpublished, "other": other,
            "round": round_}


def page(client, path):
    response = client.get(path)
    return response, text(response)


def jury_url(world, tail=""):
    return f"/jury/{world['edition'].slug}/{tail}"


# --- the overview and the edition page ------------------------------------------------------


def test_the_overview_lists_the_jurors_editions_with_the_next_step(client, login_as, world):
    login_as(world["juror"])
    response, body = page(client, "/jury/")
    assert response.status_code == 200
    assert world["edition"].name_fr in body
    assert f'href="/jury/{world["edition"].slug}/conflicts"' in body  # statement done: next
    assert fr("%(submitted)d of %(assigned)d score sheets submitted, %(drafts)d in progress.",
              submitted=0, assigned=1, drafts=0) in body


def test_a_withdrawn_juror_no_longer_sees_the_edition_in_the_overview(client, login_as, world):
    world["profile"].withdrawn_at = utcnow()
    db.session.commit()
    body = text(login_as(world["juror"]).get("/jury/"))
    assert world["edition"].name_fr not in body


def test_a_juror_invited_again_reads_nothing_until_they_accept_the_new_invitation(
        client, login_as, world):
    world["profile"].accepted_at = None  # removed, then re-invited: the new link is pending
    db.session.commit()
    login_as(world["juror"])
    assert client.get(jury_url(world)).status_code == 404
    assert client.get(jury_url(world, f"dossiers/{world['dossier'].reference}")).status_code == 404
    assert client.get(f"/files/{world['attachment'].id}").status_code == 404


def test_the_overview_counts_only_published_assignments(client, login_as, world):
    login_as(world["juror"])
    body = text(client.get("/dashboard"))
    message = "%(submitted)d of %(assigned)d score sheets submitted, %(drafts)d in progress."
    assert fr(message, submitted=0, assigned=1, drafts=0) in body
    assert fr(message, submitted=0, assigned=2, drafts=0) not in body


def test_the_edition_page_lists_only_published_assignments_per_round(client, login_as, world):
    login_as(world["juror"])
    response, body = page(client, jury_url(world))
    assert response.status_code == 200
    assert "Capteurs souples" in body and "Hélio Lumen SAS" in body
    assert (f'href="/jury/{world["edition"].slug}/rounds/1/dossiers/'
            f'{world["dossier"].reference}"') in body
    assert "Secret Pending" not in body and world["unpublished"].reference not in body
    assert "Nobody Assigned" not in body


def test_nothing_about_any_dossier_shows_before_the_statement_is_accepted(
        client, login_as, world):
    world["profile"].confidentiality_accepted_at = None
    db.session.commit()
    login_as(world["juror"])
    response, body = page(client, jury_url(world))
    assert response.status_code == 200
    for secret in ("Capteurs souples", "Hélio", world["dossier"].reference,
                   world["other"].reference):
        assert secret not in body
    assert f'href="/jury/{world["edition"].slug}/confidentiality"' in body
    conflicts_page = client.get(jury_url(world, "conflicts"))
    assert conflicts_page.status_code == 302
    assert location_path(conflicts_page) == f"/jury/{world['edition'].slug}/confidentiality"
    # The assigned dossier sends to the statement; any other is simply not found.
    assigned = client.get(jury_url(world, f"dossiers/{world['dossier'].reference}"))
    assert location_path(assigned) == f"/jury/{world['edition'].slug}/confidentiality"
    assert client.get(jury_url(world, f"dossiers/{world['other'].reference}")).status_code == 404
    assert client.get(f"/files/{world['attachment'].id}").status_code == 404


@pytest.mark.parametrize("who", ["stranger", "candidate", "organizer", "withdrawn", "other"])
def test_anyone_but_an_active_juror_of_the_edition_gets_404(client, login_as, world, who):
    edition = world["edition"]
    if who == "withdrawn":
        user = world["juror"]
        world["profile"].withdrawn_at = utcnow()
    elif who == "other":
        user, _ = make_juror(make_edition("ailleurs"))
    else:
        user = make_user()
        if who != "stranger":
            add_role(user, edition, Role(who))
    db.session.commit()
    login_as(user)
    for tail in ("", "confidentiality", "conflicts",
                 f"dossiers/{world['dossier'].reference}"):
        assert client.get(jury_url(world, tail)).status_code == 404, tail


def test_the_edition_page_runs_a_constant_number_of_queries(
        client, login_as, world, count_queries):
    login_as(world["juror"])
    url = jury_url(world)
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    final = world["edition"].rounds[0]
    for n in range(6):
        extra = make_dossier(world["edition"], make_user())
        assign(final, extra, world["juror"], sheet=SheetStatus.DRAFT if n % 2 else None)
    db.session.commit()
    with count_queries() as many:
        body = text(client.get(url))
    assert body.count("/dossiers/") == 7
    assert many.count == few.count <= 6


# --- the statement --------------------------------------------------------------------------


def test_accepting_the_statement_needs_the_box_ticked_and_is_audited(client, login_as, world):
    world["profile"].confidentiality_accepted_at = None
    db.session.commit()
    login_as(world["juror"])
    response, body = page(client, jury_url(world, "confidentiality"))
    assert response.status_code == 200
    assert 'name="accept"' in body
    refused = client.post(jury_url(world, "confidentiality"), data={})
    assert refused.status_code == 400
    db.session.expire_all()
    assert db.session.get(JurorProfile, world["profile"].id).confidentiality_accepted_at is None
    accepted = client.post(jury_url(world, "confidentiality"), data={"accept": "y"})
    assert location_path(accepted) == jury_url(world)
    db.session.expire_all()
    assert db.session.get(JurorProfile, world["profile"].id).confidentiality_accepted_at
    assert count(AuditEvent, AuditEvent.action == "juror.confidentiality_accepted") == 1
    again = client.post(jury_url(world, "confidentiality"), data={"accept": "y"})
    assert again.status_code == 200  # already accepted: shown, nothing recorded twice
    assert count(AuditEvent, AuditEvent.action == "juror.confidentiality_accepted") == 1


def test_the_editions_own_statement_is_shown_in_the_jurors_language(client, login_as, world):
    edition = world["edition"]
    edition.confidentiality_fr = "Engagement propre à l’édition."
    edition.confidentiality_en = "The edition's own statement."
    world["juror"].language = Language.EN
    db.session.commit()
    login_as(world["juror"])
    client.post("/account/language", data={"lang": "en"})
    body = text(client.get(jury_url(world, "confidentiality")))
    assert "The edition's own statement." in body
    assert "Engagement propre" not in body


def test_the_standard_statement_covers_confidentiality_conflicts_and_deletion(
        client, login_as, world):
    login_as(world["juror"])
    client.post("/account/language", data={"lang": "en"})
    body = text(client.get(jury_url(world, "confidentiality")))
    for words in ("confidential", "do not disclose", "conflict of interest", "delete the files"):
        assert words in body


# --- conflicts ------------------------------------------------------------------------------


def test_the_declaration_list_shows_names_only_of_the_dossiers_in_judging(
        client, login_as, world):
    edition = world["edition"]
    draft = make_dossier(edition, make_user(), status=DossierStatus.DRAFT)
    withdrawn = make_dossier(edition, make_user(), status=DossierStatus.WITHDRAWN)
    db.session.commit()
    login_as(world["juror"])
    response, body = page(client, jury_url(world, "conflicts"))
    assert response.status_code == 200
    for dossier in (world["dossier"], world["unpublished"], world["other"]):
        assert dossier.reference in body and dossier.company_name in body
    assert draft.reference not in body and withdrawn.reference not in body
    assert "Moins de pertes" not in body and "Ada Martin" not in body  # no content


def test_a_blind_edition_lists_project_titles_without_company_names(client, login_as, world):
    world["edition"].is_blind = True
    db.session.commit()
    login_as(world["juror"])
    body = text(client.get(jury_url(world, "conflicts")))
    assert "Capteurs souples" in body
    assert "Hélio Lumen" not in body and "Nobody Assigned" not in body


def test_declaring_a_conflict_confirms_it_removes_the_assignment_and_hides_the_dossier(
        client, login_as, world):
    login_as(world["juror"])
    dossier = world["dossier"]
    response = client.post(jury_url(world, "conflicts"), data={
        "dossier": [str(dossier.id), "999999"], "reason": "I advise them", "answer": "conflicts"})
    assert location_path(response) == jury_url(world)
    conflict = db.session.scalars(select(Conflict)).one()
    assert (conflict.juror_id, conflict.dossier_id, conflict.source, conflict.status,
            conflict.reason) == (world["juror"].id, dossier.id, ConflictSource.DECLARED,
                                 ConflictStatus.CONFIRMED, "I advise them")
    assert count(Assignment, Assignment.dossier_id == dossier.id) == 0
    assert client.get(jury_url(world, f"dossiers/{dossier.reference}")).status_code == 404
    assert dossier.project_title not in text(client.get(jury_url(world)))
    again = text(client.get(jury_url(world, "conflicts")))
    assert f'value="{dossier.id}"' not in again  # recorded: it cannot be unticked


def test_no_conflict_is_a_valid_answer_and_contradictions_are_refused(client, login_as, world):
    login_as(world["juror"])
    empty = client.post(jury_url(world, "conflicts"), data={"answer": "conflicts"})
    assert empty.status_code == 400
    both = client.post(jury_url(world, "conflicts"), data={
        "answer": "none", "dossier": str(world["other"].id)})
    assert both.status_code == 400
    assert f'value="{world["other"].id}" id="conflict-{world["other"].id}" checked' in text(both)
    db.session.expire_all()
    assert db.session.get(JurorProfile, world["profile"].id).conflicts_declared_at is None
    none = client.post(jury_url(world, "conflicts"), data={"answer": "none"})
    assert location_path(none) == jury_url(world)
    db.session.expire_all()
    assert db.session.get(JurorProfile, world["profile"].id).conflicts_declared_at
    assert count(Conflict) == 0


def test_a_dossier_of_another_edition_cannot_be_declared(client, login_as, world):
    elsewhere = make_dossier(make_edition("autre"), make_user())
    db.session.commit()
    login_as(world["juror"])
    response = client.post(jury_url(world, "conflicts"), data={
        "answer": "conflicts", "dossier": str(elsewhere.id)})
    assert response.status_code == 400  # nothing ticked among the listed dossiers
    assert count(Conflict) == 0


# --- preferences ----------------------------------------------------------------------------


def test_preferences_exist_only_when_the_edition_collects_them(client, login_as, world):
    login_as(world["juror"])
    assert client.get(jury_url(world, "preferences")).status_code == 404
    world["edition"].has_preferences = True
    db.session.commit()
    response, body = page(client, jury_url(world, "preferences"))
    assert response.status_code == 200
    assert body.count('type="radio"') == 3 * 3
    assert f'name="pref-{world["other"].id}"' in body
    saved = client.post(jury_url(world, "preferences"), data={
        f"pref-{world['other'].id}": "want", f"pref-{world['dossier'].id}": "bogus"})
    assert location_path(saved) == jury_url(world)
    levels = dict(db.session.execute(select(JurorPreference.dossier_id,
                                            JurorPreference.level)).all())
    assert levels == {world["other"].id: PreferenceLevel.WANT,
                      world["dossier"].id: PreferenceLevel.CAN,
                      world["unpublished"].id: PreferenceLevel.CAN}
    assert count(AuditEvent, AuditEvent.action == "juror.preferences_saved") == 1


# --- the dossier page -----------------------------------------------------------------------


def test_an_assigned_juror_reads_the_dossier_and_downloads_its_files(client, login_as, world):
    login_as(world["juror"])
    response, body = page(client, jury_url(world,
                                           f"rounds/1/dossiers/{world['dossier'].reference}"))
    assert response.status_code == 200
    for shown in ("Capteurs souples", "Hélio Lumen SAS", "Ada Martin", "Moins de pertes",
                  "Ada, ex-Polytechnique", "deck-helio.pdf"):
        assert shown in body
    assert "ada@helio.example" not in body  # founders' e-mails are not the jury's business
    assert f'href="/files/{world["attachment"].id}"' in body
    download = client.get(f"/files/{world['attachment'].id}")
    assert download.status_code == 200 and download.get_data() == DECK


def test_a_blind_edition_hides_who_applied_and_the_questions_hidden_when_blind(
        client, login_as, world):
    world["edition"].is_blind = True
    db.session.commit()
    login_as(world["juror"])
    response, body = page(client, jury_url(world,
                                           f"rounds/1/dossiers/{world['dossier'].reference}"))
    assert response.status_code == 200
    assert "Capteurs souples" in body and "Moins de pertes" in body
    for hidden in ("Hélio", "Ada Martin", "ex-Polytechnique", "deck-helio.pdf",
                   f'/files/{world["attachment"].id}'):
        assert hidden not in body
    assert client.get(f"/files/{world['attachment'].id}").status_code == 404


def test_in_a_blind_edition_a_downloaded_file_keeps_the_candidates_file_name_hidden(
        client, login_as, world):
    world["edition"].is_blind = True
    db.session.get(Question, world["attachment"].question_id).is_hidden_when_blind = False
    db.session.commit()
    login_as(world["juror"])
    download = client.get(f"/files/{world['attachment'].id}")
    assert download.status_code == 200 and download.get_data() == DECK
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and disposition.endswith(".pdf")
    assert "helio" not in disposition.casefold()


@pytest.mark.parametrize("case", ["unpublished", "unassigned", "conflicted", "withdrawn",
                                  "draft", "ineligible", "dossier_withdrawn"])
def test_a_juror_gets_404_on_a_dossier_they_must_not_read_and_on_its_files(
        client, login_as, world, case):
    dossier = world["dossier"]
    if case == "unpublished":
        dossier = world["unpublished"]
    elif case == "unassigned":
        dossier = world["other"]
    elif case == "conflicted":
        db.session.add(Conflict(edition_id=world["edition"].id, juror_id=world["juror"].id,
                                dossier_id=dossier.id, source=ConflictSource.MANUAL,
                                status=ConflictStatus.CONFIRMED))
    elif case == "withdrawn":
        world["profile"].withdrawn_at = utcnow()
    elif case == "ineligible":  # decided after the assignment was published (screening)
        dossier.status, dossier.eligibility_reason = DossierStatus.INELIGIBLE, "Hors zone"
    elif case == "dossier_withdrawn":
        dossier.status = DossierStatus.WITHDRAWN
    else:
        dossier.status, dossier.submitted_at = DossierStatus.DRAFT, None
    db.session.commit()
    assert count(Assignment, Assignment.dossier_id == world["dossier"].id) == 1
    login_as(world["juror"])
    assert client.get(jury_url(world, f"dossiers/{dossier.reference}")).status_code == 404
    assert client.get(jury_url(world, f"rounds/1/dossiers/{dossier.reference}")
                      ).status_code == 404
    if case in ("ineligible", "dossier_withdrawn"):
        assert dossier.project_title not in text(client.get(jury_url(world)))
    if dossier is world["dossier"]:
        assert client.get(f"/files/{world['attachment'].id}").status_code == 404


# --- the edition's settings -----------------------------------------------------------------


def test_the_organizer_sets_the_statement_and_turns_preferences_on_in_the_settings(
        client, login_as, world, app):
    organizer = make_user()
    add_role(organizer, world["edition"], Role.ORGANIZER)
    db.session.commit()
    login_as(organizer)
    settings = f"/admin/editions/{world['edition'].slug}/setup"
    form = text(client.get(settings))
    assert 'name="has_preferences"' in form and 'name="confidentiality_fr"' in form
    response = client.post(settings, data={
        "name_fr": "Trophées", "timezone": "Europe/Paris", "retention_months": "24",
        "aggregation": "mean", "max_jurors_per_organisation": "1", "has_preferences": "y",
        "confidentiality_fr": "  Je garde le secret des candidatures.  "})
    assert response.status_code == 302
    db.session.expire_all()
    edition = world["edition"]
    assert edition.has_preferences is True
    assert edition.confidentiality_fr == "Je garde le secret des candidatures."
    assert edition.confidentiality_en == ""  # left out of the form: empty, never "None"
    juror_client = app.test_client()
    login_as(world["juror"], juror_client)
    statement = text(juror_client.get(jury_url(world, "confidentiality")))
    assert "Je garde le secret des candidatures." in statement
    assert juror_client.get(jury_url(world, "preferences")).status_code == 200
