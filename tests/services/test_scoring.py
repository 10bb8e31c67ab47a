"""Scoring service: drafts move the sheet's version on and a stale version writes nothing;
submission checks completeness, audits, and makes the sheet read-only; scoring is closed
outside judging, on unpublished pairs and closed rounds; organizers reopen sheets and close
rounds; a recusal confirms the conflict, removes the pair and refills the slot; peer totals
show only when the edition allows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction

import pytest
from sqlalchemy import select

from tests.factories import add_role, make_dossier, make_edition, make_user
from tests.helpers import count, messages
from trophies.domain import scoring as domain
from trophies.domain.scoring import GENERAL, Entry, Problem
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
    AuditEvent,
    Conflict,
    Criterion,
    Dossier,
    Edition,
    JurorProfile,
    Mark,
    Round,
    ScoreSheet,
    User,
    db,
    utcnow,
)
from trophies.services import scoring, scoring_control
from trophies.services.scoring import SheetInput

# --- building a judging round -----------------------------------------------------------------


@dataclass
class World:
    edition: Edition
    round: Round
    organizer: User
    juror: User
    dossier: Dossier
    assignment: Assignment
    impact: Criterion        # weight 2, 0..5 (the factory's criterion)
    team: Criterion          # weight 1, 1..9 by 2, N/A allowed
    market: Criterion        # weight 3, 0..100 (a number field)


def add_juror(edition: Edition, *, name: str | None = None) -> User:
    """A juror who accepted the invitation and the confidentiality statement."""
    user = make_user(full_name=name)
    add_role(user, edition, Role.JUROR)
    profile = db.session.scalar(select(JurorProfile).where(
        JurorProfile.edition_id == edition.id, JurorProfile.user_id == user.id))
    profile.confidentiality_accepted_at = utcnow()
    db.session.flush()
    return user


def assign(round_: Round, dossier: Dossier, juror: User, *, published: bool = True
           ) -> Assignment:
    assignment = Assignment(round_id=round_.id, dossier_id=dossier.id, juror_id=juror.id,
                            published_at=utcnow() if published else None)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def add_criterion(round_: Round, key: str, *, weight: int, minimum: int, maximum: int,
                  step: int = 1, allows_na: bool = False, position: int) -> Criterion:
    criterion = Criterion(round_id=round_.id, position=position, key=key, name_fr=key,
                          name_en=key, weight=weight, scale_min=minimum, scale_max=maximum,
                          scale_step=step, allows_na=allows_na)
    db.session.add(criterion)
    db.session.flush()
    return criterion


def second_round(edition: Edition) -> Round:
    round_ = Round(edition_id=edition.id, number=2, name_fr="Finale", name_en="Final",
                   jurors_per_dossier=2)
    db.session.add(round_)
    db.session.flush()
    add_criterion(round_, "final", weight=1, minimum=0, maximum=5, position=0)
    return round_


@pytest.fixture
def world(app) -> World:
    """An edition in judging, three criteria, one juror with one published assignment."""
    edition = make_edition(phase=Phase.JUDGING)
    round_ = edition.rounds[0]
    organizer = make_user()
    add_role(organizer, edition, Role.ORGANIZER)
    juror = add_juror(edition, name="Claire Fontaine")
    dossier = make_dossier(edition, make_user(), status=DossierStatus.ELIGIBLE)
    assignment = assign(round_, dossier, juror)
    impact = round_.criteria[0]
    team = add_criterion(round_, "team", weight=1, minimum=1, maximum=9, step=2,
                         allows_na=True, position=1)
    market = add_criterion(round_, "market", weight=3, minimum=0, maximum=100, position=2)
    db.session.commit()
    return World(edition, round_, organizer, juror, dossier, assignment, impact, team, market)


def full(w: World, *, impact=3, team: int | str = 5, market=80, comment="") -> SheetInput:
    """A complete sheet: impact 3/5 -> 60, team 5 on 1..9 -> 50, market 80 -> 80."""
    return SheetInput({w.impact.id: Entry(impact),
                       w.team.id: Entry(None, True) if team == "na" else Entry(team),
                       w.market.id: Entry(market)}, comment)


def stored_sheet(assignment_id: int) -> ScoreSheet | None:
    """The sheet as committed (never the session's cached copy)."""
    return db.session.scalar(
        select(ScoreSheet).where(ScoreSheet.assignment_id == assignment_id)
        .execution_options(populate_existing=True))


def stored_marks(assignment_id: int) -> dict[int, tuple[int | None, bool, str]]:
    return {criterion: (value, is_na, comment) for criterion, value, is_na, comment in
            db.session.execute(
                select(Mark.criterion_id, Mark.value, Mark.is_na, Mark.comment)
                .join(ScoreSheet, ScoreSheet.id == Mark.sheet_id)
                .where(ScoreSheet.assignment_id == assignment_id))}


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)))


# --- drafts and versions -----------------------------------------------------------------------


def test_the_first_save_creates_the_sheet_at_version_one_and_each_save_moves_it_on(world):
    w = world
    data = SheetInput({w.impact.id: Entry(3, False, "Impact clair.")}, "Premières notes.")
    sheet = scoring.save_draft(w.assignment, data, version=0, actor=w.juror)
    db.session.commit()
    saved = stored_sheet(w.assignment.id)
    assert saved.id == sheet.id and saved.version == 1
    assert saved.status is SheetStatus.DRAFT and saved.submitted_at is None
    assert saved.general_comment == "Premières notes."
    assert stored_marks(w.assignment.id) == {w.impact.id: (3, False, "Impact clair.")}

    scoring.save_draft(w.assignment, full(w), version=1, actor=w.juror)
    db.session.commit()
    assert stored_sheet(w.assignment.id).version == 2
    scoring.save_draft(w.assignment, full(w, impact=4), version=2, actor=w.juror)
    db.session.commit()
    assert stored_sheet(w.assignment.id).version == 3
    assert stored_marks(w.assignment.id)[w.impact.id] == (4, False, "")
    assert count(ScoreSheet) == 1
    assert events("sheet.submitted") == []


def test_every_save_moves_the_version_on_even_within_the_same_instant(world):
    # The optimistic lock must see every write, whatever the clock says: two saves stamped
    # with the same instant (a coarse clock, two requests in the same microsecond) are two
    # versions, and the older form is stale.
    w = world
    instant = utcnow()
    scoring.save_draft(w.assignment, full(w), version=0, actor=w.juror, now=instant)
    db.session.commit()
    scoring.save_draft(w.assignment, full(w, impact=5), version=1, actor=w.juror, now=instant)
    db.session.commit()
    assert stored_sheet(w.assignment.id).version == 2
    with pytest.raises(scoring.StaleSheet):
        scoring.save_draft(w.assignment, full(w, impact=1), version=1, actor=w.juror,
                           now=instant)


@pytest.mark.parametrize("version", [0, 1, 3, 99])
def test_a_stale_version_raises_with_the_saved_sheet_and_writes_nothing(world, version):
    w = world
    scoring.save_draft(w.assignment, full(w), version=0, actor=w.juror)
    db.session.commit()
    scoring.save_draft(w.assignment, full(w, impact=4), version=1, actor=w.juror)
    db.session.commit()
    with pytest.raises(scoring.StaleSheet) as raised:
        scoring.save_draft(w.assignment, full(w, impact=0, comment="Écrasé ?"),
                           version=version, actor=w.juror)
    assert raised.value.sheet is not None and raised.value.sheet.version == 2
    assert raised.value.code == "stale_sheet"
    saved = stored_sheet(w.assignment.id)
    assert saved.version == 2 and saved.general_comment == ""
    assert stored_marks(w.assignment.id)[w.impact.id] == (4, False, "")


def test_a_first_save_over_an_existing_sheet_is_stale(world):
    w = world
    scoring.save_draft(w.assignment, full(w), version=0, actor=w.juror)
    db.session.commit()
    with pytest.raises(scoring.StaleSheet) as raised:
        scoring.save_draft(w.assignment, full(w, impact=1), version=0, actor=w.juror)
    assert raised.value.sheet.version == 1
    assert count(ScoreSheet) == 1
    assert stored_marks(w.assignment.id)[w.impact.id] == (3, False, "")


def test_two_tabs_loaded_at_the_same_version_the_second_save_is_refused(world):
    w = world
    scoring.save_draft(w.assignment, full(w), version=0, actor=w.juror)
    db.session.commit()
    loaded_in_tab_a = loaded_in_tab_b = stored_sheet(w.assignment.id).version
    scoring.save_draft(w.assignment, full(w, impact=5), version=loaded_in_tab_a,
                       actor=w.juror)
    db.session.commit()
    with pytest.raises(scoring.StaleSheet) as raised:
        scoring.save_draft(w.assignment, full(w, impact=0), version=loaded_in_tab_b,
                           actor=w.juror)
    db.session.rollback()
    assert raised.value.sheet.version == 2
    assert stored_marks(w.assignment.id)[w.impact.id] == (5, False, "")
    assert stored_sheet(w.assignment.id).version == 2


@pytest.mark.parametrize("entry_of, problem", [
    (lambda w: {w.impact.id: Entry(6)}, Problem.OUT_OF_SCALE),
    (lambda w: {w.team.id: Entry(4)}, Problem.OFF_STEP),
    (lambda w: {w.impact.id: Entry(None, True)}, Problem.NA_NOT_ALLOWED),
    (lambda w: {w.market.id: Entry(50, False, "x" * (domain.MAX_COMMENT + 1))},
     Problem.COMMENT_TOO_LONG),
])
def test_invalid_marks_write_nothing(world, entry_of, problem):
    w = world
    good = {w.market.id: Entry(70)}
    # Before the first save: no sheet is created.
    with pytest.raises(scoring.InvalidMarks) as raised:
        scoring.save_draft(w.assignment, SheetInput({**good, **entry_of(w)}, ""), version=0,
                           actor=w.juror)
    assert raised.value.problems == {next(iter(entry_of(w))): problem}
    assert count(ScoreSheet) == 0 and count(Mark) == 0
    # After it: the sheet keeps its version and its marks.
    scoring.save_draft(w.assignment, full(w), version=0, actor=w.juror)
    db.session.commit()
    with pytest.raises(scoring.InvalidMarks):
        scoring.save_draft(w.assignment, SheetInput({**good, **entry_of(w)}, "Nouveau"),
                           version=1, actor=w.juror)
    db.session.rollback()
    saved = stored_sheet(w.assignment.id)
    assert saved.version == 1 and saved.general_comment == ""
    assert stored_marks(w.assignment.id)[w.market.id] == (80, False, "")


def test_a_general_comment_over_the_limit_writes_nothing(world):
    w = world
    with pytest.raises(scoring.InvalidMarks) as raised:
        scoring.save_draft(w.assignment, full(w, comment="x" * (domain.MAX_GENERAL_COMMENT + 1)),
                           version=0, actor=w.juror)
    assert raised.value.problems == {GENERAL: Problem.GENERAL_COMMENT_TOO_LONG}
    assert count(ScoreSheet) == 0


def test_blank_entries_remove_marks_and_a_lone_comment_is_kept(world):
    w = world
    scoring.save_draft(w.assignment, full(w), version=0, actor=w.juror)
    db.session.commit()
    assert set(stored_marks(w.assignment.id)) == {w.impact.id, w.team.id, w.market.id}
    data = SheetInput({w.impact.id: Entry(3), w.team.id: Entry(None, False, "À vérifier."),
                       w.market.id: Entry()}, "")
    scoring.save_draft(w.assignment, data, version=1, actor=w.juror)
    db.session.commit()
    assert stored_marks(w.assignment.id) == {w.impact.id: (3, False, ""),
                                             w.team.id: (None, False, "À vérifier.")}
    # A criterion left out of the form altogether is blank too.
    scoring.save_draft(w.assignment, SheetInput({}, ""), version=2, actor=w.juror)
    db.session.commit()
    assert stored_marks(w.assignment.id) == {}
    assert stored_sheet(w.assignment.id).version == 3


def test_an_na_mark_is_stored_without_a_value_and_left_out_of_the_total(world):
    w = world
    sheet = scoring.save_draft(w.assignment, full(w, team="na"), version=0, actor=w.juror)
    db.session.commit()
    assert stored_marks(w.assignment.id)[w.team.id] == (None, True, "")
    scales = scoring.scales_of(scoring.criteria_of(w.round))
    # (2*60 + 3*80) / 5 = 72, not (2*60 + 0 + 3*80) / 6 = 60.
    assert scoring.total_of(sheet, scales) == 72
    assert scoring.total_of(None, scales) is None


# --- submission ---------------------------------------------------------------------------------


def test_an_incomplete_sheet_is_refused_with_a_problem_per_criterion_and_writes_nothing(world):
    w = world
    scoring.save_draft(w.assignment, SheetInput({w.impact.id: Entry(2)}, ""), version=0,
                       actor=w.juror)
    db.session.commit()
    with pytest.raises(scoring.IncompleteSheet) as raised:
        scoring.submit_sheet(w.assignment, None, version=1, actor=w.juror)
    assert raised.value.problems == {w.team.id: Problem.MISSING,
                                     w.market.id: Problem.MISSING}
    with pytest.raises(scoring.IncompleteSheet) as raised:
        scoring.submit_sheet(w.assignment, SheetInput({w.team.id: Entry(None, True)}, "x"),
                             version=1, actor=w.juror)
    assert raised.value.problems == {w.impact.id: Problem.MISSING,
                                     w.market.id: Problem.MISSING}
    db.session.rollback()
    saved = stored_sheet(w.assignment.id)
    assert saved.status is SheetStatus.DRAFT and saved.version == 1
    assert saved.general_comment == ""
    assert stored_marks(w.assignment.id) == {w.impact.id: (2, False, "")}
    assert events("sheet.submitted") == []


def test_an_incomplete_first_submission_creates_no_sheet(world):
    w = world
    with pytest.raises(scoring.IncompleteSheet) as raised:
        scoring.submit_sheet(w.assignment, None, version=0, actor=w.juror)
    assert set(raised.value.problems) == {w.impact.id, w.team.id, w.market.id}
    assert count(ScoreSheet) == 0


def test_invalid_marks_at_submission_write_nothing(world):
    w = world
    scoring.save_draft(w.assignment, full(w), version=0, actor=w.juror)
    db.session.commit()
    with pytest.raises(scoring.InvalidMarks) as raised:
        scoring.submit_sheet(w.assignment, full(w, market=101), version=1, actor=w.juror)
    assert not isinstance(raised.value, scoring.IncompleteSheet)
    assert raised.value.problems == {w.market.id: Problem.OUT_OF_SCALE}
    db.session.rollback()
    assert stored_sheet(w.assignment.id).status is SheetStatus.DRAFT
    assert stored_marks(w.assignment.id)[w.market.id] == (80, False, "")


def test_a_complete_sheet_is_submitted_and_audited_with_its_marks_and_exact_total(world):
    w = world
    scoring.save_draft(w.assignment, SheetInput({w.impact.id: Entry(1)}, ""), version=0,
                       actor=w.juror)
    db.session.commit()
    sheet, submitted = scoring.submit_sheet(w.assignment, full(w, comment="Bon dossier."),
                                            version=1, actor=w.juror)
    db.session.commit()
    assert submitted is True
    saved = stored_sheet(w.assignment.id)
    assert saved.id == sheet.id and saved.status is SheetStatus.SUBMITTED
    assert saved.submitted_at is not None and saved.general_comment == "Bon dossier."
    assert stored_marks(w.assignment.id) == {w.impact.id: (3, False, ""),
                                             w.team.id: (5, False, ""),
                                             w.market.id: (80, False, "")}
    (event,) = events("sheet.submitted")
    assert event.actor_id == w.juror.id and event.edition_id == w.edition.id
    assert (event.object_type, event.object_id) == ("score_sheets", sheet.id)
    # (2*60 + 1*50 + 3*80) / 6 = 410/6 = 205/3
    assert Fraction(event.data["total"]) == Fraction(205, 3)
    assert event.data["marks"] == {"impact": 3, "team": 5, "market": 80}
    assert event.data["juror_id"] == w.juror.id and event.data["dossier_id"] == w.dossier.id
    assert event.data["round"] == 1 and event.data["version"] == saved.version


def test_submitting_the_saved_draft_records_na_in_the_audit(world):
    w = world
    scoring.save_draft(w.assignment, full(w, team="na"), version=0, actor=w.juror)
    db.session.commit()
    _sheet, submitted = scoring.submit_sheet(w.assignment, None, version=1, actor=w.juror)
    db.session.commit()
    assert submitted
    (event,) = events("sheet.submitted")
    assert event.data["marks"] == {"impact": 3, "team": "na", "market": 80}
    assert Fraction(event.data["total"]) == 72


def test_a_second_submission_changes_nothing_and_returns_false(world):
    w = world
    scoring.submit_sheet(w.assignment, full(w), version=0, actor=w.juror)
    db.session.commit()
    before = stored_sheet(w.assignment.id)
    version, submitted_at = before.version, before.submitted_at
    sheet, submitted = scoring.submit_sheet(w.assignment, full(w, impact=0, comment="Autre"),
                                            version=version, actor=w.juror)
    db.session.commit()
    assert submitted is False and sheet.id == before.id
    after = stored_sheet(w.assignment.id)
    assert (after.version, after.submitted_at, after.general_comment) == (
        version, submitted_at, "")
    assert stored_marks(w.assignment.id)[w.impact.id] == (3, False, "")
    assert len(events("sheet.submitted")) == 1


def test_a_submitted_sheet_is_read_only(world):
    w = world
    sheet, _ = scoring.submit_sheet(w.assignment, full(w), version=0, actor=w.juror)
    db.session.commit()
    version = stored_sheet(w.assignment.id).version
    with pytest.raises(scoring.SheetSubmitted):
        scoring.save_draft(w.assignment, full(w, impact=0), version=version, actor=w.juror)
    db.session.rollback()
    assert stored_sheet(w.assignment.id).version == version
    assert stored_marks(w.assignment.id)[w.impact.id] == (3, False, "")
    assert not scoring.is_writable(w.assignment, stored_sheet(w.assignment.id))


def test_the_general_comment_is_required_when_the_edition_says_so(world):
    w = world
    w.edition.is_general_comment_required = True
    db.session.commit()
    scoring.save_draft(w.assignment, full(w), version=0, actor=w.juror)   # a draft may lack it
    db.session.commit()
    for comment in ("", "   \n"):
        with pytest.raises(scoring.IncompleteSheet) as raised:
            scoring.submit_sheet(w.assignment, full(w, comment=comment), version=1,
                                 actor=w.juror)
        assert raised.value.problems == {GENERAL: Problem.GENERAL_COMMENT_MISSING}
    db.session.rollback()
    assert stored_sheet(w.assignment.id).status is SheetStatus.DRAFT
    _sheet, submitted = scoring.submit_sheet(w.assignment, full(w, comment="Argumenté."),
                                             version=1, actor=w.juror)
    assert submitted


# --- when scoring is closed ---------------------------------------------------------------------


def _close_by_phase(w: World) -> None:
    w.edition.phase = Phase.DELIBERATION


def _close_by_screening(w: World) -> None:
    w.edition.phase = Phase.SCREENING


def _close_the_round(w: World) -> None:
    w.round.closed_at = utcnow()


def _unpublish(w: World) -> None:
    w.assignment.published_at = None


CLOSERS = [_close_by_phase, _close_by_screening, _close_the_round, _unpublish]


@pytest.mark.parametrize("close", CLOSERS)
def test_no_sheet_changes_outside_judging_on_a_closed_round_or_an_unpublished_pair(world,
                                                                                     close):
    w = world
    scoring.save_draft(w.assignment, full(w), version=0, actor=w.juror)
    close(w)
    db.session.commit()
    with pytest.raises(scoring.ScoringClosed):
        scoring.save_draft(w.assignment, full(w, impact=0), version=1, actor=w.juror)
    with pytest.raises(scoring.ScoringClosed):
        scoring.submit_sheet(w.assignment, None, version=1, actor=w.juror)
    with pytest.raises(scoring.ScoringClosed):
        scoring_control.recuse(w.assignment, reason="Ancien associé.", actor=w.juror)
    db.session.rollback()
    saved = stored_sheet(w.assignment.id)
    assert saved.status is SheetStatus.DRAFT and saved.version == 1
    assert stored_marks(w.assignment.id)[w.impact.id] == (3, False, "")
    assert not scoring.is_writable(w.assignment, saved)
    assert count(Conflict) == 0 and count(Assignment) == 1


@pytest.mark.parametrize("close", CLOSERS[:3])
def test_a_first_save_is_refused_when_scoring_is_closed(world, close):
    w = world
    close(w)
    db.session.commit()
    with pytest.raises(scoring.ScoringClosed):
        scoring.save_draft(w.assignment, full(w), version=0, actor=w.juror)
    assert count(ScoreSheet) == 0


def test_scoring_is_open_only_while_judging_and_the_round_is_not_closed(world):
    w = world
    assert scoring.is_scoring_open(w.round)
    for phase in Phase:
        w.edition.phase = phase
        assert scoring.is_scoring_open(w.round) is (phase is Phase.JUDGING)
    w.edition.phase = Phase.JUDGING
    w.round.closed_at = utcnow()
    assert not scoring.is_scoring_open(w.round)


def test_the_deadline_is_the_round_s_own_else_the_edition_s(world):
    w = world
    assert scoring.deadline_of(w.round) is None
    edition_deadline = utcnow() + timedelta(days=10)
    w.edition.judging_deadline_at = edition_deadline
    assert scoring.deadline_of(w.round) == edition_deadline
    w.round.ends_at = edition_deadline - timedelta(days=3)
    assert scoring.deadline_of(w.round) == w.round.ends_at


# --- the organizer reopens a sheet --------------------------------------------------------------


def test_reopening_needs_a_reason_and_a_submitted_sheet(world):
    w = world
    sheet = scoring.save_draft(w.assignment, full(w), version=0, actor=w.juror)
    db.session.commit()
    with pytest.raises(scoring_control.NotSubmitted):
        scoring_control.reopen_sheet(sheet, reason="Erreur de saisie.", actor=w.organizer)
    scoring.submit_sheet(w.assignment, None, version=1, actor=w.juror)
    db.session.commit()
    for reason in ("", "   "):
        with pytest.raises(scoring_control.ReasonRequired):
            scoring_control.reopen_sheet(sheet, reason=reason, actor=w.organizer)
    db.session.rollback()
    assert stored_sheet(w.assignment.id).status is SheetStatus.SUBMITTED
    assert events("sheet.reopened") == []
    assert messages(template="sheet_reopened") == []


def test_a_reopened_sheet_is_a_draft_again_audited_and_the_juror_is_told(world):
    w = world
    sheet, _ = scoring.submit_sheet(w.assignment, full(w), version=0, actor=w.juror)
    db.session.commit()
    submitted_version = stored_sheet(w.assignment.id).version
    scoring_control.reopen_sheet(sheet, reason="  La note de marché semble inversée.  ",
                         actor=w.organizer)
    db.session.commit()
    saved = stored_sheet(w.assignment.id)
    assert saved.status is SheetStatus.DRAFT and saved.submitted_at is None
    assert saved.reopened_at is not None
    assert saved.reopen_reason == "La note de marché semble inversée."
    assert saved.version > submitted_version          # a form loaded before is now stale
    (event,) = events("sheet.reopened")
    assert event.actor_id == w.organizer.id and event.object_id == sheet.id
    assert event.data["reason"] == "La note de marché semble inversée."
    assert event.data["juror_id"] == w.juror.id and event.data["dossier_id"] == w.dossier.id
    (mail,) = messages(template="sheet_reopened")
    assert mail.recipient == w.juror.email
    assert messages(to=w.organizer.email) == []
    assert (f"/jury/{w.edition.slug}/rounds/1/dossiers/{w.dossier.reference}"
            in mail.body_text)
    # The juror corrects the sheet and submits it again.
    with pytest.raises(scoring.StaleSheet):
        scoring.save_draft(w.assignment, full(w, market=20), version=submitted_version,
                           actor=w.juror)
    reopened_version = saved.version
    scoring.save_draft(w.assignment, full(w, market=20), version=reopened_version,
                       actor=w.juror)
    _sheet, submitted = scoring.submit_sheet(w.assignment, None, version=reopened_version + 1,
                                             actor=w.juror)
    db.session.commit()
    assert submitted and len(events("sheet.submitted")) == 2
    assert stored_marks(w.assignment.id)[w.market.id] == (20, False, "")


def test_a_sheet_is_not_reopened_once_its_round_is_closed(world):
    w = world
    sheet, _ = scoring.submit_sheet(w.assignment, full(w), version=0, actor=w.juror)
    w.round.closed_at = utcnow()
    db.session.commit()
    with pytest.raises(scoring.ScoringClosed):
        scoring_control.reopen_sheet(sheet, reason="Trop tard.", actor=w.organizer)
    db.session.rollback()
    assert stored_sheet(w.assignment.id).status is SheetStatus.SUBMITTED


# --- the organizer closes and reopens rounds ----------------------------------------------------


def test_closing_the_last_open_round_moves_the_edition_to_deliberation(world):
    w = world
    other = add_juror(w.edition)
    assign(w.round, w.dossier, other)
    scoring.submit_sheet(w.assignment, full(w), version=0, actor=w.juror)
    db.session.commit()
    moved = scoring_control.close_round(w.round, actor=w.organizer)
    db.session.commit()
    assert moved is True
    assert db.session.get(Edition, w.edition.id).phase is Phase.DELIBERATION
    assert db.session.get(Round, w.round.id).closed_at is not None
    (event,) = events("round.closed")
    assert event.actor_id == w.organizer.id
    assert {k: event.data[k] for k in ("assigned", "submitted", "drafts")} == {
        "assigned": 2, "submitted": 1, "drafts": 0}
    (phase,) = events("edition.phase_changed")
    assert phase.data["phase"] == "deliberation" and phase.data["previous"] == "judging"
    with pytest.raises(scoring_control.RoundClosed):
        scoring_control.close_round(w.round, actor=w.organizer)
    assert len(events("round.closed")) == 1


def test_closing_round_one_of_two_keeps_judging_for_the_shortlist_and_round_two(world):
    w = world
    second_round(w.edition)            # not assigned yet: the finale is still to come
    db.session.commit()
    assert scoring_control.close_round(w.round, actor=w.organizer) is False
    db.session.commit()
    assert db.session.get(Edition, w.edition.id).phase is Phase.JUDGING
    assert db.session.get(Round, w.round.id).closed_at is not None
    assert events("edition.phase_changed") == []


def test_closing_a_round_while_another_with_assignments_is_open_keeps_judging(world):
    w = world
    final = second_round(w.edition)
    assign(final, w.dossier, w.juror)
    scoring.save_draft(w.assignment, full(w), version=0, actor=w.juror)
    db.session.commit()
    assert scoring_control.close_round(w.round, actor=w.organizer) is False
    db.session.commit()
    assert db.session.get(Edition, w.edition.id).phase is Phase.JUDGING
    assert events("edition.phase_changed") == []
    (event,) = events("round.closed")
    assert (event.data["submitted"], event.data["drafts"]) == (0, 1)
    # The closed round's sheets are read-only, drafts stay drafts.
    with pytest.raises(scoring.ScoringClosed):
        scoring.save_draft(w.assignment, full(w, impact=0), version=1, actor=w.juror)
    assert stored_sheet(w.assignment.id).status is SheetStatus.DRAFT
    # Closing the second one ends judging.
    assert scoring_control.close_round(final, actor=w.organizer) is True
    db.session.commit()
    assert db.session.get(Edition, w.edition.id).phase is Phase.DELIBERATION


def test_a_round_is_closed_only_while_judging(world):
    w = world
    w.edition.phase = Phase.SCREENING
    db.session.commit()
    with pytest.raises(scoring.ScoringClosed):
        scoring_control.close_round(w.round, actor=w.organizer)
    db.session.rollback()
    assert db.session.get(Round, w.round.id).closed_at is None
    assert events("round.closed") == []


def test_reopening_a_round_needs_a_reason_and_lets_scoring_resume(world):
    w = world
    final = second_round(w.edition)
    assign(final, w.dossier, w.juror)
    db.session.commit()
    with pytest.raises(scoring_control.RoundOpen):
        scoring_control.reopen_round(w.round, reason="Juré en retard.", actor=w.organizer)
    scoring_control.close_round(w.round, actor=w.organizer)
    db.session.commit()
    with pytest.raises(scoring_control.ReasonRequired):
        scoring_control.reopen_round(w.round, reason="  ", actor=w.organizer)
    db.session.rollback()
    assert db.session.get(Round, w.round.id).closed_at is not None
    scoring_control.reopen_round(w.round, reason="  Juré en retard.  ", actor=w.organizer)
    db.session.commit()
    assert db.session.get(Round, w.round.id).closed_at is None
    (event,) = events("round.reopened")
    assert event.actor_id == w.organizer.id and event.data["reason"] == "Juré en retard."
    sheet = scoring.save_draft(w.assignment, full(w), version=0, actor=w.juror)
    assert sheet.version == 1


# --- recusal ------------------------------------------------------------------------------------


@dataclass
class Panel:
    edition: Edition
    round: Round
    organizers: list[User]
    jurors: list[User]
    dossier: Dossier
    assignments: list[Assignment]


def build_panel(app, *, jurors: int) -> Panel:
    """A judging round with k = 2, one eligible dossier given to the first two of `jurors`
    (published), two active organizers and one deactivated."""
    edition = make_edition(phase=Phase.JUDGING)
    round_ = edition.rounds[0]
    round_.jurors_per_dossier = 2
    organizers = [make_user() for _ in range(3)]
    for organizer in organizers:
        add_role(organizer, edition, Role.ORGANIZER)
    organizers[2].is_active = False
    people = [add_juror(edition, name=f"Juré {i}") for i in range(jurors)]
    dossier = make_dossier(edition, make_user(), status=DossierStatus.ELIGIBLE)
    pairs = [assign(round_, dossier, juror) for juror in people[:2]]
    db.session.commit()
    return Panel(edition, round_, organizers[:2], people, dossier, pairs)


def test_a_recusal_needs_a_reason(app):
    panel = build_panel(app, jurors=3)
    for reason in ("", "  \n "):
        with pytest.raises(scoring_control.ReasonRequired):
            scoring_control.recuse(panel.assignments[0], reason=reason, actor=panel.jurors[0])
    db.session.rollback()
    assert count(Conflict) == 0 and count(Assignment) == 2


def test_a_recusal_confirms_the_conflict_removes_the_pairs_and_refills_the_slot(app):
    panel = build_panel(app, jurors=3)
    leaving, staying, free = panel.jurors
    assignment = panel.assignments[0]
    sheet = scoring.save_draft(assignment, SheetInput({panel.round.criteria[0].id: Entry(4)},
                                                      ""), version=0, actor=leaving)
    final = second_round(panel.edition)
    assign(final, panel.dossier, leaving)
    db.session.commit()
    sheet_id, final_id = sheet.id, final.id

    result = scoring_control.recuse(assignment, reason="  J'ai conseillé cette équipe.  ",
                            actor=leaving)
    db.session.commit()

    conflict = db.session.scalar(select(Conflict))
    assert (conflict.juror_id, conflict.dossier_id) == (leaving.id, panel.dossier.id)
    assert conflict.status is ConflictStatus.CONFIRMED
    assert conflict.source is ConflictSource.DECLARED
    assert conflict.reason == "J'ai conseillé cette équipe."
    # The juror's pairs on this dossier are gone in every round, with the sheet and marks.
    assert count(Assignment, Assignment.juror_id == leaving.id) == 0
    assert count(Assignment, Assignment.round_id == final_id) == 0
    assert db.session.get(ScoreSheet, sheet_id) is None and count(Mark) == 0
    assert result.removed == 2
    # The freed slot went to the only juror free to take it, published at once.
    pairs = {a.juror_id: a for a in db.session.scalars(select(Assignment).where(
        Assignment.round_id == panel.round.id))}
    assert set(pairs) == {staying.id, free.id}
    assert pairs[free.id].published_at is not None
    assert (result.refilled, result.refill_problem) == (1, None)
    (mail,) = messages(to=free.email, template="assignments_published")
    assert messages(to=leaving.email, template="assignments_published") == []
    (event,) = events("juror.recused")
    assert event.actor_id == leaving.id and event.data["reason"] == "J'ai conseillé cette équipe."
    assert event.data["juror_id"] == leaving.id and event.data["dossier_id"] == panel.dossier.id
    assert (event.data["removed"], event.data["refilled"], event.data["refill_problem"]) == (
        2, 1, None)
    assert events("conflict.declared")
    # Every active organizer is told, and nobody else.
    told = messages(template="juror_recused")
    assert sorted(m.recipient for m in told) == sorted(o.email for o in panel.organizers)
    assert all(m.edition_id == panel.edition.id for m in told)


def test_a_recusal_does_not_refill_over_an_unpublished_plan(app):
    panel = build_panel(app, jurors=3)
    leaving, staying, free = panel.jurors
    other = make_dossier(panel.edition, make_user(), status=DossierStatus.ELIGIBLE)
    draft = assign(panel.round, other, free, published=False)
    db.session.commit()
    draft_id = draft.id

    result = scoring_control.recuse(panel.assignments[0], reason="Conflit d'intérêts.",
                                    actor=leaving)
    db.session.commit()

    assert (result.removed, result.refilled, result.refill_problem) == (
        1, 0, "unpublished_plan")
    assert {a.juror_id for a in db.session.scalars(select(Assignment).where(
        Assignment.dossier_id == panel.dossier.id))} == {staying.id}
    kept = db.session.get(Assignment, draft_id)
    assert kept is not None and kept.published_at is None
    assert count(Assignment) == 2
    assert messages(template="assignments_published") == []
    (event,) = events("juror.recused")
    assert event.data["refill_problem"] == "unpublished_plan"
    assert len(messages(template="juror_recused")) == 2


def test_a_recusal_refills_nothing_when_the_solver_would_also_change_other_dossiers(app):
    # Another dossier of the round is short of jurors (eligible late, never assigned): filling
    # the freed slot would also assign it, which only an organizer may decide.
    panel = build_panel(app, jurors=3)
    leaving, staying, free = panel.jurors
    make_dossier(panel.edition, make_user(), status=DossierStatus.ELIGIBLE)
    db.session.commit()

    result = scoring_control.recuse(panel.assignments[0], reason="Ancien associé.", actor=leaving)
    db.session.commit()

    assert (result.removed, result.refilled, result.refill_problem) == (
        1, 0, "other_changes")
    assert [a.juror_id for a in db.session.scalars(select(Assignment))] == [staying.id]
    assert messages(template="assignments_published") == []
    assert events("assignment.run") == []
    (event,) = events("juror.recused")
    assert event.data["refill_problem"] == "other_changes"


def test_a_recusal_with_no_juror_free_is_reported_as_infeasible(app):
    panel = build_panel(app, jurors=2)
    leaving, staying = panel.jurors

    result = scoring_control.recuse(panel.assignments[0], reason="Ancien associé.", actor=leaving)
    db.session.commit()

    assert (result.removed, result.refilled, result.refill_problem) == (1, 0, "infeasible")
    assert [a.juror_id for a in db.session.scalars(select(Assignment))] == [staying.id]
    assert db.session.scalar(select(Conflict.status)) is ConflictStatus.CONFIRMED
    (event,) = events("juror.recused")
    assert event.data["refill_problem"] == "infeasible"
    assert len(messages(template="juror_recused")) == 2
    assert events("assignment.run") == []


# --- peer totals --------------------------------------------------------------------------------


def test_peer_totals_show_only_when_allowed_and_after_one_s_own_submission(world):
    w = world
    scales = scoring.scales_of(scoring.criteria_of(w.round))
    peers = [add_juror(w.edition) for _ in range(3)]
    pairs = [assign(w.round, w.dossier, juror) for juror in peers]
    elsewhere = make_dossier(w.edition, make_user(), status=DossierStatus.ELIGIBLE)
    outsider = assign(w.round, elsewhere, peers[0])
    db.session.commit()
    scoring.submit_sheet(pairs[0], full(w, impact=5, team=9, market=100), version=0,
                         actor=peers[0])                              # total 100
    scoring.submit_sheet(pairs[1], full(w, impact=0, team="na", market=0), version=0,
                         actor=peers[1])                              # total 0
    scoring.save_draft(pairs[2], full(w, impact=1), version=0, actor=peers[2])  # a draft
    scoring.submit_sheet(outsider, full(w, impact=2), version=0, actor=peers[0])
    final = second_round(w.edition)                   # the same dossier in another round
    later = assign(final, w.dossier, peers[2])
    scoring.submit_sheet(later, SheetInput({final.criteria[0].id: Entry(1)}, ""), version=0,
                         actor=peers[2])
    db.session.commit()

    # The edition does not show them.
    own, _ = scoring.submit_sheet(w.assignment, full(w), version=0, actor=w.juror)
    db.session.commit()
    assert scoring.peer_totals(w.assignment, own, scales) is None
    # It does; a juror who has not submitted sees nothing.
    w.edition.shows_peer_totals = True
    db.session.commit()
    draft = scoring.sheet_of(pairs[2])
    assert scoring.peer_totals(pairs[2], draft, scales) is None
    assert scoring.peer_totals(pairs[2], None, scales) is None
    # The submitted juror sees the others' submitted totals on this dossier, sorted.
    assert scoring.peer_totals(w.assignment, own, scales) == [0, 100]
    assert scoring.peer_totals(pairs[0], scoring.sheet_of(pairs[0]), scales) == [
        0, Fraction(205, 3)]
    # Even given both rounds' scales, the other round's sheet (total 20) is not a peer's.
    both = scales + scoring.scales_of(scoring.criteria_of(final))
    assert scoring.total_of(scoring.sheet_of(later), both) == 20
    assert scoring.peer_totals(w.assignment, own, both) == [0, 100]


# --- two requests at once ---------------------------------------------------------------------


def _race(app, monkeypatch, rival_save):
    """Run `rival_save` in its own application context - its own session and connection, then
    committed - right after the first save has read the sheet and checked its version, before
    it writes: the check passed, only the database can tell."""
    original = scoring.criteria_of
    state = {"raced": False}

    def criteria_then_rival(round_):
        if not state["raced"]:
            state["raced"] = True
            with app.app_context():
                rival_save()
                db.session.commit()
        return original(round_)

    monkeypatch.setattr(scoring, "criteria_of", criteria_then_rival)
    return state


def test_two_connections_saving_the_same_version_one_wins_the_other_is_stale(app, world,
                                                                               monkeypatch):
    w = world
    scoring.save_draft(w.assignment, full(w), version=0, actor=w.juror)
    db.session.commit()
    assignment_id, juror_id = w.assignment.id, w.juror.id

    def rival_save():
        scoring.save_draft(db.session.get(Assignment, assignment_id),
                           full(w, impact=5, comment="Onglet B"), version=1,
                           actor=db.session.get(User, juror_id))

    state = _race(app, monkeypatch, rival_save)
    with pytest.raises(scoring.StaleSheet) as raised:
        scoring.save_draft(w.assignment, full(w, impact=0, comment="Onglet A"), version=1,
                           actor=w.juror)
    assert state["raced"]
    assert raised.value.sheet is not None and raised.value.sheet.version == 2
    assert raised.value.sheet.general_comment == "Onglet B"
    db.session.commit()
    saved = stored_sheet(assignment_id)
    assert (saved.version, saved.general_comment) == (2, "Onglet B")
    assert stored_marks(assignment_id)[w.impact.id] == (5, False, "")


def test_two_connections_creating_the_sheet_at_once_one_wins_the_other_is_stale(app, world,
                                                                                monkeypatch):
    w = world
    assignment_id, juror_id = w.assignment.id, w.juror.id

    def rival_save():
        scoring.save_draft(db.session.get(Assignment, assignment_id),
                           full(w, impact=5, comment="Onglet B"), version=0,
                           actor=db.session.get(User, juror_id))

    state = _race(app, monkeypatch, rival_save)
    with pytest.raises(scoring.StaleSheet) as raised:
        scoring.save_draft(w.assignment, full(w, impact=0, comment="Onglet A"), version=0,
                           actor=w.juror)
    assert state["raced"]
    assert raised.value.sheet is not None and raised.value.sheet.version == 1
    db.session.commit()
    assert count(ScoreSheet) == 1
    saved = stored_sheet(assignment_id)
    assert (saved.version, saved.general_comment) == (1, "Onglet B")
    assert stored_marks(assignment_id)[w.impact.id] == (5, False, "")


def test_a_sheet_removed_meanwhile_by_a_recusal_is_stale_with_no_sheet(app, world,
                                                                         monkeypatch):
    # Tab A saves while tab B recuses: the save finds its sheet gone and says so (StaleSheet
    # with no sheet), rather than failing on the vanished assignment.
    w = world
    scoring.save_draft(w.assignment, full(w), version=0, actor=w.juror)
    db.session.commit()
    assignment_id, juror_id = w.assignment.id, w.juror.id

    def rival_recusal():
        scoring_control.recuse(db.session.get(Assignment, assignment_id), reason="Ancien associé.",
                       actor=db.session.get(User, juror_id))

    state = _race(app, monkeypatch, rival_recusal)
    with pytest.raises(scoring.StaleSheet) as raised:
        scoring.save_draft(w.assignment, full(w, impact=0), version=1, actor=w.juror)
    assert state["raced"]
    assert raised.value.sheet is None
    db.session.rollback()
    assert count(ScoreSheet) == 0 and count(Assignment) == 0


def test_two_connections_submitting_at_once_the_second_is_a_harmless_repeat(app, world,
                                                                            monkeypatch):
    # A double click sends the submission twice: whichever arrives second finds the sheet
    # submitted and answers as a repeat, as it does when the two come one after the other.
    w = world
    scoring.save_draft(w.assignment, full(w), version=0, actor=w.juror)
    db.session.commit()
    assignment_id, juror_id = w.assignment.id, w.juror.id

    def rival_submit():
        scoring.submit_sheet(db.session.get(Assignment, assignment_id), None, version=1,
                             actor=db.session.get(User, juror_id))

    state = _race(app, monkeypatch, rival_submit)
    sheet, submitted = scoring.submit_sheet(w.assignment, None, version=1, actor=w.juror)
    assert state["raced"]
    assert submitted is False and sheet.status is SheetStatus.SUBMITTED
    db.session.commit()
    assert stored_sheet(assignment_id).status is SheetStatus.SUBMITTED
    assert len(events("sheet.submitted")) == 1
