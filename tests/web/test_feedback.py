"""A candidate's feedback from the jury: once the results are published and if the edition
enables it, the candidate (and their team) see their average per criterion against their
category's and the jurors' comments, never who wrote them; nobody else learns the page exists.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import update

from tests.factories import make_user
from tests.helpers import location_path, text
from tests.web.test_palmares import OPENINGS, build_world, published_world, state
from trophies.domain.vocabulary import Phase
from trophies.models import DossierMember, Edition, db, utcnow


def url(dossier) -> str:
    return f"/candidate/dossiers/{dossier.reference}/feedback"


def row(page: str, criterion: str, mine: str, category: str) -> bool:
    return re.search(rf'<th scope="row">{criterion}</th><td class="num">{mine}</td>'
                     rf'<td class="num">{category}</td>', page) is not None


def comments_of(page: str) -> list[str]:
    return re.findall(r"<li>([^<]*)</li>", page)


def test_the_candidate_sees_their_averages_and_the_comments_without_names(client, login_as):
    w = published_world()
    p2 = w.dossiers["p2"]
    login_as(w.candidates["p2"])
    response = client.get(url(p2))
    assert response.status_code == 200
    page = text(response)
    # Prévention, impact (0-5, rescaled to 0-100): p1 100, p2 80, p3 60, p4 20 -> 65;
    # team: 80, 80, 60, 20 -> 60. p2's score (2 x 80 + 80) / 3 = 80; the category's 63.3.
    assert row(page, "Impact", "80,0", "65,0")
    assert row(page, "Équipe", "80,0", "60,0")
    assert "80,0 / 100" in page and "63,3 / 100" in page
    assert page.count('role="img"') == 1  # the criterion profile chart
    shown = comments_of(page)
    for kind in ("impact", "équipe"):
        mine = [c for c in shown if c.endswith(f"{kind} de p2.")]
        assert len(mine) == 3
        assert mine == sorted(mine, key=str.casefold)  # not the jurors' order (Zèle first)
        assert mine[0].startswith("Audace")
    general = [c for c in shown if "avis général" in c]
    assert general == sorted(general, key=str.casefold) and len(general) == 3
    assert not any(c.endswith(("de p1.", "de p3.", "sur p1.")) for c in shown)
    for juror in w.jurors:
        assert juror.full_name not in page
        assert juror.email not in page
        assert juror.full_name.split()[0] not in page
    assert "Olga" not in page
    assert f'href="/editions/{w.slug}/palmares"' in page


def test_a_co_founder_of_the_team_sees_it_too(client, login_as):
    w = published_world()
    p2 = w.dossiers["p2"]
    partner = make_user("associee@startup.example")
    db.session.add(DossierMember(dossier_id=p2.id, email=partner.email, user_id=partner.id,
                                 expires_at=utcnow() + timedelta(days=1),
                                 accepted_at=utcnow()))
    invited = make_user("pas-encore@startup.example")
    db.session.add(DossierMember(dossier_id=p2.id, email=invited.email, user_id=invited.id,
                                 expires_at=utcnow() + timedelta(days=1)))
    db.session.commit()
    login_as(partner)
    assert client.get(url(p2)).status_code == 200
    login_as(invited)  # not accepted yet: not a member
    assert client.get(url(p2)).status_code == 404


def test_nobody_else_learns_the_page_exists(client, login_as):
    w = published_world()
    p2 = w.dossiers["p2"]
    anonymous = client.get(url(p2))
    assert anonymous.status_code == 302 and location_path(anonymous) == "/account/login"
    admin = make_user(is_admin=True)
    db.session.commit()
    for user in (w.candidates["p1"], w.jurors[0], w.organizer, admin):
        login_as(user)
        response = client.get(url(p2))
        assert response.status_code == 404, user.full_name
        assert "Audace" not in text(response)
    login_as(w.candidates["p1"])
    assert client.get("/candidate/dossiers/NOPE-0001/feedback").status_code == 404


def test_no_feedback_when_the_edition_does_not_give_it(client, login_as):
    w = published_world(feedback=False)
    login_as(w.candidates["p2"])
    response = client.get(url(w.dossiers["p2"]))
    assert response.status_code == 404
    assert "Audace" not in text(response)


def test_no_feedback_before_publication(client, login_as):
    w = build_world()
    state(w, "frozen")
    login_as(w.candidates["p2"])
    response = client.get(url(w.dossiers["p2"]))
    assert response.status_code == 404
    assert not any(opening in text(response) for opening in OPENINGS)


def test_the_feedback_page_follows_the_candidates_language(client, login_as):
    w = published_world()
    login_as(w.candidates["p2"])
    client.post("/account/language", data={"lang": "en"})
    page = text(client.get(url(w.dossiers["p2"])))
    assert row(page, "Impact", "80.0", "65.0")
    assert row(page, "Team", "80.0", "60.0")
    assert "Jury feedback" in page and "Category average" in page


def test_the_candidates_dossier_links_to_the_feedback_once_published(client, login_as):
    w = published_world()
    login_as(w.candidates["p2"])
    page = client.get(f"/candidate/dossiers/{w.dossiers['p2'].reference}").get_data(as_text=True)
    assert f'href="{url(w.dossiers["p2"])}"' in page
    assert f'href="/editions/{w.slug}/palmares"' in page
    login_as(w.candidates["p4"])  # feedback too for a dossier without a prize
    page = client.get(f"/candidate/dossiers/{w.dossiers['p4'].reference}").get_data(as_text=True)
    assert f'href="{url(w.dossiers["p4"])}"' in page


def test_no_link_to_feedback_when_the_edition_does_not_give_it(client, login_as):
    w = published_world(feedback=False)
    login_as(w.candidates["p2"])
    page = client.get(f"/candidate/dossiers/{w.dossiers['p2'].reference}").get_data(as_text=True)
    assert "/feedback" not in page


def test_a_scheduled_publication_whose_time_has_come_opens_the_feedback(client, login_as):
    w = build_world()
    state(w, "scheduled")
    login_as(w.candidates["p2"])
    assert client.get(url(w.dossiers["p2"])).status_code == 404
    db.session.execute(update(Edition).where(Edition.id == w.edition.id)
                       .values(publish_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert client.get(url(w.dossiers["p2"])).status_code == 200
    db.session.expire_all()
    assert db.session.get(Edition, w.edition.id).phase == Phase.PUBLISHED  # and it stays so
