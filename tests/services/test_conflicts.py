"""Conflict services: detection creates suggestions once, decisions are audited, a confirmed
conflict removes the juror's assignments (and sheets) of that dossier in every round; the
juror's own declaration is binding; preferences are saved per dossier."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from tests.factories import add_role, make_dossier, make_edition, make_user
from trophies.domain.vocabulary import (
    ConflictSource,
    ConflictStatus,
    DossierStatus,
    Language,
    Phase,
    PreferenceLevel,
    Role,
    SheetStatus,
)
from trophies.models import (
    Answer,
    Assignment,
    AuditEvent,
    Conflict,
    Founder,
    JurorPreference,
    JurorProfile,
    Mark,
    Question,
    Round,
    ScoreSheet,
    db,
    utcnow,
)
from trophies.services import conflicts, jury

# --- helpers shared with the web tests ------------------------------------------------------


def make_juror(edition, *, name=None, email=None, organisation="", accepted=True,
               declared=False):
    """A juror who accepted the invitation (membership + profile), and by default the
    confidentiality statement."""
    user = make_user(email, full_name=name)
    add_role(user, edition, Role.JUROR, organisation=organisation)
    profile = db.session.scalar(select(JurorProfile).where(
        JurorProfile.edition_id == edition.id, JurorProfile.user_id == user.id))
    profile.accepted_at = utcnow()
    if accepted:
        profile.confidentiality_accepted_at = utcnow()
    if declared:
        profile.conflicts_declared_at = utcnow()
    db.session.flush()
    return user, profile


def assign(round_, dossier, juror, *, published=True, sheet=None):
    """An assignment (published by default), with a score sheet of status `sheet` if given."""
    assignment = Assignment(round_id=round_.id, dossier_id=dossier.id, juror_id=juror.id,
                            published_at=utcnow() if published else None)
    db.session.add(assignment)
    db.session.flush()
    if sheet is not None:
        score = ScoreSheet(assignment_id=assignment.id, status=sheet,
                           submitted_at=utcnow() if sheet == SheetStatus.SUBMITTED else None)
        db.session.add(score)
        db.session.flush()
        db.session.add(Mark(sheet_id=score.id, criterion_id=round_.criteria[0].id, value=3))
        db.session.flush()
    return assignment


def second_round(edition):
    round_ = Round(edition_id=edition.id, number=2, name_fr="Finale", name_en="Final",
                   jurors_per_dossier=3)
    db.session.add(round_)
    db.session.flush()
    return round_


def audit_actions(prefix=""):
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.startswith(prefix)).order_by(AuditEvent.id)))


def rows(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def world(app):
    """An English edition in judging: Medicalis jurors and dossiers that match them."""
    edition = make_edition("conflits", phase=Phase.JUDGING)
    edition.language = Language.EN
    organizer = make_user()
    add_role(organizer, edition, Role.ORGANIZER)
    claire, _ = make_juror(edition, name="Claire Fontaine", email="claire@medicalis.fr",
                           organisation="Medicalis SAS")
    paul, _ = make_juror(edition, name="Paul Girard", email="paul.girard@gmail.com",
                         organisation="CHU")
    same_company = make_dossier(edition, make_user("ceo@startup.io"))
    same_company.company_name = "MEDICALIS"
    same_domain = make_dossier(edition, make_user("founder@gmail.com"))
    db.session.add(Founder(dossier_id=same_domain.id, full_name="Zoé Petit",
                           email="zoe@Medicalis.fr"))
    mention = make_dossier(edition, make_user("x@gmail.com"))
    question = Question(edition_id=edition.id, key="team", kind="long_text",
                        label_fr="Équipe", label_en="Team")
    db.session.add(question)
    db.session.flush()
    db.session.add(Answer(dossier_id=mention.id, question_id=question.id,
                          value="Our advisor is paul GIRARD, from the CHU."))
    unrelated = make_dossier(edition, make_user("y@gmail.com"))
    db.session.flush()
    return {"edition": edition, "organizer": organizer, "claire": claire, "paul": paul,
            "same_company": same_company, "same_domain": same_domain, "mention": mention,
            "unrelated": unrelated, "round": edition.rounds[0]}


def pairs(status=None):
    stmt = select(Conflict.juror_id, Conflict.dossier_id, Conflict.source)
    if status is not None:
        stmt = stmt.where(Conflict.status == status)
    return set(db.session.execute(stmt).all())


# --- detection ------------------------------------------------------------------------------


def test_detection_suggests_each_likely_conflict_once_with_a_readable_reason(world):
    w = world
    created = conflicts.detect_conflicts(w["edition"], actor=w["organizer"])
    assert created == 3
    assert pairs(ConflictStatus.SUGGESTED) == {
        (w["claire"].id, w["same_company"].id, ConflictSource.ORGANISATION),
        (w["claire"].id, w["same_domain"].id, ConflictSource.EMAIL_DOMAIN),
        (w["paul"].id, w["mention"].id, ConflictSource.MENTION),
    }
    reasons = dict(db.session.execute(select(Conflict.dossier_id, Conflict.reason)).all())
    assert reasons[w["same_company"].id] == "Same organisation: Medicalis SAS"
    assert reasons[w["same_domain"].id] == "Same e-mail domain: medicalis.fr"
    assert reasons[w["mention"].id] == "“Paul Girard” is mentioned in the application"
    assert audit_actions("conflict.") == ["conflict.suggested"] * 3
    assert conflicts.detect_conflicts(w["edition"], actor=w["organizer"]) == 0
    assert rows(Conflict) == 3


def test_a_dismissed_suggestion_is_never_suggested_again(world):
    w = world
    conflicts.detect_conflicts(w["edition"], actor=w["organizer"])
    suggestion = db.session.scalar(select(Conflict).where(
        Conflict.dossier_id == w["mention"].id))
    conflicts.dismiss_conflict(suggestion, actor=w["organizer"])
    assert conflicts.detect_conflicts(w["edition"], actor=w["organizer"]) == 0
    assert suggestion.status is ConflictStatus.DISMISSED
    assert suggestion.decided_by_id == w["organizer"].id
    assert audit_actions("conflict.")[-1] == "conflict.dismissed"


def test_drafts_withdrawn_and_ineligible_dossiers_and_withdrawn_jurors_are_left_out(world):
    w = world
    w["same_company"].status = DossierStatus.WITHDRAWN
    w["same_domain"].status = DossierStatus.INELIGIBLE
    w["same_domain"].eligibility_reason = "Too old."
    draft = make_dossier(w["edition"], make_user(), status=DossierStatus.DRAFT)
    draft.company_name = "Medicalis"
    profile = db.session.scalar(select(JurorProfile).where(
        JurorProfile.user_id == w["paul"].id))
    profile.withdrawn_at = utcnow()
    db.session.flush()
    assert conflicts.detect_conflicts(w["edition"], actor=w["organizer"]) == 0


def test_detection_runs_a_constant_number_of_selects(world, count_queries):
    w = world

    def selects():
        with count_queries() as counter:
            conflicts.detect_conflicts(w["edition"], actor=w["organizer"])
        return sum(1 for s in counter.statements if s.lstrip().upper().startswith("SELECT"))

    db.session.execute(delete(Conflict))
    few = selects()
    db.session.execute(delete(Conflict))
    for n in range(8):
        extra = make_dossier(w["edition"], make_user())
        db.session.add(Founder(dossier_id=extra.id, full_name=f"Founder {n}",
                               email=f"f{n}@example.org"))
    make_juror(w["edition"], name="Another Juror", organisation="Biotech Ouest")
    db.session.flush()
    assert selects() == few <= 8


def test_detection_is_refused_once_results_are_frozen(world):
    world["edition"].phase = Phase.FROZEN
    with pytest.raises(conflicts.ConflictsClosed):
        conflicts.detect_conflicts(world["edition"], actor=world["organizer"])


# --- enforcement ----------------------------------------------------------------------------


def test_confirming_removes_the_jurors_assignments_of_the_dossier_in_every_round(world):
    w = world
    final = second_round(w["edition"])
    first = assign(w["round"], w["same_company"], w["claire"], sheet=SheetStatus.SUBMITTED)
    assign(final, w["same_company"], w["claire"])
    kept_other_juror = assign(w["round"], w["same_company"], w["paul"], sheet=SheetStatus.DRAFT)
    kept_other_dossier = assign(w["round"], w["unrelated"], w["claire"])
    conflicts.detect_conflicts(w["edition"], actor=w["organizer"])
    suggestion = db.session.scalar(select(Conflict).where(
        Conflict.juror_id == w["claire"].id, Conflict.dossier_id == w["same_company"].id))
    removed = conflicts.confirm_conflict(suggestion, actor=w["organizer"])
    assert removed == 2
    assert suggestion.status is ConflictStatus.CONFIRMED
    remaining = set(db.session.scalars(select(Assignment.id)))
    assert remaining == {kept_other_juror.id, kept_other_dossier.id}
    assert rows(ScoreSheet) == 1 and rows(Mark) == 1   # Paul's draft only
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "assignment.removed_for_conflict").order_by(AuditEvent.id)).all()
    assert [(e.object_id, e.data["round"], e.data["sheet_status"]) for e in events] == [
        (first.id, 1, "submitted"), (first.id + 1, 2, None)]
    assert audit_actions("conflict.")[-1] == "conflict.confirmed"


def test_a_dismissed_suggestion_can_be_confirmed_later_and_a_confirmed_one_cannot_twice(world):
    w = world
    conflicts.detect_conflicts(w["edition"], actor=w["organizer"])
    suggestion = db.session.scalar(select(Conflict).where(
        Conflict.dossier_id == w["mention"].id))
    conflicts.dismiss_conflict(suggestion, actor=w["organizer"])
    conflicts.confirm_conflict(suggestion, actor=w["organizer"])
    assert suggestion.status is ConflictStatus.CONFIRMED
    with pytest.raises(conflicts.AlreadyConfirmed):
        conflicts.confirm_conflict(suggestion, actor=w["organizer"])


def test_lifting_a_confirmed_conflict_needs_a_reason_which_is_audited(world):
    w = world
    conflict, _ = conflicts.add_conflict(w["edition"], juror_id=w["paul"].id,
                                         dossier_id=w["unrelated"].id, reason="Cousin",
                                         actor=w["organizer"])
    with pytest.raises(conflicts.ReasonRequired):
        conflicts.dismiss_conflict(conflict, actor=w["organizer"], reason="  ")
    assert conflict.status is ConflictStatus.CONFIRMED
    conflicts.dismiss_conflict(conflict, actor=w["organizer"], reason="Wrong Paul Girard")
    assert conflict.status is ConflictStatus.DISMISSED
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "conflict.dismissed")).one()
    assert event.data["reason"] == "Wrong Paul Girard"
    assert event.data["previous"] == "confirmed"


def test_an_organizer_adds_a_conflict_by_hand_confirmed_and_enforced(world):
    w = world
    assign(w["round"], w["unrelated"], w["paul"], sheet=SheetStatus.DRAFT)
    conflict, removed = conflicts.add_conflict(
        w["edition"], juror_id=w["paul"].id, dossier_id=w["unrelated"].id,
        reason="Former employer", actor=w["organizer"])
    assert (conflict.source, conflict.status) == (ConflictSource.MANUAL,
                                                  ConflictStatus.CONFIRMED)
    assert conflict.reason == "Former employer"
    assert removed == 1 and rows(Assignment) == 0
    assert audit_actions("conflict.") == ["conflict.added"]
    assert conflicts.confirmed_pairs(w["edition"]) == {(w["paul"].id, w["unrelated"].id)}


def test_a_hand_added_conflict_must_stay_within_the_edition(world):
    w = world
    other = make_edition("ailleurs")
    stranger, _ = make_juror(other)
    elsewhere = make_dossier(other, make_user())
    with pytest.raises(conflicts.NotInEdition):
        conflicts.add_conflict(w["edition"], juror_id=stranger.id,
                               dossier_id=w["unrelated"].id, reason="", actor=w["organizer"])
    with pytest.raises(conflicts.NotInEdition):
        conflicts.add_conflict(w["edition"], juror_id=w["paul"].id, dossier_id=elsewhere.id,
                               reason="", actor=w["organizer"])
    assert rows(Conflict) == 0


# --- the juror's declaration ----------------------------------------------------------------


def test_a_jurors_declaration_is_confirmed_at_once_and_enforced(world):
    w = world
    profile = jury.profile_of(w["paul"], w["edition"])
    assign(w["round"], w["unrelated"], w["paul"])
    conflicts.detect_conflicts(w["edition"], actor=w["organizer"])  # suggests "mention"
    added = jury.declare_conflicts(profile, [w["unrelated"].id, w["mention"].id],
                                   reason="I advise them", actor=w["paul"])
    assert added == 2
    assert pairs(ConflictStatus.CONFIRMED) == {
        (w["paul"].id, w["unrelated"].id, ConflictSource.DECLARED),
        (w["paul"].id, w["mention"].id, ConflictSource.DECLARED)}
    assert rows(Conflict) == 4  # the suggestion became the declaration: no duplicate row
    assert rows(Assignment) == 0
    assert profile.conflicts_declared_at is not None
    assert audit_actions("juror.") == ["juror.conflicts_declared"]
    assert audit_actions("conflict.declared") == ["conflict.declared"] * 2
    # Coming back: already confirmed ones are ignored, a new one is added.
    assert jury.declare_conflicts(profile, [w["unrelated"].id], actor=w["paul"]) == 0
    assert jury.declare_conflicts(profile, [w["same_company"].id], actor=w["paul"]) == 1


def test_no_conflict_is_a_valid_answer_but_it_must_not_contradict_the_ticks(world):
    w = world
    profile = jury.profile_of(w["claire"], w["edition"])
    with pytest.raises(jury.EmptyDeclaration):
        jury.declare_conflicts(profile, [], actor=w["claire"])
    with pytest.raises(jury.ContradictoryDeclaration):
        jury.declare_conflicts(profile, [w["unrelated"].id], no_conflict=True,
                               actor=w["claire"])
    assert profile.conflicts_declared_at is None
    assert jury.declare_conflicts(profile, [], no_conflict=True, actor=w["claire"]) == 0
    assert profile.conflicts_declared_at is not None
    assert rows(Conflict) == 0


def test_nothing_is_declared_or_listed_before_the_statement_is_accepted(world):
    w = world
    user, profile = make_juror(w["edition"], accepted=False)
    with pytest.raises(jury.StatementNotAccepted):
        jury.declaration_rows(profile)
    with pytest.raises(jury.StatementNotAccepted):
        jury.declare_conflicts(profile, [w["unrelated"].id], actor=user)
    assert jury.home(profile).rounds == []
    assert jury.accept_confidentiality(profile, actor=user) is True
    assert jury.accept_confidentiality(profile, actor=user) is False
    assert audit_actions("juror.") == ["juror.confidentiality_accepted"]
    assert [r.dossier.id for r in jury.declaration_rows(profile)] == sorted(
        [w["same_company"].id, w["same_domain"].id, w["mention"].id, w["unrelated"].id],
        key=lambda i: db.session.get(type(w["unrelated"]), i).reference)


# --- preferences ----------------------------------------------------------------------------


def test_preferences_are_saved_for_every_dossier_without_conflict_and_audited_once(world):
    w = world
    w["edition"].has_preferences = True
    profile = jury.profile_of(w["paul"], w["edition"])
    conflicts.add_conflict(w["edition"], juror_id=w["paul"].id, dossier_id=w["mention"].id,
                           reason="", actor=w["organizer"])
    listed = [r.dossier.id for r in jury.preference_rows(profile)]
    assert w["mention"].id not in listed and len(listed) == 3
    changed = jury.save_preferences(profile, {w["unrelated"].id: PreferenceLevel.WANT,
                                              w["mention"].id: PreferenceLevel.WANT,
                                              w["same_company"].id: PreferenceLevel.PREFER_NOT},
                                    actor=w["paul"])
    assert changed == 3
    saved = dict(db.session.execute(select(JurorPreference.dossier_id,
                                           JurorPreference.level)).all())
    assert saved == {w["unrelated"].id: PreferenceLevel.WANT,
                     w["same_company"].id: PreferenceLevel.PREFER_NOT,
                     w["same_domain"].id: PreferenceLevel.CAN}
    assert jury.save_preferences(profile, {w["unrelated"].id: PreferenceLevel.CAN},
                                 actor=w["paul"]) == 2
    assert audit_actions("juror.preferences") == ["juror.preferences_saved"] * 2


def test_preferences_are_refused_when_the_edition_does_not_collect_them(world):
    profile = jury.profile_of(world["paul"], world["edition"])
    with pytest.raises(jury.PreferencesDisabled):
        jury.preference_rows(profile)
