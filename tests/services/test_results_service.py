"""Results service: which sheets count (submitted sheets of published pairs, on dossiers still in
play, without a confirmed conflict), exact scores (weights, N/A left out), the mean or the median
per the edition, ties broken only by the edition's rules, the pending count, a report whose
query count does not grow with the round, a dossier's sheets with juror names and comments, the
round the deliberation is about; and the canonical payload a snapshot freezes: deterministic,
independent of the order rows were stored, sensitive to one mark, unchanged by a trip through
the database's JSON column.

The builder here (`build_jury`, `Jury.dossier`, `Jury.sheet`, `ranked`) is shared by the
deliberation, palmarès and CLI tests.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from fractions import Fraction

from sqlalchemy import delete, insert, select

from tests.factories import add_role, make_edition, make_user
from trophies.domain.ranking import TieBreak, TieRule
from trophies.domain.vocabulary import (
    Aggregation,
    ConflictSource,
    ConflictStatus,
    DossierStatus,
    Language,
    Phase,
    Role,
    SheetStatus,
)
from trophies.models import (
    Assignment,
    Category,
    Conflict,
    Criterion,
    Dossier,
    Edition,
    JurorProfile,
    Mark,
    ResultSnapshot,
    Round,
    ScoreSheet,
    User,
    db,
    utcnow,
)
from trophies.services import results as service

JUROR_NAMES = ("Alice Martin", "Bruno Petit", "Chloé Durand", "Denis Leroy", "Emma Roux",
               "Farid Benali")
_numbers = iter(range(1, 10**6))


# --- the shared builder ------------------------------------------------------------------------


@dataclass
class Jury:
    """An edition with two categories, a first round with two criteria and six jurors:
    - impact: weight 2, 0..5 (the factory's criterion): a mark m counts 20 m points;
    - team: weight 1, 0..10, N/A allowed: a mark m counts 10 m points;
    so a sheet (impact i, team t) totals (40 i + 10 t) / 3, and (impact i, N/A) totals 20 i."""

    edition: Edition
    round: Round
    organizer: User
    jurors: list[User]
    categories: dict[str, Category]
    impact: Criterion
    team: Criterion
    candidates: list[User] = field(default_factory=list)

    def dossier(self, category: str = "Équité", *, status=DossierStatus.ELIGIBLE,
                language=Language.FR, project: str | None = None, **fields) -> Dossier:
        """A dossier of its own candidate (in `language`)."""
        n = next(_numbers)
        if status is DossierStatus.INELIGIBLE:
            fields.setdefault("eligibility_reason", "Hors du champ du concours.")
        if status is DossierStatus.WITHDRAWN:
            fields.setdefault("withdrawn_at", utcnow())
        candidate = make_user(language=language, full_name=f"Candidate {n}")
        self.candidates.append(candidate)
        dossier = Dossier(edition_id=self.edition.id, category_id=self.categories[category].id,
                          candidate_id=candidate.id, reference=f"R{self.edition.id}-{n:04d}",
                          company_name=f"Société {n}", project_title=project or f"Projet {n}",
                          status=status, submitted_at=utcnow(), **fields)
        db.session.add(dossier)
        db.session.flush()
        return dossier

    def sheet(self, dossier: Dossier, juror: User, impact: int | None = None,
              team: int | str | None = None, *, status: SheetStatus | None = SheetStatus.SUBMITTED,
              published: bool = True, round_: Round | None = None, comments: dict | None = None,
              general: str = "", marks: dict[int, int | str | None] | None = None
              ) -> ScoreSheet | None:
        """The pair (dossier, juror) of the round with a sheet in `status` (None: the pair only,
        nothing scored). Marks: impact and team (an int, "na", or None for no mark at all), or
        `marks` by criterion id for another round; `comments` by criterion id."""
        round_ = round_ or self.round
        now = utcnow()
        assignment = Assignment(round_id=round_.id, dossier_id=dossier.id, juror_id=juror.id,
                                published_at=now if published else None)
        db.session.add(assignment)
        db.session.flush()
        if status is None:
            return None
        sheet = ScoreSheet(assignment_id=assignment.id, status=status, created_at=now,
                           updated_at=now, general_comment=general,
                           submitted_at=now if status is SheetStatus.SUBMITTED else None)
        db.session.add(sheet)
        db.session.flush()
        values = marks if marks is not None else {self.impact.id: impact, self.team.id: team}
        for criterion_id, value in values.items():
            if value is None:
                continue
            db.session.add(Mark(sheet_id=sheet.id, criterion_id=criterion_id,
                                value=None if value == "na" else value, is_na=value == "na",
                                comment=(comments or {}).get(criterion_id, "")))
        db.session.flush()
        return sheet

    def scored(self, dossier: Dossier, *marks: tuple[int, int | str | None],
               first_juror: int = 0) -> list[ScoreSheet]:
        """Submitted sheets on `dossier`, one per (impact, team), by consecutive jurors."""
        return [self.sheet(dossier, self.jurors[first_juror + i], impact, team)
                for i, (impact, team) in enumerate(marks)]

    def second_round(self) -> Round:
        """Round 2 ("Finale"), one criterion "final": weight 1, 0..5."""
        round_ = Round(edition_id=self.edition.id, number=2, name_fr="Finale", name_en="Final",
                       jurors_per_dossier=3)
        db.session.add(round_)
        db.session.flush()
        db.session.add(Criterion(round_id=round_.id, position=0, key="final", name_fr="Finale",
                                 name_en="Final", weight=1, scale_min=0, scale_max=5,
                                 scale_step=1))
        db.session.flush()
        return round_


def build_jury(*, phase=Phase.DELIBERATION, categories=("Équité", "Souveraineté"),
               slug: str | None = None) -> Jury:
    """The edition of `Jury`, in `phase`, without dossiers (flushed)."""
    edition = make_edition(slug, phase=phase, categories=categories)
    round_ = edition.rounds[0]
    organizer = make_user(full_name="Olga Organisatrice")
    add_role(organizer, edition, Role.ORGANIZER)
    jurors = []
    for name in JUROR_NAMES:
        juror = make_user(full_name=name)
        add_role(juror, edition, Role.JUROR)
        jurors.append(juror)
    team = Criterion(round_id=round_.id, position=1, key="team", name_fr="Équipe",
                     name_en="Team", weight=1, scale_min=0, scale_max=10, scale_step=1,
                     allows_na=True)
    db.session.add(team)
    db.session.flush()
    return Jury(edition, round_, organizer, jurors, {c.name_fr: c for c in edition.categories},
                round_.criteria[0], team)


@dataclass
class Ranked:
    """`ranked()`: Équité e1 > e2 > e3 > e4, Souveraineté s1 > s2, three sheets each."""

    jury: Jury
    e1: Dossier     # 100 (5, 10) x 3
    e2: Dossier     # 70 (4, 5) x 3, candidate writes in English
    e3: Dossier     # 170/3 (3, 5) x 3
    e4: Dossier     # 20 (1, 2) x 3
    s1: Dossier     # 280/3 (5, 8) x 3
    s2: Dossier     # 40 (2, 4) x 3

    @property
    def equite(self) -> Category:
        return self.jury.categories["Équité"]

    @property
    def souverainete(self) -> Category:
        return self.jury.categories["Souveraineté"]


def ranked(*, phase=Phase.DELIBERATION, slug: str | None = None) -> Ranked:
    """A deliberating edition whose ranking nobody can dispute (committed)."""
    jury = build_jury(phase=phase, slug=slug)
    e1 = jury.dossier(project="Télésuivi frugal")
    e2 = jury.dossier(project="Pansements connectés", language=Language.EN)
    e3 = jury.dossier(project="Tri des urgences")
    e4 = jury.dossier(project="Agenda partagé")
    s1 = jury.dossier("Souveraineté", project="Cloud hospitalier")
    s2 = jury.dossier("Souveraineté", project="Messagerie chiffrée")
    for dossier, marks in ((e1, (5, 10)), (e2, (4, 5)), (e3, (3, 5)), (e4, (1, 2)),
                           (s1, (5, 8)), (s2, (2, 4))):
        jury.scored(dossier, marks, marks, marks)
    db.session.commit()
    return Ranked(jury, e1, e2, e3, e4, s1, s2)


def conflict(jury: Jury, juror: User, dossier: Dossier, status=ConflictStatus.CONFIRMED):
    db.session.add(Conflict(edition_id=jury.edition.id, juror_id=juror.id, dossier_id=dossier.id,
                            source=ConflictSource.DECLARED, status=status))
    db.session.flush()


def line_of(report: service.RoundReport, dossier: Dossier) -> service.Line:
    return report.lines[dossier.id]


# --- which sheets count ------------------------------------------------------------------------


def test_only_submitted_sheets_of_published_pairs_on_dossiers_in_play_count(app):
    jury = build_jury()
    alice, bruno, chloe, denis, emma, farid = jury.jurors
    dossier = jury.dossier()
    counted = jury.sheet(dossier, alice, 4, 5)                        # 70
    jury.sheet(dossier, bruno, 0, 0, status=SheetStatus.DRAFT)
    jury.sheet(dossier, chloe, 0, 0, status=SheetStatus.VOIDED)
    jury.sheet(dossier, denis, 0, 0, published=False)                 # pair not published
    jury.sheet(dossier, emma, 0, 0)
    conflict(jury, emma, dossier)                                      # confirmed conflict
    dismissed = jury.sheet(dossier, farid, 5, 10)                     # 100
    conflict(jury, farid, dossier, ConflictStatus.DISMISSED)
    ineligible = jury.dossier(status=DossierStatus.INELIGIBLE)
    jury.sheet(ineligible, alice, 5, 10)
    withdrawn = jury.dossier(status=DossierStatus.WITHDRAWN)
    jury.sheet(withdrawn, alice, 5, 10)
    db.session.commit()

    data = service.load_round(jury.round)
    assert [s.sheet_id for s in data.sheets] == sorted([counted.id, dismissed.id])
    assert [d.id for d in data.dossiers] == [dossier.id]
    report = service.round_report(jury.round)
    line = line_of(report, dossier)
    assert line.result.sheets == 2
    assert line.result.totals == (Fraction(70), Fraction(100))
    assert line.result.score == Fraction(85)
    assert set(report.lines) == {dossier.id}
    assert report.result.sheets == 2


def test_scores_are_exact_weighted_fractions_and_na_is_never_a_zero(app):
    jury = build_jury()
    dossier = jury.dossier()
    first, second, third = jury.scored(dossier, (4, 5), (3, "na"), (5, 3))
    other = jury.dossier()
    missing = jury.sheet(other, jury.jurors[0], 2, None)              # team left out: as N/A
    db.session.commit()

    data = service.load_round(jury.round)
    totals = service.sheet_totals(data)
    # (2 x 80 + 50) / 3; 60 alone (N/A out); (2 x 100 + 30) / 3; 40 alone
    assert totals == {first.id: Fraction(70), second.id: Fraction(60),
                      third.id: Fraction(230, 3), missing.id: Fraction(40)}
    line = line_of(service.round_report(jury.round), dossier).result
    assert line.totals == (Fraction(60), Fraction(70), Fraction(230, 3))
    assert line.mean == Fraction(620, 9) and line.median == Fraction(70)
    assert line.score == Fraction(620, 9)
    # team: (50 + 30) / 2 = 40 over the two sheets that marked it (N/A as 0 would give 80/3)
    assert dict(line.criteria) == {jury.impact.id: Fraction(80), jury.team.id: Fraction(40)}
    averages = service.criterion_averages(list(data.sheets), list(data.criteria))
    assert averages[dossier.id] == {jury.impact.id: Fraction(80), jury.team.id: Fraction(40)}
    assert averages[other.id] == {jury.impact.id: Fraction(40)}


def test_the_median_replaces_the_mean_when_the_edition_says_so(app):
    jury = build_jury()
    split = jury.dossier()
    jury.scored(split, (0, "na"), (5, "na"), (5, "na"))               # 0, 100, 100
    steady = jury.dossier()
    jury.scored(steady, (4, 5), (4, 5), (4, 5))                       # 70, 70, 70
    db.session.commit()

    by_mean = service.round_report(jury.round)
    assert line_of(by_mean, split).result.score == Fraction(200, 3)
    assert line_of(by_mean, steady).result.rank == 1
    assert line_of(by_mean, split).result.rank == 2

    jury.edition.aggregation = Aggregation.MEDIAN
    db.session.commit()
    by_median = service.round_report(jury.round)
    assert line_of(by_median, split).result.score == Fraction(100)
    assert line_of(by_median, split).result.rank == 1
    assert line_of(by_median, steady).result.rank == 2
    assert [x.dossier.id for x in by_median.categories[0].lines] == [split.id, steady.id]
    assert service.policy_of(jury.round).aggregation == "median"


def test_equal_scores_stay_tied_unless_the_edition_declares_a_rule_that_separates_them(app):
    jury = build_jury()
    strong_impact = jury.dossier()
    jury.scored(strong_impact, (4, 5), (4, 5), (4, 5))                # 70: impact 80, team 50
    strong_team = jury.dossier()
    jury.scored(strong_team, (3, 9), (3, 9), (3, 9))                  # 70: impact 60, team 90
    db.session.commit()

    def ranks() -> tuple[tuple[int, bool], tuple[int, bool]]:
        report = service.round_report(jury.round)
        a, b = line_of(report, strong_impact).result, line_of(report, strong_team).result
        assert a.score == b.score == Fraction(70)
        return (a.rank, a.tied), (b.rank, b.tied)

    assert ranks() == ((1, True), (1, True))                 # no rule: tied, never by reference
    jury.edition.tie_break = [{"rule": "median"}]             # equal medians: still tied
    db.session.commit()
    assert ranks() == ((1, True), (1, True))
    jury.edition.tie_break = [{"rule": "criterion", "key": "team"}]
    db.session.commit()
    assert ranks() == ((2, False), (1, False))
    report = service.round_report(jury.round)
    assert line_of(report, strong_team).result.broken_by == TieBreak(TieRule.CRITERION,
                                                                    jury.team.id)
    jury.edition.tie_break = [{"rule": "criterion", "key": "impact"}]
    db.session.commit()
    assert ranks() == ((1, False), (2, False))


def test_pending_counts_the_published_pairs_still_waiting_for_a_submitted_sheet(app):
    jury = build_jury()
    alice, bruno, chloe, denis, emma, farid = jury.jurors
    dossier = jury.dossier()
    jury.sheet(dossier, alice, 4, 5)
    draft = jury.sheet(dossier, bruno, 2, None, status=SheetStatus.DRAFT)   # pending
    jury.sheet(dossier, chloe, status=None)                                 # pending: not started
    jury.sheet(dossier, denis, status=None, published=False)                # not published
    jury.sheet(dossier, emma, status=None)
    conflict(jury, emma, dossier)                                           # conflicted
    jury.sheet(dossier, farid, 0, 0, status=SheetStatus.VOIDED)             # voided: not expected
    out = jury.dossier(status=DossierStatus.INELIGIBLE)
    jury.sheet(out, alice, status=None)                                     # out of play
    leaver = make_user(full_name="Gaston Lagaffe")
    add_role(leaver, jury.edition, Role.JUROR)
    jury.sheet(dossier, leaver, 1, 1, status=SheetStatus.DRAFT)
    profile = db.session.scalar(select(JurorProfile).where(JurorProfile.user_id == leaver.id))
    profile.withdrawn_at = utcnow()                                         # left the jury
    db.session.commit()

    assert service.round_report(jury.round).pending == 2
    draft.status, draft.submitted_at = SheetStatus.SUBMITTED, utcnow()
    db.session.commit()
    report = service.round_report(jury.round)
    assert report.pending == 1
    assert line_of(report, dossier).result.sheets == 2


def test_the_report_runs_the_same_number_of_queries_when_the_round_doubles(app, count_queries):
    jury = build_jury()
    marks = [(5, 10), (4, 7), (3, 5), (2, "na"), (1, 3), (4, 2), (5, 1), (0, 9)]

    def grow() -> None:
        for i, (impact, team) in enumerate(marks):
            dossier = jury.dossier("Équité" if i % 2 else "Souveraineté")
            for j in range(3):
                jury.sheet(dossier, jury.jurors[(i + j) % 6], (impact + j) % 6, team)
        db.session.commit()

    def queries() -> tuple[int, int]:
        db.session.expire_all()
        with count_queries() as counter:
            report = service.round_report(jury.round)
            rows = [(line.dossier.reference, line.result.score, len(line.decisions))
                    for category in report.categories for line in category.lines]
            names = [j.user.full_name for j in report.jurors]
        assert names == sorted(JUROR_NAMES)
        return counter.count, len(rows)

    grow()
    small, size = queries()
    grow()
    large, doubled = queries()
    assert doubled == 2 * size == 16
    assert large == small


def test_a_dossiers_detail_lists_every_sheet_with_the_jurors_names_marks_and_comments(app):
    jury = build_jury()
    alice, bruno, chloe = jury.jurors[:3]
    dossier = jury.dossier()
    jury.sheet(dossier, bruno, 2, "na", status=SheetStatus.DRAFT)
    jury.sheet(dossier, alice, 4, 5, comments={jury.impact.id: "Un impact mesuré."},
               general="Solide et sobre.")
    neighbour = jury.dossier()
    jury.sheet(neighbour, chloe, 5, 10)
    db.session.commit()

    detail = service.dossier_detail(jury.round, dossier)
    assert [(s.juror.full_name, s.status) for s in detail.sheets] == [
        ("Alice Martin", "submitted"), ("Bruno Petit", "draft")]
    submitted, draft = detail.sheets
    assert submitted.total == Fraction(70)
    assert submitted.marks == ((jury.impact, 4, False, "Un impact mesuré."),
                               (jury.team, 5, False, ""))
    assert submitted.general_comment == "Solide et sobre."
    assert draft.marks == ((jury.impact, 2, False, ""), (jury.team, None, True, ""))
    assert draft.total == Fraction(40)
    assert detail.line is not None and detail.line.result.score == Fraction(70)
    assert detail.line.result.sheets == 1                    # the draft does not count
    # the category's average per criterion: (80 + 100) / 2 and (50 + 100) / 2
    assert detail.category_average == {jury.impact.id: Fraction(90), jury.team.id: Fraction(75)}
    assert detail.criteria == (jury.impact, jury.team)


def test_the_deliberated_round_is_the_last_one_with_a_submitted_sheet(app):
    jury = build_jury()
    final = jury.second_round()
    dossier = jury.dossier()
    db.session.commit()
    assert service.results_round(jury.edition) is None
    jury.sheet(dossier, jury.jurors[0], 4, 5)
    db.session.commit()
    assert service.results_round(jury.edition) == jury.round
    key = final.criteria[0].id
    dossier.status = DossierStatus.SHORTLISTED
    jury.sheet(dossier, jury.jurors[1], marks={key: 3}, round_=final, status=SheetStatus.DRAFT)
    db.session.commit()
    assert service.results_round(jury.edition) == jury.round
    assert service.round_report(jury.round).is_deliberated
    jury.sheet(dossier, jury.jurors[2], marks={key: 4}, round_=final)
    db.session.commit()
    assert service.results_round(jury.edition) == final
    assert service.next_round(jury.round) == final and service.next_round(final) is None
    assert not service.round_report(jury.round).is_deliberated
    report = service.round_report(final)
    assert report.is_deliberated and line_of(report, dossier).result.score == Fraction(80)


# --- the canonical payload and its digest --------------------------------------------------------


def _payload_world() -> Jury:
    jury = build_jury()
    for i, marks in enumerate([(5, 10), (4, 5), (3, "na"), (2, 7), (5, 0), (1, 1)]):
        dossier = jury.dossier("Équité" if i < 4 else "Souveraineté")
        for j in range(3):
            jury.sheet(dossier, jury.jurors[(i + j) % 6], max(0, marks[0] - j), marks[1],
                       comments={jury.team.id: "Équipe soudée"} if j == 1 else None)
    db.session.commit()
    return jury


def test_the_payload_is_deterministic_and_its_digest_is_the_sha256_of_its_canonical_json(app):
    jury = _payload_world()
    first = service.payload_of(jury.edition, jury.round)
    db.session.expire_all()
    second = service.payload_of(jury.edition, jury.round)
    assert first == second
    digest = service.digest_of(first)
    assert digest == service.digest_of(second)
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert json.loads(service.canonical(first)) == first
    assert first["schema"] == service.SCHEMA and first["round"] == 1
    assert len(first["sheets"]) == 18 and len(first["dossiers"]) == 6
    assert {c["key"]: c["weight"] for c in first["criteria"]} == {"impact": 2, "team": 1}
    assert first["policy"]["aggregation"] == "mean"


def _rewrite_in_another_order(round_: Round) -> None:
    """Store the round's assignments and sheets again, with the same ids, and every mark
    (new ids), in a shuffled order: what a database may hand back in any order."""
    assignments = [dict(r._mapping) for r in db.session.execute(
        select(Assignment.__table__).where(Assignment.round_id == round_.id))]
    ids = [a["id"] for a in assignments]
    sheets = [dict(r._mapping) for r in db.session.execute(
        select(ScoreSheet.__table__).where(ScoreSheet.assignment_id.in_(ids)))]
    marks = [dict(r._mapping) for r in db.session.execute(
        select(Mark.__table__).where(Mark.sheet_id.in_([s["id"] for s in sheets])))]
    db.session.execute(delete(Mark).where(Mark.sheet_id.in_([s["id"] for s in sheets])))
    db.session.execute(delete(ScoreSheet).where(ScoreSheet.assignment_id.in_(ids)))
    db.session.execute(delete(Assignment).where(Assignment.id.in_(ids)))
    shuffle = random.Random(7).shuffle
    for rows in (assignments, sheets, marks):
        shuffle(rows)
    for mark in marks:
        mark.pop("id")
    marks.sort(key=lambda m: (-m["sheet_id"], -m["criterion_id"]))   # new ids, reversed order
    for table, rows in ((Assignment, assignments), (ScoreSheet, sheets), (Mark, marks)):
        for row in rows:
            db.session.execute(insert(table.__table__).values(**row))
    db.session.commit()
    db.session.expire_all()


def test_the_digest_does_not_depend_on_the_order_the_marks_were_stored_in(app):
    jury = _payload_world()
    before = service.payload_of(jury.edition, jury.round)
    _rewrite_in_another_order(jury.round)
    after = service.payload_of(jury.edition, jury.round)
    assert after == before
    assert service.digest_of(after) == service.digest_of(before)


def test_one_changed_mark_changes_the_digest(app):
    jury = _payload_world()
    digest = service.digest_of(service.payload_of(jury.edition, jury.round))
    mark = db.session.scalar(select(Mark).where(Mark.criterion_id == jury.impact.id)
                             .order_by(Mark.id).limit(1))
    original = mark.value
    mark.value = original - 1 if original else 1
    db.session.commit()
    changed = service.payload_of(jury.edition, jury.round)
    assert service.digest_of(changed) != digest
    mark.value = original
    db.session.commit()
    assert service.digest_of(service.payload_of(jury.edition, jury.round)) == digest


def test_the_payload_comes_back_from_the_json_column_with_the_same_digest(app):
    jury = _payload_world()
    payload = service.payload_of(jury.edition, jury.round)
    digest = service.digest_of(payload)
    edition_id = jury.edition.id
    db.session.add(ResultSnapshot(edition_id=edition_id, round_id=jury.round.id,
                                  sequence=1, digest=digest, payload=payload, reason=""))
    db.session.commit()
    db.session.expunge_all()
    stored = db.session.scalar(select(ResultSnapshot).where(
        ResultSnapshot.edition_id == edition_id))
    assert stored.payload == payload
    assert service.canonical(stored.payload) == service.canonical(payload)
    assert service.digest_of(stored.payload) == stored.digest == digest


def test_a_tiny_negative_number_is_written_as_zero_so_the_json_column_keeps_the_digest(app):
    # PostgreSQL's JSONB keeps numbers as numeric, which has no -0.0: a payload holding -0.0
    # would come back as 0.0 and no longer match its digest.
    written = service._float(-1e-12)
    assert written == 0 and json.dumps(written) == "0.0"
    assert service._float(float("nan")) is None and service._float(float("inf")) is None
    payload = {"offset": service._float(-4e-9), "sd": service._float(2 / 3)}
    db.session.add(ResultSnapshot(edition_id=build_jury().edition.id, sequence=1,
                                  digest=service.digest_of(payload), payload=payload))
    db.session.commit()
    db.session.expunge_all()
    stored = db.session.scalar(select(ResultSnapshot))
    assert service.digest_of(stored.payload) == stored.digest
