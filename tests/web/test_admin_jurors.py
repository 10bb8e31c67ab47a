"""Organizers manage the jury: invite one juror or a CSV list, see who accepted, resend, edit,
remove (freeing the assignments nobody started); another edition's organizer gets 404."""

from __future__ import annotations

import codecs
import io

import pytest
from sqlalchemy import select

from tests.factories import add_role, make_dossier, make_edition, make_user
from tests.helpers import count, en, fr, frn, link_path, messages, text
from trophies.domain.vocabulary import Language, Role, SheetStatus
from trophies.models import (
    Assignment,
    AuditEvent,
    JurorProfile,
    OutboxMessage,
    ScoreSheet,
    User,
    db,
    utcnow,
)
from trophies.services import accounts
from trophies.services import jurors as service


@pytest.fixture
def jury(app):
    edition = make_edition("jury", categories=("Équité", "Souveraineté"))
    organizer = make_user("orga@example.org", full_name="Olga")
    add_role(organizer, edition, Role.ORGANIZER)
    db.session.commit()
    return edition, organizer


def profile_of(email: str) -> JurorProfile | None:
    db.session.expire_all()
    return db.session.scalar(select(JurorProfile).join(User).where(User.email == email))


def invite(edition, organizer, email="juror@example.org", **details) -> JurorProfile:
    profile = service.invite_juror(edition, email=email, full_name=details.pop("name", "Jo"),
                                   actor=organizer, **details).profile
    db.session.commit()
    return profile


# --- the list and the invitation form -------------------------------------------------------


def test_an_organizer_invites_a_juror_who_gets_the_email_in_their_language(jury, client,
                                                                           login_as):
    edition, organizer = jury
    login_as(organizer)
    response = client.post("/admin/editions/jury/jurors", data={
        "email": "Grace@Example.org", "full_name": "Grace Hopper", "language": "en",
        "organisation": "CHU de Nantes", "expertise": [str(edition.categories[1].id)],
        "capacity": "6"})
    assert response.status_code == 302
    page = text(client.get("/admin/editions/jury/jurors"))
    assert fr("Invitation sent to %(name)s (%(email)s).", name="Grace Hopper",
              email="grace@example.org") in page
    for shown in ("Grace Hopper", "grace@example.org", "CHU de Nantes", "Souveraineté"):
        assert shown in page, shown
    assert fr("Invited on %(date)s", date="") in page
    [mail] = messages(to="grace@example.org")
    assert mail.template == "invitation" and mail.language == Language.EN
    profile = profile_of("grace@example.org")
    assert profile.capacity == 6 and [c.name_fr for c in profile.expertise] == ["Souveraineté"]


def test_an_invalid_address_is_refused_with_the_form_kept(jury, client, login_as):
    edition, organizer = jury
    login_as(organizer)
    response = client.post("/admin/editions/jury/jurors", data={
        "email": "not-an-address", "full_name": "Nobody", "language": "fr", "capacity": "-3"})
    assert response.status_code == 400
    page = text(response)
    assert fr("Enter a valid e-mail address, like name@example.org.") in page
    assert 'value="Nobody"' in page
    assert count(JurorProfile) == 0 and count(OutboxMessage) == 0


def test_inviting_an_address_already_on_the_jury_says_so_and_sends_nothing(jury, client,
                                                                           login_as):
    edition, organizer = jury
    invite(edition, organizer, name="Jo", organisation="Inria")
    login_as(organizer)
    client.post("/admin/editions/jury/jurors", data={
        "email": "juror@example.org", "full_name": "Other", "language": "en",
        "organisation": "Inria", "capacity": "2"})
    page = text(client.get("/admin/editions/jury/jurors"))
    assert fr("%(name)s is already on the jury, so no invitation was sent; their details have "
              "been updated.", name="Jo") in page
    assert count(OutboxMessage) == 1
    assert profile_of("juror@example.org").capacity == 2


def test_the_list_shows_progress_and_assignments_per_round(jury, client, login_as):
    edition, organizer = jury
    accepted = invite(edition, organizer, "a@example.org", name="Anne")
    invite(edition, organizer, "b@example.org", name="Basile")
    token = link_path(messages(to="a@example.org")[0], "/account/invitation/").rsplit("/")[-1]
    accounts.accept_invitation(token, user=accepted.user, password="un velo bleu sous la neige")
    accepted.confidentiality_accepted_at = utcnow()
    for published in (True, False):
        db.session.add(Assignment(round_id=edition.rounds[0].id, juror_id=accepted.user_id,
                                  dossier_id=make_dossier(edition, make_user()).id,
                                  published_at=utcnow() if published else None))
    db.session.commit()
    login_as(organizer)
    page = text(client.get("/admin/editions/jury/jurors"))
    assert fr("Confidentiality statement accepted") in page
    assert fr("Conflicts not declared yet") in page
    assert fr("published: %(num)s", num="1") in page
    assert fr("Resend the invitation") in page  # for Basile only
    assert page.count(fr("Resend the invitation")) == 1


def test_the_jurors_page_runs_the_same_number_of_queries_for_3_or_30_jurors(jury, client,
                                                                          login_as,
                                                                          count_queries):
    edition, organizer = jury
    login_as(organizer)
    path = "/admin/editions/jury/jurors"
    numbers = []
    for total in (3, 30):
        while count(JurorProfile) < total:
            n = count(JurorProfile)
            profile = invite(edition, organizer, f"j{n}@example.org", name=f"Juré {n}",
                             organisation=f"Org {n % 4}", expertise=edition.categories[:n % 3])
            db.session.add(Assignment(round_id=edition.rounds[0].id, juror_id=profile.user_id,
                                      dossier_id=make_dossier(edition, make_user()).id))
            db.session.commit()
        client.get(path)
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        numbers.append(counter.count)
    assert numbers[0] == numbers[1], numbers
    assert numbers[0] <= 10, numbers


def test_the_edition_page_leads_to_the_jurors_conflicts_and_each_rounds_assignment(
        jury, client, login_as):
    login_as(jury[1])
    page = text(client.get("/admin/editions/jury"))
    for href in ("/admin/editions/jury/jurors", "/admin/editions/jury/conflicts",
                 "/admin/editions/jury/rounds/1/assignment"):
        assert f'href="{href}"' in page, href


# --- import ---------------------------------------------------------------------------------


def test_a_french_csv_file_with_bom_and_semicolons_invites_every_juror(jury, client, login_as):
    edition, organizer = jury
    login_as(organizer)
    csv = ("Courriel;Nom;Organisation;Catégories;Capacité;Langue\r\n"
           "alice@example.org;Alice Martin;CHU de Nantes;\"EQUITE; souveraineté\";10;fr\r\n"
           "bob@example.org;Bob Smith;;;;en\r\n")
    data = {"language": "fr",
            "file": (io.BytesIO(codecs.BOM_UTF8 + csv.encode("utf-8")), "jures.csv")}
    response = client.post("/admin/editions/jury/jurors/import", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 302
    page = text(client.get("/admin/editions/jury/jurors"))
    assert fr("Import done — invited: %(invited)d, invited again: %(reinvited)d, updated: "
              "%(updated)d, unchanged: %(unchanged)d.", invited=2, reinvited=0, updated=0,
              unchanged=0) in page
    alice = profile_of("alice@example.org")
    assert alice.capacity == 10 and len(alice.expertise) == 2
    assert {m.recipient: m.language for m in messages(template="invitation")} == {
        "alice@example.org": "fr", "bob@example.org": "en"}
    assert count(AuditEvent, AuditEvent.action == "jurors.imported") == 1


def test_pasted_text_with_problems_imports_nothing_and_lists_them_by_line(jury, client,
                                                                         login_as):
    edition, organizer = jury
    login_as(organizer)
    response = client.post("/admin/editions/jury/jurors/import", data={
        "language": "en",
        "text": "email,name,expertise\nok@example.org,Ok,\nbad@,Bad,\nx@example.org,X,Mars\n"})
    assert response.status_code == 400
    page = text(response)
    assert fr("Line %(line)d: “%(value)s” is not a valid e-mail address.", line=3,
              value="bad@") in page
    assert fr("Line %(line)d: no category is called “%(value)s”.", line=4, value="Mars") in page
    assert 'data-autofocus' in page
    assert count(JurorProfile) == 0 and count(OutboxMessage) == 0


def test_pasted_text_in_english_is_imported_in_the_chosen_default_language(jury, client,
                                                                          login_as):
    edition, organizer = jury
    login_as(organizer)
    response = client.post("/admin/editions/jury/jurors/import", data={
        "language": "en", "text": "email,name\nann@example.org,Ann\n"})
    assert response.status_code == 302
    assert messages(to="ann@example.org")[0].language == Language.EN


def test_an_empty_import_form_asks_for_text_or_a_file(jury, client, login_as):
    login_as(jury[1])
    response = client.post("/admin/editions/jury/jurors/import", data={"language": "fr"})
    assert response.status_code == 400
    assert fr("Paste the CSV text or choose a file.") in text(response)


# --- resend, edit, remove -------------------------------------------------------------------


def test_resending_sends_a_new_link_until_the_juror_accepts(jury, client, login_as):
    edition, organizer = jury
    profile = invite(edition, organizer, language=Language.EN)
    login_as(organizer)
    url = f"/admin/editions/jury/jurors/{profile.id}/resend"
    assert client.post(url).status_code == 302
    mails = messages(to="juror@example.org", template="invitation")
    assert len(mails) == 2 and mails[-1].language == Language.EN
    token = link_path(mails[-1], "/account/invitation/").rsplit("/")[-1]
    accounts.accept_invitation(token, user=profile_of("juror@example.org").user,
                               password="un velo bleu sous la neige")
    db.session.commit()
    client.post(url)
    page = text(client.get("/admin/editions/jury/jurors"))
    assert fr("%(name)s has already accepted the invitation: there is nothing to resend.",
              name="Jo") in page
    assert len(messages(template="invitation")) == 2


def test_an_organizer_edits_a_jurors_details(jury, client, login_as):
    edition, organizer = jury
    profile = invite(edition, organizer, organisation="Inria", capacity=3)
    login_as(organizer)
    page = text(client.get(f"/admin/editions/jury/jurors/{profile.id}"))
    assert 'value="Inria"' in page and 'value="3"' in page
    response = client.post(f"/admin/editions/jury/jurors/{profile.id}", data={
        "organisation": "CNRS", "expertise": [str(c.id) for c in edition.categories],
        "capacity": ""})
    assert response.status_code == 302
    profile = profile_of("juror@example.org")
    assert profile.organisation == "CNRS" and profile.organisation_key == "cnrs"
    assert profile.capacity is None and len(profile.expertise) == 2
    assert count(AuditEvent, AuditEvent.action == "juror.updated") == 1
    bad = client.post(f"/admin/editions/jury/jurors/{profile.id}", data={"capacity": "1001"})
    assert bad.status_code == 400
    assert profile_of("juror@example.org").organisation == "CNRS"


def test_removal_needs_the_confirmation_then_frees_only_unstarted_assignments(jury, client,
                                                                              login_as):
    edition, organizer = jury
    profile = invite(edition, organizer, language=Language.EN)
    ids = []
    for started in (False, False, True):
        assignment = Assignment(round_id=edition.rounds[0].id, juror_id=profile.user_id,
                                dossier_id=make_dossier(edition, make_user()).id)
        db.session.add(assignment)
        db.session.flush()
        if started:
            db.session.add(ScoreSheet(assignment_id=assignment.id,
                                      status=SheetStatus.SUBMITTED, submitted_at=utcnow()))
        ids.append(assignment.id)
    db.session.commit()
    login_as(organizer)
    page = text(client.get(f"/admin/editions/jury/jurors/{profile.id}"))
    assert frn("%(num)d score sheet already started is kept.", 1) in page
    url = f"/admin/editions/jury/jurors/{profile.id}/remove"
    refused = client.post(url, data={"remove-notify": "y"})
    assert refused.status_code == 400
    assert fr("Tick the box to confirm.") in text(refused)
    assert profile_of("juror@example.org").withdrawn_at is None and count(Assignment) == 3

    response = client.post(url, data={"remove-confirm": "y", "remove-notify": "y"})
    assert response.status_code == 302
    assert profile_of("juror@example.org").withdrawn_at is not None
    assert list(db.session.scalars(select(Assignment.id))) == [ids[2]]
    [notice] = messages(template="juror_removed")
    assert notice.language == Language.EN
    page = text(client.get("/admin/editions/jury/jurors"))
    assert en("Invite again") in page or fr("Invite again") in page
    assert client.post(f"/admin/editions/jury/jurors/{profile.id}/resend").status_code == 302
    assert profile_of("juror@example.org").withdrawn_at is None


# --- object-level authorization -------------------------------------------------------------


def test_an_organizer_of_another_edition_gets_404_everywhere(jury, client, login_as):
    edition, organizer = jury
    profile = invite(edition, organizer)
    other = make_edition("other")
    stranger = make_user()
    add_role(stranger, other, Role.ORGANIZER)
    db.session.commit()
    login_as(stranger)
    base = "/admin/editions/jury/jurors"
    for path in (base, f"{base}/import", f"{base}/{profile.id}"):
        assert client.get(path).status_code == 404, path
    for path in (base, f"{base}/import", f"{base}/{profile.id}", f"{base}/{profile.id}/resend",
                 f"{base}/{profile.id}/remove"):
        assert client.post(path, data={"email": "x@example.org", "full_name": "X",
                                        "remove-confirm": "y"}).status_code == 404, path
    # their own edition does not reach this edition's jurors either
    assert client.get(f"/admin/editions/other/jurors/{profile.id}").status_code == 404
    assert client.post(f"/admin/editions/other/jurors/{profile.id}/remove",
                       data={"remove-confirm": "y"}).status_code == 404
    assert profile_of("juror@example.org").withdrawn_at is None
    assert len(messages(template="invitation")) == 1


def test_jurors_and_candidates_cannot_reach_the_jury_pages(jury, client, login_as):
    edition, organizer = jury
    profile = invite(edition, organizer)
    juror = make_user()
    add_role(juror, edition, Role.JUROR)
    db.session.commit()
    login_as(juror)
    assert client.get("/admin/editions/jury/jurors").status_code == 403
    assert client.post(f"/admin/editions/jury/jurors/{profile.id}/remove",
                       data={"remove-confirm": "y"}).status_code == 403
    assert profile_of("juror@example.org").withdrawn_at is None
