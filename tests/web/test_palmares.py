"""The public palmarès: the page, the JSON feed (docs/palmares-feed.md) and the laureates'
logos. Nothing shows before publication (deliberating, frozen, or frozen and scheduled); once
published they show the latest frozen verdict, amendments included, in the reader's language.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from tests.factories import add_role, make_dossier, make_edition, make_user
from tests.helpers import html_lang, messages, text
from trophies.domain.vocabulary import (
    DecisionKind,
    DossierStatus,
    Language,
    Phase,
    QuestionKind,
    Role,
    SheetStatus,
)
from trophies.models import (
    Assignment,
    Criterion,
    Dossier,
    Edition,
    Mark,
    Question,
    ScoreSheet,
    User,
    db,
    utcnow,
)
from trophies.services import deliberation, files
from trophies.web.public import palmares as palmares_views

DOCS = Path(__file__).resolve().parent.parent.parent / "docs" / "palmares-feed.md"
HOSTILE = "<img src=x onerror=alert(1)>"
JURORS = ("Juliette Jurée", "Marc Évaluateur", "Nadia Notation")
#: How each juror starts their comments: alphabetical order is not the jurors' order.
OPENINGS = ("Zèle", "Audace", "Méthode")


def png(width: int = 2, height: int = 2) -> bytes:
    """A small valid PNG (grey pixels)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                             0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@dataclass
class World:
    """An edition deliberating on one scored round: two categories, five scored dossiers,
    three jurors who commented, one candidate account per dossier."""

    edition: Edition
    organizer: User
    jurors: list[User]
    dossiers: dict[str, Dossier]
    candidates: dict[str, User]
    categories: dict[str, object] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.edition.slug

    def url(self, suffix: str = "") -> str:
        return f"/editions/{self.edition.slug}/palmares{suffix}"


#: key -> (category, company, project, marks on (impact, team) by each juror, summary)
DOSSIERS = {
    "p1": ("Prévention", "MédiLien", "Suivi post-opératoire", (5, 4), "Un suivi co-construit."),
    "p2": ("Prévention", "Respir'Up", "Coach respiratoire", (4, 4), "Respirer mieux."),
    "p3": ("Prévention", "Signes & Soins", "Téléconsultation en LSF", (3, 3), "En LSF."),
    "p4": ("Prévention", "Oubliée SAS", "Projet sans prix", (1, 1), "Rien."),
    "s1": ("Soin", "CardioNet", "Télésurveillance cardiaque", (5, 5), "Le cœur suivi."),
    "s2": ("Soin", "Dermato+", "Dépistage cutané", (2, 2), "La peau vue."),
}


def build_world(*, feedback: bool = True, company_of_p1: str | None = None,
                language: Language = Language.FR) -> World:
    """Committed. Every juror gives each dossier the same marks (so the ranking is p1, p2, p3,
    p4 in Prévention and s1, s2 in Soin) and one comment per criterion and a general one."""
    edition = make_edition(phase=Phase.DELIBERATION, categories=("Prévention", "Soin"))
    edition.is_feedback_enabled = feedback
    categories = {c.name_fr: c for c in edition.categories}
    categories["Soin"].name_en = "Care"
    categories["Prévention"].description_fr = "Projets de prévention."
    round_ = edition.rounds[0]
    round_.jurors_per_dossier = 3
    impact = round_.criteria[0]
    team = Criterion(round_id=round_.id, position=1, key="team", name_fr="Équipe",
                     name_en="Team", weight=1, scale_min=0, scale_max=5, scale_step=1)
    db.session.add(team)
    logo_question = Question(edition_id=edition.id, position=0, key="logo",
                             kind=QuestionKind.FILE, label_fr="Logo", label_en="Logo",
                             file_types=["png", "jpeg"])
    db.session.add(logo_question)
    organizer = make_user(full_name="Olga Organisatrice")
    add_role(organizer, edition, Role.ORGANIZER)
    jurors = []
    for name in JURORS:
        juror = make_user(full_name=name)
        add_role(juror, edition, Role.JUROR)
        jurors.append(juror)
    dossiers, candidates = {}, {}
    for key, (category, company, project, _marks, summary) in DOSSIERS.items():
        candidate = make_user(f"{key}@startup.example", language=language)
        dossier = make_dossier(edition, candidate)
        dossier.category_id = categories[category].id
        dossier.status = DossierStatus.ELIGIBLE
        dossier.company_name = company_of_p1 if key == "p1" and company_of_p1 else company
        dossier.project_title = project
        dossier.summary = summary
        dossier.city = "Lyon" if key == "p1" else ""
        dossier.website = "https://medilien.example/accueil" if key == "p1" else ""
        dossiers[key], candidates[key] = dossier, candidate
    db.session.flush()
    for key in ("p1", "p4"):  # a laureate's logo, and one of a dossier with no prize
        files.store_upload(dossiers[key], logo_question, filename="logo.png", data=png())
    now = utcnow() - timedelta(days=2)
    for j, juror in enumerate(jurors):
        for key, dossier in dossiers.items():
            assignment = Assignment(round_id=round_.id, dossier_id=dossier.id,
                                    juror_id=juror.id, published_at=now)
            db.session.add(assignment)
            db.session.flush()
            sheet = ScoreSheet(assignment_id=assignment.id, status=SheetStatus.SUBMITTED,
                               submitted_at=now,
                               general_comment=f"{OPENINGS[j]} : avis général sur {key}.")
            db.session.add(sheet)
            db.session.flush()
            marks = DOSSIERS[key][3]
            db.session.add(Mark(sheet_id=sheet.id, criterion_id=impact.id, value=marks[0],
                                comment=f"{OPENINGS[j]} : impact de {key}."))
            db.session.add(Mark(sheet_id=sheet.id, criterion_id=team.id, value=marks[1],
                                comment=f"{OPENINGS[j]} : équipe de {key}."))
    round_.closed_at = now
    db.session.commit()
    return World(edition, organizer, jurors, dossiers, candidates, categories)


def decide(w: World) -> None:
    """The verdict: Prévention p1 laureate, p2 runner-up, p3 a mention; Soin s1 laureate;
    s2 the edition-wide Coup de cœur. Committed."""
    d = w.dossiers
    deliberation.save_decisions(w.edition, w.categories["Prévention"], [
        deliberation.DecisionInput(DecisionKind.LAUREATE, d["p1"].id),
        deliberation.DecisionInput(DecisionKind.RUNNER_UP, d["p2"].id, position=1),
        deliberation.DecisionInput(DecisionKind.MENTION, d["p3"].id,
                                   title_fr="Mention spéciale accessibilité",
                                   title_en="Special mention for accessibility"),
    ], actor=w.organizer)
    deliberation.save_decisions(w.edition, w.categories["Soin"], [
        deliberation.DecisionInput(DecisionKind.LAUREATE, d["s1"].id)], actor=w.organizer)
    deliberation.save_decisions(w.edition, None, [
        deliberation.DecisionInput(DecisionKind.COUP_DE_COEUR, d["s2"].id)], actor=w.organizer)
    db.session.commit()


def published_world(**options) -> World:
    w = build_world(**options)
    decide(w)
    deliberation.freeze(w.edition, actor=w.organizer)
    deliberation.publish(w.edition, actor=w.organizer)
    db.session.commit()
    return w


def state(w: World, name: str) -> None:
    """Put the world in a state before publication. Committed."""
    decide(w)
    if name in ("frozen", "scheduled"):
        deliberation.freeze(w.edition, actor=w.organizer)
    if name == "scheduled":
        assert not deliberation.publish(w.edition, actor=w.organizer,
                                        at=utcnow() + timedelta(days=3))
    db.session.commit()


# --- nothing before publication ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["deliberation", "frozen", "scheduled"])
def test_nothing_is_visible_before_publication(client, name):
    w = build_world()
    state(w, name)
    laureate = w.dossiers["p1"]
    for path in (w.url(), w.url(".json"), w.url(f"/logos/{laureate.reference}")):
        response = client.get(path)
        assert response.status_code == 404, path
        body = text(response).replace(path, "")  # the language switch echoes the path
        for company in ("MédiLien", "Respir'Up", "CardioNet", "Dermato+"):
            assert company not in body, (path, company)
        assert laureate.reference not in body, path
    feed = client.get(w.url(".json"))
    assert feed.get_json() == {"error": "not_published"}
    assert feed.headers["Content-Type"] == "application/json; charset=utf-8"
    assert feed.headers["Access-Control-Allow-Origin"] == "*"
    assert "max-age" not in feed.headers["Cache-Control"]
    assert client.get(f"/editions/{w.slug}").status_code == 404  # the edition is not public
    db.session.expire_all()
    assert db.session.get(Edition, w.edition.id).phase != Phase.PUBLISHED


def test_an_unknown_edition_answers_like_an_unpublished_one(client):
    assert client.get("/editions/nope/palmares").status_code == 404
    response = client.get("/editions/nope/palmares.json")
    assert response.status_code == 404
    assert response.get_json() == {"error": "not_published"}
    assert client.get("/editions/nope/palmares/logos/X-1").status_code == 404


# --- the page ---------------------------------------------------------------------------------


def test_the_published_page_shows_every_award_of_the_latest_verdict(client):
    w = published_world()
    response = client.get(w.url())
    assert response.status_code == 200
    raw = response.get_data(as_text=True)
    page = text(response)
    assert len(response.get_data()) <= 50 * 1024
    assert "<h1>" in raw and w.edition.name_fr in page
    # categories as h2, groups as h3, each award named in an h4 (the Coup de cœur: h3)
    assert f'<h2 id="category-{w.categories["Prévention"].id}">Prévention</h2>' in raw
    assert f'<h2 id="category-{w.categories["Soin"].id}">Soin</h2>' in raw
    assert "Projets de prévention." in page
    for company in ("MédiLien", "Respir'Up", "Signes & Soins", "CardioNet"):
        assert re.search(r'<h4 class="award-name">' + re.escape(company) + "</h4>", page), company
    assert '<h3 class="award-name">Dermato+</h3>' in page  # the Coup de cœur
    for key in ("p1", "p2", "p3", "s1", "s2"):
        _, _, project, _, summary = DOSSIERS[key]
        assert project in page and summary in page
    assert "Oubliée SAS" not in page and "Projet sans prix" not in page
    assert "Mention spéciale accessibilité" in page
    assert "Lyon" in page
    assert ('<a href="https://medilien.example/accueil" rel="noopener">'
            "https://medilien.example/accueil</a>") in raw
    p1 = w.dossiers["p1"]
    logo = f"/editions/{w.slug}/palmares/logos/{p1.reference}"
    assert re.search(r'<img class="award-logo" src="' + re.escape(logo)
                     + r'" alt="MédiLien" width="\d+" height="\d+"', page)
    assert page.count('class="award-logo"') == 1  # only p1 has a logo among the winners
    assert f'href="/editions/{w.slug}/palmares.json"' in raw
    snapshot = deliberation.latest_snapshot(w.edition)
    assert snapshot.digest in page
    # nothing the page loads comes from another host
    assert all(src.startswith("/") for src in re.findall(r'\bsrc="([^"]*)"', raw))
    assert all(href.startswith("/") for href in re.findall(r'<link[^>]*href="([^"]*)"', raw))
    # no score, no juror, no justification leaks
    for juror in w.jurors:
        assert juror.full_name not in page
    assert not any(opening in page for opening in OPENINGS)


def test_the_page_is_public_with_the_usual_security_headers(client, login_as):
    w = published_world()
    anonymous = client.get(w.url())
    assert anonymous.headers["Content-Security-Policy"].startswith("default-src 'self'")
    login_as(w.candidates["p4"])
    assert client.get(w.url()).status_code == 200


def test_an_amendment_after_publication_changes_the_page_and_the_feed(client):
    w = published_world()
    before = client.get(w.url(".json")).get_json()
    assert before["snapshot"]["sequence"] == 1
    d = w.dossiers
    deliberation.save_decisions(w.edition, w.categories["Prévention"], [
        deliberation.DecisionInput(DecisionKind.LAUREATE, d["p2"].id,
                                   justification="MédiLien a renoncé au prix."),
    ], actor=w.organizer, reason="Le lauréat a renoncé.")
    db.session.commit()
    page = text(client.get(w.url()))
    assert '<h4 class="award-name">Respir\'Up</h4>' in page
    assert "MédiLien" not in page
    assert "Mention spéciale accessibilité" not in page
    latest = deliberation.latest_snapshot(w.edition)
    assert latest.sequence == 2 and latest.digest in page
    after = client.get(w.url(".json")).get_json()
    assert after["snapshot"] == {"sequence": 2, "digest": latest.digest}
    assert after["snapshot"]["digest"] != before["snapshot"]["digest"]
    [prevention] = [c for c in after["categories"] if c["name"]["fr"] == "Prévention"]
    assert [(a["kind"], a["company"]) for a in prevention["awards"]] == [
        ("laureate", "Respir'Up")]
    # the former laureate's logo is no longer served
    assert client.get(w.url(f"/logos/{d['p1'].reference}")).status_code == 404


def test_a_hostile_company_name_is_escaped(client):
    w = published_world(company_of_p1=HOSTILE)
    response = client.get(w.url())
    raw = response.get_data(as_text=True)
    assert HOSTILE not in raw
    assert "&lt;img src=x onerror=alert(1)&gt;" in raw
    assert 'alt="&lt;img src=x onerror=alert(1)&gt;"' in raw
    assert "<img src=x" not in raw
    feed = client.get(w.url(".json"))
    [prevention] = [c for c in feed.get_json()["categories"] if c["name"]["fr"] == "Prévention"]
    assert prevention["awards"][0]["company"] == HOSTILE  # JSON carries plain text
    assert feed.headers["Content-Type"] == "application/json; charset=utf-8"


def test_the_page_follows_the_readers_language(client, login_as):
    w = published_world()
    client.post("/account/language", data={"lang": "en"})
    response = client.get(w.url())
    assert response.status_code == 200
    page = text(response)
    assert html_lang(response) == "en"
    assert f"Winners of {w.edition.name_en}" in page
    assert "Special mention for accessibility" in page
    assert "Mention spéciale accessibilité" not in page
    assert f'<h2 id="category-{w.categories["Soin"].id}">Care</h2>' in page
    assert "Laureate" in page and "Runner-up" in page and "Coup de cœur du jury" in page


# --- scheduled publication --------------------------------------------------------------------


def test_a_scheduled_publication_happens_on_the_first_visit_after_its_time(client):
    w = build_world()
    state(w, "scheduled")
    assert client.get(w.url()).status_code == 404
    db.session.execute(update(Edition).where(Edition.id == w.edition.id)
                       .values(publish_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    response = client.get(w.url())
    assert response.status_code == 200
    assert "MédiLien" in text(response)
    db.session.expire_all()
    edition = db.session.get(Edition, w.edition.id)
    assert edition.phase == Phase.PUBLISHED
    assert edition.published_at is not None and edition.publish_at is None
    assert len(messages(template="results_published")) == len(DOSSIERS)
    assert client.get(w.url(".json")).status_code == 200


def test_a_scheduled_publication_also_opens_the_feed_first(client):
    w = build_world()
    state(w, "scheduled")
    db.session.execute(update(Edition).where(Edition.id == w.edition.id)
                       .values(publish_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert client.get(w.url(".json")).status_code == 200
    db.session.expire_all()
    assert db.session.get(Edition, w.edition.id).phase == Phase.PUBLISHED


# --- the feed ---------------------------------------------------------------------------------


BILINGUAL = "bilingual"
AWARD_KINDS = {"laureate", "runner_up", "mention", "coup_de_coeur"}


def check_bilingual(value, where: str) -> None:
    assert isinstance(value, dict) and set(value) == {"fr", "en"}, where
    assert all(isinstance(v, str) for v in value.values()), where


def check_url(value, where: str, *, nullable: bool = False) -> None:
    if value is None and nullable:
        return
    assert isinstance(value, str) and re.fullmatch(r"https?://[^\s/]+(/\S*)?", value), where


def check_award(award, where: str) -> None:
    assert set(award) == {"kind", "position", "title", "reference", "company", "project",
                          "summary", "city", "website", "logo"}, where
    assert award["kind"] in AWARD_KINDS, where
    assert type(award["position"]) is int and award["position"] >= 1, where
    check_bilingual(award["title"], where + ".title")
    for key in ("reference", "company", "project", "summary", "city"):
        assert isinstance(award[key], str), f"{where}.{key}"
    assert award["reference"] and award["company"], where
    check_url(award["website"], where + ".website", nullable=True)
    check_url(award["logo"], where + ".logo", nullable=True)


def check_feed(feed) -> None:
    """The schema of docs/palmares-feed.md, member by member (unknown members fail here: the
    documentation must list every one)."""
    assert set(feed) == {"schema", "edition", "snapshot", "categories", "coup_de_coeur"}
    assert feed["schema"] == "trophies.palmares/1"
    edition = feed["edition"]
    assert set(edition) == {"slug", "name", "published_at", "url"}
    assert isinstance(edition["slug"], str) and edition["slug"]
    check_bilingual(edition["name"], "edition.name")
    assert edition["published_at"] is None or re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00", edition["published_at"])
    check_url(edition["url"], "edition.url")
    snapshot = feed["snapshot"]
    assert set(snapshot) == {"sequence", "digest"}
    assert type(snapshot["sequence"]) is int and snapshot["sequence"] >= 1
    assert re.fullmatch(r"[0-9a-f]{64}", snapshot["digest"])
    assert isinstance(feed["categories"], list)
    for i, category in enumerate(feed["categories"]):
        where = f"categories[{i}]"
        assert set(category) == {"id", "name", "description", "awards"}, where
        assert type(category["id"]) is int, where
        check_bilingual(category["name"], where + ".name")
        check_bilingual(category["description"], where + ".description")
        assert isinstance(category["awards"], list) and category["awards"], where
        order = {"laureate": 0, "coup_de_coeur": 0, "runner_up": 1, "mention": 2}
        for j, award in enumerate(category["awards"]):
            check_award(award, f"{where}.awards[{j}]")
        keys = [(order[a["kind"]], a["position"]) for a in category["awards"]]
        assert keys == sorted(keys), where
    if feed["coup_de_coeur"] is not None:
        check_award(feed["coup_de_coeur"], "coup_de_coeur")
        assert feed["coup_de_coeur"]["kind"] == "coup_de_coeur"


def test_the_feed_follows_its_documented_schema(client, app):
    w = published_world()
    response = client.get(w.url(".json"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == f"public, max-age={palmares_views.FEED_MAX_AGE}"
    assert palmares_views.FEED_MAX_AGE == 300
    feed = json.loads(response.get_data(as_text=True))
    check_feed(feed)
    base = app.config["BASE_URL"]
    assert feed["edition"]["url"] == f"{base}/editions/{w.slug}/palmares"
    assert feed["edition"]["name"] == {"fr": w.edition.name_fr, "en": w.edition.name_en}
    by_name = {c["name"]["fr"]: c for c in feed["categories"]}
    assert set(by_name) == {"Prévention", "Soin"}
    assert by_name["Soin"]["name"]["en"] == "Care"
    d = w.dossiers
    assert [(a["kind"], a["position"], a["reference"]) for a in by_name["Prévention"]["awards"]] \
        == [("laureate", 1, d["p1"].reference), ("runner_up", 1, d["p2"].reference),
            ("mention", 1, d["p3"].reference)]
    laureate, _, mention = by_name["Prévention"]["awards"]
    assert laureate["logo"] == f"{base}/editions/{w.slug}/palmares/logos/{d['p1'].reference}"
    assert laureate["website"] == "https://medilien.example/accueil"
    assert laureate["city"] == "Lyon" and laureate["project"] == "Suivi post-opératoire"
    assert mention["title"] == {"fr": "Mention spéciale accessibilité",
                                "en": "Special mention for accessibility"}
    assert by_name["Prévention"]["awards"][1]["website"] is None
    assert feed["coup_de_coeur"]["reference"] == d["s2"].reference
    assert "Oubliée SAS" not in response.get_data(as_text=True)
    for juror in w.jurors:
        assert juror.full_name not in response.get_data(as_text=True)


def test_the_documented_example_follows_the_documented_schema():
    document = DOCS.read_text(encoding="utf-8")
    example = re.search(r"## Example\s+```json\n(.*?)\n```", document, re.S).group(1)
    check_feed(json.loads(example))
    assert '{"error": "not_published"}' in document
    for member in ("schema", "published_at", "sequence", "digest", "awards", "coup_de_coeur",
                   "reference", "company", "project", "summary", "city", "website", "logo"):
        assert f"`{member}`" in document, member


# --- logos ------------------------------------------------------------------------------------


def test_a_laureates_logo_is_served_safely_and_no_other(client):
    w = published_world()
    p1 = w.dossiers["p1"]
    response = client.get(w.url(f"/logos/{p1.reference}"))
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.get_data() == png()
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=" in response.headers["Cache-Control"]
    assert "attachment" not in response.headers.get("Content-Disposition", "")
    response.close()
    # p4 uploaded a logo but won nothing; p2 won but has no logo; unknown references
    for reference in (w.dossiers["p4"].reference, w.dossiers["p2"].reference, "NOPE-1",
                      "../../etc/passwd"):
        assert client.get(w.url(f"/logos/{reference}")).status_code == 404, reference


def test_a_logo_whose_content_is_not_an_image_is_not_served(client):
    w = published_world()
    p1 = w.dossiers["p1"]
    attachment = p1.attachments[0]
    files.path_of(attachment).write_bytes(b"<html><script>alert(1)</script></html>")
    assert client.get(w.url(f"/logos/{p1.reference}")).status_code == 404


# --- links to the palmarès and the e-mails ------------------------------------------------------


def test_the_edition_page_and_the_home_page_link_to_the_palmares_once_published(client):
    w = published_world()
    assert f'href="{w.url()}"' in client.get(f"/editions/{w.slug}").get_data(as_text=True)
    assert f'href="{w.url()}"' in client.get("/").get_data(as_text=True)


def test_every_candidate_is_told_the_outcome_in_their_language_without_a_score(app):
    w = published_world()
    sent = {m.recipient: m for m in messages(template="results_published")}
    assert set(sent) == {c.email for c in w.candidates.values()}
    laureate = sent[w.candidates["p1"].email]
    assert w.dossiers["p1"].project_title in laureate.subject
    assert f"/editions/{w.slug}/palmares" in laureate.body_text
    assert "Prévention" in laureate.body_text
    mention = sent[w.candidates["p3"].email]
    assert "Mention spéciale accessibilité" in mention.body_text
    nothing = sent[w.candidates["p4"].email]
    assert f"/candidate/dossiers/{w.dossiers['p4'].reference}/feedback" in nothing.body_text
    for message in sent.values():
        assert "/100" not in message.body_text and "avis général" not in message.body_text
        for juror in w.jurors:
            assert juror.full_name not in message.body_text


def test_the_outcome_mail_is_in_english_for_an_english_speaking_candidate(app):
    w = published_world(language=Language.EN)
    sent = {m.recipient: m for m in messages(template="results_published")}
    laureate = sent[w.candidates["p1"].email]
    assert laureate.subject.startswith("Congratulations: Suivi post-opératoire is a laureate")
    assert laureate.body_text.startswith("Hello ")
    runner_up = sent[w.candidates["s2"].email]  # the Coup de cœur
    assert "favourite" in runner_up.subject
    assert "feedback" in sent[w.candidates["p4"].email].body_text


def test_no_results_mail_is_sent_before_publication(app):
    w = build_world()
    state(w, "scheduled")
    assert messages(template="results_published") == []
    assert db.session.scalar(select(Dossier.status).where(
        Dossier.id == w.dossiers["p1"].id)) == DossierStatus.ELIGIBLE
