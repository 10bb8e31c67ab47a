"""Assignment stage: k distinct jurors per dossier, optimal, conflict-free (design.md section 5).

The one domain module allowed numeric libraries: numpy and scipy (HiGHS ships inside scipy).

The model is a min-cost flow: source -> dossier [demand] -> (dossier, organisation) [cap m]
-> juror [1] -> sink [capacity]. In pair variables x_dj in [0, 1] the rows are
    sum_j x_dj = k_d,   sum_d x_dj <= cap_j,   sum_{j in o} x_dj <= m   (per dossier),
two laminar families, so the matrix is totally unimodular: every vertex of the linear
relaxation is integral and the simplex method returns an integral optimum. Large instances
are solved by column generation: the LP over a candidate set (each dossier's and each juror's
best pairs), then every allowed pair is priced with the duals u (dossiers), v (jurors),
w (dossier, organisation) and the violating ones are added, until none is left. The
certificate is the Lagrangian dual bound over ALL allowed pairs,
    sum k u + sum cap v + sum m w + sum_pairs max(0, a_dj - u_d - v_j - w_d,o(j)),
valid for any u and any v, w >= 0 (weak duality); the duals of a basis of a totally
unimodular matrix are integers, so it is computed exactly and must equal the objective.
When the working set holds no plan, maximum flows on it (scipy.sparse.csgraph) either grow it
with the pairs crossing the minimum cut, or prove that no plan exists at all (no allowed pair
crosses the cut): the source side names the dossiers competing for too few jurors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # scipy is imported where it is used: it costs ~0.3 s at start-up otherwise
    from scipy import sparse

from trophies.domain.errors import DomainError


@dataclass(frozen=True)
class DossierSlot:
    """A dossier to cover: `demand` jurors in all (pinned pairs count towards it)."""

    id: int
    category_id: int | None
    demand: int


@dataclass(frozen=True)
class JurorSlot:
    """A juror: `capacity` assignments at most in the round (None: the balanced default,
    ceil(total demand / number of jurors)); `organisation` is the normalised key ("" = none,
    never capped); `expertise` the category ids the juror knows."""

    id: int
    capacity: int | None = None
    organisation: str = ""
    expertise: frozenset[int] = frozenset()


@dataclass(frozen=True)
class AssignmentProblem:
    dossiers: Sequence[DossierSlot]
    jurors: Sequence[JurorSlot]
    #: (dossier id, juror id) pairs that must never be assigned (confirmed conflicts).
    forbidden: frozenset[tuple[int, int]] = frozenset()
    #: (dossier id, juror id) pairs that must be kept (pinned by hand, started sheets, ...).
    pinned: frozenset[tuple[int, int]] = frozenset()
    #: Extra affinity per (dossier id, juror id), e.g. from preferences; integers.
    affinity: Mapping[tuple[int, int], int] = field(default_factory=dict)
    #: Affinity added when the juror's expertise includes the dossier's category.
    expertise_bonus: int = 10
    #: At most this many jurors of one organisation on a dossier.
    max_per_organisation: int = 1
    seed: int = 0


@dataclass(frozen=True)
class Shortfall:
    """Why a dossier cannot get its jurors. `cause` is one of "conflicts" (fewer allowed
    jurors than needed), "organisation_cap" (too few distinct organisations), "pins" (its
    pinned pairs break a rule) or "capacity" (the jurors it could get are needed elsewhere:
    `group` lists the dossiers that compete for them).

    `missing`: for "conflicts" and "organisation_cap" the jurors the dossier lacks even alone;
    for "capacity" its deficit in a maximum flow (the group as a whole lacks the sum); for
    "pins" the number of its pinned pairs that break a rule (`group`: the dossiers pinned to
    the same over-capacity juror, if that is the rule)."""

    dossier_id: int
    missing: int
    cause: str
    group: tuple[int, ...] = ()


class Infeasible(DomainError):
    code = "assignment_infeasible"

    def __init__(self, shortfalls: Sequence[Shortfall]) -> None:
        super().__init__("assignment is infeasible", shortfalls=tuple(shortfalls))
        self.shortfalls = tuple(shortfalls)


@dataclass(frozen=True)
class AssignmentPlan:
    #: Every (dossier id, juror id) pair, sorted; pinned pairs included.
    pairs: tuple[tuple[int, int], ...]
    #: Load per juror id (every juror of the problem, zeros included).
    loads: Mapping[int, int]
    #: Total affinity of the plan (integer).
    objective: int
    #: The optimum of the linear relaxation, proved by a dual solution (equal to objective).
    bound: float
    #: Effective capacity per juror id (the balanced default filled in).
    capacities: Mapping[int, int]
    #: Pairs in the last linear programme and number of LP solves (diagnostics).
    columns: int = 0
    lp_solves: int = 0


@dataclass(frozen=True, eq=False)
class ArrayPlan:
    """solve_arrays' answer in index space: the pairs sorted by (dossier, juror)."""

    dossiers: np.ndarray
    jurors: np.ndarray
    objective: int
    bound: float
    columns: int
    lp_solves: int


#: Pairs handled per numpy pass when pricing (about 32 MB of int64).
_CHUNK = 1 << 22
#: Up to this many allowed pairs, the first LP takes them all (no pricing rounds).
_ALL_PAIRS = 2_000
#: Otherwise the first LP takes each dossier's best max(10, 3 x demand) pairs and each
#: juror's best max(10, 2 x balanced load) pairs (tests lower these to force pricing rounds).
_FIRST_COLUMNS = (10, 3, 10, 2)
_MAX_ROUNDS = 500
#: With violators, a round also adds the best max(_NEAR_MIN, columns / _NEAR_SHARE) others.
_NEAR_MIN = 3000
_NEAR_SHARE = 10


def solve(problem: AssignmentProblem) -> AssignmentPlan:
    """The optimal plan, or Infeasible naming the dossiers that cannot get their jurors.

    Input order does not matter (dossiers and jurors are sorted by id first); the seed only
    chooses among equally good plans, and the same seed always gives the same plan. Pairs,
    forbidden pairs or affinities naming unknown ids are ignored, except pins (ValueError).
    Invariants of the result: exactly `demand` distinct jurors per dossier, pins kept, no
    forbidden pair, loads within capacities, at most `max_per_organisation` jurors of one
    non-empty organisation per dossier, objective maximal and equal to `bound`.
    """
    dossiers = sorted(problem.dossiers, key=lambda d: d.id)
    jurors = sorted(problem.jurors, key=lambda j: j.id)
    d_ids = [d.id for d in dossiers]
    j_ids = [j.id for j in jurors]
    if len(set(d_ids)) != len(d_ids) or len(set(j_ids)) != len(j_ids):
        raise ValueError("duplicate dossier or juror id")
    d_at = {d: i for i, d in enumerate(d_ids)}
    j_at = {j: i for i, j in enumerate(j_ids)}
    n_d, n_j = len(dossiers), len(jurors)
    demand = np.array([d.demand for d in dossiers], np.int64)
    balanced = -(-int(demand.sum()) // n_j) if n_j else 0
    capacity = np.array([balanced if j.capacity is None else j.capacity for j in jurors],
                        np.int64)
    names = sorted({j.organisation for j in jurors if j.organisation})
    code = {name: i for i, name in enumerate(names)}
    organisation = np.array([code.get(j.organisation, -1) for j in jurors], np.int64)

    affinity = np.zeros((n_d, n_j), np.int64)
    categories = sorted({d.category_id for d in dossiers if d.category_id is not None})
    if categories and problem.expertise_bonus:
        cat_at = {c: i for i, c in enumerate(categories)}
        knows = np.zeros((n_j, len(categories) + 1), np.int64)
        for jj, juror in enumerate(jurors):
            knows[jj, [cat_at[c] for c in juror.expertise if c in cat_at]] = 1
        cat = np.array([cat_at.get(d.category_id, len(categories)) for d in dossiers], np.int64)
        affinity += problem.expertise_bonus * knows[:, cat].T
    for (d, j), value in problem.affinity.items():
        if d in d_at and j in j_at:
            affinity[d_at[d], j_at[j]] += int(value)
    allowed = np.ones((n_d, n_j), bool)
    for d, j in problem.forbidden:
        if d in d_at and j in j_at:
            allowed[d_at[d], j_at[j]] = False
    try:
        pinned = np.array(sorted((d_at[d], j_at[j]) for d, j in problem.pinned), np.int64)
    except KeyError as error:
        raise ValueError(f"a pinned pair names an unknown dossier or juror: {error}") from None

    plan = solve_arrays(affinity, demand, capacity, organisation, allowed=allowed,
                        pinned=pinned, max_per_organisation=problem.max_per_organisation,
                        seed=problem.seed, dossier_ids=d_ids)
    loads = np.bincount(plan.jurors, minlength=n_j)
    return AssignmentPlan(
        pairs=tuple((d_ids[d], j_ids[j]) for d, j in zip(plan.dossiers.tolist(),
                                                          plan.jurors.tolist(), strict=True)),
        loads={j: int(load) for j, load in zip(j_ids, loads.tolist(), strict=True)},
        objective=plan.objective, bound=plan.bound,
        capacities={j: int(c) for j, c in zip(j_ids, capacity.tolist(), strict=True)},
        columns=plan.columns, lp_solves=plan.lp_solves)


def solve_arrays(affinity: np.ndarray, demand: np.ndarray, capacity: np.ndarray,
                 organisation: np.ndarray, *, allowed: np.ndarray | None = None,
                 pinned: np.ndarray | None = None, max_per_organisation: int = 1,
                 seed: int = 0, dossier_ids: Sequence[int] | None = None) -> ArrayPlan:
    """The optimal plan in index space (canonical order is the caller's business).

    affinity: (D, J) integers (|a| < 2**31); demand (D,), capacity (J,) non-negative
    integers (capacity already effective); organisation (J,) integer codes, negative = none;
    allowed: (D, J) booleans (False = forbidden), default all; pinned: (P, 2) index pairs.
    Raises Infeasible (dossiers named by `dossier_ids`, default their index) and ValueError
    on malformed input. Memory: a few (D, J) arrays plus chunks of _CHUNK pairs.
    """
    a = np.asarray(affinity)
    if a.ndim != 2 or not np.issubdtype(a.dtype, np.integer):
        raise ValueError("affinity must be a 2-D integer array")
    n_d, n_j = a.shape
    k = np.asarray(demand, np.int64).reshape(n_d)
    cap = np.asarray(capacity, np.int64).reshape(n_j)
    org_in = np.asarray(organisation, np.int64).reshape(n_j)
    m = int(max_per_organisation)
    if (k < 0).any() or (cap < 0).any() or m < 0:
        raise ValueError("demand, capacity and max_per_organisation must be >= 0")
    if a.size and max(int(a.max()), -int(a.min())) >= 2**31:
        raise ValueError("affinities must fit in 31 bits")
    ok = np.ones((n_d, n_j), bool) if allowed is None else np.asarray(allowed, bool)
    ids = list(range(n_d)) if dossier_ids is None else list(dossier_ids)
    pins = np.zeros((0, 2), np.int64) if pinned is None else np.asarray(pinned, np.int64)
    pins = np.unique(pins.reshape(-1, 2), axis=0)
    if len(pins) and ((pins < 0).any() or (pins[:, 0] >= n_d).any() or (pins[:, 1] >= n_j).any()):
        raise ValueError("pinned pair out of range")
    has_org = org_in >= 0
    codes = np.full(n_j, -1, np.int64)
    n_org = 0
    if has_org.any():
        names, codes[has_org] = np.unique(org_in[has_org], return_inverse=True)
        n_org = len(names)

    _check_pins(ok, k, cap, codes, n_org, m, pins, ids)
    pd_, pj_ = pins[:, 0], pins[:, 1]
    k_left = k - np.bincount(pd_, minlength=n_d)
    cap_left = cap - np.bincount(pj_, minlength=n_j)
    pin_keys, pin_counts = np.unique(pd_[codes[pj_] >= 0] * max(n_org, 1)
                                     + codes[pj_][codes[pj_] >= 0], return_counts=True)
    free = ok.copy()
    free[pd_, pj_] = False
    for key in pin_keys[pin_counts >= m].tolist():
        free[key // n_org, codes == key % n_org] = False
    if m == 0:
        free[:, codes >= 0] = False
    free[k_left == 0, :] = False
    free[:, cap_left <= 0] = False
    fixed = int(a[pd_, pj_].sum())

    if not k_left.any():
        return _plan(pins, np.zeros((0, 2), np.int64), fixed, fixed, 0, 0)
    lp = _ColumnGeneration(a, free, k_left, cap_left, codes, n_org, m, pin_keys, pin_counts,
                           seed, ids)
    shortfalls = lp.run(lambda: _local_causes(ok, k, k - k_left, codes, n_org, m, ids))
    if shortfalls:
        raise Infeasible(shortfalls)
    chosen = np.stack([lp.col_d[lp.x], lp.col_j[lp.x]], axis=1)
    objective = fixed + int(a[chosen[:, 0], chosen[:, 1]].sum())
    _verify(ok, k, cap, codes, m, pins, chosen)
    bound = fixed + lp.bound
    if bound != objective:
        raise RuntimeError(f"no optimality certificate: objective {objective}, bound {bound}")
    return _plan(pins, chosen, objective, bound, len(lp.col_d), lp.solves)


def _plan(pins: np.ndarray, chosen: np.ndarray, objective: int, bound: int, columns: int,
          solves: int) -> ArrayPlan:
    pairs = np.concatenate([pins, chosen]).astype(np.int64)
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
    return ArrayPlan(pairs[:, 0], pairs[:, 1], int(objective), float(bound), columns, solves)


def _check_pins(ok: np.ndarray, k: np.ndarray, cap: np.ndarray, codes: np.ndarray,
                n_org: int, m: int, pins: np.ndarray, ids: list[int]) -> None:
    """Infeasible("pins") when pinned pairs alone break a rule."""
    if not len(pins):
        return
    pd_, pj_ = pins[:, 0], pins[:, 1]
    bad: dict[int, int] = {}
    groups: dict[int, set[int]] = {}
    for d in pd_[~ok[pd_, pj_]].tolist():
        bad[d] = bad.get(d, 0) + 1
    per_d = np.bincount(pd_, minlength=len(k))
    for d in np.flatnonzero(per_d > k).tolist():
        bad[d] = bad.get(d, 0) + int(per_d[d] - k[d])
    per_j = np.bincount(pj_, minlength=len(cap))
    for j in np.flatnonzero(per_j > cap).tolist():
        pinned_to_j = pd_[pj_ == j].tolist()
        for d in pinned_to_j:
            bad[d] = bad.get(d, 0) + 1
            groups.setdefault(d, set()).update(ids[x] for x in pinned_to_j)
    has = codes[pj_] >= 0
    keys, counts = np.unique(pd_[has] * max(n_org, 1) + codes[pj_][has], return_counts=True)
    for key, count in zip(keys.tolist(), counts.tolist(), strict=True):
        if count > m:
            bad[key // n_org] = bad.get(key // n_org, 0) + count - m
    if bad:
        raise Infeasible([Shortfall(ids[d], bad[d], "pins", tuple(sorted(groups.get(d, ()))))
                          for d in sorted(bad)])


@dataclass(frozen=True, eq=False)
class _Cut:
    """A maximum flow on the working set and the source side of its minimum cut.
    Nodes: 0 source, 1..D dossiers, then (dossier, organisation) groups, jurors, sink."""

    value: int
    into: np.ndarray  # flow into each dossier
    side: np.ndarray  # source side, by node
    keys: np.ndarray  # group keys (dossier * organisations + organisation), sorted
    graph: sparse.csr_array


class _ColumnGeneration:
    """The LP over a growing working set of pairs, solved from scratch by HiGHS dual simplex
    each round (scipy's linprog has no warm start; the first round is usually the last).

    run() -> [] with `x` (chosen columns) and `bound` (the exact dual certificate), or the
    shortfalls proving that no plan exists."""

    def __init__(self, a: np.ndarray, free: np.ndarray, k: np.ndarray, cap: np.ndarray,
                 codes: np.ndarray, n_org: int, m: int, pin_keys: np.ndarray,
                 pin_counts: np.ndarray, seed: int, ids: list[int]) -> None:
        self.a, self.free, self.k, self.cap, self.codes = a, free, k, cap, codes
        self.n_org, self.m, self.ids = max(n_org, 1), m, ids
        self.pin_keys, self.pin_counts = pin_keys, pin_counts
        self.gather = np.where(codes >= 0, codes, self.n_org)
        n_d, n_j = free.shape
        self.rng = np.random.default_rng(seed)
        # Tie-breaking noise in [0, 0.5): distinct along a row or a column up to 65536 jurors
        # or dossiers, so "best L" picks exactly L and the seed decides among equals.
        self.noise_d = self._distinct(n_d)
        self.noise_j = self._distinct(n_j)
        self.solves = 0
        self.bound = 0
        self.inset = self._initial_columns() if free.sum() > _ALL_PAIRS else free.copy()
        order = self.rng.permutation(int(self.inset.sum()))
        self.col_d, self.col_j = (x[order] for x in np.nonzero(self.inset))

    def _distinct(self, n: int) -> np.ndarray:
        values = self.rng.permutation(65536)[:n] if n <= 65536 else self.rng.integers(0, 65536, n)
        return values.astype(np.int64)

    def _scores(self, rows: slice | np.ndarray, cols: slice, base: np.ndarray | None
                ) -> np.ndarray:
        noise = (self.noise_d[rows, None] + self.noise_j[None, cols]) & 0xFFFF
        score = noise * (0.5 / 65536) if base is None else base + noise * (0.5 / 65536)
        return np.where(self.free[rows, cols], score, -np.inf)

    def _initial_columns(self) -> np.ndarray:
        """Each dossier's best L pairs and each juror's best M pairs by affinity: capacity is
        usually tight (the balanced default), so the jurors' side is needed for feasibility."""
        n_d, n_j = self.free.shape
        floor_d, times_d, floor_j, times_j = _FIRST_COLUMNS
        per_d = min(n_j, max(floor_d, times_d * int(self.k.max())))
        share = -(-int(self.k.sum()) // max(1, int((self.cap > 0).sum())))
        per_j = min(n_d, max(floor_j, times_j * share))
        picked = np.zeros((n_d, n_j), bool)
        step = max(1, _CHUNK // n_j)
        for s in range(0, n_d, step):
            rows = slice(s, s + step)
            picked[rows] = _best(self._scores(rows, slice(None), self.a[rows].astype(float)),
                                 per_d)
        step = max(1, _CHUNK // n_d)
        for s in range(0, n_j, step):
            cols = slice(s, s + step)
            score = self._scores(slice(None), cols, self.a[:, cols].astype(float)).T
            picked[:, cols] |= _best(score, per_j).T
        return picked & self.free

    def run(self, local_causes: Callable[[], tuple[list[Shortfall], np.ndarray]]
            ) -> list[Shortfall]:
        local: list[Shortfall] | None = None
        for _ in range(_MAX_ROUNDS):
            result = self._solve() if len(self.col_d) else None
            if result is None:  # the working set holds no plan: is there one at all?
                if local is None:
                    local, target = local_causes()
                before = len(self.col_d)
                cut = self._make_feasible(target if local else self.k)
                if local or cut is not None:
                    return local + (self._capacity(cut, target) if cut is not None else [])
                if len(self.col_d) == before:
                    raise RuntimeError("HiGHS and the maximum flow disagree on feasibility")
                continue
            x, u, v, rows, w = result
            total, new_d, new_j = self._price(u, v, rows, w)
            if len(new_d):
                # Also the best pairs just below zero: they tend to turn positive once the
                # duals move, and every round is a full solve (scipy has no warm start).
                near_d, near_j = self._near(u, v, rows, w,
                                            max(_NEAR_MIN, len(self.col_d) // _NEAR_SHARE))
                self._add(new_d, new_j, near_d, near_j)
                continue
            self.x = x > 0.5
            self.bound = (int(self.k @ u) + int(self.cap @ v) + int(self._rhs(rows) @ w)
                          + total)
            return []
        raise RuntimeError("assignment column generation did not converge")

    def _rhs(self, keys: np.ndarray) -> np.ndarray:
        return _org_rhs(keys, self.m, self.pin_keys, self.pin_counts)

    def _solve(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
        """One LP from scratch over the working set; None when it is infeasible."""
        from scipy import sparse
        from scipy.optimize import linprog
        n_d, n_j = self.free.shape
        cd, cj = self.col_d, self.col_j
        n = len(cd)
        cols = np.arange(n)
        in_org = self.codes[cj] >= 0
        keys, inverse, counts = np.unique(cd[in_org] * self.n_org + self.codes[cj][in_org],
                                          return_inverse=True, return_counts=True)
        rhs = self._rhs(keys)
        needed = counts > rhs  # a row only where the cap can bind
        row_of = np.full(len(keys), -1)
        row_of[needed] = np.arange(int(needed.sum()))
        org_rows = row_of[inverse]
        org_cols = cols[in_org][org_rows >= 0]
        ub_rows = np.concatenate([cj, n_j + org_rows[org_rows >= 0]])
        a_eq = sparse.csc_array((np.ones(n), (cd, cols)), shape=(n_d, n))
        a_ub = sparse.csc_array((np.ones(len(ub_rows)), (ub_rows, np.concatenate(
            [cols, org_cols]))), shape=(n_j + int(needed.sum()), n))
        self.solves += 1
        res = linprog(-self.a[cd, cj].astype(np.float64), A_ub=a_ub,
                      b_ub=np.concatenate([self.cap, rhs[needed]]), A_eq=a_eq, b_eq=self.k,
                      bounds=(0, 1), method="highs-ds")
        if res.status == 2:
            return None
        if res.status != 0:
            raise RuntimeError(f"HiGHS failed on the assignment LP: {res.message}")
        # Duals of a basis of a totally unimodular matrix with integer costs are integers.
        u = np.rint(-res.eqlin.marginals).astype(np.int64)
        y = np.maximum(np.rint(-res.ineqlin.marginals), 0).astype(np.int64)
        return res.x, u, y[:n_j], keys[needed], y[n_j:]

    def _reduced(self, u: np.ndarray, v: np.ndarray, rows: np.ndarray, w: np.ndarray
                 ) -> Iterator[tuple[int, int, np.ndarray]]:
        """(start, end, reduced profits) of every pair, by chunks of dossiers (int64)."""
        n_d, n_j = self.free.shape
        n_org = self.n_org
        step = max(1, _CHUNK // n_j)
        for s in range(0, n_d, step):
            e = min(n_d, s + step)
            r = self.a[s:e].astype(np.int64)
            r -= u[s:e, None]
            r -= v[None, :]
            lo, hi = np.searchsorted(rows, [s * n_org, e * n_org])
            if hi > lo:
                by_org = np.zeros((e - s, n_org + 1), np.int64)
                rd, ro = np.divmod(rows[lo:hi], n_org)
                by_org[rd - s, ro] = w[lo:hi]
                r -= by_org[:, self.gather]
            yield s, e, r

    def _price(self, u: np.ndarray, v: np.ndarray, rows: np.ndarray, w: np.ndarray
               ) -> tuple[int, np.ndarray, np.ndarray]:
        """Sum of positive reduced profits over ALL allowed pairs (the certificate's last
        term) and, per dossier, its best few violating pairs outside the working set."""
        per_row = max(3, int(self.k.max()))
        total = 0
        found_d, found_j = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
        for s, e, r in self._reduced(u, v, rows, w):
            positive = self.free[s:e] & (r > 0)
            total += sum(np.where(positive, r, 0).sum(axis=1).tolist())
            violating = positive & ~self.inset[s:e]
            if violating.any():
                score = self._scores(slice(s, e), slice(None), r.astype(np.float64))
                dd, jj = np.nonzero(_best(np.where(violating, score, -np.inf), per_row))
                found_d.append(dd + s)
                found_j.append(jj)
        return total, np.concatenate(found_d), np.concatenate(found_j)

    def _near(self, u: np.ndarray, v: np.ndarray, rows: np.ndarray, w: np.ndarray,
              count: int) -> tuple[np.ndarray, np.ndarray]:
        """The `count` best allowed pairs outside the working set by reduced profit."""
        n_j = self.free.shape[1]
        lowest = np.iinfo(np.int64).min
        best_r, best_at = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
        for s, e, r in self._reduced(u, v, rows, w):
            flat = np.where(self.free[s:e] & ~self.inset[s:e], r, lowest).ravel()
            at = np.argpartition(flat, flat.size - count)[flat.size - count:] \
                if flat.size > count else np.arange(flat.size)
            at = at[flat[at] > lowest]
            best_r.append(flat[at])
            best_at.append(at + s * n_j)
        values, where = np.concatenate(best_r), np.concatenate(best_at)
        if len(values) > count:
            where = where[np.argpartition(values, len(values) - count)[len(values) - count:]]
        return np.divmod(where, n_j)

    def _add(self, *batches: np.ndarray) -> None:
        n_j = self.free.shape[1]
        flat = np.unique(np.concatenate([d * n_j + j for d, j in zip(
            batches[::2], batches[1::2], strict=True)]))
        new_d, new_j = np.divmod(self.rng.permutation(flat), n_j)
        self.inset[new_d, new_j] = True
        self.col_d = np.concatenate([self.col_d, new_d])
        self.col_j = np.concatenate([self.col_j, new_j])

    # --- feasibility: maximum flows on the working set ------------------------------------

    def _make_feasible(self, target: np.ndarray) -> _Cut | None:
        """Grow the working set until it can serve `target` (None), or return a minimum cut
        that no allowed pair crosses: then it is a cut of the whole graph, with capacity below
        the total target, i.e. a proof (Hall's condition fails) that no plan exists."""
        while True:
            cut = self._flow(target)
            if cut.value == int(target.sum()):
                return None
            new_d, new_j = self._crossing(cut)
            if not len(new_d):
                return cut
            self._add(new_d, new_j)

    def _flow(self, target: np.ndarray) -> _Cut:
        from scipy import sparse
        from scipy.sparse import csgraph
        n_d, n_j = self.free.shape
        keep = target[self.col_d] > 0
        fd, fj = self.col_d[keep], self.col_j[keep]
        in_org = self.codes[fj] >= 0
        keys, group = np.unique(fd[in_org] * self.n_org + self.codes[fj][in_org],
                                return_inverse=True)
        first_j = 1 + n_d + len(keys)
        sink = first_j + n_j
        dossiers = np.flatnonzero(target > 0)
        jurors = np.flatnonzero(self.cap > 0)
        tails = np.concatenate([np.zeros(len(dossiers), np.int64), 1 + fd[~in_org],
                                1 + keys // self.n_org, 1 + n_d + group, first_j + jurors])
        heads = np.concatenate([1 + dossiers, first_j + fj[~in_org],
                                1 + n_d + np.arange(len(keys)), first_j + fj[in_org],
                                np.full(len(jurors), sink)])
        caps = np.concatenate([target[dossiers], np.ones(int((~in_org).sum()), np.int64),
                               self._rhs(keys), np.ones(int(in_org.sum()), np.int64),
                               self.cap[jurors]])
        graph = sparse.csr_array((caps.astype(np.int32), (tails, heads)),
                                 shape=(sink + 1, sink + 1))
        flow = csgraph.maximum_flow(graph, 0, sink, method="dinic")
        residual = (graph - flow.flow).tocsr()
        residual.data[residual.data < 0] = 0
        residual.eliminate_zeros()
        side = np.zeros(sink + 1, bool)
        side[csgraph.breadth_first_order(residual, 0, return_predecessors=False)] = True
        into = flow.flow.tocsr()[[0], :].toarray().ravel()[1:1 + n_d]
        return _Cut(int(flow.flow_value), into, side, keys, graph)

    def _crossing(self, cut: _Cut) -> tuple[np.ndarray, np.ndarray]:
        """Allowed pairs outside the working set that cross the cut, best few per dossier: a
        source-side dossier to a sink-side juror, unless through an existing sink-side group
        (its arc from the dossier is already cut). A group on the source side always has its
        dossier there too (it is reached through it or through flow that comes from it)."""
        n_d, n_j = self.free.shape
        first_j = 1 + n_d + len(cut.keys)
        out_j = ~cut.side[first_j:first_j + n_j]
        group_in = cut.side[1 + n_d:first_j]
        per_row = max(3, int(self.k.max()))
        found_d, found_j = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
        source_rows = np.flatnonzero(cut.side[1:1 + n_d])
        step = max(1, _CHUNK // n_j)
        for s in range(0, len(source_rows), step):
            rows = source_rows[s:s + step]
            crossing = self.free[rows] & ~self.inset[rows] & out_j[None, :]
            if len(cut.keys):
                key = rows[:, None] * self.n_org + self.codes[None, :]
                at = np.minimum(np.searchsorted(cut.keys, key), len(cut.keys) - 1)
                blocked = (cut.keys[at] == key) & ~group_in[at] & (self.codes >= 0)[None, :]
                crossing &= ~blocked
            if crossing.any():
                score = self._scores(rows, slice(None), self.a[rows].astype(np.float64))
                dd, jj = np.nonzero(_best(np.where(crossing, score, -np.inf), per_row))
                found_d.append(rows[dd])
                found_j.append(jj)
        return np.concatenate(found_d), np.concatenate(found_j)

    def _capacity(self, cut: _Cut, target: np.ndarray) -> list[Shortfall]:
        """The dossiers short in the maximum flow, each with the source-side dossiers that
        compete with it: its connected component among source-side dossiers and jurors over
        every allowed pair (one group for all when that graph would be too large)."""
        from scipy import sparse
        from scipy.sparse import csgraph
        n_d, n_j = self.free.shape
        first_j = 1 + n_d + len(cut.keys)
        in_d = np.flatnonzero(cut.side[1:1 + n_d])
        in_j = np.flatnonzero(cut.side[first_j:first_j + n_j])
        label = np.zeros(n_d, np.int64)
        if len(in_d) * len(in_j) <= 4 * _CHUNK:
            dd, jj = np.nonzero(self.free[np.ix_(in_d, in_j)])
            links = sparse.csr_array((np.ones(len(dd)), (dd, len(in_d) + jj)),
                                     shape=(len(in_d) + len(in_j),) * 2)
            label[in_d] = csgraph.connected_components(links, directed=False)[1][:len(in_d)]
        members = {}
        for d, lab in zip(in_d.tolist(), label[in_d].tolist(), strict=True):
            members.setdefault(lab, []).append(self.ids[d])
        return [Shortfall(self.ids[d], int(target[d] - cut.into[d]), "capacity",
                          tuple(sorted(members[label[d]])))
                for d in np.flatnonzero(cut.into < target).tolist()]


def _best(score: np.ndarray, count: int) -> np.ndarray:
    """Per row, the `count` highest finite scores (all finite ones when fewer)."""
    if count >= score.shape[1]:
        return np.isfinite(score)
    threshold = np.partition(score, score.shape[1] - count, axis=1)[:, score.shape[1] - count]
    return (score >= threshold[:, None]) & np.isfinite(score)


def _org_rhs(keys: np.ndarray, m: int, pin_keys: np.ndarray, pin_counts: np.ndarray
             ) -> np.ndarray:
    """m minus the pins already in each (dossier, organisation) key (pin_keys sorted)."""
    rhs = np.full(len(keys), m, np.int64)
    if len(pin_keys):
        at = np.minimum(np.searchsorted(pin_keys, keys), len(pin_keys) - 1)
        hit = pin_keys[at] == keys
        rhs[hit] -= pin_counts[at[hit]]
    return rhs


def _local_causes(ok: np.ndarray, k: np.ndarray, pinned: np.ndarray, codes: np.ndarray,
                  n_org: int, m: int, ids: list[int]) -> tuple[list[Shortfall], np.ndarray]:
    """Dossiers that lack jurors even alone ("conflicts", then "organisation_cap"), and the
    residual demand every dossier can still aim at (what capacity is then checked against)."""
    allowed = ok.sum(axis=1)
    reachable = allowed.copy()
    if n_org:
        order = np.argsort(codes, kind="stable")
        order = order[codes[order] >= 0]
        starts = np.searchsorted(codes[order], np.arange(n_org))
        step = max(1, _CHUNK // max(1, len(order)))
        for s in range(0, len(ok), step):
            counts = np.add.reduceat(ok[s:s + step][:, order].astype(np.int32), starts, axis=1)
            reachable[s:s + step] = (np.minimum(counts, m).sum(axis=1)
                                     + ok[s:s + step][:, codes < 0].sum(axis=1))
    shortfalls = []
    for d in np.flatnonzero(reachable < k).tolist():
        if allowed[d] < k[d]:
            shortfalls.append(Shortfall(ids[d], int(k[d] - allowed[d]), "conflicts"))
        else:
            shortfalls.append(Shortfall(ids[d], int(k[d] - reachable[d]), "organisation_cap"))
    return shortfalls, np.minimum(k, reachable) - pinned


def _verify(ok: np.ndarray, k: np.ndarray, cap: np.ndarray, codes: np.ndarray, m: int,
            pins: np.ndarray, chosen: np.ndarray) -> None:
    """Every rule, checked on the final pairs (a broken solver must not go unnoticed)."""
    pairs = np.concatenate([pins, chosen])
    n_d, n_j = ok.shape
    flat = pairs[:, 0] * n_j + pairs[:, 1]
    in_org = codes[pairs[:, 1]] >= 0
    per_org = np.unique(pairs[in_org, 0] * (n_j + 1) + codes[pairs[in_org, 1]],
                        return_counts=True)[1]
    if (len(np.unique(flat)) != len(flat) or not ok[pairs[:, 0], pairs[:, 1]].all()
            or (np.bincount(pairs[:, 0], minlength=n_d) != k).any()
            or (np.bincount(pairs[:, 1], minlength=n_j) > cap).any()
            or (per_org > m).any()):
        raise RuntimeError("the assignment LP returned a plan that breaks a rule")
