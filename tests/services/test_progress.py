"""The organizer's follow-up of a round: counts per juror, application and category on a small
round with every kind of pair (submitted, draft, not started, voided, unpublished, ineligible,
conflicted, withdrawn juror), the filters, and a query count that does not grow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tests.factories import add_role, make_dossier, make_edition, make_user
from trophies.domain.vocabulary import (
    ConflictSource,
    ConflictStatus,
    DossierStatus,
    Phase,
    Role,
    SheetStatus,
)
from trophies.models import (
    Assignment,
    Conflict,
    Dossier,
    Edition,
    JurorProfile,
    Reminder,
    Round,
    ScoreSheet,
    User,
    db,
    utcnow,
)
from trophies.services import progress as service
from trophies.services import scoring_control
from trophies.services.progress import Counts


def assign(round_: Round, dossier: Dossier, juror: User, status: SheetStatus | None = None, *,
           published: bool = True, at=None) -> Assignment:
    """A pair of the round, with a sheet in `status` (None: not started)."""
    now = at or utcnow()
    item = Assignment(round_id=round_.id, dossier_id=dossier.id, juror_id=juror.id,
                      published_at=now if published else None)
    db.session.add(item)
    db.session.flush()
    if status is not None:
        db.session.add(ScoreSheet(
            assignment_id=item.id, status=status, created_at=now, updated_at=now,
            submitted_at=now if status is SheetStatus.SUBMITTED else None))
        db.session.flush()
    return item


@dataclass
class Fixture:
    edition: Edition
    round: Round
    organizer: User
    jurors: dict[str, User]
    dossiers: dict[str, Dossier]

    def juror_row(self, progress, name):
        return next(r for r in progress.jurors if r.juror_id == self.jurors[name].id)

    def dossier_row(self, progress, key):
        return next(r for r in progress.dossiers if r.dossier_id == self.dossiers[key].id)


def build(*, phase=Phase.JUDGING, k: int = 2) -> Fixture:
    """Alice: d1 submitted, d2 draft, d3 not started (late). Bruno: d1, d3 submitted (done),
    d2 not published. Chloé: d2 not started (idle), d3 voided, d4 ineligible, d1 in conflict.
    Denis (withdrawn): d2 submitted, d3 draft. d5 is eligible with nobody. d1, d2, d4 are in
    Équité, d3 and d5 in Souveraineté. Committed."""
    edition = make_edition(phase=phase, categories=("Équité", "Souveraineté"))
    round_ = edition.rounds[0]
    round_.jurors_per_dossier = k
    organizer = make_user(full_name="Olga Organisatrice")
    add_role(organizer, edition, Role.ORGANIZER)
    jurors = {}
    for name in ("Alice Martin", "Bruno Petit", "Chloé Durand", "Denis Leroy"):
        jurors[name.split()[0]] = make_user(full_name=name)
        add_role(jurors[name.split()[0]], edition, Role.JUROR)
    candidate = make_user()
    equite, souverainete = edition.categories
    dossiers = {}
    for key, category, status in (("d1", equite, DossierStatus.ELIGIBLE),
                                  ("d2", equite, DossierStatus.ELIGIBLE),
                                  ("d3", souverainete, DossierStatus.ELIGIBLE),
                                  ("d4", equite, DossierStatus.INELIGIBLE),
                                  ("d5", souverainete, DossierStatus.ELIGIBLE)):
        dossier = make_dossier(edition, candidate, status=DossierStatus.SUBMITTED)
        dossier.category_id, dossier.status = category.id, status
        if status is DossierStatus.INELIGIBLE:
            dossier.eligibility_reason = "Hors sujet."
        dossiers[key] = dossier
    db.session.flush()
    a, b, c, d = (jurors[n] for n in ("Alice", "Bruno", "Chloé", "Denis"))
    d1, d2, d3, d4 = (dossiers[n] for n in ("d1", "d2", "d3", "d4"))
    early = utcnow() - timedelta(days=3)
    assign(round_, d1, a, SheetStatus.SUBMITTED, at=early)
    assign(round_, d2, a, SheetStatus.DRAFT)
    assign(round_, d3, a)
    assign(round_, d1, b, SheetStatus.SUBMITTED)
    assign(round_, d3, b, SheetStatus.SUBMITTED)
    assign(round_, d2, b, published=False)
    assign(round_, d2, c)
    assign(round_, d3, c, SheetStatus.VOIDED)
    assign(round_, d4, c)
    assign(round_, d1, c)
    db.session.add(Conflict(edition_id=edition.id, juror_id=c.id, dossier_id=d1.id,
                            source=ConflictSource.DECLARED, status=ConflictStatus.CONFIRMED))
    assign(round_, d2, d, SheetStatus.SUBMITTED)
    assign(round_, d3, d, SheetStatus.DRAFT)
    db.session.get(JurorProfile, _profile_id(edition, d)).withdrawn_at = utcnow()
    db.session.commit()
    return Fixture(edition, round_, organizer, jurors, dossiers)


def _profile_id(edition: Edition, user: User) -> int:
    return db.session.scalar(db.select(JurorProfile.id).where(
        JurorProfile.edition_id == edition.id, JurorProfile.user_id == user.id))


def test_totals_count_only_the_pairs_that_count_and_the_percent_is_rounded_down(app):
    f = build()
    progress = service.round_progress(f.round)
    assert progress.totals == Counts(assigned=7, submitted=4, drafts=1)
    assert progress.totals.not_started == 2 and progress.totals.unfinished == 3
    assert progress.totals.percent == 57  # 4 / 7 = 57.1
    assert progress.late_jurors == 2  # Alice and Chloé; Denis has withdrawn
    assert progress.is_scoring_open and not progress.is_closed
    assert progress.deadline == f.edition.judging_deadline_at
    assert not progress.filtered


def test_each_juror_has_their_counts_last_activity_last_reminder_and_state(app):
    f = build()
    sent = utcnow() - timedelta(hours=5)
    db.session.add(Reminder(round_id=f.round.id, juror_id=f.jurors["Alice"].id,
                            key="manual-1", pending=2, sent_at=sent - timedelta(days=1)))
    db.session.add(Reminder(round_id=f.round.id, juror_id=f.jurors["Alice"].id,
                            key="manual-2", pending=2, sent_at=sent))
    db.session.commit()
    progress = service.round_progress(f.round)
    assert [r.name for r in progress.jurors] == ["Alice Martin", "Bruno Petit",
                                                 "Chloé Durand", "Denis Leroy"]
    alice = f.juror_row(progress, "Alice")
    assert alice.counts == Counts(3, 1, 1) and alice.counts.not_started == 1
    assert alice.is_late and not alice.is_done and not alice.is_idle and alice.can_remind
    assert abs(alice.last_reminder - sent) < timedelta(seconds=1)
    sheets = db.session.scalars(db.select(ScoreSheet.updated_at).join(Assignment).where(
        Assignment.juror_id == f.jurors["Alice"].id)).all()
    assert alice.last_activity == max(sheets)
    assert alice.email == f.jurors["Alice"].email
    bruno = f.juror_row(progress, "Bruno")
    assert bruno.counts == Counts(2, 2, 0) and bruno.is_done and not bruno.can_remind
    assert bruno.last_reminder is None
    chloe = f.juror_row(progress, "Chloé")
    assert chloe.counts == Counts(1, 0, 0) and chloe.is_idle and chloe.is_late
    assert chloe.last_activity is None  # the voided sheet is not activity that counts
    denis = f.juror_row(progress, "Denis")
    assert denis.is_withdrawn and denis.counts == Counts(1, 1, 0) and not denis.can_remind


def test_each_application_counts_out_of_k_and_lists_its_jurors_with_their_sheets(app):
    f = build()
    progress = service.round_progress(f.round)
    assert {r.reference for r in progress.dossiers} == {
        f.dossiers[k].reference for k in ("d1", "d2", "d3", "d5")}  # d4 is ineligible
    d2 = f.dossier_row(progress, "d2")
    assert (d2.counts, d2.k) == (Counts(3, 1, 1), 2)
    assert [(s.juror_name, s.status) for s in d2.jurors] == [
        ("Alice Martin", SheetStatus.DRAFT), ("Chloé Durand", None),
        ("Denis Leroy", SheetStatus.SUBMITTED)]
    assert d2.jurors[1].sheet_id is None and d2.jurors[0].sheet_id is not None
    sheet = db.session.get(ScoreSheet, d2.jurors[2].sheet_id)
    assert sheet.assignment.juror_id == f.jurors["Denis"].id
    d3 = f.dossier_row(progress, "d3")
    assert d3.counts == Counts(2, 1, 0)
    assert [s.juror_name for s in d3.jurors] == ["Alice Martin", "Bruno Petit"]
    assert f.dossier_row(progress, "d5").counts == Counts() and not \
        f.dossier_row(progress, "d5").jurors
    assert f.dossier_row(progress, "d1").counts == Counts(2, 2, 0)  # Chloé's conflict: out


def test_each_category_counts_its_applications_pairs_and_percent(app):
    f = build()
    progress = service.round_progress(f.round)
    rows = {r.category.name_fr: r for r in progress.categories}
    assert (rows["Équité"].dossiers, rows["Équité"].counts) == (2, Counts(5, 3, 1))
    assert rows["Équité"].counts.percent == 60
    assert (rows["Souveraineté"].dossiers, rows["Souveraineté"].counts) == (2, Counts(2, 1, 0))
    assert rows["Souveraineté"].counts.percent == 50


def test_the_category_filter_keeps_its_pairs_only(app):
    f = build()
    souverainete = f.edition.categories[1]
    progress = service.round_progress(f.round, category_id=souverainete.id)
    assert progress.filtered and progress.category_id == souverainete.id
    assert [r.name for r in progress.jurors] == ["Alice Martin", "Bruno Petit"]
    assert f.juror_row(progress, "Alice").counts == Counts(1, 0, 0)
    assert {r.dossier_id for r in progress.dossiers} == {f.dossiers["d3"].id,
                                                         f.dossiers["d5"].id}
    assert [r.category.id for r in progress.categories] == [souverainete.id]
    assert progress.totals == Counts(7, 4, 1)  # the whole round, whatever the filter
    unknown = service.round_progress(f.round, category_id=999999)
    assert unknown.category_id is None and len(unknown.jurors) == 4


def test_the_juror_state_filter_keeps_late_done_or_idle_jurors_and_their_applications(app):
    f = build()
    ids = {k: d.id for k, d in f.dossiers.items()}
    late = service.round_progress(f.round, juror_status="late")
    assert [r.name for r in late.jurors] == ["Alice Martin", "Chloé Durand"]
    assert {r.dossier_id for r in late.dossiers} == {ids["d1"], ids["d2"], ids["d3"]}
    done = service.round_progress(f.round, juror_status="done")
    assert [r.name for r in done.jurors] == ["Bruno Petit", "Denis Leroy"]
    assert {r.dossier_id for r in done.dossiers} == {ids["d1"], ids["d2"], ids["d3"]}
    idle = service.round_progress(f.round, juror_status=service.JurorStatus.IDLE)
    assert [r.name for r in idle.jurors] == ["Chloé Durand"]
    assert {r.dossier_id for r in idle.dossiers} == {ids["d2"]}
    nonsense = service.round_progress(f.round, juror_status="sleepy")
    assert nonsense.juror_status is None and len(nonsense.jurors) == 4


def test_the_search_ignores_case_and_accents_and_crosses_jurors_and_applications(app):
    f = build()
    by_name = service.round_progress(f.round, query="CHLOE")
    assert [r.name for r in by_name.jurors] == ["Chloé Durand"]
    assert [r.dossier_id for r in by_name.dossiers] == [f.dossiers["d2"].id]
    d3 = f.dossiers["d3"]
    by_reference = service.round_progress(f.round, query=d3.reference.lower())
    assert [r.dossier_id for r in by_reference.dossiers] == [d3.id]
    assert [r.name for r in by_reference.jurors] == ["Alice Martin", "Bruno Petit"]
    by_title = service.round_progress(f.round, query=f"  {d3.project_title.upper()} ")
    assert [r.dossier_id for r in by_title.dossiers] == [d3.id]
    nothing = service.round_progress(f.round, query="zzz introuvable")
    assert nothing.jurors == () and nothing.dossiers == () and nothing.filtered
    assert all(r.dossiers == 0 for r in nothing.categories)


def test_a_closed_round_says_so_and_is_not_open_for_scoring(app):
    f = build()
    f.round.closed_at = utcnow()
    db.session.commit()
    progress = service.round_progress(f.round)
    assert progress.is_closed and not progress.is_scoring_open


def _grow(f: Fixture, dossiers: int, jurors: int) -> None:
    """Add `dossiers` applications each scored by `jurors` new jurors in every state."""
    candidate = make_user()
    people = []
    for _ in range(jurors):
        person = make_user()
        add_role(person, f.edition, Role.JUROR)
        people.append(person)
    states = (SheetStatus.SUBMITTED, SheetStatus.DRAFT, None, SheetStatus.VOIDED)
    for i in range(dossiers):
        dossier = make_dossier(f.edition, candidate, status=DossierStatus.SUBMITTED)
        dossier.status = DossierStatus.ELIGIBLE
        dossier.category_id = f.edition.categories[i % 2].id
        for j, person in enumerate(people):
            assign(f.round, dossier, person, states[(i + j) % len(states)])
        db.session.add(Reminder(round_id=f.round.id, juror_id=people[i % jurors].id,
                                key=f"manual-{i}", pending=1))
    db.session.commit()


def test_the_number_of_queries_does_not_grow_with_the_round(app, count_queries):
    small, large = build(), build()
    _grow(small, 3, 2)
    _grow(large, 12, 6)
    counts = []
    for f in (small, large):
        db.session.expire_all()
        round_ = db.session.get(Round, f.round.id)
        with count_queries() as counter:
            progress = service.round_progress(round_, query="a")
            for row in progress.dossiers:
                [s.juror_name for s in row.jurors]
            for row in progress.categories:
                row.category.localized("name", "fr")
        counts.append(counter.count)
    assert len(service.round_progress(large.round).dossiers) == 16
    assert counts[0] == counts[1] and counts[0] <= 7, counts


def test_a_sheet_view_has_every_criterion_its_total_and_its_reopenings(app):
    from trophies.models import AuditEvent, Criterion, CriterionLevel, Mark

    f = build()
    criterion = f.round.criteria[0]  # impact, weight 2, 0-5
    db.session.add(CriterionLevel(criterion_id=criterion.id, value=4, label_fr="Fort",
                                  label_en="Strong"))
    second = Criterion(round_id=f.round.id, position=1, key="equity", name_fr="Équité",
                       name_en="Equity", weight=1, scale_min=0, scale_max=10, allows_na=True)
    db.session.add(second)
    db.session.flush()
    sheet = db.session.scalar(db.select(ScoreSheet).join(Assignment).where(
        Assignment.dossier_id == f.dossiers["d1"].id,
        Assignment.juror_id == f.jurors["Alice"].id))
    db.session.add_all([Mark(sheet_id=sheet.id, criterion_id=criterion.id, value=4,
                             comment="Solide."),
                        Mark(sheet_id=sheet.id, criterion_id=second.id, is_na=True)])
    db.session.add(AuditEvent(action="sheet.reopened", edition_id=f.edition.id,
                              actor_id=f.organizer.id, object_type="score_sheets",
                              object_id=sheet.id, data={"reason": "Erreur de saisie."}))
    db.session.commit()
    view = scoring_control.sheet_view(f.round, sheet.id)
    assert [(line.criterion.key, line.mark.value if line.mark else None,
             line.level.label_fr if line.level else None) for line in view.lines] == [
        ("impact", 4, "Fort"), ("equity", None, None)]
    assert view.lines[1].mark.is_na
    assert view.total == 80  # N/A left out: 4 on 0-5 is 80
    assert [(r.reason, r.by) for r in view.reopenings] == [("Erreur de saisie.",
                                                             "Olga Organisatrice")]
    assert view.can_reopen
    other = build()
    assert scoring_control.sheet_view(other.round, sheet.id) is None
    f.round.closed_at = utcnow()
    db.session.commit()
    assert not scoring_control.sheet_view(f.round, sheet.id).can_reopen
