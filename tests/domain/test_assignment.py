"""Domain: the assignment solver (design.md section 5) - rules, optimality, determinism,
infeasibility explanations. Brute force and an independent LP are the references."""

from __future__ import annotations

import itertools
from contextlib import contextmanager, nullcontext
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.optimize import linprog

from trophies.domain import assignment
from trophies.domain.assignment import (
    AssignmentProblem,
    DossierSlot,
    Infeasible,
    JurorSlot,
    Shortfall,
    solve,
    solve_arrays,
)

SETTINGS = settings(deadline=None, max_examples=150,
                    suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def column_generation():
    """Tiny first candidate sets, so pricing rounds and phase 1 run even on tiny instances."""
    with mock.patch.object(assignment, "_ALL_PAIRS", 0), \
            mock.patch.object(assignment, "_FIRST_COLUMNS", (1, 0, 1, 0)), \
            mock.patch.object(assignment, "_NEAR_MIN", 1):
        yield


# --- references -------------------------------------------------------------------------------

def affinity(problem, d, j):
    dossier = next(x for x in problem.dossiers if x.id == d)
    juror = next(x for x in problem.jurors if x.id == j)
    bonus = problem.expertise_bonus if dossier.category_id in juror.expertise else 0
    return bonus + problem.affinity.get((d, j), 0)


def capacities(problem):
    total = sum(d.demand for d in problem.dossiers)
    balanced = -(-total // len(problem.jurors)) if problem.jurors else 0
    return {j.id: balanced if j.capacity is None else j.capacity for j in problem.jurors}


def brute_force(problem):
    """The best total affinity over every plan, or None when there is none."""
    caps = capacities(problem)
    org = {j.id: j.organisation for j in problem.jurors}
    choices = []
    for dossier in problem.dossiers:
        options = []
        for combo in itertools.combinations(sorted(caps), dossier.demand):
            chosen = set(combo)
            per_org = [org[j] for j in chosen if org[j]]
            if (any((dossier.id, j) in problem.forbidden for j in chosen)
                    or any(d == dossier.id and j not in chosen for d, j in problem.pinned)
                    or any(per_org.count(o) > problem.max_per_organisation for o in per_org)):
                continue
            options.append((sum(affinity(problem, dossier.id, j) for j in chosen), combo))
        choices.append(options)
    load = dict.fromkeys(caps, 0)
    best = None

    def walk(i, total):
        nonlocal best
        if i == len(choices):
            best = total if best is None else max(best, total)
            return
        for value, combo in choices[i]:
            if all(load[j] < caps[j] for j in combo):
                for j in combo:
                    load[j] += 1
                walk(i + 1, total + value)
                for j in combo:
                    load[j] -= 1

    walk(0, 0)
    return best


def lp_optimum(problem):
    """The linear relaxation over every allowed pair, pins as lower bounds (scipy HiGHS)."""
    caps = capacities(problem)
    pairs = [(d.id, j.id) for d in problem.dossiers for j in problem.jurors
             if (d.id, j.id) not in problem.forbidden]
    if problem.pinned & problem.forbidden:
        return None
    if not pairs:
        return 0 if all(d.demand == 0 for d in problem.dossiers) else None
    orgs = {j.id: j.organisation for j in problem.jurors}
    rows_eq = [[1 if p[0] == d.id else 0 for p in pairs] for d in problem.dossiers]
    rows_ub = [[1 if p[1] == j else 0 for p in pairs] for j in caps]
    limits = list(caps.values())
    for d in problem.dossiers:
        for o in sorted({o for o in orgs.values() if o}):
            rows_ub.append([1 if p[0] == d.id and orgs[p[1]] == o else 0 for p in pairs])
            limits.append(problem.max_per_organisation)
    res = linprog([-affinity(problem, *p) for p in pairs], A_ub=rows_ub or None,
                  b_ub=limits or None, A_eq=rows_eq, b_eq=[d.demand for d in problem.dossiers],
                  bounds=[(1 if p in problem.pinned else 0, 1) for p in pairs], method="highs")
    return None if res.status == 2 else round(-res.fun)


def assert_valid(problem, plan):
    caps = capacities(problem)
    org = {j.id: j.organisation for j in problem.jurors}
    assert list(plan.pairs) == sorted(set(plan.pairs))
    for dossier in problem.dossiers:
        jurors = [j for d, j in plan.pairs if d == dossier.id]
        assert len(jurors) == len(set(jurors)) == dossier.demand
        named = [org[j] for j in jurors if org[j]]
        assert all(named.count(o) <= problem.max_per_organisation for o in named)
    assert not set(plan.pairs) & problem.forbidden
    assert problem.pinned <= set(plan.pairs)
    assert plan.capacities == caps
    assert plan.loads == {j: sum(1 for _, x in plan.pairs if x == j) for j in caps}
    assert all(plan.loads[j] <= caps[j] for j in caps)
    assert plan.objective == sum(affinity(problem, d, j) for d, j in plan.pairs)
    assert plan.bound == plan.objective


@st.composite
def problems(draw, max_dossiers=4, max_jurors=5, max_demand=3):
    n_d = draw(st.integers(0, max_dossiers))
    n_j = draw(st.integers(0, max_jurors))
    d_ids = draw(st.lists(st.integers(1, 99), min_size=n_d, max_size=n_d, unique=True))
    j_ids = draw(st.lists(st.integers(100, 199), min_size=n_j, max_size=n_j, unique=True))
    dossiers = [DossierSlot(d, draw(st.sampled_from([None, 1, 2])),
                            draw(st.integers(0, max_demand))) for d in d_ids]
    jurors = [JurorSlot(j, draw(st.sampled_from([None, None, 0, 1, 2, 4])),
                        draw(st.sampled_from(["", "", "acme", "chu nantes"])),
                        frozenset(draw(st.sets(st.sampled_from([1, 2]))))) for j in j_ids]
    pairs = [(d, j) for d in d_ids for j in j_ids]
    pair_sets = st.sets(st.sampled_from(pairs)) if pairs else st.just(set())
    return AssignmentProblem(
        dossiers, jurors, frozenset(draw(pair_sets)),
        frozenset(draw(pair_sets) if draw(st.integers(0, 3)) == 0 else ()),
        draw(st.dictionaries(st.sampled_from(pairs), st.integers(-5, 5)) if pairs
             else st.just({})),
        draw(st.integers(0, 10)), draw(st.integers(0, 2)), draw(st.integers(0, 3)))


def local_causes(problem):
    """Dossiers that cannot get their jurors even alone, by cause (pins assumed valid)."""
    causes = {}
    for dossier in problem.dossiers:
        allowed = [j for j in problem.jurors if (dossier.id, j.id) not in problem.forbidden]
        named = [j.organisation for j in allowed if j.organisation]
        reachable = (sum(min(named.count(o), problem.max_per_organisation) for o in set(named))
                     + sum(1 for j in allowed if not j.organisation))
        if len(allowed) < dossier.demand:
            causes[dossier.id] = "conflicts"
        elif reachable < dossier.demand:
            causes[dossier.id] = "organisation_cap"
    return causes


def pins_break_a_rule(problem):
    caps = capacities(problem)
    org = {j.id: j.organisation for j in problem.jurors}
    pinned = sorted(problem.pinned)
    for dossier in problem.dossiers:
        mine = [j for d, j in pinned if d == dossier.id]
        named = [org[j] for j in mine if org[j]]
        if (len(mine) > dossier.demand or any((dossier.id, j) in problem.forbidden for j in mine)
                or any(named.count(o) > problem.max_per_organisation for o in named)):
            return True
    return any(sum(1 for _, x in pinned if x == j) > caps[j] for j in caps)


# --- properties -------------------------------------------------------------------------------

@SETTINGS
@given(problems(), st.booleans())
def test_the_plan_is_a_brute_force_optimum_or_the_instance_is_infeasible(problem, generate):
    best = brute_force(problem)
    with column_generation() if generate else nullcontext():
        if best is None:
            with pytest.raises(Infeasible) as caught:
                solve(problem)
            assert caught.value.shortfalls
            return
        plan = solve(problem)
    assert_valid(problem, plan)
    assert plan.objective == best


@SETTINGS
@given(problems(), st.booleans())
def test_infeasible_instances_name_the_right_dossiers_and_causes(problem, generate):
    try:
        with column_generation() if generate else nullcontext():
            solve(problem)
    except Infeasible as error:
        shortfalls = error.shortfalls
    else:
        return
    ids = {d.id for d in problem.dossiers}
    assert all(s.dossier_id in ids and s.missing > 0 for s in shortfalls)
    if pins_break_a_rule(problem):
        assert {s.cause for s in shortfalls} == {"pins"}
        return
    local = local_causes(problem)
    named = {(s.dossier_id, s.cause) for s in shortfalls if s.cause != "capacity"}
    assert named == set(local.items())
    for shortfall in shortfalls:
        if shortfall.cause == "capacity":
            assert shortfall.dossier_id in shortfall.group
            if not local:  # the named group alone already lacks jurors
                alone = AssignmentProblem(
                    [d for d in problem.dossiers if d.id in shortfall.group], problem.jurors,
                    problem.forbidden, frozenset(p for p in problem.pinned
                                                 if p[0] in shortfall.group),
                    problem.affinity, problem.expertise_bonus, problem.max_per_organisation)
                alone_caps = capacities(problem)  # minus the slots other dossiers' pins take
                for d, j in problem.pinned:
                    alone_caps[j] -= d not in shortfall.group
                alone = AssignmentProblem(
                    alone.dossiers, [JurorSlot(j.id, alone_caps[j.id], j.organisation,
                                               j.expertise) for j in problem.jurors],
                    alone.forbidden, alone.pinned, alone.affinity, alone.expertise_bonus,
                    alone.max_per_organisation)
                assert brute_force(alone) is None


@SETTINGS
@given(problems(max_dossiers=5, max_jurors=5), st.randoms(use_true_random=False))
def test_reordering_the_input_changes_nothing(problem, random):
    try:
        plan = solve(problem)
    except Infeasible as error:
        plan = error.shortfalls
    dossiers, jurors = list(problem.dossiers), list(problem.jurors)
    random.shuffle(dossiers)
    random.shuffle(jurors)
    items = list(problem.affinity.items())
    random.shuffle(items)
    shuffled = AssignmentProblem(dossiers, jurors, problem.forbidden, problem.pinned,
                                 dict(items), problem.expertise_bonus,
                                 problem.max_per_organisation, problem.seed)
    try:
        again = solve(shuffled)
    except Infeasible as error:
        again = error.shortfalls
    assert again == plan
    if not isinstance(plan, tuple):
        assert solve(problem) == plan  # and the same seed gives the same plan


@settings(deadline=None, max_examples=40)
@given(problems(max_dossiers=14, max_jurors=7, max_demand=3), st.booleans())
def test_larger_plans_keep_every_rule_and_reach_the_lp_optimum(problem, generate):
    expected = lp_optimum(problem)
    with column_generation() if generate else nullcontext():
        try:
            plan = solve(problem)
        except Infeasible:
            assert expected is None
            return
    assert_valid(problem, plan)
    assert plan.objective == expected


# --- examples ---------------------------------------------------------------------------------

def jurors(n, capacity=None, organisation=""):
    return [JurorSlot(100 + i, capacity, organisation) for i in range(n)]


def shortfalls_of(problem):
    with pytest.raises(Infeasible) as caught:
        solve(problem)
    assert caught.value.code == "assignment_infeasible"
    return caught.value.shortfalls


def test_expertise_and_preferences_decide_who_reviews_what():
    problem = AssignmentProblem(
        [DossierSlot(1, 7, 1), DossierSlot(2, 8, 1)],
        [JurorSlot(100, 1, "", frozenset({8})), JurorSlot(101, 1, "", frozenset({7}))],
        affinity={(1, 100): 3}, expertise_bonus=10)
    plan = solve(problem)
    assert plan.pairs == ((1, 101), (2, 100))
    assert plan.objective == plan.bound == 20


def test_capacity_defaults_to_the_balanced_share():
    problem = AssignmentProblem([DossierSlot(d, None, 3) for d in range(10)], jurors(4))
    plan = solve(problem)
    assert set(plan.capacities.values()) == {8}  # ceil(30 / 4)
    assert sum(plan.loads.values()) == 30 and max(plan.loads.values()) <= 8


def test_an_empty_round_and_a_fully_pinned_round_need_no_solving():
    assert solve(AssignmentProblem([], [])).pairs == ()
    pinned = frozenset({(1, 100), (1, 101), (2, 100), (2, 102)})
    problem = AssignmentProblem([DossierSlot(1, None, 2), DossierSlot(2, None, 2)], jurors(3),
                                pinned=pinned, affinity={(1, 100): 4, (2, 102): -1})
    plan = solve(problem)
    assert set(plan.pairs) == pinned
    assert plan.objective == plan.bound == 3
    assert plan.loads == {100: 2, 101: 1, 102: 1}


def test_pins_are_kept_even_against_affinity():
    problem = AssignmentProblem([DossierSlot(1, None, 1)], jurors(2),
                                pinned=frozenset({(1, 100)}), affinity={(1, 101): 50})
    assert solve(problem).pairs == ((1, 100),)


def test_the_organisation_cap_spreads_a_dossier_over_organisations():
    people = [JurorSlot(100, None, "acme"), JurorSlot(101, None, "acme"),
              JurorSlot(102, None, "")]
    problem = AssignmentProblem([DossierSlot(1, None, 2)], people,
                                affinity={(1, 100): 5, (1, 101): 5})
    assert solve(problem).pairs in (((1, 100), (1, 102)), ((1, 101), (1, 102)))
    two = AssignmentProblem(problem.dossiers, people, affinity=problem.affinity,
                            max_per_organisation=2)
    assert solve(two).pairs == ((1, 100), (1, 101))


def test_different_seeds_can_choose_different_equally_good_plans():
    problem = AssignmentProblem([DossierSlot(d, None, 2) for d in range(6)], jurors(6))
    plans = {solve(AssignmentProblem(problem.dossiers, problem.jurors, seed=s)).pairs
             for s in range(8)}
    assert len(plans) > 1
    assert solve(AssignmentProblem(problem.dossiers, problem.jurors, seed=3)).pairs == \
        solve(AssignmentProblem(problem.dossiers, problem.jurors, seed=3)).pairs


def test_too_many_conflicts_are_named():
    forbidden = frozenset({(1, 100), (1, 101)})
    problem = AssignmentProblem([DossierSlot(1, None, 2), DossierSlot(2, None, 2)],
                                jurors(3, capacity=5), forbidden=forbidden)
    assert shortfalls_of(problem) == (Shortfall(1, 1, "conflicts"),)


def test_too_few_organisations_are_named():
    problem = AssignmentProblem([DossierSlot(1, None, 3), DossierSlot(2, None, 1)],
                                jurors(3, organisation="acme") + [JurorSlot(200, None, "")])
    assert shortfalls_of(problem) == (Shortfall(1, 1, "organisation_cap"),)


@pytest.mark.parametrize(("pinned", "forbidden", "capacity", "expected"), [
    ({(1, 100)}, {(1, 100)}, None, (Shortfall(1, 1, "pins"),)),  # a conflicted pin
    ({(1, 100), (1, 101), (1, 102)}, set(), None, (Shortfall(1, 1, "pins"),)),  # over demand
    ({(1, 100), (2, 100)}, set(), 1, (Shortfall(1, 1, "pins", (1, 2)),
                                      Shortfall(2, 1, "pins", (1, 2)))),  # over capacity
])
def test_pins_that_break_a_rule_are_named(pinned, forbidden, capacity, expected):
    problem = AssignmentProblem([DossierSlot(1, None, 2), DossierSlot(2, None, 2)],
                                jurors(4, capacity=capacity), forbidden=frozenset(forbidden),
                                pinned=frozenset(pinned))
    assert shortfalls_of(problem) == expected


def test_pins_over_the_organisation_cap_are_named():
    problem = AssignmentProblem([DossierSlot(1, None, 2)], jurors(2, organisation="acme"),
                                pinned=frozenset({(1, 100), (1, 101)}))
    assert shortfalls_of(problem) == (Shortfall(1, 1, "pins"),)


def test_dossiers_competing_for_too_few_jurors_are_named_as_a_group():
    # Dossiers 1 and 2 may only use jurors 100 and 101 (capacity 1 each): 4 slots wanted, 2
    # offered. Dossier 3 has its own jurors and is not part of the problem.
    forbidden = frozenset({(d, j) for d in (1, 2) for j in (102, 103)}
                          | {(3, 100), (3, 101)})
    problem = AssignmentProblem(
        [DossierSlot(d, None, 2) for d in (1, 2, 3)],
        [JurorSlot(100, 1), JurorSlot(101, 1), JurorSlot(102, 1), JurorSlot(103, 1)],
        forbidden=forbidden)
    shortfalls = shortfalls_of(problem)
    assert {s.cause for s in shortfalls} == {"capacity"}
    assert {s.group for s in shortfalls} == {(1, 2)}
    assert sum(s.missing for s in shortfalls) == 2


def test_a_pinned_pair_naming_an_unknown_juror_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown"):
        solve(AssignmentProblem([DossierSlot(1, None, 1)], jurors(1),
                                pinned=frozenset({(1, 999)})))


def full_lp(affinity, allowed, demand, capacity, organisation, m=1):
    """The linear relaxation over every allowed pair of an array instance (scipy HiGHS)."""
    n_d, n_j = affinity.shape
    d, j = np.nonzero(allowed)
    cols = np.arange(len(d))
    org_key = np.unique(d * n_j + organisation[j], return_inverse=True)[1]
    a_eq = sparse.csr_array((np.ones(len(d)), (d, cols)), shape=(n_d, len(d)))
    a_ub = sparse.vstack([sparse.csr_array((np.ones(len(d)), (j, cols)), shape=(n_j, len(d))),
                          sparse.csr_array((np.ones(len(d)), (org_key, cols)))])
    b_ub = np.concatenate([capacity, np.full(a_ub.shape[0] - n_j, m)])
    res = linprog(-affinity[d, j].astype(float), A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=demand,
                  bounds=(0, 1), method="highs")
    return round(-res.fun)


def test_the_array_entry_point_prices_every_pair_of_a_larger_instance():
    rng = np.random.default_rng(7)
    n_d, n_j = 400, 40
    affinity = rng.integers(0, 1000, (n_d, n_j)).astype(np.int32)
    allowed = rng.random((n_d, n_j)) >= 0.05
    organisation = rng.integers(0, n_j // 2, n_j)
    demand = np.full(n_d, 3)
    capacity = np.full(n_j, 30)
    plan = solve_arrays(affinity, demand, capacity, organisation, allowed=allowed, seed=1)
    assert plan.objective == plan.bound == full_lp(affinity, allowed, demand, capacity,
                                                   organisation)
    assert plan.columns < allowed.sum()  # a candidate set, completed by pricing
    assert np.array_equal(np.bincount(plan.dossiers, minlength=n_d), demand)
    assert np.bincount(plan.jurors, minlength=n_j).max() <= 30
    assert allowed[plan.dossiers, plan.jurors].all()
    keys = plan.dossiers * n_j + organisation[plan.jurors]
    assert np.unique(keys).size == keys.size  # at most one juror per organisation


def test_popular_jurors_need_pricing_rounds_and_still_reach_the_optimum():
    # Every dossier prefers the same few jurors: the first candidate set cannot hold a plan
    # (phase 1 adds pairs) and pricing must bring in the pairs that capacity forces.
    rng = np.random.default_rng(3)
    n_d, n_j = 300, 30
    affinity = (rng.integers(0, 10_000, n_j)[None, :]
                + rng.integers(0, 50, (n_d, n_j))).astype(np.int32)
    allowed = rng.random((n_d, n_j)) >= 0.1
    organisation = np.arange(n_j) // 3
    demand, capacity = np.full(n_d, 2), np.full(n_j, 20)
    with mock.patch.object(assignment, "_FIRST_COLUMNS", (2, 0, 2, 0)):
        plan = solve_arrays(affinity, demand, capacity, organisation, allowed=allowed)
    assert plan.lp_solves > 1
    assert plan.objective == plan.bound == full_lp(affinity, allowed, demand, capacity,
                                                   organisation)


def test_affinities_beyond_31_bits_are_refused():
    with pytest.raises(ValueError, match="31 bits"):
        solve_arrays(np.array([[2**40]]), [1], [1], [-1])
