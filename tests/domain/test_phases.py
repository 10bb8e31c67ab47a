"""Domain: the pipeline's transition table."""

from __future__ import annotations

import pytest

from trophies.domain.phases import (
    ORDER,
    TRANSITIONS,
    TransitionError,
    accepts_submissions,
    can_move,
    check_transition,
    is_at_least,
    is_public,
    scoring_open,
)
from trophies.domain.vocabulary import Phase


def test_every_phase_has_a_row_in_the_table_and_a_place_in_the_order():
    assert set(TRANSITIONS) == set(Phase)
    assert set(ORDER) == set(Phase)
    assert len(ORDER) == len(Phase)


def test_an_edition_can_walk_the_whole_pipeline_forward_one_step_at_a_time():
    for current, target in zip(ORDER, ORDER[1:], strict=False):
        if current is Phase.DRAFT:
            continue  # draft goes to open, the next phase in the order
        assert can_move(current, target), f"{current} -> {target}"
    assert can_move(Phase.DRAFT, Phase.OPEN)


def test_no_phase_can_skip_ahead_two_steps():
    for index, current in enumerate(ORDER[:-2]):
        for target in ORDER[index + 2:]:
            if current is Phase.DRAFT and target is Phase.ARCHIVED:
                continue  # an abandoned draft may be archived
            assert not can_move(current, target), f"{current} -> {target}"


def test_moves_back_are_only_one_step_and_never_out_of_publication():
    for current, targets in TRANSITIONS.items():
        for target in targets:
            if ORDER.index(target) < ORDER.index(current):
                assert ORDER.index(current) - ORDER.index(target) == 1
    assert TRANSITIONS[Phase.PUBLISHED] == frozenset({Phase.ARCHIVED})


def test_archived_is_terminal():
    assert TRANSITIONS[Phase.ARCHIVED] == frozenset()
    for target in Phase:
        with pytest.raises(TransitionError):
            check_transition(Phase.ARCHIVED, target)


def test_staying_in_the_same_phase_is_not_a_transition():
    for phase in Phase:
        assert not can_move(phase, phase)


def test_check_transition_names_the_refused_move():
    with pytest.raises(TransitionError, match="open -> published"):
        check_transition(Phase.OPEN, Phase.PUBLISHED)
    check_transition(Phase.OPEN, Phase.SCREENING)  # allowed: no exception


def test_is_at_least_follows_the_pipeline_order():
    assert is_at_least(Phase.JUDGING, Phase.OPEN)
    assert is_at_least(Phase.JUDGING, Phase.JUDGING)
    assert not is_at_least(Phase.OPEN, Phase.JUDGING)


def test_only_an_open_edition_accepts_submissions_and_only_judging_allows_scoring():
    assert [p for p in Phase if accepts_submissions(p)] == [Phase.OPEN]
    assert [p for p in Phase if scoring_open(p)] == [Phase.JUDGING]


def test_drafts_and_internal_phases_are_not_public():
    assert {p for p in Phase if is_public(p)} == {Phase.OPEN, Phase.PUBLISHED, Phase.ARCHIVED}
