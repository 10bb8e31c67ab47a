"""Results domain (design.md section 5): exact scores (mean, median, N/A never 0, criterion
averages, disagreement), the official ranking, the juror-severity correction (offsets, held
jurors, components, ridge), the empirical-Bayes rank intervals, the jurors' statistics and the
reliability figures. Hand-computed cases and properties. No app, no database."""

from __future__ import annotations

import itertools
import math
import statistics
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trophies.domain.ranking import TieBreak, TieRule
from trophies.domain.results import (
    DossierInput,
    Policy,
    SheetInput,
    close_calls,
    compute,
    rank_intervals,
    reliability,
)
from trophies.domain.scoring import Entry, Scale, sheet_total

SETTINGS = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

#: One criterion on 0-100 by 1: a sheet's total is its mark, so totals can be written directly.
MARK = Scale(1, weight=1, minimum=0, maximum=100)
FIVE = Scale(1, weight=2, minimum=0, maximum=5)                          # 0 20 40 60 80 100
ODD = Scale(2, weight=1, minimum=1, maximum=9, step=2, allows_na=True)   # 1 3 5 7 9, N/A ok
FOUR = Scale(3, weight=3, minimum=0, maximum=3, allows_na=True)          # thirds of 100


def make_round(table, *, categories=None, extra_dossiers=()):
    """{dossier: [(juror, mark), ...]} on MARK -> (dossiers, sheets)."""
    categories = categories or {}
    dossiers = [DossierInput(d, categories.get(d, 1)) for d in [*table, *extra_dossiers]]
    sheets, sid = [], 0
    for d, marks in table.items():
        for juror, mark in marks:
            sid += 1
            sheets.append(SheetInput(sid, d, juror, {1: mark}))
    return dossiers, sheets


def run(table, policy=None, **kwargs):
    dossiers, sheets = make_round(table, **{k: v for k, v in kwargs.items()
                                            if k in ("categories", "extra_dossiers")})
    return compute(dossiers, sheets, [MARK], policy or Policy())


def cyclic(n_dossiers, n_jurors, k=3):
    """Dossier d is scored by jurors d, d+1, ..., d+k-1 (mod n_jurors): connected, balanced."""
    return {d: [(1 + (d + i) % n_jurors) for i in range(k)] for d in range(1, n_dossiers + 1)}


def entries(marks):
    return {cid: Entry(value, value is None) for cid, value in marks.items()}


# --- exact scores ----------------------------------------------------------------------------


def test_a_dossier_has_its_sheets_totals_mean_median_and_spread_exactly():
    result = run({7: [(1, 40), (2, 90), (3, 50)]})
    d = result.by_dossier[7]
    assert d.totals == (40, 50, 90)
    assert d.mean == Fraction(180, 3) and d.score == d.mean
    assert d.median == 50
    assert d.spread == 50 and d.disagreement
    assert d.sd == pytest.approx(statistics.stdev([40, 50, 90]))
    assert d.sheets == 3 and d.rank == 1


def test_the_median_of_an_even_count_is_the_mean_of_the_two_middle_totals():
    policy = Policy(aggregation="median")
    d = run({1: [(1, 10), (2, 35), (3, 40), (4, 100)]}, policy).by_dossier[1]
    assert d.median == Fraction(75, 2) and d.score == d.median
    assert d.mean == Fraction(185, 4)


def test_the_policy_chooses_mean_or_median_for_the_official_score_and_ranking():
    table = {1: [(1, 10), (2, 60), (3, 62)], 2: [(1, 50), (2, 55), (3, 58)]}
    by_mean = run(table).by_dossier
    by_median = run(table, Policy(aggregation="median")).by_dossier
    assert (by_mean[1].rank, by_mean[2].rank) == (2, 1)           # 44 < 54.33
    assert (by_median[1].rank, by_median[2].rank) == (1, 2)       # 60 > 55


def test_disagreement_starts_when_the_spread_reaches_the_threshold():
    result = run({1: [(1, 50), (2, 75)], 2: [(1, 50), (2, 74)], 3: [(1, 60)]})
    assert result.by_dossier[1].disagreement and result.by_dossier[1].spread == 25
    assert not result.by_dossier[2].disagreement
    assert not result.by_dossier[3].disagreement and result.by_dossier[3].spread == 0
    assert result.by_dossier[3].sd is None
    assert run({1: [(1, 50), (2, 75)]}, Policy(disagreement=26)).by_dossier[1].disagreement \
        is False


def test_the_sheet_total_is_the_scoring_modules_total_exactly():
    scales = [FIVE, ODD, FOUR]
    marks = [{1: 3, 2: 7, 3: 1}, {1: 5, 2: None, 3: 2}, {1: 0, 3: None}, {1: 4, 2: 9, 3: 0}]
    sheets = [SheetInput(i + 1, 1, i + 1, m) for i, m in enumerate(marks)]
    d = compute([DossierInput(1, 1)], sheets, scales, Policy()).by_dossier[1]
    assert d.totals == tuple(sorted(sheet_total(scales, entries(m)) for m in marks))
    # by hand: (2*60 + 1*75 + 3*100/3) / 6 for the first sheet
    assert Fraction(2 * 60 + 75 + 100, 6) in d.totals


def test_na_is_left_out_of_the_total_and_of_the_criterion_average_never_counted_as_zero():
    scales = [FIVE, ODD, FOUR]
    sheets = [SheetInput(1, 1, 1, {1: 5, 2: None, 3: 3}),     # N/A on ODD
              SheetInput(2, 1, 2, {1: 0, 2: 9, 3: 0}),
              SheetInput(3, 2, 1, {1: 5, 2: 1, 3: 3})]        # the same, ODD at its minimum
    result = compute([DossierInput(1, 1), DossierInput(2, 1)], sheets, scales, Policy())
    one, two = result.by_dossier[1], result.by_dossier[2]
    assert Fraction(2 * 100 + 3 * 100, 5) in one.totals       # 100, not (200 + 0 + 300) / 6
    assert two.totals == (Fraction(500, 6),)
    assert one.criteria == {1: 50, 2: 100, 3: 50}             # ODD: only sheet 2 marked it
    assert two.criteria == {1: 100, 2: 0, 3: 100}


def test_a_criterion_every_sheet_marked_na_has_no_average_and_a_sheet_of_only_na_no_total():
    scales = [FIVE, ODD]
    sheets = [SheetInput(1, 1, 1, {1: 5, 2: None}), SheetInput(2, 1, 2, {1: 0}),
              SheetInput(3, 2, 3, {2: None})]
    result = compute([DossierInput(1, 1), DossierInput(2, 1)], sheets, scales, Policy())
    assert result.by_dossier[1].criteria == {1: 50}
    assert result.by_dossier[2].sheets == 0 and result.by_dossier[2].score is None
    assert result.sheets == 2 and [j.juror_id for j in result.jurors] == [1, 2]


def test_criterion_averages_are_exact_fractions_of_rescaled_marks():
    sheets = [SheetInput(1, 1, 1, {3: 1}), SheetInput(2, 1, 2, {3: 1}),
              SheetInput(3, 1, 3, {3: 2})]
    d = compute([DossierInput(1, 1)], sheets, [FOUR], Policy()).by_dossier[1]
    assert d.criteria == {3: Fraction(400, 9)}                # (100/3 + 100/3 + 200/3) / 3


def test_equal_means_of_thirds_are_exact_ties():
    # 100/3 three times and 0, 0, 100: both means are exactly 100/3 (floats would need luck).
    sheets = [SheetInput(i, 1, i, {3: 1}) for i in (1, 2, 3)]
    sheets += [SheetInput(4, 2, 1, {3: 0}), SheetInput(5, 2, 2, {3: 0}),
               SheetInput(6, 2, 3, {3: 3})]
    result = compute([DossierInput(1, 1), DossierInput(2, 1)], sheets, [FOUR], Policy())
    one, two = result.by_dossier[1], result.by_dossier[2]
    assert one.score == two.score == Fraction(100, 3)
    assert (one.rank, one.tied, two.rank, two.tied) == (1, True, 1, True)


def test_a_tie_is_broken_only_by_the_declared_rules():
    sheets = [SheetInput(1, 1, 1, {1: 5, 3: 0}), SheetInput(2, 1, 2, {1: 0, 3: 3}),
              SheetInput(3, 2, 1, {1: 0, 3: 3}), SheetInput(4, 2, 2, {1: 5, 3: 0}),
              SheetInput(5, 3, 1, {1: 5, 3: 3}), SheetInput(6, 3, 2, {1: 0, 3: 0})]
    dossiers = [DossierInput(d, 1) for d in (1, 2, 3)]
    plain = compute(dossiers, sheets, [FIVE, FOUR], Policy())
    assert {plain.by_dossier[d].score for d in (1, 2, 3)} == {Fraction(250, 5)}
    assert all(plain.by_dossier[d].tied and plain.by_dossier[d].rank == 1 for d in (1, 2, 3))
    # the same averages on FOUR for 1 and 2; 3 is higher on it
    rule = TieBreak(TieRule.CRITERION, 3)
    broken = compute(dossiers, sheets, [FIVE, FOUR], Policy(tie_break=(rule,))).by_dossier
    assert broken[3].criteria[3] == 50 == broken[1].criteria[3]
    assert [(broken[d].rank, broken[d].tied) for d in (1, 2, 3)] == [(1, True)] * 3
    five = TieBreak(TieRule.CRITERION, 1)
    same_on_five = compute(dossiers, sheets, [FIVE, FOUR], Policy(tie_break=(five,))).by_dossier
    assert all(same_on_five[d].tied for d in (1, 2, 3))


def test_the_categories_are_ranked_separately_and_a_dossier_without_sheets_comes_last():
    result = run({1: [(1, 50)], 2: [(1, 80)], 3: [(1, 60)]}, categories={1: 5, 2: 5, 3: 9},
                 extra_dossiers=(4,))
    assert [c.category_id for c in result.categories] == [1, 5, 9]
    five = result.categories[1]
    assert [(d.dossier_id, d.rank) for d in five.dossiers] == [(2, 1), (1, 2)]
    empty = result.by_dossier[4]
    assert (empty.category_id, empty.sheets, empty.score, empty.rank, empty.interval,
            empty.p_first, empty.corrected, empty.component) == (1, 0, None, None, None, None,
                                                                 None, -1)
    assert result.categories[0].dossiers == (empty,)
    assert result.categories[0].top_set == () and result.categories[0].p_first_top is None


def test_bad_input_is_refused():
    dossiers, sheets = make_round({1: [(1, 50)]})
    with pytest.raises(ValueError):
        compute(dossiers + dossiers, sheets, [MARK], Policy())
    with pytest.raises(ValueError):
        compute(dossiers, sheets + sheets, [MARK], Policy())
    with pytest.raises(ValueError, match="not in the round"):
        compute([], sheets, [MARK], Policy())
    with pytest.raises(ValueError):
        compute(dossiers, sheets, [MARK, MARK], Policy())
    with pytest.raises(ValueError):
        compute(dossiers, sheets, [Scale(1, 1, 5, 5)], Policy())
    for bad in (Policy(aggregation="mode"), Policy(ridge=-1), Policy(level=1),
                Policy(resamples=-1), Policy(ridge=math.inf)):
        with pytest.raises(ValueError):
            compute(dossiers, sheets, [MARK], bad)


def test_an_empty_round_computes_to_nothing():
    result = compute([], [], [MARK], Policy())
    assert (result.categories, result.jurors, result.components, result.sheets,
            result.residual_sd, result.icc_single) == ((), (), 0, 0, None, None)


# --- properties of the exact part ------------------------------------------------------------

SCALE_SHAPES = st.tuples(st.integers(0, 5), st.integers(-3, 3), st.integers(1, 12),
                         st.integers(1, 3), st.booleans())


@st.composite
def scales_and_marks(draw, max_sheets=8):
    shapes = draw(st.lists(SCALE_SHAPES, min_size=1, max_size=4))
    scales = [Scale(10 + i, weight, low, low + span * step, step, na)
              for i, (weight, low, span, step, na) in enumerate(shapes)]
    sheets = []
    for _ in range(draw(st.integers(1, max_sheets))):
        marks = {}
        for s in scales:
            choice = draw(st.one_of(st.sampled_from(list(s.values)),
                                    st.sampled_from([None, "missing"]) if s.allows_na
                                    else st.nothing()))
            if choice != "missing":
                marks[s.criterion_id] = choice
        sheets.append(marks)
    return scales, sheets


@SETTINGS
@given(scales_and_marks())
def test_totals_and_criterion_averages_equal_the_reference_exactly(case):
    scales, marks = case
    sheets = [SheetInput(i + 1, 1 + i % 2, 1 + i % 3, m) for i, m in enumerate(marks)]
    result = compute([DossierInput(1, 1), DossierInput(2, 1)], sheets, scales, Policy())
    span = {s.criterion_id: s for s in scales}
    for d in (1, 2):
        mine = [m for i, m in enumerate(marks) if 1 + i % 2 == d]
        expected = [t for m in mine if (t := sheet_total(scales, entries(m))) is not None]
        got = result.by_dossier[d]
        assert got.totals == tuple(sorted(expected))
        assert got.sheets == len(expected)
        if expected:
            assert got.mean == sum(expected, Fraction(0)) / len(expected)
            assert got.median == statistics.median(expected)
            assert got.spread == max(expected) - min(expected)
        counted = [m for m in mine if sheet_total(scales, entries(m)) is not None]
        reference = {}
        for cid, s in span.items():
            values = [Fraction(100 * (m[cid] - s.minimum), s.maximum - s.minimum)
                      for m in counted if m.get(cid) is not None]
            if values:
                reference[cid] = sum(values, Fraction(0)) / len(values)
        assert got.criteria == reference


@SETTINGS
@given(scales_and_marks(max_sheets=1), st.data())
def test_marking_na_instead_of_the_minimum_leaves_the_criterion_out(case, data):
    scales, (marks,) = case
    with_na = [s for s in scales if s.allows_na and s.weight]
    if not with_na:
        return
    scale = data.draw(st.sampled_from(with_na))
    others = {c: v for c, v in marks.items() if c != scale.criterion_id}
    na = compute([DossierInput(1, 1)], [SheetInput(1, 1, 1, {**others, scale.criterion_id: None})],
                 scales, Policy()).by_dossier[1]
    low = compute([DossierInput(1, 1)],
                  [SheetInput(1, 1, 1, {**others, scale.criterion_id: scale.minimum})],
                  scales, Policy()).by_dossier[1]
    weights = sum(s.weight for s in scales if others.get(s.criterion_id) is not None)
    if weights == 0:
        assert na.score is None and low.score == 0
        return
    # N/A: the mean over the others; the minimum: a 0 of weight w added to that mean.
    assert low.score == na.score * weights / (weights + scale.weight)
    assert scale.criterion_id not in na.criteria and low.criteria[scale.criterion_id] == 0


@SETTINGS
@given(scales_and_marks(max_sheets=5), st.randoms(use_true_random=False))
def test_two_dossiers_with_the_same_sheets_in_another_order_tie_exactly(case, random):
    scales, marks = case
    shuffled = list(marks)
    random.shuffle(shuffled)
    sheets = [SheetInput(i + 1, 1, i + 1, m) for i, m in enumerate(marks)]
    sheets += [SheetInput(100 + i, 2, 50 + i, m) for i, m in enumerate(shuffled)]
    result = compute([DossierInput(1, 1), DossierInput(2, 1)], sheets, scales, Policy())
    one, two = result.by_dossier[1], result.by_dossier[2]
    assert (one.totals, one.score, one.median, one.criteria) == (
        two.totals, two.score, two.median, two.criteria)
    if one.score is not None:
        assert one.tied and two.tied and one.rank == two.rank == 1


def test_pathological_scales_fall_back_to_python_integers_exactly():
    # ranges that are large primes: their lcm is far above 2**53
    scales = [Scale(1, 3, 0, 999_983), Scale(2, 5, 0, 999_979), Scale(3, 7, -5, 999_956)]
    marks = [{1: 123_457, 2: 999_979, 3: -5}, {1: 1, 2: 2, 3: 3}, {1: 999_983, 2: 0, 3: 77}]
    sheets = [SheetInput(i + 1, 1, i + 1, m) for i, m in enumerate(marks)]
    d = compute([DossierInput(1, 1)], sheets, scales, Policy()).by_dossier[1]
    expected = sorted(sheet_total(scales, entries(m)) for m in marks)
    assert d.totals == tuple(expected) and d.mean == sum(expected) / 3


def test_marks_beyond_2_to_the_53_are_still_exact():
    huge = Scale(1, 1, 0, 2**60)
    marks = [{1: 2**55 + 1}, {1: 2**55}, {1: 2**60 - 1}]
    sheets = [SheetInput(i + 1, 1, i + 1, m) for i, m in enumerate(marks)]
    d = compute([DossierInput(1, 1)], sheets, [huge], Policy()).by_dossier[1]
    assert d.totals == tuple(sorted(sheet_total([huge], entries(m)) for m in marks))
    assert d.totals[0] != d.totals[1]            # equal as floats, not as Fractions


def test_a_mark_that_is_not_an_integer_is_refused():
    sheets = [SheetInput(1, 1, 1, {1: 2.5})]
    with pytest.raises(TypeError):
        compute([DossierInput(1, 1)], sheets, [MARK], Policy())


@st.composite
def rounds(draw):
    """A small round on three scales (N/A allowed), several categories, 0-4 sheets each."""
    n_dossiers = draw(st.integers(1, 9))
    n_jurors = draw(st.integers(1, 6))
    dossiers = [DossierInput(100 + d, draw(st.sampled_from([1, 2, 3]))) for d in range(n_dossiers)]
    sheets = []
    for d in dossiers:
        jurors = draw(st.lists(st.integers(1, n_jurors), max_size=4, unique=True))
        for j in jurors:
            marks = {1: draw(st.sampled_from(list(FIVE.values))),
                     2: draw(st.sampled_from([None, *ODD.values])),
                     3: draw(st.sampled_from([None, *FOUR.values]))}
            sheets.append(SheetInput(draw(st.integers(1, 10**6)), d.dossier_id, j, marks))
    ids = [s.sheet_id for s in sheets]
    if len(set(ids)) != len(ids):
        sheets = [SheetInput(i + 1, s.dossier_id, s.juror_id, s.marks)
                  for i, s in enumerate(sheets)]
    rules = draw(st.lists(st.sampled_from([TieBreak(TieRule.CRITERION, 2),
                                           TieBreak(TieRule.MEDIAN), TieBreak(TieRule.MEAN)]),
                          max_size=2))
    policy = Policy(aggregation=draw(st.sampled_from(["mean", "median"])),
                    tie_break=tuple(rules), min_sheets=draw(st.integers(0, 3)),
                    ridge=draw(st.sampled_from([0.0, 1.0])), resamples=200,
                    seed=draw(st.integers(0, 3)))
    return dossiers, sheets, policy


@SETTINGS
@given(rounds(), st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_of_dossiers_sheets_or_scales(case, random):
    dossiers, sheets, policy = case
    scales = [FIVE, ODD, FOUR]
    first = compute(dossiers, sheets, scales, policy)
    random.shuffle(dossiers)
    random.shuffle(sheets)
    random.shuffle(scales)
    again = compute(dossiers, sheets, scales, policy)
    assert again == first
    assert again.by_dossier == first.by_dossier
    # the whole result, again the same for the same seed
    assert compute(dossiers, sheets, scales, policy) == first


@SETTINGS
@given(rounds())
def test_every_figure_is_within_its_range(case):
    dossiers, sheets, policy = case
    result = compute(dossiers, sheets, [FIVE, ODD, FOUR], policy)
    assert sorted(result.by_dossier) == sorted(d.dossier_id for d in dossiers)
    for category in result.categories:
        scored = [d for d in category.dossiers if d.score is not None]
        assert category.dossiers[:len(scored)] == tuple(scored)
        for d in scored:
            assert 0 <= d.score <= 100 and d.corrected is not None
            assert 1 <= d.rank <= len(scored) and 1 <= d.corrected_rank <= len(scored)
            if d.interval is not None:
                assert 1 <= d.interval[0] <= d.interval[1] <= len(scored)
                assert 0 <= d.p_first <= 1
        if scored and scored[0].p_first is not None:
            assert sum(d.p_first for d in scored) == pytest.approx(1)
            assert sum(d.p_first for d in scored if d.in_top_set) >= policy.level - 1e-9
            assert set(category.top_set) == {d.dossier_id for d in scored if d.in_top_set}
    for juror in result.jurors:
        assert juror.held == (juror.sheets < policy.min_sheets)
        assert juror.agreement is None or -1 <= juror.agreement <= 1
    for icc in (result.icc_single, result.icc_mean):
        assert icc is None or 0 <= icc <= 1


# --- the severity correction -----------------------------------------------------------------


def planted(qualities, offsets, design, noise=None):
    """Marks = quality + offset (+ noise) on MARK, for `design` {dossier: [jurors]}."""
    table = {}
    for d, jurors in design.items():
        table[d] = [(j, qualities[d] + offsets[j] + (noise or {}).get((d, j), 0))
                    for j in jurors]
    return table


def test_offsets_recover_planted_severities_on_a_noise_free_design():
    design = cyclic(12, 6)
    severity = {1: 6, 2: -4, 3: 0, 4: 3, 5: -7, 6: 2}               # sums to 0
    quality = {d: 20 + 5 * d for d in design}
    result = run(planted(quality, severity, design), Policy(ridge=0))
    assert {j.juror_id: j.offset for j in result.jurors} == pytest.approx(severity, abs=1e-9)
    assert {d: result.by_dossier[d].corrected for d in design} == pytest.approx(quality)
    assert result.residual_sd == pytest.approx(0, abs=1e-9)
    assert all(j.offset_se == pytest.approx(0, abs=1e-9) for j in result.jurors)
    # the raw means are off by the severities of their jurors; the corrected ranks are right
    raw = {d: float(result.by_dossier[d].mean) for d in design}
    assert raw != pytest.approx(quality)
    assert [result.by_dossier[d].corrected_rank for d in design] == list(range(12, 0, -1))


def test_the_ridge_shrinks_the_offsets_towards_zero():
    design = cyclic(12, 6)
    severity = {1: 6, 2: -4, 3: 0, 4: 3, 5: -7, 6: 2}
    quality = {d: 20 + 5 * d for d in design}
    exact = {j.juror_id: j.offset for j in run(planted(quality, severity, design),
                                               Policy(ridge=0)).jurors}
    shrunk = {j.juror_id: j.offset for j in run(planted(quality, severity, design)).jurors}
    assert sorted(exact, key=exact.get) == sorted(shrunk, key=shrunk.get)   # here
    assert sum(v * v for v in shrunk.values()) < sum(v * v for v in exact.values())
    assert abs(shrunk[5]) < abs(exact[5]) and abs(shrunk[1]) < abs(exact[1])
    assert sum(shrunk.values()) == pytest.approx(0, abs=1e-9)


@SETTINGS
@given(st.permutations(range(12)), st.integers(1, 6), st.integers(-15, 15),
       st.lists(st.integers(-2, 2), min_size=36, max_size=36))
def test_with_ridge_zero_a_juror_marking_c_points_higher_shifts_every_corrected_score_by_c_over_j(
        order, juror, c, noise):
    design = cyclic(12, 6)
    quality = {d: 30 + 3 * order[d - 1] for d in design}
    wobble = dict(zip([(d, j) for d in design for j in design[d]], noise, strict=True))
    base = planted(quality, dict.fromkeys(range(1, 7), 0), design, wobble)
    shifted = {d: [(j, m + (c if j == juror else 0)) for j, m in marks]
               for d, marks in base.items()}
    policy = Policy(ridge=0, resamples=300)
    before, after = run(base, policy), run(shifted, policy)
    for d in design:
        assert after.by_dossier[d].corrected - before.by_dossier[d].corrected == \
            pytest.approx(c / 6, abs=1e-9)
        assert after.by_dossier[d].corrected_rank == before.by_dossier[d].corrected_rank
        assert after.by_dossier[d].interval == before.by_dossier[d].interval
    offsets = {j.juror_id: j.offset for j in before.jurors}
    for j in after.jurors:
        expected = offsets[j.juror_id] + (c if j.juror_id == juror else 0) - c / 6
        assert j.offset == pytest.approx(expected, abs=1e-9)
    assert after.residual_sd == pytest.approx(before.residual_sd, abs=1e-9)


@SETTINGS
@given(st.permutations(range(12)), st.integers(1, 6), st.integers(-15, 15))
def test_a_juror_marking_higher_leaves_the_corrected_ranking_unchanged_with_the_ridge(
        order, juror, c):
    # Noise-free, qualities 5 points apart: the default ridge (1 pseudo-sheet) shrinks the
    # estimated severity of a juror with 6 sheets by 1/(4 + 1), i.e. at most 3 points, spread
    # over 3 sheets: well under the gaps.
    design = cyclic(12, 6)
    quality = {d: 35 + 5 * order[d - 1] for d in design}
    offsets = dict.fromkeys(range(1, 7), 0)
    offsets[juror] = c
    result = run(planted(quality, offsets, design))
    truth = sorted(design, key=lambda d: -quality[d])
    assert [result.by_dossier[d].corrected_rank for d in truth] == list(range(1, 13))


def test_the_raw_mean_can_be_misled_by_a_lenient_juror_where_the_correction_is_not():
    design = cyclic(12, 6)
    quality = {d: 35 + 5 * d for d in design}
    offsets = dict.fromkeys(range(1, 7), 0)
    offsets[1] = 15                      # juror 1 scores dossiers 1, 11 and 12, 15 points high
    result = run(planted(quality, offsets, design))
    truth = sorted(design, key=lambda d: -quality[d])
    assert [result.by_dossier[d].rank for d in truth] != list(range(1, 13))
    assert [result.by_dossier[d].corrected_rank for d in truth] == list(range(1, 13))


def test_jurors_with_too_few_sheets_are_held_at_zero_and_offsets_sum_to_zero():
    table = planted({d: 40 + 4 * d for d in range(1, 9)}, {1: 5, 2: -5, 3: 2, 4: -2, 9: 30},
                    {**cyclic(8, 4), 1: [1, 2, 3, 9],
                     2: [2, 3, 4, 9]})
    result = run(table)
    by_id = {j.juror_id: j for j in result.jurors}
    assert by_id[9].held and by_id[9].offset == 0 and by_id[9].offset_se is None
    assert by_id[9].sheets == 2
    free = [j for j in result.jurors if not j.held]
    assert len(free) == 4 and all(j.offset_se is not None and j.offset_se > 0 for j in free)
    assert sum(j.offset for j in free) == pytest.approx(0, abs=1e-9)
    # the held juror's two sheets still weigh in the corrected scores, uncorrected
    assert result.by_dossier[1].corrected > float(result.by_dossier[1].mean) - 30 / 4


def test_two_groups_of_jurors_without_a_shared_dossier_are_two_components():
    group_a = cyclic(6, 3)                                                   # jurors 1-3
    group_b = {d + 10: [j + 20 for j in js] for d, js in cyclic(6, 4).items()}  # jurors 21-24
    quality = {d: 30 + 2 * d for d in [*group_a, *group_b]}
    severity = {1: 4, 2: -4, 3: 0, 21: 9, 22: 9, 23: 9, 24: 9}
    result = run(planted(quality, severity, {**group_a, **group_b}), Policy(ridge=0),
                 extra_dossiers=(99,))
    assert result.components == 2
    component = {j.juror_id: j.component for j in result.jurors}
    assert component == {1: 0, 2: 0, 3: 0, 21: 1, 22: 1, 23: 1, 24: 1}
    assert {result.by_dossier[d].component for d in group_a} == {0}
    assert {result.by_dossier[d].component for d in group_b} == {1}
    assert result.by_dossier[99].component == -1
    for k in (0, 1):
        assert sum(j.offset for j in result.jurors if j.component == k) == pytest.approx(
            0, abs=1e-9)
    # a severity common to a whole component cannot be seen: it stays in the qualities
    assert {j.juror_id: j.offset for j in result.jurors if j.component == 1} == pytest.approx(
        dict.fromkeys((21, 22, 23, 24), 0), abs=1e-9)
    assert result.by_dossier[11].corrected == pytest.approx(quality[11] + 9)


def test_components_are_numbered_from_the_smallest_juror_id_whatever_the_dossier_ids():
    result = run({1: [(50, 60), (51, 60)], 2: [(3, 40), (4, 50)], 3: [(7, 30)]})
    assert {j.juror_id: j.component for j in result.jurors} == {3: 0, 4: 0, 7: 1, 50: 2,
                                                                 51: 2}
    assert [result.by_dossier[d].component for d in (1, 2, 3)] == [2, 0, 1]


def test_offset_standard_errors_come_from_the_residual_noise():
    design = cyclic(12, 6)
    noise = {(d, j): (1 if (d + j) % 2 else -1) * (d % 3) for d in design for j in design[d]}
    result = run(planted({d: 40 + 3 * d for d in design}, dict.fromkeys(range(1, 7), 0),
                         design, noise), Policy(ridge=0))
    n_sheets, n_dossiers, n_free = 36, 12, 6
    freedom = n_sheets - n_dossiers - (n_free - 1)
    # the same residuals by a plain least squares with a sum-to-zero juror parametrisation
    rows, targets = [], []
    for d in design:
        for j in design[d]:
            row = np.zeros(12 + 5)
            row[d - 1] = 1
            if j < 6:
                row[12 + j - 1] = 1
            else:
                row[12:] = -1
            rows.append(row)
            targets.append(40 + 3 * d + noise[(d, j)])
    x, y = np.array(rows), np.array(targets)
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    rss = float(((y - x @ beta) ** 2).sum())
    assert result.residual_sd == pytest.approx(math.sqrt(rss / freedom))
    covariance = rss / freedom * np.linalg.inv(x.T @ x)
    assert [j.offset for j in result.jurors][:5] == pytest.approx(beta[12:].tolist())
    assert [j.offset_se for j in result.jurors][:5] == pytest.approx(
        np.sqrt(np.diag(covariance)[12:]).tolist())


# --- rank intervals --------------------------------------------------------------------------


def noisy_round(seed_offset=0):
    design = cyclic(10, 5)
    noise = {(d, j): ((d * 7 + j * 3 + seed_offset) % 11) - 5 for d in design
             for j in design[d]}
    return planted({d: 50 + d for d in design}, dict.fromkeys(range(1, 6), 0), design, noise)


def test_the_posterior_draws_are_deterministic_for_a_seed_and_change_with_it():
    table = noisy_round()
    first = run(table, Policy(seed=1))
    assert run(table, Policy(seed=1)) == first
    other = run(table, Policy(seed=2))
    assert [d.p_first for d in other.categories[0].dossiers] != [
        d.p_first for d in first.categories[0].dossiers]
    assert [d.score for d in other.categories[0].dossiers] == [
        d.score for d in first.categories[0].dossiers]


def test_each_category_draws_from_its_own_seed_whatever_the_other_categories():
    table = noisy_round()
    alone = run(table, categories=dict.fromkeys(table, 5))
    # the same data again, other dossiers and jurors, in category 3: a second component with
    # the same residuals, so the noise estimate is unchanged
    copy = {d + 100: [(j + 100, m) for j, m in marks] for d, marks in table.items()}
    both = run({**table, **copy}, categories={**dict.fromkeys(table, 5),
                                              **dict.fromkeys(copy, 3)})
    assert both.residual_sd == pytest.approx(alone.residual_sd)
    five = [(d.interval, d.p_first) for d in alone.categories[0].dossiers]
    assert [(d.interval, d.p_first) for d in both.categories[1].dossiers] == five
    assert [d.p_first for d in both.categories[0].dossiers] != [p for _, p in five]


def test_well_separated_noise_free_dossiers_get_their_exact_place():
    design = cyclic(8, 4)
    result = run(planted({d: 10 * d for d in design}, dict.fromkeys(range(1, 5), 0), design))
    category = result.categories[0]
    assert [d.interval for d in category.dossiers] == [(r, r) for r in range(1, 9)]
    assert category.p_first_top == 1.0 and category.top_set == (8,)
    assert close_calls(category, 1) == frozenset()


def test_a_lone_scored_dossier_is_first_for_sure():
    result = run({1: [(1, 50), (2, 70)]}, extra_dossiers=(2,))
    d = result.by_dossier[1]
    assert (d.interval, d.p_first, d.in_top_set) == ((1, 1), 1.0, True)
    assert result.categories[0].p_first_top is None
    assert result.categories[0].top_set == (1,)


def test_dossiers_the_data_cannot_tell_apart_share_the_places():
    # every dossier gets 40, 50, 60: no spread between dossiers, tau = 0
    design = cyclic(4, 4)
    table = {d: [(j, 40 + 10 * i) for i, j in enumerate(js)] for d, js in design.items()}
    result = run(table, Policy(ridge=0))
    category = result.categories[0]
    assert category.quality_sd == 0
    assert all(d.interval == (1, 4) for d in category.dossiers)
    assert all(d.p_first == pytest.approx(0.25, abs=0.04) for d in category.dossiers)
    assert len(category.top_set) == 4
    assert close_calls(category, 1) == frozenset({1, 2, 3, 4})


def test_no_interval_without_replication_or_without_draws():
    single = run({1: [(1, 50)], 2: [(2, 60)], 3: [(3, 70)]})
    assert single.residual_sd is None
    assert all(d.interval is None and d.p_first is None for d in single.categories[0].dossiers)
    assert single.categories[0].top_set == () and single.categories[0].p_first_top is None
    no_draws = run(noisy_round(), Policy(resamples=0))
    assert all(d.interval is None for d in no_draws.categories[0].dossiers)


def test_the_top_set_is_the_smallest_set_holding_the_first_at_the_level():
    result = run(noisy_round(), Policy(resamples=4000, level=0.8))
    category = result.categories[0]
    by_p = sorted(category.dossiers, key=lambda d: -d.p_first)
    size = len(category.top_set)
    assert sum(d.p_first for d in by_p[:size]) >= 0.8
    assert sum(d.p_first for d in by_p[:size - 1]) < 0.8
    assert category.p_first_top == category.dossiers[0].p_first


def test_rank_intervals_quantiles_follow_the_declared_definition():
    rng = np.random.default_rng(5)
    estimate = np.array([0.0, 1.0, 2.0, 10.0])
    variance = np.array([1.0, 1.0, 1.0, 1.0])
    lo, hi, first = rank_intervals(estimate, variance, 4.0, 5000, 0.9, rng)
    assert hi[3] <= 2 and lo[0] >= 2
    assert first.sum() == pytest.approx(1)
    # at most 5% of the draws rank below lo or above hi, checked by redrawing the same draws
    rng = np.random.default_rng(5)
    mean = (4 * estimate + variance * estimate.mean()) / (4 + variance)
    draws = mean + np.sqrt(4 * variance / (4 + variance)) * rng.standard_normal((5000, 4))
    ranks = (-draws).argsort(axis=1).argsort(axis=1) + 1
    for d in range(4):
        assert (ranks[:, d] < lo[d]).mean() <= 0.05 and (ranks[:, d] > hi[d]).mean() <= 0.05
        assert (ranks[:, d] <= lo[d]).mean() >= 0.05 and (ranks[:, d] >= hi[d]).mean() >= 0.05
        assert first[d] == (ranks[:, d] == 1).mean()


def test_close_calls_are_the_dossiers_whose_interval_crosses_the_cut():
    result = run(noisy_round(), Policy(resamples=2000))
    category = result.categories[0]
    for cut in (1, 3):
        expected = {d.dossier_id for d in category.dossiers
                    if d.interval[0] <= cut and d.interval[1] > cut}
        assert close_calls(category, cut) == expected
    assert close_calls(category, len(category.dossiers)) == frozenset()


# --- jurors and reliability ------------------------------------------------------------------


def test_agreement_and_deviation_compare_a_juror_with_the_others_on_the_same_dossiers():
    table = {1: [(1, 80), (2, 70), (3, 60)], 2: [(1, 60), (2, 50), (3, 52)],
             3: [(1, 40), (2, 45), (3, 41)], 4: [(1, 90), (2, 40)], 5: [(4, 10)]}
    result = run(table)
    one = next(j for j in result.jurors if j.juror_id == 1)
    own = [80, 60, 40, 90]
    others = [65, 51, 43, 40]
    assert one.agreement == pytest.approx(statistics.correlation(own, others))
    assert one.deviation == pytest.approx(statistics.mean(a - b for a, b in zip(own, others,
                                                                                strict=True)))
    assert (one.sheets, one.mean, one.sd) == (4, pytest.approx(67.5),
                                              pytest.approx(statistics.stdev(own)))
    lonely = next(j for j in result.jurors if j.juror_id == 4)
    assert (lonely.agreement, lonely.deviation, lonely.sd) == (None, None, None)
    three = next(j for j in result.jurors if j.juror_id == 3)        # 3 dossiers: enough
    assert three.agreement is not None


def test_agreement_is_none_without_variance():
    result = run({1: [(1, 50), (2, 70)], 2: [(1, 50), (2, 60)], 3: [(1, 50), (2, 65)]})
    assert next(j for j in result.jurors if j.juror_id == 1).agreement is None


def test_icc_on_a_known_balanced_case():
    # dossier means 15, 35, 55: MSB = 800, MSW = 50, k0 = 2 -> ICC(1) = 750/850 = 15/17;
    # the mean of 2 sheets: 2 * 15/17 / (1 + 15/17) = 15/16.
    result = run({1: [(1, 10), (2, 20)], 2: [(1, 30), (2, 40)], 3: [(1, 50), (2, 60)]})
    assert result.icc_single == pytest.approx(15 / 17)
    assert result.icc_mean == pytest.approx(15 / 16)
    assert result.k == 2


def test_icc_on_an_unbalanced_case_uses_k0_and_leaves_out_single_sheets():
    totals = {1: [10, 20, 30], 2: [40, 50], 3: [35, 45, 55, 65], 4: [99]}
    groups = [v for v in totals.values() if len(v) >= 2]
    n = sum(len(g) for g in groups)
    grand = sum(map(sum, groups)) / n
    msb = sum(len(g) * (statistics.mean(g) - grand) ** 2 for g in groups) / 2
    msw = sum((x - statistics.mean(g)) ** 2 for g in groups for x in g) / (n - 3)
    k0 = (n - sum(len(g) ** 2 for g in groups) / n) / 2
    expected = (msb - msw) / (msb + (k0 - 1) * msw)
    dossier = np.array([d for d, v in totals.items() for _ in v])
    single, mean_of_k, k = reliability(np.array([x for v in totals.values() for x in v], float),
                                       dossier)
    assert single == pytest.approx(expected)
    assert k == 3
    assert mean_of_k == pytest.approx(3 * expected / (1 + 2 * expected))


def test_icc_is_none_when_it_cannot_be_computed_and_zero_when_negative():
    assert run({1: [(1, 10), (2, 20)]}).icc_single is None          # one dossier
    assert run({1: [(1, 10)], 2: [(1, 20)]}).icc_single is None     # no replication
    # sheets of one dossier differ more than dossiers do
    negative = run({1: [(1, 0), (2, 100)], 2: [(1, 100), (2, 0)], 3: [(1, 10), (2, 90)]})
    assert negative.icc_single == 0 and negative.icc_mean == 0


def test_all_pairs_of_a_small_design_are_counted_once():
    # every juror pair shares exactly one dossier: a balanced incomplete block design
    blocks = list(itertools.combinations(range(1, 6), 2))
    table = {i + 1: [(a, 50 + i), (b, 50 + i + (a - b))] for i, (a, b) in enumerate(blocks)}
    result = run(table, Policy(ridge=0, min_sheets=0))
    assert result.components == 1
    assert sum(j.offset for j in result.jurors) == pytest.approx(0, abs=1e-9)
    assert [j.sheets for j in result.jurors] == [4] * 5
