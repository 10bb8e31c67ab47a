"""Ranking domain: a category ranked by exact score, ties flagged, broken only by the edition's
declared rules, competition ranks (1, 2, 2, 4), unscored dossiers last; the declared rules
parsed from the edition's JSON. No app, no database."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trophies.domain.ranking import RankItem, TieBreak, TieRule, parse_rules, rank

IMPACT, FEASIBILITY = 11, 12
BY_IMPACT = TieBreak(TieRule.CRITERION, IMPACT)
BY_FEASIBILITY = TieBreak(TieRule.CRITERION, FEASIBILITY)
BY_MEDIAN = TieBreak(TieRule.MEDIAN)
BY_MEAN = TieBreak(TieRule.MEAN)


def item(dossier_id, score, *, median=None, mean=None, **criteria):
    marks = {IMPACT: criteria["impact"]} if "impact" in criteria else {}
    if "feasibility" in criteria:
        marks[FEASIBILITY] = criteria["feasibility"]
    return RankItem(dossier_id, None if score is None else Fraction(score),
                    None if mean is None else Fraction(mean),
                    None if median is None else Fraction(median), marks)


def table(ranked):
    return [(r.dossier_id, r.rank, r.tied, r.broken_by) for r in ranked]


# --- the order and the ranks -----------------------------------------------------------------


def test_dossiers_are_ranked_by_score_best_first_with_competition_ranks():
    items = [item(1, 50), item(2, 80), item(3, 65), item(4, 65), item(5, 10)]
    assert table(rank(items)) == [(2, 1, False, None), (3, 2, True, None), (4, 2, True, None),
                                  (1, 4, False, None), (5, 5, False, None)]


def test_a_dossier_without_a_score_comes_last_unranked_and_is_not_a_tie():
    items = [item(9, None), item(3, None), item(1, 40), item(2, 40)]
    assert table(rank(items)) == [(1, 1, True, None), (2, 1, True, None),
                                  (3, None, False, None), (9, None, False, None)]


def test_scores_are_compared_exactly_not_as_rounded_for_display():
    # 66.67 and 66.666... look the same on screen; only equal Fractions tie.
    items = [item(1, Fraction(200, 3)), item(2, Fraction(6667, 100)), item(3, Fraction(400, 6))]
    assert table(rank(items)) == [(2, 1, False, None), (1, 2, True, None), (3, 2, True, None)]


def test_a_tie_without_declared_rules_stays_tied_even_when_criteria_and_medians_differ():
    items = [item(1, 70, median=90, mean=70, impact=100), item(2, 70, median=60, mean=70,
                                                               impact=0)]
    ranked = rank(items)
    assert [(r.rank, r.tied, r.broken_by) for r in ranked] == [(1, True, None)] * 2


def test_a_declared_criterion_rule_breaks_the_tie_higher_average_first():
    items = [item(1, 70, impact=40), item(2, 70, impact=Fraction(250, 3)), item(3, 90)]
    assert table(rank(items, [BY_IMPACT])) == [(3, 1, False, None), (2, 2, False, BY_IMPACT),
                                               (1, 3, False, BY_IMPACT)]


def test_rules_apply_in_the_declared_order_and_only_within_the_tied_group():
    items = [item(1, 70, median=80, impact=50), item(2, 70, median=60, impact=50),
             item(3, 70, median=99, impact=40), item(4, 71, median=0, impact=0)]
    ranked = rank(items, [BY_IMPACT, BY_MEDIAN])
    # 4 stays first whatever its criteria: rules only split equal scores.
    assert table(ranked) == [(4, 1, False, None), (1, 2, False, BY_MEDIAN),
                             (2, 3, False, BY_MEDIAN), (3, 4, False, BY_IMPACT)]


def test_what_no_rule_separates_stays_tied_and_shares_the_rank():
    items = [item(1, 70, median=80, impact=50), item(2, 70, median=80, impact=50),
             item(3, 70, median=80, impact=60), item(4, 20)]
    ranked = rank(items, [BY_IMPACT, BY_MEDIAN, BY_MEAN])
    assert table(ranked) == [(3, 1, False, BY_IMPACT), (1, 2, True, None), (2, 2, True, None),
                             (4, 4, False, None)]


def test_the_mean_rule_breaks_a_tie_of_medians():
    items = [item(1, 60, median=60, mean=55), item(2, 60, median=60, mean=58)]
    assert table(rank(items, [BY_MEAN])) == [(2, 1, False, BY_MEAN), (1, 2, False, BY_MEAN)]


def test_a_rule_that_cannot_compare_every_tied_dossier_is_skipped_not_counted_as_zero():
    # Dossier 2's sheets all marked "impact" N/A: it has no impact average. The impact rule
    # cannot say who is better, so it is skipped and the median decides.
    items = [item(1, 70, median=60, impact=90), item(2, 70, median=75)]
    assert table(rank(items, [BY_IMPACT, BY_MEDIAN])) == [(2, 1, False, BY_MEDIAN),
                                                          (1, 2, False, BY_MEDIAN)]
    assert table(rank(items, [BY_IMPACT])) == [(1, 1, True, None), (2, 1, True, None)]


def test_a_rule_that_compares_some_tied_dossiers_but_not_all_leaves_them_to_the_jury():
    # The impact rule would put 3 above 10, the median 10 above 3; dossier 1 has no impact
    # average. Skipping impact for the group would let the median reverse its verdict.
    items = [item(1, 70, median=10), item(3, 70, median=20, impact=60),
             item(10, 70, median=30, impact=50)]
    assert table(rank(items, [BY_IMPACT, BY_MEDIAN])) == [
        (1, 1, True, None), (3, 1, True, None), (10, 1, True, None)]
    assert table(rank(items[1:], [BY_IMPACT, BY_MEDIAN])) == [
        (3, 1, False, BY_IMPACT), (10, 2, False, BY_IMPACT)]


def test_a_rule_naming_a_criterion_nobody_has_leaves_the_tie():
    items = [item(1, 70, impact=90), item(2, 70, impact=10)]
    assert [r.tied for r in rank(items, [BY_FEASIBILITY])] == [True, True]


def test_a_dossier_given_twice_is_refused():
    with pytest.raises(ValueError, match="twice"):
        rank([item(1, 50), item(1, 60)])


def test_an_empty_category_ranks_nothing():
    assert rank([]) == []


# --- properties ------------------------------------------------------------------------------

# Few distinct values (thirds and halves, and None) so that ties are frequent.
SCORES = st.sampled_from([None] + sorted({Fraction(n, d) for n in range(10) for d in (1, 3)}))
VALUES = st.sampled_from([None] + [Fraction(n, 2) for n in range(5)])
RULES = st.lists(st.sampled_from([BY_IMPACT, BY_FEASIBILITY, BY_MEDIAN, BY_MEAN]), max_size=4)


@st.composite
def items_and_rules(draw):
    count = draw(st.integers(0, 12))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=count, max_size=count, unique=True))
    items = []
    for dossier_id in ids:
        criteria = {c: v for c in (IMPACT, FEASIBILITY) if (v := draw(VALUES)) is not None}
        items.append(RankItem(dossier_id, draw(SCORES), draw(VALUES), draw(VALUES), criteria))
    return items, draw(RULES)


def _values(it: RankItem, rule: TieBreak):
    if rule.rule is TieRule.CRITERION:
        return it.criteria.get(rule.criterion_id)
    return it.median if rule.rule is TieRule.MEDIAN else it.mean


@settings(max_examples=200, deadline=None)
@given(items_and_rules(), st.randoms(use_true_random=False))
def test_the_ranking_does_not_depend_on_the_input_order(case, random):
    items, rules = case
    shuffled = list(items)
    random.shuffle(shuffled)
    assert rank(shuffled, rules) == rank(items, rules)


@settings(max_examples=200, deadline=None)
@given(items_and_rules())
def test_ranks_are_competition_ranks_over_scores_never_reordered_by_rules(case):
    items, rules = case
    ranked = rank(items, rules)
    score = {it.dossier_id: it.score for it in items}
    assert sorted(r.dossier_id for r in ranked) == sorted(score)
    scored = [r for r in ranked if r.rank is not None]
    assert [r.dossier_id for r in ranked[len(scored):]] == sorted(
        d for d, s in score.items() if s is None)
    assert all(score[r.dossier_id] is not None for r in scored)
    for position, r in enumerate(scored):
        ahead = [s for s in scored[:position] if s.rank != r.rank]
        assert r.rank == len(ahead) + 1
        if position:
            assert score[scored[position - 1].dossier_id] >= score[r.dossier_id]
        shared = [s for s in scored if s.rank == r.rank]
        assert r.tied == (len(shared) > 1)
        # A shared rank means an equal score and equal values on every rule that applied.
        assert all(score[s.dossier_id] == score[r.dossier_id] for s in shared)
        if not r.tied and r.broken_by is None:
            assert sum(1 for s in score.values() if s == score[r.dossier_id]) == 1


@settings(max_examples=200, deadline=None)
@given(items_and_rules())
def test_without_rules_equal_scores_are_exactly_the_ties(case):
    items, _ = case
    ranked = {r.dossier_id: r for r in rank(items)}
    for it in items:
        same = [o for o in items if o.score is not None and o.score == it.score]
        assert ranked[it.dossier_id].tied == (len(same) > 1)
        assert ranked[it.dossier_id].broken_by is None


@settings(max_examples=200, deadline=None)
@given(items_and_rules())
def test_a_dossier_separated_by_a_rule_beats_the_tied_ones_below_on_that_rule(case):
    items, rules = case
    by_id = {it.dossier_id: it for it in items}
    ranked = rank(items, rules)
    for upper, lower in zip(ranked, ranked[1:], strict=False):
        if upper.rank is None or lower.rank is None or upper.rank == lower.rank:
            continue
        a, b = by_id[upper.dossier_id], by_id[lower.dossier_id]
        if a.score != b.score:
            continue
        # the first declared rule on which they differ (both having a value) favours `upper`
        for rule in rules:
            x, y = _values(a, rule), _values(b, rule)
            if x is not None and y is not None and x != y:
                assert x > y
                break


# --- the declared list -----------------------------------------------------------------------


def test_the_declared_list_maps_criterion_keys_to_ids_in_order():
    rules = parse_rules([{"rule": "criterion", "key": "impact"}, {"rule": "median"},
                         {"rule": "mean"}], {"impact": IMPACT, "faisabilite": FEASIBILITY})
    assert rules == [BY_IMPACT, BY_MEDIAN, BY_MEAN]


def test_a_criterion_the_round_does_not_have_is_skipped():
    assert parse_rules([{"rule": "criterion", "key": "pitch"}, {"rule": "median"}],
                       {"impact": IMPACT}) == [BY_MEDIAN]


@pytest.mark.parametrize("declared", [[{"rule": "random"}], [{"rule": None}], [{}],
                                      [{"rule": "criterion"}], ["median"]])
def test_an_unknown_or_malformed_rule_is_refused(declared):
    with pytest.raises(ValueError):
        parse_rules(declared, {"impact": IMPACT})


def test_no_declared_rule_gives_no_rule():
    assert parse_rules([], {}) == []
