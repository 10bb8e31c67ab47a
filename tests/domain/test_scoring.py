"""Scoring domain: entries checked against their criterion's scale, what stops a submission,
the exact weighted total (N/A never counts as 0), the one display rounding rule and the
per-juror order of dossiers. No app, no database."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trophies.domain.scoring import (
    GENERAL,
    MAX_COMMENT,
    MAX_GENERAL_COMMENT,
    Entry,
    Problem,
    Scale,
    check_value,
    display_score,
    juror_order,
    parse_entry,
    sheet_total,
    submission_problems,
)

FIVE = Scale(1, weight=2, minimum=0, maximum=5)                        # radio buttons
ODD = Scale(2, weight=1, minimum=1, maximum=9, step=2, allows_na=True)  # 1 3 5 7 9, N/A ok
HUNDRED = Scale(3, weight=3, minimum=0, maximum=100)                    # a number field
FIVES = Scale(4, weight=1, minimum=0, maximum=20, step=5)               # 0 5 10 15 20

# --- the scale ------------------------------------------------------------------------------


def test_a_scale_lists_its_values_and_switches_to_a_number_field_past_eleven():
    assert list(ODD.values) == [1, 3, 5, 7, 9]
    assert list(FIVES.values) == [0, 5, 10, 15, 20]
    assert not Scale(9, 1, 0, 10).is_long                   # 11 values: radio buttons
    assert Scale(9, 1, 0, 11).is_long                       # 12 values: a number field
    assert not Scale(9, 1, 0, 100, step=10).is_long
    assert HUNDRED.is_long


# --- parse_entry / check_value --------------------------------------------------------------


@pytest.mark.parametrize("raw, value", [("3", 3), (" 3 ", 3), ("0", 0), ("5", 5)])
def test_a_radio_value_on_the_scale_is_an_entry(raw, value):
    assert parse_entry(FIVE, raw) == Entry(value, False, "")


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_nothing_entered_is_a_blank_entry_not_a_problem(raw):
    entry = parse_entry(FIVE, raw, comment="  À revoir.  ")
    assert entry == Entry(None, False, "À revoir.")
    assert entry.is_blank


@pytest.mark.parametrize("raw", ["57", "0", "100"])
def test_a_number_field_takes_any_integer_on_its_scale(raw):
    assert parse_entry(HUNDRED, raw) == Entry(int(raw))


@pytest.mark.parametrize("scale, raw", [(FIVE, "6"), (FIVE, "-1"), (HUNDRED, "101"),
                                        (ODD, "0"), (ODD, "11"), (FIVES, "25")])
def test_a_value_outside_the_scale_is_refused(scale, raw):
    assert parse_entry(scale, raw) is Problem.OUT_OF_SCALE
    assert check_value(scale, int(raw)) is Problem.OUT_OF_SCALE


@pytest.mark.parametrize("scale, raw", [(ODD, "2"), (ODD, "8"), (FIVES, "7"), (FIVES, "19")])
def test_a_value_between_two_steps_is_refused(scale, raw):
    assert parse_entry(scale, raw) is Problem.OFF_STEP
    assert check_value(scale, int(raw)) is Problem.OFF_STEP


def test_steps_count_from_the_minimum_not_from_zero():
    assert [v for v in range(-2, 12) if check_value(ODD, v) is None] == [1, 3, 5, 7, 9]
    shifted = Scale(5, 1, minimum=2, maximum=10, step=4)     # 2 6 10
    assert [v for v in range(0, 12) if check_value(shifted, v) is None] == [2, 6, 10]


@pytest.mark.parametrize("raw", ["abc", "3.5", "3,5", "1e2", "trois", "--1", "0x10"])
def test_text_that_is_not_an_integer_is_refused(raw):
    assert parse_entry(HUNDRED, raw) is Problem.NOT_A_NUMBER


@pytest.mark.parametrize("raw", ["na", "NA", " Na "])
def test_na_is_an_entry_only_where_the_criterion_allows_it(raw):
    assert parse_entry(ODD, raw) == Entry(None, True, "")
    assert parse_entry(FIVE, raw) is Problem.NA_NOT_ALLOWED


def test_the_na_box_of_a_number_field_wins_over_a_value_only_where_allowed():
    assert parse_entry(ODD, "5", na=True) == Entry(None, True, "")
    assert parse_entry(FIVE, "3", na=True) is Problem.NA_NOT_ALLOWED
    assert parse_entry(FIVE, "", na=True) is Problem.NA_NOT_ALLOWED
    assert parse_entry(FIVE, "3", na=False) == Entry(3)


def test_an_na_entry_is_not_blank_and_has_no_value():
    entry = parse_entry(ODD, "na")
    assert not entry.is_blank and entry.value is None and entry.is_na


def test_a_comment_longer_than_the_limit_is_refused_even_with_a_good_value():
    assert parse_entry(FIVE, "3", comment="x" * (MAX_COMMENT + 1)) is Problem.COMMENT_TOO_LONG
    assert parse_entry(FIVE, "", comment="x" * (MAX_COMMENT + 1)) is Problem.COMMENT_TOO_LONG
    assert parse_entry(FIVE, "3", comment="x" * MAX_COMMENT) == Entry(3, False, "x" * MAX_COMMENT)


def test_a_comment_is_counted_after_normalising_line_ends_and_trimming():
    # 2,500 lines sent with CRLF by the browser: 5,000 characters once normalised.
    comment = "\r\n".join(["x"] * 2500) + "\r\n"
    entry = parse_entry(FIVE, "4", comment=comment)
    assert isinstance(entry, Entry)
    assert entry.comment == "\n".join(["x"] * 2500)
    assert "\r" not in entry.comment


# --- submission_problems --------------------------------------------------------------------

SCALES = [FIVE, ODD, HUNDRED]
COMPLETE = {1: Entry(3), 2: Entry(None, True), 3: Entry(80)}


def test_a_complete_sheet_has_no_problem():
    assert submission_problems(SCALES, COMPLETE, general_comment="",
                               comment_required=False) == {}


def test_every_criterion_without_a_mark_is_missing():
    entries = {1: Entry(3), 2: Entry(None, False, "Un commentaire seul ne suffit pas.")}
    assert submission_problems(SCALES, entries, general_comment="",
                               comment_required=False) == {2: Problem.MISSING,
                                                           3: Problem.MISSING}
    assert submission_problems(SCALES, {}, general_comment="", comment_required=False) == {
        1: Problem.MISSING, 2: Problem.MISSING, 3: Problem.MISSING}


def test_na_on_a_criterion_that_does_not_allow_it_stops_submission():
    entries = {**COMPLETE, 1: Entry(None, True)}
    assert submission_problems(SCALES, entries, general_comment="",
                               comment_required=False) == {1: Problem.NA_NOT_ALLOWED}


def test_a_stored_value_off_the_scale_stops_submission():
    entries = {**COMPLETE, 1: Entry(6), 3: Entry(None, False), 2: Entry(4)}
    assert submission_problems(SCALES, entries, general_comment="",
                               comment_required=False) == {1: Problem.OUT_OF_SCALE,
                                                           2: Problem.OFF_STEP,
                                                           3: Problem.MISSING}


def test_entries_for_other_criteria_are_ignored():
    entries = {**COMPLETE, 99: Entry(None, True)}
    assert submission_problems(SCALES, entries, general_comment="",
                               comment_required=False) == {}


@pytest.mark.parametrize("comment", ["", "   ", "\n\t"])
def test_the_general_comment_is_needed_only_when_the_edition_requires_it(comment):
    assert submission_problems(SCALES, COMPLETE, general_comment=comment,
                               comment_required=True) == {GENERAL: Problem.GENERAL_COMMENT_MISSING}
    assert submission_problems(SCALES, COMPLETE, general_comment=comment,
                               comment_required=False) == {}
    assert submission_problems(SCALES, COMPLETE, general_comment="Solide.",
                               comment_required=True) == {}


@pytest.mark.parametrize("required", [True, False])
def test_a_general_comment_over_the_limit_stops_submission(required):
    too_long = "x" * (MAX_GENERAL_COMMENT + 1)
    assert submission_problems(SCALES, COMPLETE, general_comment=too_long,
                               comment_required=required) == {
        GENERAL: Problem.GENERAL_COMMENT_TOO_LONG}
    assert submission_problems(SCALES, COMPLETE, general_comment="x" * MAX_GENERAL_COMMENT,
                               comment_required=required) == {}


def test_criterion_ids_never_collide_with_the_general_comment_key():
    problems = submission_problems(SCALES, {}, general_comment="", comment_required=True)
    assert GENERAL not in {s.criterion_id for s in SCALES}
    assert set(problems) == {GENERAL, 1, 2, 3}


# --- sheet_total ----------------------------------------------------------------------------


def test_the_total_is_the_weighted_mean_of_the_rescaled_marks():
    scales = [FIVE, Scale(2, weight=1, minimum=1, maximum=10),
              Scale(4, weight=3, minimum=0, maximum=20, step=5)]
    entries = {1: Entry(3), 2: Entry(7), 4: Entry(15)}
    # 3/5 -> 60 (weight 2); (7-1)/9 -> 200/3 (weight 1); 15/20 -> 75 (weight 3)
    # (2*60 + 200/3 + 3*75) / 6 = (1035/3 + 200/3) / 6 = 1235/18
    assert sheet_total(scales, entries) == Fraction(1235, 18)


def test_a_scale_that_does_not_start_at_zero_is_rescaled_from_its_minimum():
    shifted = Scale(7, weight=1, minimum=2, maximum=10, step=2)      # 2 4 6 8 10
    assert sheet_total([shifted], {7: Entry(2)}) == 0
    assert sheet_total([shifted], {7: Entry(6)}) == 50
    assert sheet_total([shifted], {7: Entry(10)}) == 100
    negative = Scale(8, weight=1, minimum=-2, maximum=2)
    assert sheet_total([negative], {8: Entry(-1)}) == 25


def test_weights_decide_how_much_each_criterion_counts():
    light, heavy = Scale(1, 1, 0, 10), Scale(2, 9, 0, 10)
    assert sheet_total([light, heavy], {1: Entry(10), 2: Entry(0)}) == 10
    assert sheet_total([light, heavy], {1: Entry(0), 2: Entry(10)}) == 90


def test_na_is_left_out_never_counted_as_zero():
    entries = {1: Entry(3), 3: Entry(80)}
    # (2*60 + 3*80) / 5 = 72
    assert sheet_total([FIVE, HUNDRED], entries) == 72
    with_na = {**entries, 2: Entry(None, True)}
    assert sheet_total([FIVE, ODD, HUNDRED], with_na) == 72
    # Were N/A a zero, the total would be (120 + 0 + 240) / 6 = 60.
    assert sheet_total([FIVE, ODD, HUNDRED], with_na) != 60


def test_blank_and_unknown_entries_are_left_out_and_no_value_gives_no_total():
    assert sheet_total([FIVE, ODD], {1: Entry(5), 2: Entry()}) == 100
    assert sheet_total([FIVE], {1: Entry(5), 99: Entry(0)}) == 100
    assert sheet_total([FIVE, ODD], {}) is None
    assert sheet_total([FIVE, ODD], {2: Entry(None, True), 1: Entry(None, False, "?")}) is None
    assert sheet_total([], {}) is None


def test_equal_totals_compare_equal_exactly():
    thirds = sheet_total([Scale(1, 1, 0, 3)], {1: Entry(1)})
    sixths = sheet_total([Scale(1, 1, 0, 6)], {1: Entry(2)})
    assert thirds == sixths == Fraction(100, 3)
    assert isinstance(thirds, Fraction)


# --- display_score --------------------------------------------------------------------------


@pytest.mark.parametrize("value, shown", [
    (Fraction(6225, 100), "62.3"),        # half: away from zero (not to even: 62.2)
    (Fraction(6235, 100), "62.4"),        # half: away from zero (the float 62.35 is below)
    (Fraction(6224, 100), "62.2"),
    (Fraction(1235, 18), "68.6"),
    (Fraction(100), "100.0"),
    (Fraction(0), "0.0"),
    (Fraction(-6225, 100), "-62.3"),      # away from zero on both sides
])
def test_display_rounds_halves_away_from_zero_to_one_decimal(value, shown):
    assert display_score(value) == Decimal(shown)
    assert str(display_score(value)) == shown


def test_display_takes_other_numbers_of_places_and_none():
    assert str(display_score(Fraction(1, 8), 2)) == "0.13"
    assert str(display_score(Fraction(5, 2), 0)) == "3"
    assert display_score(None) is None


def test_display_rounds_the_exact_value_not_a_decimal_approximation_of_it():
    # Just below a half: an exact rule gives 62.2; a 28-digit division rounds it up to
    # 62.25000... first and then shows 62.3.
    below_half = Fraction(6225, 100) - Fraction(1, 10**30)
    assert display_score(below_half) == Decimal("62.2")
    above_half = Fraction(6225, 100) + Fraction(1, 10**30)
    assert display_score(above_half) == Decimal("62.3")


def _reference_display(value: Fraction) -> Fraction:
    """Halves away from zero to one decimal, in exact arithmetic."""
    scaled = abs(value) * 10
    whole = int(scaled) + (1 if scaled - int(scaled) >= Fraction(1, 2) else 0)
    return Fraction(whole if value >= 0 else -whole, 10)


@given(st.fractions(min_value=-1000, max_value=1000, max_denominator=10**6))
def test_display_agrees_with_the_exact_rule(value):
    assert Fraction(display_score(value)) == _reference_display(value)


# --- juror_order ----------------------------------------------------------------------------

TWENTY = list(range(101, 121))


def test_the_order_is_a_permutation_of_the_dossiers():
    order = juror_order(7, 1, TWENTY)
    assert sorted(order) == TWENTY and len(order) == len(TWENTY)
    assert juror_order(7, 1, []) == []


def test_the_order_is_the_same_on_every_visit_and_whatever_the_input_order():
    first = juror_order(7, 1, TWENTY)
    assert juror_order(7, 1, TWENTY) == first
    assert juror_order(7, 1, list(reversed(TWENTY))) == first
    assert juror_order(7, 1, TWENTY[7:] + TWENTY[:7]) == first
    assert juror_order(7, 1, tuple(TWENTY)) == first
    assert juror_order(7, 1, iter(TWENTY)) == first


def test_the_order_is_shuffled_and_differs_between_jurors_and_rounds():
    orders = {juror: juror_order(juror, 1, TWENTY) for juror in (7, 8, 9)}
    assert orders[7] != TWENTY and orders[7] != sorted(TWENTY, reverse=True)
    assert len({tuple(o) for o in orders.values()}) == 3
    assert juror_order(7, 2, TWENTY) != orders[7]


def test_the_relative_order_of_two_dossiers_does_not_depend_on_the_others():
    # A dossier added or withdrawn does not reshuffle the rest of the juror's list.
    full = juror_order(7, 1, TWENTY)
    fewer = juror_order(7, 1, TWENTY[:-5])
    assert [d for d in full if d in set(fewer)] == fewer


# --- properties -----------------------------------------------------------------------------


@st.composite
def scales_and_entries(draw, *, min_size=1, max_size=8):
    """Criteria with distinct ids, random scales and weights, and an entry for each: a value
    on the scale, N/A where allowed, or nothing."""
    count = draw(st.integers(min_size, max_size))
    scales, entries = [], {}
    for criterion_id in range(1, count + 1):
        minimum = draw(st.integers(-10, 10))
        step = draw(st.integers(1, 5))
        scale = Scale(criterion_id, weight=draw(st.integers(1, 20)), minimum=minimum,
                      maximum=minimum + step * draw(st.integers(1, 25)), step=step,
                      allows_na=draw(st.booleans()))
        scales.append(scale)
        kinds = ["value", "blank"] + (["na"] if scale.allows_na else [])
        kind = draw(st.sampled_from(kinds))
        if kind == "value":
            entries[criterion_id] = Entry(draw(st.sampled_from(list(scale.values))))
        elif kind == "na":
            entries[criterion_id] = Entry(None, True)
    return scales, entries


@settings(max_examples=200)
@given(scales_and_entries())
def test_the_total_stays_between_0_and_100_and_exists_iff_a_value_does(case):
    scales, entries = case
    total = sheet_total(scales, entries)
    if any(e.value is not None for e in entries.values()):
        assert total is not None and 0 <= total <= 100
    else:
        assert total is None


@settings(max_examples=200)
@given(scales_and_entries(), st.randoms(use_true_random=False))
def test_permuting_the_criteria_changes_nothing(case, rnd):
    scales, entries = case
    shuffled = list(scales)
    rnd.shuffle(shuffled)
    assert sheet_total(shuffled, entries) == sheet_total(scales, entries)
    assert sheet_total(scales, dict(reversed(list(entries.items())))) == sheet_total(
        scales, entries)


@settings(max_examples=200)
@given(scales_and_entries(), st.integers(2, 50))
def test_scaling_every_weight_by_a_constant_changes_nothing(case, factor):
    scales, entries = case
    scaled = [Scale(s.criterion_id, s.weight * factor, s.minimum, s.maximum, s.step,
                    s.allows_na) for s in scales]
    assert sheet_total(scaled, entries) == sheet_total(scales, entries)


@settings(max_examples=200)
@given(scales_and_entries(min_size=1, max_size=1), st.data())
def test_with_one_criterion_the_total_is_the_rescaled_mark(case, data):
    (scale,), _entries = case
    value = data.draw(st.sampled_from(list(scale.values)))
    assert sheet_total([scale], {scale.criterion_id: Entry(value)}) == Fraction(
        100 * (value - scale.minimum), scale.maximum - scale.minimum)


@settings(max_examples=200)
@given(scales_and_entries(), st.integers(1, 100))
def test_adding_an_na_criterion_of_any_weight_changes_nothing(case, weight):
    scales, entries = case
    extra = Scale(len(scales) + 1, weight, 0, 5, allows_na=True)
    assert sheet_total([*scales, extra], {**entries, extra.criterion_id: Entry(None, True)}) \
        == sheet_total(scales, entries)


@settings(max_examples=200)
@given(scales_and_entries(min_size=1, max_size=1), st.integers(-40, 160))
def test_parsing_accepts_exactly_the_values_of_the_scale(case, value):
    (scale,), _entries = case
    parsed = parse_entry(scale, str(value))
    if value in scale.values:
        assert parsed == Entry(value) and check_value(scale, value) is None
    else:
        assert parsed in (Problem.OUT_OF_SCALE, Problem.OFF_STEP)
        assert check_value(scale, value) is parsed


@settings(max_examples=200)
@given(scales_and_entries())
def test_a_sheet_with_every_criterion_filled_can_be_submitted(case):
    scales, entries = case
    filled = {}
    for scale in scales:
        entry = entries.get(scale.criterion_id, Entry())
        filled[scale.criterion_id] = Entry(scale.maximum) if entry.is_blank else entry
    assert submission_problems(scales, filled, general_comment="",
                               comment_required=False) == {}
