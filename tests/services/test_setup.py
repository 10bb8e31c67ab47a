"""Set-up services: ranges, ordering, the judging rule and the closed-call rule; audited."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_dossier, make_edition, make_user
from trophies.domain.vocabulary import Phase
from trophies.models import AuditEvent, Criterion, db, utcnow
from trophies.services import questions, setup
from trophies.services.questions import CallClosed, KeyTaken
from trophies.services.setup import CategoryInUse, JudgingStarted, SetupInvalid


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_update_edition_changes_settings_and_is_audited(app):
    edition, actor = make_edition(), make_user()
    opens = utcnow() + timedelta(days=1)
    changed = setup.update_edition(edition, actor=actor, name_en=" New ", timezone="UTC",
                                   call_opens_at=opens, call_closes_at=opens + timedelta(days=5),
                                   retention_months=12, aggregation="median", is_blind=True)
    assert edition.name_en == "New" and edition.aggregation == "median" and edition.is_blind
    assert "timezone" in changed
    assert actions() == ["setup.edition"]


@pytest.mark.parametrize("fields", [
    {"timezone": "Mars/Olympus"},
    {"retention_months": 0}, {"retention_months": 121},
    {"max_jurors_per_organisation": 11}, {"max_jurors_per_organisation": 0},
    {"aggregation": "mode"}, {"name_fr": "  "},
    {"call_opens_at": datetime(2030, 1, 1)},  # naive  # noqa: DTZ001
    {"call_closes_at": utcnow() - timedelta(days=30)},  # before the factory's opening
])
def test_update_edition_refuses_bad_values(app, fields):
    edition = make_edition()
    with pytest.raises(SetupInvalid):
        setup.update_edition(edition, actor=make_user(), **fields)
    assert actions() == []


def test_update_edition_refuses_privileged_fields(app):
    with pytest.raises(TypeError):
        setup.update_edition(make_edition(), actor=make_user(), phase=Phase.PUBLISHED)


def test_categories_add_update_and_remove_unless_used(app):
    edition, actor = make_edition(categories=("A",)), make_user()
    category = setup.add_category(edition, actor=actor, name_fr="B", name_en="B en")
    assert category.position == 1
    with pytest.raises(SetupInvalid):
        setup.add_category(edition, actor=actor, name_fr="A")
    setup.update_category(category, actor=actor, name_fr="C")
    assert category.name_fr == "C"
    used = edition.categories[0]
    make_dossier(edition, make_user())
    with pytest.raises(CategoryInUse):
        setup.remove_category(used, actor=actor)
    setup.remove_category(category, actor=actor)
    assert [c.name_fr for c in edition.categories] == ["A"]
    assert actions() == ["setup.category_added", "setup.category_changed",
                         "setup.category_removed"]


def test_rounds_add_and_update_with_ranges(app):
    edition, actor = make_edition(), make_user()
    second = setup.add_round(edition, actor=actor, name_fr="Finale", jurors_per_dossier=5)
    assert second.number == 2
    setup.update_round(second, actor=actor, jurors_per_dossier=7, name_en="Final")
    assert second.jurors_per_dossier == 7
    for bad in (0, 51):
        with pytest.raises(SetupInvalid):
            setup.update_round(second, actor=actor, jurors_per_dossier=bad)
    start = utcnow()
    with pytest.raises(SetupInvalid):
        setup.update_round(second, actor=actor, starts_at=start, ends_at=start)
    assert actions() == ["setup.round_added", "setup.round_changed"]


def test_criteria_validate_scale_and_keep_level_texts(app):
    edition, actor = make_edition(), make_user()
    round_ = edition.rounds[0]
    criterion = setup.add_criterion(round_, actor=actor, name_fr="Impact", weight=3,
                                    scale_min=0, scale_max=10, scale_step=2,
                                    levels={0: ("Absent", "Absent"), 1: ("Off", ""),
                                            10: ("Exemplaire", "")})
    assert criterion.key == "impact_2"  # the factory's criterion is "impact"
    assert [lv.value for lv in criterion.levels] == [0, 10]
    for bad in ({"weight": 0}, {"scale_max": 0}, {"scale_step": 3}, {"name_fr": ""}):
        with pytest.raises(SetupInvalid):
            setup.update_criterion(criterion, actor=actor, **bad)
    setup.update_criterion(criterion, actor=actor, levels={0: ("", ""), 4: ("Moyen", "Fair")})
    assert [lv.value for lv in criterion.levels] == [4]
    setup.remove_criterion(criterion, actor=actor)
    assert criterion not in round_.criteria
    assert actions() == ["setup.criterion_added", "setup.criterion_changed",
                         "setup.criterion_removed"]


@pytest.mark.parametrize("phase", [Phase.JUDGING, Phase.DELIBERATION, Phase.PUBLISHED])
def test_once_judging_has_started_nothing_that_counts_may_change(app, phase):
    edition, actor = make_edition(phase=phase), make_user()
    round_ = edition.rounds[0]
    criterion = round_.criteria[0]
    refusals = [
        (lambda: setup.update_criterion(criterion, actor=actor, weight=5), ["weight"]),
        (lambda: setup.update_criterion(criterion, actor=actor, scale_max=10), ["scale_max"]),
        (lambda: setup.update_criterion(criterion, actor=actor, scale_step=5), ["scale_step"]),
        (lambda: setup.update_criterion(criterion, actor=actor, allows_na=True), ["allows_na"]),
        (lambda: setup.add_criterion(round_, actor=actor, name_fr="X", weight=1), ["criteria"]),
        (lambda: setup.remove_criterion(criterion, actor=actor), ["criteria"]),
        (lambda: setup.update_round(round_, actor=actor, jurors_per_dossier=4),
         ["jurors_per_dossier"]),
    ]
    for call, refused in refusals:
        with pytest.raises(JudgingStarted) as caught:
            call()
        assert caught.value.details["refused"] == refused
        assert "back to screening" in str(caught.value)
    assert (criterion.weight, criterion.scale_max, round_.jurors_per_dossier) == (2, 5, 3)
    assert len(round_.criteria) == 1 and actions() == []


def test_once_judging_has_started_texts_may_still_be_corrected(app):
    edition, actor = make_edition(phase=Phase.JUDGING), make_user()
    round_ = edition.rounds[0]
    criterion = round_.criteria[0]
    setup.update_criterion(criterion, actor=actor, name_fr="Impact réel", description_en="D",
                           weight=2, scale_min=0, scale_max=5, scale_step=1, allows_na=False,
                           levels={5: ("Exemplaire", "Exemplary")})
    setup.update_round(round_, actor=actor, name_fr="Sélection", jurors_per_dossier=3)
    assert criterion.name_fr == "Impact réel" and criterion.levels[0].label_en == "Exemplary"
    assert round_.name_fr == "Sélection"
    assert actions() == ["setup.criterion_changed", "setup.round_changed"]


def test_screening_allows_scoring_changes_again(app):
    edition = make_edition(phase=Phase.SCREENING)
    criterion = edition.rounds[0].criteria[0]
    setup.update_criterion(criterion, actor=make_user(), weight=4)
    assert db.session.get(Criterion, criterion.id).weight == 4


def test_choices_parse_into_stable_values():
    choices = questions.parse_choices("pilot | Pilote | Pilot\nÉtude clinique | Clinical study\n"
                                  "Autre\n\nAutre")
    assert [c["value"] for c in choices] == ["pilot", "etude_clinique", "autre", "autre_2"]
    assert choices[2]["label_en"] == "Autre"
    again = questions.parse_choices("Étude clinique (phase 2)", existing=[
        {"value": "etude_clinique", "label_fr": "Étude clinique (phase 2)", "label_en": ""}])
    assert again[0]["value"] == "etude_clinique"
    assert questions.parse_choices(questions.choices_text(choices)) == choices


def test_questions_add_update_move_and_remove(app):
    edition, actor = make_edition(), make_user()
    first = questions.add_question(edition, actor=actor, kind="short_text",
                                   label_fr="Nom du projet", max_length=200, min_value=3)
    assert first.key == "nom_du_projet" and first.min_value is None
    second = questions.add_question(edition, actor=actor, kind="file", key="plaquette",
                                label_fr="Plaquette", file_types=["pdf"],
                                max_file_bytes=5 * 1024 * 1024)
    with pytest.raises(KeyTaken):
        questions.add_question(edition, actor=actor, kind="yes_no", key="plaquette", label_fr="X")
    for bad in ({"kind": "file", "file_types": ["exe"], "max_file_bytes": 1},
                {"kind": "single_choice", "choices": []}, {"kind": "nope"},
                {"kind": "number", "min_value": 5, "max_value": 1}, {"key": "Pas un slug!"}):
        with pytest.raises(SetupInvalid):
            questions.update_question(first, actor=actor, **{"label_fr": "Nom", **bad})
    questions.update_question(first, actor=actor, kind="long_text", label_fr="Nom", max_length=50)
    questions.move_question(second, actor=actor, offset=-1)
    assert [q.key for q in sorted(edition.questions, key=lambda q: q.position)] == [
        "plaquette", "nom_du_projet"]
    questions.move_question(second, actor=actor, offset=-1)  # already first: nothing happens
    questions.remove_question(first, actor=actor)
    assert [q.key for q in edition.questions] == ["plaquette"]
    assert actions() == ["setup.question_added", "setup.question_added",
                         "setup.question_changed", "setup.question_moved",
                         "setup.question_removed"]


def test_questions_are_frozen_once_the_call_closed_with_applications(app):
    edition, actor = make_edition(phase=Phase.SCREENING), make_user()
    question = questions.add_question(edition, actor=actor, kind="yes_no", label_fr="Ok ?")
    questions.update_question(question, actor=actor, kind="yes_no", label_fr="Ok !")  # no dossier
    make_dossier(edition, make_user())
    for call in (lambda: questions.update_question(question, actor=actor, kind="yes_no",
                                               label_fr="Autre"),
                 lambda: questions.remove_question(question, actor=actor),
                 lambda: questions.move_question(question, actor=actor, offset=1)):
        with pytest.raises(CallClosed):
            call()
    assert question.label_fr == "Ok !"
