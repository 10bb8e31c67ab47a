"""Assignment service: a run gives every dossier k jurors within the rules, keeps what must not
move, writes nothing when infeasible or dry; publication mails each juror once; CSV round trip.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from tests.factories import add_role, make_dossier, make_edition, make_user
from tests.helpers import count, messages
from trophies.domain.assignment import Infeasible
from trophies.domain.organisations import normalise_organisation
from trophies.domain.vocabulary import (
    AssignmentSource,
    ConflictSource,
    ConflictStatus,
    DossierStatus,
    Language,
    Phase,
    PreferenceLevel,
    Role,
)
from trophies.models import (
    Assignment,
    AuditEvent,
    Conflict,
    Dossier,
    Edition,
    JurorPreference,
    JurorProfile,
    Membership,
    Round,
    ScoreSheet,
    User,
    db,
    utcnow,
)
from trophies.services import assignment as service
from trophies.services import assignment_csv, assignment_stats, assignment_texts

# --- building a round (also used by the web and CLI tests) ------------------------------------


@dataclass
class Jury:
    edition: Edition
    round: Round
    organizer: User
    dossiers: list[Dossier]
    jurors: list[User]


def add_juror(edition: Edition, *, organisation: str = "", expertise=(), accepted: bool = True,
              capacity: int | None = None, language=Language.FR, name: str | None = None
              ) -> User:
    user = make_user(language=language, full_name=name)
    db.session.add(Membership(user_id=user.id, edition_id=edition.id, role=Role.JUROR))
    profile = JurorProfile(edition_id=edition.id, user_id=user.id, organisation=organisation,
                           organisation_key=normalise_organisation(organisation),
                           capacity=capacity, accepted_at=utcnow() if accepted else None)
    profile.expertise = list(expertise)
    db.session.add(profile)
    db.session.flush()
    return user


def confirm_conflict(juror: User, dossier: Dossier,
                     status: ConflictStatus = ConflictStatus.CONFIRMED) -> None:
    db.session.add(Conflict(edition_id=dossier.edition_id, juror_id=juror.id,
                            dossier_id=dossier.id, source=ConflictSource.DECLARED,
                            status=status, reason="Ancien associé."))
    db.session.flush()


def build_round(*, dossiers: int = 6, jurors: int = 4, k: int = 2, phase=Phase.JUDGING,
                slug: str | None = None, languages=None) -> Jury:
    """An edition in `phase` with two categories, `dossiers` eligible dossiers (categories
    alternate) and `jurors` accepted jurors of distinct organisations (expertise alternates);
    committed."""
    edition = make_edition(slug, phase=phase, categories=("Équité", "Souveraineté"))
    round_ = edition.rounds[0]
    round_.jurors_per_dossier = k
    organizer = make_user()
    add_role(organizer, edition, Role.ORGANIZER)
    candidate = make_user()
    items = []
    for i in range(dossiers):
        dossier = make_dossier(edition, candidate, status=DossierStatus.ELIGIBLE)
        dossier.category_id = edition.categories[i % 2].id
        items.append(dossier)
    people = [add_juror(edition, organisation=f"Organisation {i}",
                        expertise=[edition.categories[i % 2]],
                        language=(languages or [Language.FR])[i % len(languages or [1])],
                        name=f"Juré {i:02d}")
              for i in range(jurors)]
    db.session.commit()
    return Jury(edition, round_, organizer, items, people)


def pairs_of(round_: Round) -> dict[tuple[int, int], Assignment]:
    db.session.expire_all()
    return {(a.dossier_id, a.juror_id): a for a in db.session.scalars(
        select(Assignment).where(Assignment.round_id == round_.id))}


# --- runs -------------------------------------------------------------------------------------


def test_a_run_gives_every_dossier_k_distinct_jurors_and_never_a_conflicted_one(app):
    jury = build_round(dossiers=8, jurors=5, k=3)
    first = jury.dossiers[0]
    for juror in jury.jurors[:2]:
        confirm_conflict(juror, first)
    db.session.commit()

    result = service.run_assignment(jury.round, seed=7, actor=jury.organizer)
    db.session.commit()

    pairs = pairs_of(jury.round)
    per_dossier = Counter(d for d, _j in pairs)
    assert per_dossier == dict.fromkeys((d.id for d in jury.dossiers), 3)
    assert not {(first.id, j.id) for j in jury.jurors[:2]} & set(pairs)
    assert all(a.source == AssignmentSource.SOLVER and a.published_at is None
               and not a.is_pinned for a in pairs.values())
    loads = Counter(j for _d, j in pairs)
    assert max(loads.values()) <= 5  # ceil(3 * 8 / 5)
    assert result.is_optimal and result.objective == result.bound
    run = db.session.get(Round, jury.round.id).assignment_run
    assert run["seed"] == 7 and run["objective"] == result.objective
    assert run["bound"] == result.bound and run["k"] == 3 and run["dossiers"] == 8
    assert run["jurors"] == 5 and "at" in run
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assignment.run"))
    assert event.actor_id == jury.organizer.id and event.data["created"] == 24


def test_the_same_seed_gives_the_same_plan_and_a_dry_run_writes_nothing(app):
    jury = build_round(dossiers=6, jurors=4, k=2)
    dry = service.run_assignment(jury.round, seed=3, actor=None, dry_run=True)
    db.session.commit()
    assert count(Assignment) == 0 and count(AuditEvent, AuditEvent.action == "assignment.run") == 0
    assert db.session.get(Round, jury.round.id).assignment_run is None
    assert len(dry.pairs) == 12 and dry.created == 12 and dry.dry_run
    again = service.run_assignment(jury.round, seed=3, actor=None, dry_run=True)
    assert again.pairs == dry.pairs


def test_jurors_who_have_not_accepted_or_withdrew_get_nothing_and_are_reported(app):
    jury = build_round(dossiers=4, jurors=3, k=2)
    pending = add_juror(jury.edition, accepted=False, name="Juré en attente")
    withdrawn = add_juror(jury.edition, name="Juré parti")
    db.session.scalar(select(JurorProfile).where(
        JurorProfile.user_id == withdrawn.id)).withdrawn_at = utcnow()
    db.session.commit()
    result = service.run_assignment(jury.round, seed=1, actor=None)
    db.session.commit()
    assigned = {j for _d, j in pairs_of(jury.round)}
    assert pending.id not in assigned and withdrawn.id not in assigned
    codes = {w.code: w for w in result.summary.warnings}
    assert codes["not_accepted"].names == ("Juré en attente",)
    assert "Juré en attente" in assignment_texts.warning_text(codes["not_accepted"])


def test_a_rerun_keeps_pinned_pairs_and_never_moves_a_started_sheet(app):
    jury = build_round(dossiers=6, jurors=5, k=2)
    service.run_assignment(jury.round, seed=1, actor=None)
    db.session.commit()
    pairs = pairs_of(jury.round)
    pinned, started = sorted(pairs.values(), key=lambda a: a.id)[:2]
    pinned.is_pinned = True
    db.session.add(ScoreSheet(assignment_id=started.id))
    db.session.commit()
    kept = {pinned.id: (pinned.dossier_id, pinned.juror_id),
            started.id: (started.dossier_id, started.juror_id)}

    for seed in (2, 3, 4):
        service.run_assignment(jury.round, seed=seed, actor=None)
        db.session.commit()
        after = pairs_of(jury.round)
        for assignment_id, pair in kept.items():
            assert after[pair].id == assignment_id
        assert Counter(d for d, _j in after) == dict.fromkeys((d.id for d in jury.dossiers), 2)


def test_after_publication_only_the_freed_slots_are_filled(app):
    jury = build_round(dossiers=8, jurors=6, k=2)
    service.run_assignment(jury.round, seed=1, actor=None)
    service.publish(jury.round, actor=None)
    db.session.commit()
    before = pairs_of(jury.round)
    leaving = jury.jurors[0]
    # The juror withdraws: the jury service frees their unstarted assignments.
    db.session.scalar(select(JurorProfile).where(
        JurorProfile.user_id == leaving.id)).withdrawn_at = utcnow()
    freed = {d for (d, j) in before if j == leaving.id}
    assert freed
    for (_d, j), a in before.items():
        if j == leaving.id:
            db.session.delete(a)
    db.session.commit()

    service.run_assignment(jury.round, seed=99, actor=None)
    db.session.commit()
    after = pairs_of(jury.round)
    for pair, a in before.items():
        if pair[1] != leaving.id:
            assert after[pair].id == a.id and after[pair].published_at is not None
    new = {pair: a for pair, a in after.items() if a.published_at is None}
    assert sorted(d for d, _j in new) == sorted(freed)
    assert leaving.id not in {j for _d, j in after}
    assert Counter(d for d, _j in after) == dict.fromkeys((d.id for d in jury.dossiers), 2)


def test_an_infeasible_run_names_the_dossier_and_changes_nothing(app):
    jury = build_round(dossiers=4, jurors=3, k=2)
    service.run_assignment(jury.round, seed=1, actor=None)
    db.session.commit()
    before = {pair: a.id for pair, a in pairs_of(jury.round).items()}
    run_before = db.session.get(Round, jury.round.id).assignment_run
    events = count(AuditEvent)
    blocked = jury.dossiers[2]
    for juror in jury.jurors[:2]:
        confirm_conflict(juror, blocked)
    db.session.commit()

    with pytest.raises(Infeasible) as raised:
        service.run_assignment(jury.round, seed=2, actor=None)
    db.session.rollback()
    assert {pair: a.id for pair, a in pairs_of(jury.round).items()} == before
    assert db.session.get(Round, jury.round.id).assignment_run == run_before
    assert count(AuditEvent) == events
    explained = assignment_texts.explain(raised.value, assignment_stats.load_state(jury.round))
    assert [e.reference for e in explained] == [blocked.reference]
    assert explained[0].cause == "conflicts" and explained[0].missing == 1
    assert blocked.reference in explained[0].text and "conflit" in explained[0].text


def test_the_organisation_cap_holds_and_preferences_count_when_enabled(app):
    jury = build_round(dossiers=2, jurors=4, k=2)
    for juror in jury.jurors[:2]:
        profile = db.session.scalar(select(JurorProfile).where(JurorProfile.user_id == juror.id))
        profile.organisation, profile.organisation_key = "CHU de Lyon", "chu lyon"
        profile.expertise = []
    for juror in jury.jurors[2:]:
        db.session.scalar(select(JurorProfile).where(
            JurorProfile.user_id == juror.id)).expertise = []
    jury.edition.has_preferences = True
    target = jury.dossiers[0]
    db.session.add(JurorPreference(edition_id=jury.edition.id, juror_id=jury.jurors[3].id,
                                   dossier_id=target.id, level=PreferenceLevel.WANT))
    db.session.add(JurorPreference(edition_id=jury.edition.id, juror_id=jury.jurors[2].id,
                                   dossier_id=target.id, level=PreferenceLevel.PREFER_NOT))
    db.session.commit()
    result = service.run_assignment(jury.round, seed=5, actor=None)
    db.session.commit()
    pairs = set(pairs_of(jury.round))
    lyon = {j.id for j in jury.jurors[:2]}
    for dossier in jury.dossiers:
        assert len({j for d, j in pairs if d == dossier.id} & lyon) == 1
    assert (target.id, jury.jurors[3].id) in pairs
    assert (target.id, jury.jurors[2].id) not in pairs
    assert result.objective == service.PREFERENCE_AFFINITY[PreferenceLevel.WANT]


def test_running_is_refused_outside_screening_and_judging(app):
    jury = build_round(phase=Phase.OPEN)
    with pytest.raises(service.AssignmentClosed):
        service.run_assignment(jury.round, seed=1, actor=None)
    with pytest.raises(service.AssignmentClosed):
        service.publish(jury.round, actor=None)
    assert count(Assignment) == 0


# --- adjusting by hand ------------------------------------------------------------------------


def test_adding_refuses_conflicts_duplicates_and_withdrawn_jurors_and_warns_over_capacity(app):
    jury = build_round(dossiers=3, jurors=3, k=1)
    dossier = jury.dossiers[0]
    a, b, c = jury.jurors
    confirm_conflict(a, dossier)
    db.session.scalar(select(JurorProfile).where(JurorProfile.user_id == c.id)).withdrawn_at = (
        utcnow())
    db.session.commit()
    with pytest.raises(service.ConflictOfInterest):
        service.add_juror(jury.round, dossier, a, actor=jury.organizer)
    with pytest.raises(service.JurorUnavailable):
        service.add_juror(jury.round, dossier, c, actor=jury.organizer)
    assert service.add_juror(jury.round, dossier, b, actor=jury.organizer) == []
    with pytest.raises(service.AlreadyAssigned):
        service.add_juror(jury.round, dossier, b, actor=jury.organizer)
    # capacity ceil(1 * 3 / 2) = 2: the third dossier puts b over it
    assert service.add_juror(jury.round, jury.dossiers[1], b, actor=jury.organizer) == []
    assert service.add_juror(jury.round, jury.dossiers[2], b, actor=jury.organizer) == [
        "over_capacity"]
    db.session.commit()
    added = pairs_of(jury.round)
    assert len(added) == 3 and all(x.is_pinned and x.source == AssignmentSource.MANUAL
                                   for x in added.values())
    assert count(AuditEvent, AuditEvent.action == "assignment.added") == 3


def test_removing_refuses_a_started_sheet_and_swapping_is_atomic(app):
    jury = build_round(dossiers=2, jurors=4, k=2)
    service.run_assignment(jury.round, seed=1, actor=None)
    db.session.commit()
    first, second = sorted(pairs_of(jury.round).values(), key=lambda x: x.id)[:2]
    db.session.add(ScoreSheet(assignment_id=first.id))
    db.session.commit()
    with pytest.raises(service.SheetStarted):
        service.remove_assignment(first, actor=None)
    with pytest.raises(service.SheetStarted):
        service.swap_juror(first, jury.jurors[3], actor=None)
    dossier = second.dossier
    taken = {j for d, j in pairs_of(jury.round) if d == dossier.id}
    conflicted, free = [j for j in jury.jurors if j.id not in taken][:2]
    confirm_conflict(conflicted, dossier)
    db.session.commit()
    second = db.session.get(Assignment, second.id)
    with pytest.raises(service.ConflictOfInterest):
        service.swap_juror(second, conflicted, actor=None)
    db.session.rollback()
    assert db.session.get(Assignment, second.id) is not None  # nothing half done
    second = db.session.get(Assignment, second.id)
    previous = second.juror_id
    service.swap_juror(second, free, actor=None)
    db.session.commit()
    now = {j for d, j in pairs_of(jury.round) if d == dossier.id}
    assert free.id in now and previous not in now
    service.remove_assignment(db.session.scalar(select(Assignment).where(
        Assignment.dossier_id == dossier.id, Assignment.juror_id == free.id)), actor=None)
    db.session.commit()
    assert free.id not in {j for d, j in pairs_of(jury.round) if d == dossier.id}


# --- publication ------------------------------------------------------------------------------


def test_publishing_mails_each_juror_once_in_their_language_with_their_dossiers(app):
    jury = build_round(dossiers=4, jurors=2, k=1, languages=[Language.FR, Language.EN])
    jury.edition.is_blind = True
    for profile in db.session.scalars(select(JurorProfile)):
        profile.confidentiality_accepted_at = utcnow()
    db.session.commit()
    service.run_assignment(jury.round, seed=1, actor=None)
    published = service.publish(jury.round, actor=jury.organizer)
    db.session.commit()
    assert published == 4
    assert all(a.published_at is not None for a in pairs_of(jury.round).values())
    sent = messages(template="assignments_published")
    assert sorted(m.recipient for m in sent) == sorted(j.email for j in jury.jurors)
    by_recipient = {m.recipient: m for m in sent}
    for juror in jury.jurors:
        message = by_recipient[juror.email]
        assert message.language == juror.language
        mine = [d for (d, j) in pairs_of(jury.round) if j == juror.id]
        for dossier in jury.dossiers:
            assert (dossier.reference in message.body_text) == (dossier.id in mine)
            assert dossier.company_name not in message.body_text  # blind edition
        assert f"http://trophies.test/jury/{jury.edition.slug}/" in message.body_text
    english = by_recipient[jury.jurors[1].email]
    assert english.subject.startswith("2 applications to evaluate")
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "assignment.published"))
    assert event.data == {"count": 4, "jurors": 2}
    assert service.publish(jury.round, actor=None) == 0
    db.session.commit()
    assert len(messages(template="assignments_published")) == 2


def test_the_publication_mail_names_no_dossier_before_the_statement_is_accepted(app):
    jury = build_round(dossiers=4, jurors=2, k=2)
    cleared, pending = jury.jurors
    db.session.scalar(select(JurorProfile).where(
        JurorProfile.user_id == cleared.id)).confidentiality_accepted_at = utcnow()
    db.session.commit()
    service.run_assignment(jury.round, seed=1, actor=None)
    service.publish(jury.round, actor=jury.organizer)
    db.session.commit()
    by_recipient = {m.recipient: m for m in messages(template="assignments_published")}
    for dossier in jury.dossiers:
        for secret in (dossier.reference, dossier.project_title, dossier.company_name):
            assert secret in by_recipient[cleared.email].body_text
            assert secret not in by_recipient[pending.email].body_text
            assert secret not in by_recipient[pending.email].subject
    assert f"http://trophies.test/jury/{jury.edition.slug}/" in \
        by_recipient[pending.email].body_text


# --- CSV --------------------------------------------------------------------------------------


def test_exporting_then_importing_gives_the_same_pairs(app):
    jury = build_round(dossiers=5, jurors=4, k=2)
    service.run_assignment(jury.round, seed=1, actor=None)
    db.session.commit()
    before = assignment_csv.assignment_pairs(jury.round)
    exported = assignment_csv.export_csv(jury.round, language="fr", actor=jury.organizer)
    assert exported.content.startswith(b"\xef\xbb\xbf") and exported.count == 10
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 11 and jury.jurors[0].email in exported.content.decode()
    count_imported = assignment_csv.import_csv(jury.round, exported.content, actor=None)
    db.session.commit()
    assert count_imported == 10
    assert assignment_csv.assignment_pairs(jury.round) == before
    assert {a.source for a in pairs_of(jury.round).values()} == {AssignmentSource.IMPORT}
    assert count(AuditEvent, AuditEvent.action == "assignment.imported") == 1


def test_an_import_with_errors_imports_nothing_and_lists_them_by_line(app):
    jury = build_round(dossiers=3, jurors=3, k=1)
    service.run_assignment(jury.round, seed=1, actor=None)
    db.session.commit()
    before = {pair: a.id for pair, a in pairs_of(jury.round).items()}
    d1, d2, _d3 = jury.dossiers
    a, b, _c = jury.jurors
    confirm_conflict(a, d2)
    db.session.commit()
    content = "\n".join([
        "Juror e-mail;Reference",
        f"{a.email};{d1.reference}",
        f"{b.email};NOPE-0001",
        f"stranger@example.org;{d1.reference}",
        f"{a.email};{d2.reference}",
        f"{a.email};{d1.reference}",
    ]).encode()
    with pytest.raises(assignment_csv.ImportRejected) as raised:
        assignment_csv.import_csv(jury.round, content, actor=None)
    db.session.rollback()
    assert [(e.line, e.code) for e in raised.value.errors] == [
        (3, "unknown_reference"), (4, "unknown_juror"), (5, "conflict"), (6, "duplicate")]
    assert {pair: x.id for pair, x in pairs_of(jury.round).items()} == before
    texts = [assignment_csv.line_error_text(e) for e in raised.value.errors]
    assert "NOPE-0001" in texts[0] and "stranger@example.org" in texts[1]
    with pytest.raises(assignment_csv.ImportRejected) as no_header:
        assignment_csv.import_csv(jury.round, b"a,b\n1,2\n", actor=None)
    assert no_header.value.errors[0].code == "header"


# --- preview ----------------------------------------------------------------------------------


def test_the_preview_flags_dossiers_below_k_and_separate_groups_of_jurors(app):
    jury = build_round(dossiers=4, jurors=4, k=2)
    d1, d2, d3, _d4 = jury.dossiers
    a, b, c, d = jury.jurors
    for dossier, juror in ((d1, a), (d1, b), (d2, a), (d2, b), (d3, c), (d3, d)):
        service.add_juror(jury.round, dossier, juror, actor=None)
    db.session.commit()
    data = assignment_stats.preview(jury.round)
    s = data.summary
    assert (s.exact, len(s.below), len(s.above)) == (3, 1, 0)
    assert s.components == 2
    assert (s.load_min, s.load_max) == (1, 2) and s.load_mean == 1.5
    codes = {w.code for w in s.warnings}
    assert {"below_k", "components", "unpublished"} <= codes
    assert data.unpublished == 6 and data.published == 0
    by_ref = {v.info.reference: v for v in data.dossiers}
    assert {p.profile.user_id for p in by_ref[d1.reference].pairs} == {a.id, b.id}
    assert {p.user_id for p in by_ref[d1.reference].allowed} == {c.id, d.id}
    # juror i knows category i % 2 and dossier i has category i % 2
    assert s.in_expertise == sum(1 for dd, jj in ((0, 0), (0, 1), (1, 0), (1, 1), (2, 2),
                                                  (2, 3)) if dd % 2 == jj % 2)


def test_pairs_pinned_beyond_capacity_are_kept_and_pins_breaking_the_cap_are_explained(app):
    jury = build_round(dossiers=3, jurors=3, k=1)
    busy = jury.jurors[0]
    for dossier in jury.dossiers:  # balanced capacity ceil(3 / 3) = 1: two too many
        service.add_juror(jury.round, dossier, busy, actor=None)
    db.session.commit()
    result = service.run_assignment(jury.round, seed=1, actor=None)
    db.session.commit()
    assert result.kept == 3 and result.created == 0
    assert {j for _d, j in pairs_of(jury.round)} == {busy.id}

    colleague = jury.jurors[1]
    profile = db.session.scalar(select(JurorProfile).where(JurorProfile.user_id == colleague.id))
    profile.organisation_key = db.session.scalar(select(JurorProfile.organisation_key).where(
        JurorProfile.user_id == busy.id))
    target = jury.dossiers[0]
    jury.round.jurors_per_dossier = 2
    assert service.add_juror(jury.round, target, colleague, actor=None) == ["organisation_cap"]
    db.session.commit()
    with pytest.raises(Infeasible) as raised:
        service.run_assignment(jury.round, seed=1, actor=None)
    db.session.rollback()
    explained = assignment_texts.explain(raised.value, assignment_stats.load_state(jury.round))
    assert [(e.reference, e.cause) for e in explained] == [(target.reference, "pins")]
    assert "épinglées" in explained[0].text
