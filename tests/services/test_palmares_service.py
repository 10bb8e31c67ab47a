"""The public palmarès: nothing before publication (deliberating, frozen, scheduled for later);
once published, the categories' laureates, runners-up and mentions and the edition-wide Coup
de cœur, from the latest snapshot only (an amendment shows, a decision edited behind its back
does not); the feed's documented members; logos only for the named dossiers; and each
candidate's feedback (only when published and enabled): their average per criterion against
the category's, exact, and the jurors' comments without names, sorted."""

from __future__ import annotations

import json
from datetime import timedelta
from fractions import Fraction

from sqlalchemy import select, update

from tests.services.test_deliberation import decide, frozen
from tests.services.test_results_service import Jury, Ranked, build_jury, conflict, ranked
from trophies.domain.vocabulary import DecisionKind, Phase, QuestionKind, SheetStatus
from trophies.models import Attachment, Decision, Question, db, utcnow
from trophies.services import deliberation
from trophies.services import palmares as service
from trophies.services.deliberation import DecisionInput

BASE = "http://trophies.test"


def published(**options) -> Ranked:
    w = frozen(**options)
    deliberation.publish(w.jury.edition, actor=w.jury.organizer)
    db.session.commit()
    return w


def add_logo(w: Ranked | Jury, dossier, *, key: str = "logo", content_type: str = "image/png"
             ) -> Attachment:
    jury = w.jury if isinstance(w, Ranked) else w
    question = db.session.scalar(select(Question).where(Question.edition_id == jury.edition.id,
                                                        Question.key == key))
    if question is None:
        question = Question(edition_id=jury.edition.id, position=9, key=key,
                            kind=QuestionKind.FILE, label_fr=key.capitalize())
        db.session.add(question)
        db.session.flush()
    attachment = Attachment(dossier_id=dossier.id, question_id=question.id,
                            original_name=f"{key}.png", stored_name=f"{dossier.id:08d}{key}".ljust(
                                64, "0")[:64], content_type=content_type, size_bytes=100,
                            sha256="a" * 64)
    db.session.add(attachment)
    db.session.flush()
    return attachment


def names(awards) -> list[str]:
    return [a.reference for a in awards]


# --- nothing before publication ----------------------------------------------------------------


def assert_nothing_shows(w: Ranked) -> None:
    edition = w.jury.edition
    assert not service.is_published(edition)
    assert service.palmares(edition, "fr") is None
    assert service.palmares(edition, "en") is None
    assert service.feed(edition) is None
    assert service.logo(edition, w.e1.reference) is None
    assert service.feedback_for(w.e1) == []


def test_nothing_is_public_while_deliberating_frozen_or_scheduled_for_later(app):
    w = ranked()
    w.jury.edition.is_feedback_enabled = True
    add_logo(w, w.e1)
    decide(w)
    assert_nothing_shows(w)
    deliberation.freeze(w.jury.edition, actor=w.jury.organizer)
    db.session.commit()
    assert_nothing_shows(w)
    deliberation.publish(w.jury.edition, actor=w.jury.organizer,
                         at=utcnow() + timedelta(hours=1))
    db.session.commit()
    assert_nothing_shows(w)
    assert w.jury.edition.phase is Phase.FROZEN


def test_the_first_visit_after_the_scheduled_time_publishes(app):
    w = frozen()
    deliberation.publish(w.jury.edition, actor=w.jury.organizer, now=utcnow() - timedelta(days=1),
                         at=utcnow() - timedelta(minutes=1))
    db.session.commit()
    assert w.jury.edition.phase is Phase.FROZEN
    shown = service.palmares(w.jury.edition, "fr")
    db.session.commit()
    assert shown is not None and service.is_published(w.jury.edition)
    assert w.jury.edition.phase is Phase.PUBLISHED and w.jury.edition.published_at is not None


# --- the palmarès ------------------------------------------------------------------------------


def test_the_palmares_lists_each_categorys_awards_and_the_coup_de_coeur(app):
    w = ranked()
    w.e1.website, w.e1.city, w.e1.summary = "https://telesuivi.example", "Lyon", "Un suivi."
    add_logo(w, w.e1)
    decide(w)
    deliberation.freeze(w.jury.edition, actor=w.jury.organizer)
    deliberation.publish(w.jury.edition, actor=w.jury.organizer)
    db.session.commit()
    edition = w.jury.edition
    assert service.is_published(edition)
    french = service.palmares(edition, "fr")
    snapshot = deliberation.latest_snapshot(edition)
    assert (french.digest, french.sequence) == (snapshot.digest, 1)
    assert french.published_at == edition.published_at
    equite, souverainete = french.categories
    assert (equite.category_id, equite.name) == (w.equite.id, "Équité")
    assert names(equite.laureates) == [w.e1.reference]
    assert names(equite.runners_up) == [w.e2.reference]
    assert names(equite.mentions) == [w.e3.reference]
    assert equite.mentions[0].title == "Mention spéciale sobriété"
    assert names(souverainete.laureates) == [w.s1.reference]
    assert souverainete.runners_up == souverainete.mentions == ()
    assert french.coup_de_coeur.reference == w.s2.reference
    assert french.coup_de_coeur.kind == "coup_de_coeur"
    laureate = equite.laureates[0]
    assert (laureate.company_name, laureate.project_title, laureate.website, laureate.city,
            laureate.summary) == (w.e1.company_name, "Télésuivi frugal",
                                  "https://telesuivi.example", "Lyon", "Un suivi.")
    assert laureate.logo_url == f"{BASE}/editions/{edition.slug}/palmares/logos/{w.e1.reference}"
    assert equite.runners_up[0].logo_url is None
    english = service.palmares(edition, "en")
    assert english.categories[0].mentions[0].title == "Special mention for frugality"
    # e4 (4th, no award) is nowhere
    everyone = [a.reference for c in french.categories
                for a in (*c.laureates, *c.runners_up, *c.mentions)]
    assert w.e4.reference not in everyone


def test_the_palmares_follows_the_latest_snapshot_and_nothing_else(app):
    w = published()
    edition, actor = w.jury.edition, w.jury.organizer
    # an edit straight in the database, without an amendment, does not reach the public
    db.session.execute(update(Decision).where(Decision.dossier_id == w.e1.id)
                       .values(dossier_id=w.e4.id))
    db.session.commit()
    db.session.expire_all()
    shown = service.palmares(edition, "fr")
    assert names(shown.categories[0].laureates) == [w.e1.reference] and shown.sequence == 1
    assert not deliberation.verify(edition).matches
    # an amendment after publication does
    db.session.execute(update(Decision).where(Decision.dossier_id == w.e4.id)
                       .values(dossier_id=w.e1.id))
    deliberation.save_decisions(edition, w.equite, [
        DecisionInput(DecisionKind.LAUREATE, w.e2.id,
                      justification="Le lauréat a retiré sa candidature."),
        DecisionInput(DecisionKind.RUNNER_UP, w.e3.id,
                      justification="Le deuxième devient lauréat.")],
        actor=actor, reason="Retrait du lauréat.")
    db.session.commit()
    shown = service.palmares(edition, "fr")
    assert shown.sequence == 2
    assert names(shown.categories[0].laureates) == [w.e2.reference]
    assert names(shown.categories[0].runners_up) == [w.e3.reference]
    assert shown.categories[0].mentions == ()
    assert edition.phase is Phase.PUBLISHED
    assert service.feed(edition)["snapshot"]["sequence"] == 2


def test_a_renamed_category_keeps_its_awards(app):
    w = published()
    w.equite.name_fr, w.equite.name_en = "Équité en santé", "Health equity"
    db.session.commit()
    shown = service.palmares(w.jury.edition, "en")
    assert [c.name for c in shown.categories] == ["Health equity", "Souveraineté"]
    assert names(shown.categories[0].laureates) == [w.e1.reference]


# --- the feed ----------------------------------------------------------------------------------


AWARD_KEYS = {"kind", "position", "title", "reference", "company", "project", "summary", "city",
              "website", "logo"}


def test_the_feed_has_the_documented_members(app):
    w = ranked()
    w.e1.website = "https://telesuivi.example"
    add_logo(w, w.e1)
    decide(w)
    deliberation.freeze(w.jury.edition, actor=w.jury.organizer)
    deliberation.publish(w.jury.edition, actor=w.jury.organizer)
    db.session.commit()
    edition = w.jury.edition
    feed = json.loads(json.dumps(service.feed(edition)))      # plain JSON
    assert set(feed) == {"schema", "edition", "snapshot", "categories", "coup_de_coeur"}
    assert feed["schema"] == "trophies.palmares/1"
    assert feed["edition"] == {
        "slug": edition.slug, "name": {"fr": edition.name_fr, "en": edition.name_en},
        "published_at": edition.published_at.isoformat(),
        "url": f"{BASE}/editions/{edition.slug}/palmares"}
    assert feed["edition"]["published_at"].endswith("+00:00")
    snapshot = deliberation.latest_snapshot(edition)
    assert feed["snapshot"] == {"sequence": 1, "digest": snapshot.digest}
    assert [set(c) for c in feed["categories"]] == [{"id", "name", "description", "awards"}] * 2
    equite = feed["categories"][0]
    assert equite["id"] == w.equite.id and equite["name"] == {"fr": "Équité", "en": "Équité"}
    assert [(a["kind"], a["reference"]) for a in equite["awards"]] == [
        ("laureate", w.e1.reference), ("runner_up", w.e2.reference),
        ("mention", w.e3.reference)]
    assert all(set(a) == AWARD_KEYS for c in feed["categories"] for a in c["awards"])
    laureate, runner_up, mention = equite["awards"]
    assert laureate["website"] == "https://telesuivi.example" and runner_up["website"] is None
    assert laureate["logo"] == f"{BASE}/editions/{edition.slug}/palmares/logos/{w.e1.reference}"
    assert runner_up["logo"] is None
    assert mention["title"] == {"fr": "Mention spéciale sobriété",
                                "en": "Special mention for frugality"}
    assert laureate["title"] == {"fr": "", "en": ""} and laureate["position"] == 1
    assert set(feed["coup_de_coeur"]) == AWARD_KEYS
    assert feed["coup_de_coeur"]["reference"] == w.s2.reference


# --- logos -------------------------------------------------------------------------------------


def test_a_logo_is_served_only_for_a_dossier_named_in_the_published_palmares(app):
    w = ranked()
    laureate_logo = add_logo(w, w.e1)
    add_logo(w, w.e4)                                          # not awarded
    favourite_logo = add_logo(w, w.s2, key="visuel")           # an image, not the logo question
    add_logo(w, w.e2, key="plaquette", content_type="application/pdf")   # not an image
    decide(w)
    deliberation.freeze(w.jury.edition, actor=w.jury.organizer)
    db.session.commit()
    edition = w.jury.edition
    assert service.logo(edition, w.e1.reference) is None      # frozen: not yet
    deliberation.publish(edition, actor=w.jury.organizer)
    db.session.commit()
    assert service.logo(edition, w.e1.reference) == laureate_logo
    assert service.logo(edition, w.s2.reference) == favourite_logo
    assert service.logo(edition, w.e4.reference) is None
    assert service.logo(edition, w.e2.reference) is None       # named, but no image
    assert service.logo(edition, "NOPE-0001") is None
    other = published()
    assert service.logo(other.jury.edition, w.e1.reference) is None   # not of that edition


# --- a candidate's feedback --------------------------------------------------------------------


def feedback_world(*, enabled: bool = True):
    """Équité: `mine` marked by Alice (4, 5) and Bruno (3, N/A), a draft by Chloé and a sheet
    by Denis in confirmed conflict (neither counts); `rival` by Chloé (5, 10) and Denis (1, 2);
    Souveraineté: `far` (5, 8). Decided, frozen, published."""
    jury = build_jury()
    jury.edition.is_feedback_enabled = enabled
    alice, bruno, chloe, denis, emma = jury.jurors[:5]
    mine, rival = jury.dossier(), jury.dossier()
    far = jury.dossier("Souveraineté")
    jury.sheet(mine, alice, 4, 5, comments={jury.impact.id: "très bon impact",
                                            jury.team.id: "Équipe complète"}, general="Solide.")
    jury.sheet(mine, bruno, 3, "na", comments={jury.impact.id: "Adoption encore faible",
                                               jury.team.id: "  "}, general="bravo")
    jury.sheet(mine, chloe, 0, 0, status=SheetStatus.DRAFT,
               comments={jury.impact.id: "brouillon"}, general="brouillon")
    jury.sheet(mine, denis, 0, 0, comments={jury.impact.id: "conflit"}, general="conflit")
    conflict(jury, denis, mine)
    jury.sheet(rival, chloe, 5, 10, comments={jury.impact.id: "excellent"})
    jury.sheet(rival, denis, 1, 2)
    jury.sheet(far, emma, 5, 8, comments={jury.impact.id: "ailleurs"})
    db.session.commit()
    deliberation.save_decisions(jury.edition, jury.categories["Équité"],
                                [DecisionInput(DecisionKind.LAUREATE, mine.id)],
                                actor=jury.organizer)
    deliberation.freeze(jury.edition, actor=jury.organizer)
    deliberation.publish(jury.edition, actor=jury.organizer)
    db.session.commit()
    return jury, mine, rival, far


def test_feedback_compares_the_candidates_averages_with_the_categorys_exactly(app):
    jury, mine, rival, far = feedback_world()
    (feedback,) = service.feedback_for(mine)
    assert feedback.dossier == mine and feedback.round == jury.round
    impact, team = feedback.criteria
    assert impact.criterion == jury.impact and team.criterion == jury.team
    # mine: impact (80 + 60) / 2, team 50 (Bruno's N/A left out)
    # rival: impact (100 + 20) / 2 = 60, team (100 + 20) / 2 = 60; far is another category
    assert (impact.mine, impact.category) == (Fraction(70), Fraction(65))
    assert (team.mine, team.category) == (Fraction(50), Fraction(55))
    # totals: mine 70 and 60, rival 100 and 20
    assert feedback.score == Fraction(65)
    assert feedback.category_score == Fraction(125, 2)
    (theirs,) = service.feedback_for(rival)
    assert theirs.criteria[0].mine == Fraction(60) and theirs.criteria[0].category == 65


def test_feedback_gives_the_jurors_comments_without_names_in_alphabetical_order(app):
    jury, mine, rival, far = feedback_world()
    (feedback,) = service.feedback_for(mine)
    impact, team = feedback.criteria
    assert impact.comments == ("Adoption encore faible", "très bon impact")
    assert team.comments == ("Équipe complète",)
    assert feedback.general_comments == ("bravo", "Solide.")
    written = [*impact.comments, *team.comments, *feedback.general_comments]
    assert all(isinstance(c, str) for c in written)
    assert not any(j.full_name.split()[0] in c for j in jury.jurors for c in written)
    assert "brouillon" not in written and "conflit" not in written
    assert service.feedback_for(far)[0].criteria[0].comments == ("ailleurs",)


def test_no_feedback_unless_the_edition_gives_it(app):
    jury, mine, rival, far = feedback_world(enabled=False)
    assert service.is_published(jury.edition)
    assert service.feedback_for(mine) == []
    jury.edition.is_feedback_enabled = True
    db.session.commit()
    assert len(service.feedback_for(mine)) == 1
    unjudged = jury.dossier()
    db.session.commit()
    assert service.feedback_for(unjudged) == []
