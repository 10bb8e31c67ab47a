"""Deliberation: decisions that follow the ranking need nothing more, those that depart from it
need a written justification (a tie at the place is not a departure); mentions need a title;
the Coup de cœur is edition-wide and single; nothing outside the round's category; nothing
while judging. Freezing makes snapshot 1 with the digest of its payload; an amendment needs a
reason and makes the next snapshot; `verify` recomputes from the raw marks and names what was
tampered with. Publication now (phase, date, statuses, an e-mail to every judged candidate in
their language with their outcome) or at a scheduled time, which `publish_due` honours once.
The shortlist: top N with ties at the cut, statuses, notifications to the newly shortlisted,
refused when the round is open, the next round published, or there is no next round."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import pytest
from sqlalchemy import select, update

from tests.factories import make_user
from tests.helpers import count, fr, messages
from tests.services.test_results_service import Jury, Ranked, build_jury, ranked
from trophies.domain.vocabulary import DecisionKind, DossierStatus, Language, Phase
from trophies.models import (
    Assignment,
    AuditEvent,
    Decision,
    Dossier,
    Edition,
    Mark,
    OutboxMessage,
    ResultSnapshot,
    db,
    utcnow,
)
from trophies.services import deliberation as service
from trophies.services import results as results_service
from trophies.services.deliberation import (
    DecisionInput,
    InvalidDecision,
    JustificationRequired,
    NoDecision,
    NotDeliberating,
    ReasonRequired,
    ShortlistClosed,
)

LAUREATE, RUNNER_UP = DecisionKind.LAUREATE, DecisionKind.RUNNER_UP
MENTION, FAVOURITE = DecisionKind.MENTION, DecisionKind.COUP_DE_COEUR


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)
                                   .execution_options(populate_existing=True)))


def stored_decisions(edition: Edition) -> list[tuple[str, int, str, str]]:
    """(kind, position, dossier reference, justification) as committed."""
    rows = db.session.execute(
        select(Decision.kind, Decision.position, Dossier.reference, Decision.justification)
        .join(Dossier, Dossier.id == Decision.dossier_id)
        .where(Decision.edition_id == edition.id)
        .order_by(Decision.kind, Decision.position, Dossier.reference))
    return [(str(kind), position, reference, justification)
            for kind, position, reference, justification in rows]


def decide(w: Ranked, *, favourite: bool = True) -> None:
    """The verdict that follows the ranking: e1 laureate, e2 runner-up, a mention for e3,
    s1 laureate, and s2 the edition's Coup de cœur (committed)."""
    actor = w.jury.organizer
    service.save_decisions(w.jury.edition, w.equite, [
        DecisionInput(LAUREATE, w.e1.id), DecisionInput(RUNNER_UP, w.e2.id),
        DecisionInput(MENTION, w.e3.id, title_fr="Mention spéciale sobriété",
                      title_en="Special mention for frugality")], actor=actor)
    service.save_decisions(w.jury.edition, w.souverainete, [DecisionInput(LAUREATE, w.s1.id)],
                           actor=actor)
    if favourite:
        service.save_decisions(w.jury.edition, None, [DecisionInput(FAVOURITE, w.s2.id)],
                               actor=actor)
    db.session.commit()


def frozen(**options) -> Ranked:
    w = ranked(**options)
    decide(w)
    service.freeze(w.jury.edition, actor=w.jury.organizer)
    db.session.commit()
    return w


def tamper_mark(jury: Jury, dossier: Dossier, value: int) -> int:
    """A direct SQL UPDATE of one submitted impact mark of `dossier`; returns the sheet id."""
    mark = db.session.scalar(
        select(Mark).join(Mark.sheet).join(Assignment)
        .where(Assignment.dossier_id == dossier.id, Mark.criterion_id == jury.impact.id)
        .order_by(Mark.id).limit(1))
    db.session.execute(update(Mark).where(Mark.id == mark.id).values(value=value))
    db.session.commit()
    db.session.expire_all()
    return mark.sheet_id


# --- decisions ---------------------------------------------------------------------------------


def test_decisions_that_follow_the_ranking_are_saved_and_audited_without_justification(app):
    w = ranked()
    kept = service.save_decisions(w.jury.edition, w.equite, [
        DecisionInput(LAUREATE, w.e1.id), DecisionInput(RUNNER_UP, w.e2.id, position=1),
        DecisionInput(RUNNER_UP, w.e3.id, position=2)], actor=w.jury.organizer)
    db.session.commit()
    assert kept is None                                       # not an amendment: no snapshot
    assert stored_decisions(w.jury.edition) == [
        ("laureate", 1, w.e1.reference, ""), ("runner_up", 1, w.e2.reference, ""),
        ("runner_up", 2, w.e3.reference, "")]
    (event,) = events("decisions.saved")
    assert event.actor_id == w.jury.organizer.id and event.edition_id == w.jury.edition.id
    assert [(d["dossier"], d["departs"]) for d in event.data["decisions"]] == [
        (w.e1.reference, False), (w.e2.reference, False), (w.e3.reference, False)]
    assert count(ResultSnapshot) == 0


def test_a_laureate_not_ranked_first_needs_a_written_justification(app):
    w = ranked()
    decide(w, favourite=False)
    before = stored_decisions(w.jury.edition)
    entries = [DecisionInput(LAUREATE, w.e2.id), DecisionInput(RUNNER_UP, w.e1.id)]
    with pytest.raises(JustificationRequired) as refused:
        service.save_decisions(w.jury.edition, w.equite, entries, actor=w.jury.organizer)
    assert [e.dossier_id for e in refused.value.departures] == [w.e2.id, w.e1.id]
    db.session.rollback()
    assert stored_decisions(w.jury.edition) == before         # nothing saved
    with pytest.raises(JustificationRequired):                # blanks are not a justification
        service.save_decisions(w.jury.edition, w.equite, [
            DecisionInput(LAUREATE, w.e2.id, justification="   \n"),
            DecisionInput(RUNNER_UP, w.e1.id, justification="Voir ci-dessus.")],
            actor=w.jury.organizer)
    db.session.rollback()

    why = "Le jury a préféré un déploiement déjà en cours dans trois hôpitaux."
    service.save_decisions(w.jury.edition, w.equite, [
        DecisionInput(LAUREATE, w.e2.id, justification=why),
        DecisionInput(RUNNER_UP, w.e1.id, justification="Voir la décision du lauréat.")],
        actor=w.jury.organizer)
    db.session.commit()
    assert ("laureate", 1, w.e2.reference, why) in stored_decisions(w.jury.edition)
    assert ("mention", 1, w.e3.reference, "") not in stored_decisions(w.jury.edition)
    event = events("decisions.saved")[-1]
    assert event.data["decisions"][0] == {
        "kind": "laureate", "position": 1, "dossier": w.e2.reference, "departs": True,
        "title": "", "justification": why}
    # the other category is untouched
    assert ("laureate", 1, w.s1.reference, "") in stored_decisions(w.jury.edition)


def test_either_dossier_tied_first_may_be_laureate_without_justification(app):
    jury = build_jury()
    first, second, third = jury.dossier(), jury.dossier(), jury.dossier()
    jury.scored(first, (4, 5), (4, 5), (4, 5))                # 70
    jury.scored(second, (3, 9), (3, 9), (3, 9))               # 70 too: tied
    jury.scored(third, (1, 2), (1, 2), (1, 2))                # 20
    db.session.commit()
    equite = jury.categories["Équité"]
    section = results_service.round_report(jury.round).categories[0]
    for laureate, runner_up in ((first, second), (second, first)):
        assert not service.departs(DecisionInput(LAUREATE, laureate.id), section)
        assert not service.departs(DecisionInput(RUNNER_UP, runner_up.id), section)
        service.save_decisions(jury.edition, equite, [
            DecisionInput(LAUREATE, laureate.id), DecisionInput(RUNNER_UP, runner_up.id)],
            actor=jury.organizer)
        db.session.commit()
        assert stored_decisions(jury.edition)[0][2] == laureate.reference
    # the third is ranked 3rd: first runner-up (2nd place) departs from the ranking
    assert service.departs(DecisionInput(RUNNER_UP, third.id), section)
    assert service.departs(DecisionInput(LAUREATE, third.id), section)
    with pytest.raises(JustificationRequired):
        service.save_decisions(jury.edition, equite, [
            DecisionInput(LAUREATE, first.id), DecisionInput(RUNNER_UP, third.id)],
            actor=jury.organizer)


def test_runners_up_out_of_ranking_order_depart_from_it(app):
    w = ranked()
    section = next(c for c in results_service.round_report(w.jury.round).categories
                   if c.category.id == w.equite.id)
    assert not service.departs(DecisionInput(RUNNER_UP, w.e2.id, position=1), section)
    assert not service.departs(DecisionInput(RUNNER_UP, w.e3.id, position=2), section)
    assert service.departs(DecisionInput(RUNNER_UP, w.e3.id, position=1), section)
    assert service.departs(DecisionInput(RUNNER_UP, w.e2.id, position=2), section)
    assert not service.departs(DecisionInput(MENTION, w.e4.id, title_fr="Coup de pouce"),
                               section)                       # a mention is a free choice
    entries = [DecisionInput(LAUREATE, w.e1.id), DecisionInput(RUNNER_UP, w.e3.id, position=1),
               DecisionInput(RUNNER_UP, w.e2.id, position=2)]
    with pytest.raises(JustificationRequired) as refused:
        service.save_decisions(w.jury.edition, w.equite, entries, actor=w.jury.organizer)
    assert [e.dossier_id for e in refused.value.departures] == [w.e3.id, w.e2.id]
    db.session.rollback()
    assert count(Decision) == 0


def test_a_special_mention_needs_a_title_but_no_justification(app):
    w = ranked()
    with pytest.raises(InvalidDecision):
        service.save_decisions(w.jury.edition, w.equite, [DecisionInput(MENTION, w.e4.id)],
                               actor=w.jury.organizer)
    db.session.rollback()
    service.save_decisions(w.jury.edition, w.equite, [
        DecisionInput(MENTION, w.e4.id, title_fr="Mention accessibilité",
                      title_en="Accessibility")], actor=w.jury.organizer)
    db.session.commit()
    assert stored_decisions(w.jury.edition) == [("mention", 1, w.e4.reference, "")]


def test_the_coup_de_coeur_is_edition_wide_and_there_is_only_one(app):
    w = ranked()
    edition, actor = w.jury.edition, w.jury.organizer
    service.save_decisions(edition, None, [DecisionInput(FAVOURITE, w.e4.id)], actor=actor)
    db.session.commit()
    for entries in ([DecisionInput(FAVOURITE, w.e4.id), DecisionInput(FAVOURITE, w.s2.id)],
                    [DecisionInput(LAUREATE, w.e1.id)]):
        with pytest.raises(InvalidDecision):
            service.save_decisions(edition, None, entries, actor=actor)
        db.session.rollback()
    service.save_decisions(edition, None, [DecisionInput(FAVOURITE, w.s2.id)], actor=actor)
    service.save_decisions(edition, w.equite, [DecisionInput(LAUREATE, w.e1.id)], actor=actor)
    db.session.commit()
    favourites = db.session.scalars(select(Decision).where(Decision.kind == FAVOURITE)).all()
    assert [(d.dossier_id, d.category_id) for d in favourites] == [(w.s2.id, None)]
    # the category's decisions do not touch the edition-wide one, nor the reverse
    service.save_decisions(edition, None, [], actor=actor)
    db.session.commit()
    assert stored_decisions(edition) == [("laureate", 1, w.e1.reference, "")]


def test_a_dossier_outside_the_category_or_the_edition_is_refused(app):
    w = ranked()
    edition, actor = w.jury.edition, w.jury.organizer
    with pytest.raises(InvalidDecision):
        service.save_decisions(edition, w.equite, [DecisionInput(LAUREATE, w.s1.id)], actor=actor)
    db.session.rollback()
    unscored = w.jury.dossier()                              # in the category, never judged
    db.session.commit()
    with pytest.raises(InvalidDecision):
        service.save_decisions(edition, w.equite, [DecisionInput(MENTION, unscored.id,
                                                                 title_fr="Hors course")],
                               actor=actor)
    db.session.rollback()
    other = build_jury()
    db.session.commit()
    with pytest.raises(InvalidDecision):
        service.save_decisions(edition, other.categories["Équité"],
                               [DecisionInput(LAUREATE, w.e1.id)], actor=actor)
    db.session.rollback()
    with pytest.raises(InvalidDecision):                     # one dossier, two places
        service.save_decisions(edition, w.equite, [
            DecisionInput(LAUREATE, w.e1.id), DecisionInput(RUNNER_UP, w.e1.id)], actor=actor)
    db.session.rollback()
    assert count(Decision) == 0


def test_no_decision_while_the_jury_is_still_judging(app):
    w = ranked(phase=Phase.JUDGING)
    with pytest.raises(NotDeliberating):
        service.save_decisions(w.jury.edition, w.equite, [DecisionInput(LAUREATE, w.e1.id)],
                               actor=w.jury.organizer)
    db.session.rollback()
    assert count(Decision) == 0


# --- freezing and amending ---------------------------------------------------------------------


def test_freezing_stores_snapshot_one_with_the_digest_of_its_payload(app):
    w = ranked()
    decide(w)
    edition = w.jury.edition
    snapshot = service.freeze(edition, actor=w.jury.organizer)
    db.session.commit()
    db.session.expire_all()
    assert edition.phase is Phase.FROZEN
    assert snapshot.sequence == 1 and snapshot.reason == "" and snapshot.round_id == w.jury.round.id
    assert snapshot.digest == results_service.digest_of(snapshot.payload)
    assert snapshot.digest == results_service.digest_of(
        results_service.payload_of(edition, w.jury.round))
    assert {(d["kind"], d["dossier"], d["category"]) for d in snapshot.payload["decisions"]} == {
        ("coup_de_coeur", w.s2.reference, None), ("laureate", w.e1.reference, "Équité"),
        ("runner_up", w.e2.reference, "Équité"), ("mention", w.e3.reference, "Équité"),
        ("laureate", w.s1.reference, "Souveraineté")}
    assert {j["name"] for j in snapshot.payload["jurors"]} == {"Alice Martin", "Bruno Petit",
                                                               "Chloé Durand"}
    (event,) = events("results.frozen")
    assert event.data["digest"] == snapshot.digest and event.data["sequence"] == 1
    assert events("edition.phase_changed")[-1].data["phase"] == "frozen"
    assert service.snapshots(edition) == [snapshot] == [service.latest_snapshot(edition)]
    with pytest.raises(NotDeliberating):                      # frozen once
        service.freeze(edition, actor=w.jury.organizer)


def test_freezing_without_any_decision_is_refused(app):
    w = ranked()
    with pytest.raises(NoDecision):
        service.freeze(w.jury.edition, actor=w.jury.organizer)
    db.session.rollback()
    assert w.jury.edition.phase is Phase.DELIBERATION and count(ResultSnapshot) == 0


def test_an_amendment_needs_a_reason_and_makes_the_next_snapshot(app):
    w = frozen()
    edition, actor = w.jury.edition, w.jury.organizer
    first = service.latest_snapshot(edition)
    change = [DecisionInput(LAUREATE, w.e1.id), DecisionInput(RUNNER_UP, w.e2.id)]
    with pytest.raises(ReasonRequired):
        service.save_decisions(edition, w.equite, change, actor=actor, reason="  ")
    db.session.rollback()
    assert ("mention", 1, w.e3.reference, "") in stored_decisions(edition)
    reason = "La mention était attribuée par erreur."
    second = service.save_decisions(edition, w.equite, change, actor=actor, reason=reason)
    db.session.commit()
    assert second is not None and second.sequence == 2 and second.reason == reason
    assert second.digest != first.digest
    assert second.digest == results_service.digest_of(second.payload)
    assert "mention" not in {d["kind"] for d in second.payload["decisions"]}
    assert [s.sequence for s in service.snapshots(edition)] == [2, 1]
    assert edition.phase is Phase.FROZEN
    assert events("results.amended")[-1].data["reason"] == reason
    assert events("decisions.saved")[-1].data["amendment"] == reason
    assert service.verify(edition).matches


def test_verify_matches_after_freezing_and_names_a_tampered_mark(app):
    w = frozen()
    edition = w.jury.edition
    check = service.verify(edition)
    assert check.matches and check.stored_ok and check.differences == []
    assert check.recomputed_digest == check.snapshot.digest
    sheet_id = tamper_mark(w.jury, w.e4, 5)                   # 1 -> 5 on one of e4's sheets
    check = service.verify(edition)
    assert check.stored_ok and not check.matches
    assert check.recomputed_digest != check.snapshot.digest
    assert f"sheets[{sheet_id}].marks.impact: 1 → 5" in check.differences
    assert any(line.startswith(f"dossiers[{w.e4.reference}].score:")
               for line in check.differences)


def test_verify_sees_a_tampered_stored_payload(app):
    w = frozen()
    snapshot = service.latest_snapshot(w.jury.edition)
    payload = dict(snapshot.payload)
    payload["decisions"] = [dict(d, dossier=w.e4.reference) if d["kind"] == "laureate" else d
                            for d in payload["decisions"]]
    db.session.execute(update(ResultSnapshot).where(ResultSnapshot.id == snapshot.id)
                       .values(payload=payload))
    db.session.commit()
    db.session.expire_all()
    check = service.verify(w.jury.edition)
    assert not check.stored_ok and not check.matches
    assert check.recomputed_digest == check.snapshot.digest    # the marks are untouched
    assert any(line.startswith("decisions[") and w.e4.reference in line
               for line in check.differences)


# --- publication -------------------------------------------------------------------------------


OUTCOME_SUBJECTS = {
    "laureate": "Congratulations: %(project)s is a laureate of %(edition)s",
    "runner_up": "Congratulations: %(project)s is runner-up in %(edition)s",
    "mention": "Congratulations: a special mention for %(project)s in %(edition)s",
    "coup_de_coeur": "Congratulations: %(project)s is the jury's favourite of %(edition)s",
}


def expected_subject(outcome: str, dossier: Dossier, edition: Edition, language: str) -> str:
    name = edition.localized("name", language)
    if outcome == "none":
        msgid, values = "The results of %(edition)s are published", {"edition": name}
    else:
        msgid = OUTCOME_SUBJECTS[outcome]
        values = {"project": dossier.project_title, "edition": name}
    return (fr(msgid, **values) if language == "fr" else msgid % values) + " — "


def test_publishing_now_opens_the_palmares_and_tells_every_judged_candidate(app):
    w = frozen()
    edition = w.jury.edition
    never_judged = w.jury.dossier()                           # eligible, no sheet: still told
    out = w.jury.dossier(status=DossierStatus.INELIGIBLE)     # out of the competition: not told
    db.session.commit()
    now = utcnow().replace(microsecond=0)
    assert service.publish(edition, actor=w.jury.organizer, now=now) is True
    db.session.commit()
    db.session.expire_all()
    assert edition.phase is Phase.PUBLISHED and edition.published_at == now
    assert edition.publish_at is None
    outcomes = {w.e1: "laureate", w.e2: "runner_up", w.e3: "mention", w.e4: "none",
                w.s1: "laureate", w.s2: "coup_de_coeur", never_judged: "none"}
    sent = messages(template="results_published")
    assert sorted(m.recipient for m in sent) == sorted(d.candidate.email for d in outcomes)
    for dossier, outcome in outcomes.items():
        (message,) = [m for m in sent if m.recipient == dossier.candidate.email]
        language = str(dossier.candidate.language)
        assert message.language == language
        assert message.subject.startswith(expected_subject(outcome, dossier, edition, language))
        assert dossier.reference in message.body_text
        assert f"http://trophies.test/editions/{edition.slug}/palmares" in message.body_text
    assert str(w.e2.candidate.language) == "en"
    assert not messages(to=out.candidate.email)
    statuses = {d: d.status for d in (w.e1, w.e2, w.e3, w.e4, w.s1, w.s2)}
    assert statuses == {w.e1: DossierStatus.LAUREATE, w.e2: DossierStatus.ELIGIBLE,
                        w.e3: DossierStatus.ELIGIBLE, w.e4: DossierStatus.ELIGIBLE,
                        w.s1: DossierStatus.LAUREATE, w.s2: DossierStatus.LAUREATE}
    (event,) = events("results.published")
    assert event.data["emails"] == 7
    assert event.data["digest"] == service.latest_snapshot(edition).digest
    assert service.verify(edition).matches                    # laureates are still in play


def test_the_feedback_link_is_in_the_mail_only_when_the_edition_gives_feedback(app):
    quiet, open_ = ranked(), ranked()
    open_.jury.edition.is_feedback_enabled = True
    for w in (quiet, open_):
        decide(w)
        service.freeze(w.jury.edition, actor=w.jury.organizer)
        service.publish(w.jury.edition, actor=w.jury.organizer)
    db.session.commit()
    link = "http://trophies.test/candidate/dossiers/{}/feedback"
    (given,) = messages(to=open_.e4.candidate.email)
    assert link.format(open_.e4.reference) in given.body_text
    (withheld,) = messages(to=quiet.e4.candidate.email)
    assert "/feedback" not in withheld.body_text


def test_publishing_is_refused_before_the_verdict_is_frozen(app):
    w = ranked()
    decide(w)
    with pytest.raises(NotDeliberating):
        service.publish(w.jury.edition, actor=w.jury.organizer)
    db.session.rollback()
    assert w.jury.edition.phase is Phase.DELIBERATION and not messages()


def test_a_scheduled_publication_waits_and_can_be_cancelled(app):
    w = frozen()
    edition, actor = w.jury.edition, w.jury.organizer
    now = utcnow().replace(microsecond=0)
    at = now + timedelta(days=2, hours=3)
    assert service.publish(edition, actor=actor, now=now, at=at) is False
    db.session.commit()
    db.session.expire_all()
    assert edition.phase is Phase.FROZEN and edition.publish_at == at
    assert edition.published_at is None and not messages()
    assert events("publication.scheduled")[-1].data["at"] == at.isoformat()
    service.cancel_schedule(edition, actor=actor)
    db.session.commit()
    assert edition.publish_at is None and events("publication.unscheduled")
    with pytest.raises(NotDeliberating):                      # nothing left to cancel
        service.cancel_schedule(edition, actor=actor)
    db.session.rollback()
    assert service.publish_due(now + timedelta(days=3)) == []
    assert edition.phase is Phase.FROZEN


def test_a_schedule_in_the_past_publishes_now(app):
    w = frozen()
    now = utcnow().replace(microsecond=0)
    assert service.publish(w.jury.edition, actor=w.jury.organizer, now=now,
                           at=now - timedelta(minutes=5)) is True
    db.session.commit()
    assert w.jury.edition.phase is Phase.PUBLISHED and w.jury.edition.published_at == now
    assert len(messages(template="results_published")) == 6


def test_publish_due_publishes_only_what_is_due_and_never_twice(app):
    due, later = frozen(), frozen()
    now = utcnow().replace(microsecond=0)
    service.publish(due.jury.edition, actor=due.jury.organizer, now=now - timedelta(days=1),
                    at=now - timedelta(minutes=1))
    service.publish(later.jury.edition, actor=later.jury.organizer,
                    now=now - timedelta(days=1), at=now + timedelta(hours=1))
    db.session.commit()
    assert due.jury.edition.phase is Phase.FROZEN and not messages()
    published = service.publish_due(now)
    db.session.commit()
    assert [e.id for e in published] == [due.jury.edition.id]
    db.session.expire_all()
    assert due.jury.edition.phase is Phase.PUBLISHED and due.jury.edition.published_at == now
    assert due.jury.edition.publish_at is None
    assert later.jury.edition.phase is Phase.FROZEN
    sent = len(messages())
    assert sent == 6
    assert service.publish_due(now + timedelta(seconds=1)) == []
    db.session.commit()
    assert len(messages()) == sent and len(events("results.published")) == 1
    assert [e.id for e in service.publish_due(now + timedelta(hours=2))] == [
        later.jury.edition.id]
    db.session.commit()
    assert len(messages()) == 12


# --- the shortlist -----------------------------------------------------------------------------


def shortlist_world() -> tuple[Jury, list[Dossier]]:
    """Équité: 100, 70, 70, 20 and one eligible dossier never assigned; round 1 closed, a
    final round with nothing published; the edition is judging."""
    jury = build_jury(phase=Phase.JUDGING)
    dossiers = [jury.dossier(language=Language.EN if i == 1 else Language.FR)
                for i in range(4)]
    for dossier, marks in zip(dossiers, ((5, 10), (4, 5), (3, 9), (1, 2)), strict=True):
        jury.scored(dossier, marks, marks, marks)
    jury.dossier()
    jury.second_round()
    jury.round.closed_at = utcnow()
    db.session.commit()
    return jury, dossiers


def test_top_n_keeps_every_dossier_tied_at_the_cut(app):
    jury, (d1, d2, d3, d4) = shortlist_world()
    report = results_service.round_report(jury.round)
    equite = jury.categories["Équité"].id
    assert service.top_n(report, 1)[equite] == [d1.id]
    assert sorted(service.top_n(report, 2)[equite]) == sorted([d1.id, d2.id, d3.id])
    assert sorted(service.top_n(report, 3)[equite]) == sorted([d1.id, d2.id, d3.id])
    assert len(service.top_n(report, 4)[equite]) == 4


def test_the_shortlist_moves_dossiers_into_the_next_round_and_tells_the_new_ones(app):
    jury, (d1, d2, d3, d4) = shortlist_world()
    chosen = service.shortlist(jury.round, {d1.id, d2.id}, notify=True, actor=jury.organizer)
    db.session.commit()
    assert chosen == 2
    assert (d1.status, d2.status, d3.status, d4.status) == (
        DossierStatus.SHORTLISTED, DossierStatus.SHORTLISTED, DossierStatus.ELIGIBLE,
        DossierStatus.ELIGIBLE)
    sent = messages(template="shortlisted")
    assert sorted(m.recipient for m in sent) == sorted([d1.candidate.email, d2.candidate.email])
    english = next(m for m in sent if m.recipient == d2.candidate.email)
    assert english.language == "en" and "Final" in english.body_text
    assert events("shortlist.saved")[-1].data["dossiers"] == sorted([d1.reference,
                                                                     d2.reference])
    # by hand: d2 out, d3 in; only d3 is newly shortlisted
    service.shortlist(jury.round, {d1.id, d3.id}, notify=True, actor=jury.organizer)
    db.session.commit()
    assert (d1.status, d2.status, d3.status) == (
        DossierStatus.SHORTLISTED, DossierStatus.ELIGIBLE, DossierStatus.SHORTLISTED)
    assert len(messages(template="shortlisted")) == 3
    assert messages(template="shortlisted")[-1].recipient == d3.candidate.email
    assert events("shortlist.saved")[-1].data["notified"] == 1
    # without notification: statuses only
    service.shortlist(jury.round, {d4.id}, notify=False, actor=jury.organizer)
    db.session.commit()
    assert d4.status is DossierStatus.SHORTLISTED and d1.status is DossierStatus.ELIGIBLE
    assert len(messages(template="shortlisted")) == 3


def test_the_shortlist_is_refused_when_the_round_is_open_or_the_next_one_has_started(app):
    jury, (d1, d2, d3, d4) = shortlist_world()
    final = results_service.next_round(jury.round)
    jury.round.closed_at = None
    db.session.commit()
    with pytest.raises(ShortlistClosed):
        service.shortlist(jury.round, {d1.id}, notify=False, actor=jury.organizer)
    db.session.rollback()
    jury.round.closed_at = utcnow()
    db.session.add(Assignment(round_id=final.id, dossier_id=d1.id, juror_id=jury.jurors[0].id,
                              published_at=utcnow()))
    db.session.commit()
    with pytest.raises(ShortlistClosed):
        service.shortlist(jury.round, {d1.id}, notify=False, actor=jury.organizer)
    db.session.rollback()
    with pytest.raises(ShortlistClosed):                      # the last round has no next one
        service.shortlist(final, {d1.id}, notify=False, actor=jury.organizer)
    db.session.rollback()
    assert d1.status is DossierStatus.ELIGIBLE and not messages()


def test_the_shortlist_is_refused_without_a_next_round_or_for_an_unscored_dossier(app):
    jury = build_jury(phase=Phase.JUDGING)
    dossier = jury.dossier()
    jury.scored(dossier, (4, 5), (4, 5), (4, 5))
    unscored = jury.dossier()
    jury.round.closed_at = utcnow()
    db.session.commit()
    with pytest.raises(ShortlistClosed):
        service.shortlist(jury.round, {dossier.id}, notify=False, actor=jury.organizer)
    db.session.rollback()
    jury.second_round()
    db.session.commit()
    with pytest.raises(InvalidDecision):
        service.shortlist(jury.round, {dossier.id, unscored.id}, notify=False,
                          actor=jury.organizer)
    db.session.rollback()
    assert service.shortlist(jury.round, {dossier.id}, notify=False, actor=jury.organizer) == 1


def test_a_second_round_verdict_sends_the_shortlisted_laureate_back_in_play(app):
    """Round 2 decides; its laureate stays countable for `verify` after publication."""
    jury, (d1, d2, d3, d4) = shortlist_world()
    final = results_service.next_round(jury.round)
    service.shortlist(jury.round, {d1.id, d2.id, d3.id}, notify=False, actor=jury.organizer)
    key = final.criteria[0].id
    for dossier, value in ((d1, 2), (d2, 5), (d3, 3)):
        for juror in jury.jurors[3:6]:
            jury.sheet(dossier, juror, marks={key: value}, round_=final)
    jury.edition.phase = Phase.DELIBERATION
    db.session.commit()
    assert results_service.results_round(jury.edition) == final
    service.save_decisions(jury.edition, jury.categories["Équité"],
                           [DecisionInput(LAUREATE, d2.id)], actor=jury.organizer)
    service.freeze(jury.edition, actor=jury.organizer)
    service.publish(jury.edition, actor=jury.organizer)
    db.session.commit()
    assert (d1.status, d2.status, d3.status, d4.status) == (
        DossierStatus.SHORTLISTED, DossierStatus.LAUREATE, DossierStatus.SHORTLISTED,
        DossierStatus.ELIGIBLE)
    snapshot = service.latest_snapshot(jury.edition)
    assert snapshot.payload["round"] == 2
    assert [d["score"] for d in snapshot.payload["dossiers"]][:1] == ["100/1"]
    assert service.verify(jury.edition).matches
    assert Fraction(snapshot.payload["dossiers"][0]["score"]) == 100


def test_nobody_but_the_candidates_of_the_edition_is_told(app):
    w = frozen()
    other = ranked()                                          # another edition's candidates
    stranger = make_user()
    db.session.commit()
    service.publish(w.jury.edition, actor=w.jury.organizer)
    db.session.commit()
    assert not messages(to=stranger.email)
    assert not any(messages(to=d.candidate.email) for d in (other.e1, other.s2))
    assert {m.edition_id for m in messages()} == {w.jury.edition.id}
    assert count(OutboxMessage) == 6
