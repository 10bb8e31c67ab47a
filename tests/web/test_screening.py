"""Organizers screen eligibility: in bulk, reasons required to refuse, candidates notified in
their language, audited, changeable until judging starts."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.factories import add_role, make_dossier, make_edition, make_user
from trophies.domain.vocabulary import DossierStatus, Language, Phase, QuestionKind, Role
from trophies.models import Answer, AuditEvent, Dossier, OutboxMessage, Question, db


def _setup(phase=Phase.SCREENING):
    edition = make_edition("tri", phase=phase)
    edition.eligibility_rules = [{"question": "annee", "rule": "between", "min": 2016}]
    question = Question(edition_id=edition.id, key="annee", kind=QuestionKind.NUMBER,
                        label_fr="Année de création", label_en="Year founded")
    db.session.add(question)
    organizer = make_user()
    add_role(organizer, edition, Role.ORGANIZER)
    french = make_dossier(edition, make_user(language=Language.FR))
    english = make_dossier(edition, make_user(language=Language.EN))
    db.session.flush()
    db.session.add(Answer(dossier_id=french.id, question_id=question.id, value="2009"))
    db.session.commit()
    return edition, organizer, french, english


def _status(dossier_id):
    db.session.expire_all()
    return db.session.get(Dossier, dossier_id).status


def test_checks_are_shown_as_suggestions_and_a_bulk_decision_notifies_each_candidate(
        client, login_as):
    edition, organizer, french, english = _setup()
    login_as(organizer)
    page = client.get(f"/admin/editions/{edition.slug}/screening").get_data(as_text=True)
    assert "Année de création" in page and "2009" in page
    response = client.post(f"/admin/editions/{edition.slug}/screening",
                           data={"dossier": [str(french.id), str(english.id)],
                                 "decision": "eligible"})
    assert response.status_code == 302
    assert _status(french.id) == DossierStatus.ELIGIBLE == _status(english.id)
    mails = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.template == "eligibility_decided")).all()
    assert sorted(m.language for m in mails) == ["en", "fr"]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "dossier.eligibility_decided")) == 2


def test_refusing_needs_a_reason_which_the_candidate_receives(client, login_as):
    edition, organizer, french, _ = _setup()
    login_as(organizer)
    refused = client.post(f"/admin/editions/{edition.slug}/screening",
                          data={"dossier": str(french.id), "decision": "ineligible"})
    assert refused.status_code == 400
    assert _status(french.id) == DossierStatus.SUBMITTED
    ok = client.post(f"/admin/editions/{edition.slug}/screening",
                     data={"dossier": str(french.id), "decision": "ineligible",
                           "reason": "Entreprise créée en 2009 : plus de dix ans."})
    assert ok.status_code == 302
    assert _status(french.id) == DossierStatus.INELIGIBLE
    mail = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.template == "eligibility_decided"))
    assert "plus de dix ans" in mail.body_text


def test_decisions_are_frozen_once_judging_starts(client, login_as):
    edition, organizer, french, _ = _setup(phase=Phase.JUDGING)
    login_as(organizer)
    response = client.post(f"/admin/editions/{edition.slug}/screening",
                           data={"dossier": str(french.id), "decision": "eligible"})
    assert response.status_code == 400
    assert _status(french.id) == DossierStatus.SUBMITTED


def test_dossiers_of_another_edition_are_ignored(client, login_as):
    edition, organizer, french, _ = _setup()
    other = make_edition("autre-tri", phase=Phase.SCREENING)
    stranger = make_dossier(other, make_user())
    db.session.commit()
    login_as(organizer)
    client.post(f"/admin/editions/{edition.slug}/screening",
                data={"dossier": [str(stranger.id)], "decision": "eligible"})
    assert _status(stranger.id) == DossierStatus.SUBMITTED


def test_organizers_declare_and_remove_automatic_checks(client, login_as):
    edition, organizer, french, _ = _setup()
    login_as(organizer)
    url = f"/admin/editions/{edition.slug}/screening/rules"
    client.post(url, data={"question": "annee", "rule": "between", "max": "2026"})
    client.post(url, data={"question": "annee", "rule": "between", "min": "9", "max": "1"})
    client.post(url, data={"question": "nope", "rule": "present"})
    db.session.expire_all()
    rules = db.session.get(type(edition), edition.id).eligibility_rules
    assert rules == [{"question": "annee", "rule": "between", "min": 2016},
                     {"question": "annee", "rule": "between", "max": 2026}]
    client.post(url, data={"action": "remove", "index": "0"})
    db.session.expire_all()
    assert db.session.get(type(edition), edition.id).eligibility_rules == [
        {"question": "annee", "rule": "between", "max": 2026}]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action.like("eligibility.rule_%"))) == 2
