"""Co-founders invited by e-mail edit the same application; two saves at once are detected."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.factories import make_dossier, make_edition, make_user
from trophies.domain.vocabulary import DossierStatus
from trophies.models import Dossier, DossierMember, OutboxMessage, db


def _invite(client, login_as):
    edition = make_edition("equipe")
    owner = make_user("anne@medilien.example")
    dossier = make_dossier(edition, owner, status=DossierStatus.DRAFT)
    db.session.commit()
    login_as(owner)
    response = client.post(f"/candidate/dossiers/{dossier.reference}/team",
                           data={"email": "Yacine@Medilien.example"})
    assert response.status_code == 302
    message = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.template == "team_invitation"))
    assert message.recipient == "yacine@medilien.example"
    path = re.search(r"https?://[^/\s]+(/candidate/team/\S+)", message.body_text).group(1)
    return edition, owner, dossier, path


def test_an_invited_co_founder_joins_once_and_can_edit(app, client, login_as):
    _, owner, dossier, path = _invite(client, login_as)
    cofounder = make_user("yacine@medilien.example")
    db.session.commit()
    other = app.test_client()
    login_as(cofounder, other)
    assert other.get(f"/candidate/dossiers/{dossier.reference}").status_code == 404
    assert other.get(path).status_code == 200
    assert other.post(path).status_code == 302
    assert other.get(f"/candidate/dossiers/{dossier.reference}").status_code == 200
    assert dossier.reference in other.get("/candidate/").get_data(as_text=True)
    assert other.post(path).status_code == 400  # single use
    # a co-founder edits but does not withdraw
    assert other.post(f"/candidate/dossiers/{dossier.reference}/withdraw").status_code == 403
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).status == DossierStatus.DRAFT


def test_the_invitation_is_only_for_the_invited_address(app, client, login_as):
    _, _, dossier, path = _invite(client, login_as)
    stranger = make_user("mallory@example.org")
    db.session.commit()
    other = app.test_client()
    login_as(stranger, other)
    assert other.post(path).status_code == 200  # explains; changes nothing
    db.session.expire_all()
    member = db.session.scalar(select(DossierMember))
    assert member.user_id is None and member.accepted_at is None
    assert other.get(f"/candidate/dossiers/{dossier.reference}").status_code == 404


def test_two_people_saving_at_once_get_a_conflict_not_an_overwrite(app, client, login_as):
    _, owner, dossier, path = _invite(client, login_as)
    cofounder = make_user("yacine@medilien.example")
    db.session.commit()
    other = app.test_client()
    login_as(cofounder, other)
    other.post(path)
    db.session.expire_all()
    version = db.session.get(Dossier, dossier.id).version
    first = client.post(f"/candidate/dossiers/{dossier.reference}",
                        data={"version": version, "company_name": "Médilien",
                              "project_title": "Version d’Anne", "action": "save"})
    assert first.status_code == 302
    second = other.post(f"/candidate/dossiers/{dossier.reference}",
                        data={"version": version, "company_name": "Médilien",
                              "project_title": "Version de Yacine", "action": "save"})
    assert second.status_code == 409
    assert "Version de Yacine" in second.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).project_title == "Version d’Anne"


def test_inviting_twice_or_the_creator_is_refused(client, login_as):
    _, owner, dossier, _ = _invite(client, login_as)
    for email in ("yacine@medilien.example", "anne@medilien.example"):
        client.post(f"/candidate/dossiers/{dossier.reference}/team", data={"email": email})
    assert len(db.session.scalars(select(DossierMember)).all()) == 1
