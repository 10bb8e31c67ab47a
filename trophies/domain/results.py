"""Results stage: a round's submitted score sheets turned into scores, a juror-bias-corrected
score, calibrated rank intervals and reliability figures (design.md §5). Pure: standard
library and numpy only, plain dataclasses in and out; the same inputs in any order give the
same result, floats included (everything is sorted by id before any sum).

- Scores are exact (`Fraction`): a sheet's total equals `domain.scoring.sheet_total` (computed
  here in integers over one common denominator, one Fraction per sheet); a dossier's score is
  the mean (default) or the median of its sheets' totals; criterion averages are over the
  sheets that marked the criterion (N/A is left out, never counted as 0). A sheet with no
  value at all (every criterion N/A) has no total and counts nowhere.
- The corrected score fits `total = quality(dossier) + offset(juror) + noise` by least squares
  over the whole round (all categories), with a ridge of `Policy.ridge` pseudo-sheets at 0 on
  each offset, offsets summing to zero within each connected component of the juror-dossier
  graph, and jurors with fewer than `Policy.min_sheets` sheets held at offset 0 (see `_fit`).
  A severity shared by a whole component cannot be seen and stays in its qualities. Advisory:
  shown beside the raw score; its ranks tie when equal to 1e-9.
- Rank intervals come from an empirical-Bayes model per category and seeded draws from the
  posterior of the qualities (a parametric bootstrap), not from resampling the 3 sheets (see
  `_rank_categories` and `rank_intervals`): in simulations (bench/results_simulation.py)
  90% intervals hold the true rank about 94% of the time, resampling the sheets about 74%.
- Reliability: the intraclass correlation ICC(1) of a single sheet, and of the mean of k
  sheets (see `reliability`); per juror, the agreement with the other jurors.
- Components are numbered 0, 1, ... in the order of their smallest juror id; a dossier
  without a sheet belongs to none (-1).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import chain
from operator import attrgetter
from typing import NamedTuple

import numpy as np

from trophies.domain.ranking import Ranked, RankItem, TieBreak, rank
from trophies.domain.scoring import Scale


@dataclass(frozen=True)
class Policy:
    """How a round is computed; recorded in the snapshot so anyone can recompute it."""

    aggregation: str = "mean"           # "mean" | "median"
    tie_break: tuple[TieBreak, ...] = ()
    ridge: float = 4.0                  # ridge on the offsets, in pseudo-sheets at offset 0
    min_sheets: int = 3                 # fewer sheets: the juror's offset is held at 0
    resamples: int = 2000               # posterior draws for the rank intervals
    level: float = 0.9                  # rank interval level, and of the laureate's set
    seed: int = 0
    #: A dossier's sheets disagree when max - min reaches this many points (of 100).
    disagreement: int = 25


@dataclass(frozen=True)
class DossierInput:
    dossier_id: int
    category_id: int


@dataclass(frozen=True)
class SheetInput:
    """One submitted sheet: criterion id -> value on its scale, None for N/A (a criterion
    missing from `marks` counts as N/A too)."""

    sheet_id: int
    dossier_id: int
    juror_id: int
    marks: Mapping[int, int | None]


@dataclass(frozen=True)
class DossierResult:
    dossier_id: int
    category_id: int
    sheets: int
    #: Sheet totals (0-100, exact), ascending.
    totals: tuple[Fraction, ...]
    mean: Fraction | None
    median: Fraction | None
    #: The official score: mean or median per the policy; None without a submitted sheet.
    score: Fraction | None
    #: criterion id -> average of the rescaled marks (0-100) over the sheets that marked it.
    criteria: Mapping[int, Fraction]
    sd: float | None                    # sample standard deviation of the totals (n >= 2)
    spread: Fraction | None             # max - min of the totals
    disagreement: bool
    corrected: float | None             # advisory: quality estimate with offsets removed
    #: Official rank in its category after the declared tie-breaks; None without a score.
    rank: int | None
    tied: bool
    broken_by: TieBreak | None
    corrected_rank: int | None          # rank by the corrected score (ties share a rank)
    interval: tuple[int, int] | None    # rank interval at `Policy.level` (posterior draws)
    p_first: float | None               # posterior probability of being truly first
    in_top_set: bool                    # in the smallest set holding the laureate at `level`
    component: int                      # connected component of the juror-dossier graph


@dataclass(frozen=True)
class JurorResult:
    juror_id: int
    sheets: int
    mean: float | None                  # mean total given
    sd: float | None                    # standard deviation of the totals given (n >= 2)
    offset: float                       # estimated severity (+ lenient, - severe), points
    offset_se: float | None             # its standard error; None when held at 0
    held: bool                          # fewer than Policy.min_sheets sheets: offset held at 0
    component: int
    #: Pearson correlation of this juror's totals with the mean of the other jurors' totals
    #: on the same dossiers (None with fewer than 3 such dossiers or no variance).
    agreement: float | None
    #: Mean of (this juror's total - the others' mean) on the same dossiers.
    deviation: float | None


@dataclass(frozen=True)
class CategoryResult:
    category_id: int
    #: Best first, by official rank (unscored dossiers last).
    dossiers: tuple[DossierResult, ...]
    #: Posterior probability that the dossier ranked first is truly first (None: fewer than
    #: two scored dossiers).
    p_first_top: float | None
    #: The smallest set of dossiers (ids, by decreasing p_first) that contains the laureate
    #: with probability >= level.
    top_set: tuple[int, ...]
    quality_mean: float | None
    quality_sd: float | None            # estimated spread of true qualities (tau)


@dataclass(frozen=True)
class RoundResult:
    policy: Policy
    categories: tuple[CategoryResult, ...]
    jurors: tuple[JurorResult, ...]     # by juror id
    components: int                     # connected components (with at least one sheet)
    sheets: int
    residual_sd: float | None           # noise of a sheet once quality and offset are removed
    icc_single: float | None            # reliability of one sheet (ICC(1))
    icc_mean: float | None              # reliability of the mean of k sheets (Spearman-Brown)
    k: float | None                     # the average number of sheets per dossier used above
    by_dossier: Mapping[int, DossierResult] = field(default_factory=dict)


#: Integers below this are exact in float64; the fast paths stay below it (else Python ints).
_EXACT_FLOAT = 2**53
#: Bounds computed in floats are compared with this (a margin for their rounding).
_SAFE = 2**50
#: A mark's value standing for N/A in the flattened arrays (no scale reaches it).
_NA = np.iinfo(np.int64).min
#: Float statistics below this count as zero (variances of totals on a 0-100 scale).
_ZERO = 1e-12
#: Posterior draws are ranked in blocks of about this many values (memory, not results).
_BLOCK = 2_000_000


def compute(dossiers: Sequence[DossierInput], sheets: Sequence[SheetInput],
            scales: Sequence[Scale], policy: Policy) -> RoundResult:
    """The whole computation of one round. The result does not depend on the order of
    `dossiers` or `sheets`; the posterior draws are deterministic for `policy.seed`.

    Raises ValueError for a dossier or sheet id given twice, a sheet of a dossier not in
    `dossiers`, a criterion id given twice, a scale whose maximum is not above its minimum, or
    a policy out of range (see `check_policy`).
    """
    check_policy(policy)
    dossier_ids = sorted(d.dossier_id for d in dossiers)
    if len(set(dossier_ids)) != len(dossier_ids):
        raise ValueError("a dossier is given twice")
    category_of = {d.dossier_id: d.category_id for d in dossiers}
    ordered = sorted(sheets, key=attrgetter("sheet_id"))
    if any(a.sheet_id == b.sheet_id for a, b in zip(ordered, ordered[1:], strict=False)):
        raise ValueError("a sheet is given twice")
    where = {dossier_id: at for at, dossier_id in enumerate(dossier_ids)}
    try:
        owner = np.array([where[s.dossier_id] for s in ordered], dtype=np.int64)
    except KeyError as missing:
        raise ValueError(f"a sheet of dossier {missing.args[0]}, which is not in the round"
                         ) from None
    table = _totals(ordered, owner, scales, len(dossier_ids))
    exact = _dossier_statistics(table, policy, len(dossier_ids))
    model = _fit(table, policy)
    places, ranked = _rank_categories(dossier_ids, category_of, exact, model, policy)
    jurors = _juror_results(table, model)
    icc_single, icc_mean, k = reliability(table.total, table.dossier)

    results: dict[int, DossierResult] = {}
    for at, dossier_id in enumerate(dossier_ids):
        stats = exact.get(at)
        official, corrected_rank, interval, p_first, in_top = places[dossier_id]
        if stats is None:
            results[dossier_id] = DossierResult(
                dossier_id, category_of[dossier_id], 0, (), None, None, None, {}, None, None,
                False, None, official.rank, official.tied, official.broken_by, None, None, None,
                False, -1)
            continue
        results[dossier_id] = DossierResult(
            dossier_id, category_of[dossier_id], stats.sheets, stats.totals, stats.mean,
            stats.median, stats.score, stats.criteria, stats.sd, stats.spread,
            stats.disagreement, model.corrected[at], official.rank, official.tied,
            official.broken_by, corrected_rank, interval, p_first, in_top,
            model.dossier_component[at])
    categories = tuple(
        CategoryResult(c.category_id, tuple(results[d] for d in c.order), c.p_first_top,
                       c.top_set, c.quality_mean, c.quality_sd)
        for c in ranked)
    return RoundResult(
        policy, categories, jurors, model.components, len(table.total),
        None if model.sigma2 is None else math.sqrt(model.sigma2), icc_single, icc_mean, k,
        by_dossier=results)


def close_calls(category: CategoryResult, cut: int) -> frozenset[int]:
    """Dossiers whose rank interval straddles the cut line (the first `cut` places: 1 for
    the laureate, N for a shortlist): the interval reaches place `cut` or better (lower bound
    <= cut) and also a place behind the line (upper bound > cut), so their side of the line
    is not settled. Dossiers without an interval are never close calls."""
    return frozenset(d.dossier_id for d in category.dossiers
                     if d.interval is not None and d.interval[0] <= cut < d.interval[1])


def check_policy(policy: Policy) -> None:
    """Raises ValueError unless `policy` can be computed: aggregation "mean" or "median",
    ridge >= 0, min_sheets >= 0, resamples >= 0 (0: no posterior draws, no intervals),
    0 < level < 1."""
    if policy.aggregation not in ("mean", "median"):
        raise ValueError(f"unknown aggregation: {policy.aggregation!r}")
    if not policy.ridge >= 0 or not math.isfinite(policy.ridge):
        raise ValueError("the ridge must be a finite number >= 0")
    if policy.min_sheets < 0 or policy.resamples < 0:
        raise ValueError("min_sheets and resamples must be >= 0")
    if not 0 < policy.level < 1:
        raise ValueError("the level must be strictly between 0 and 1")


# --- exact totals ---------------------------------------------------------------------------


@dataclass
class _Table:
    """The sheets that have a total, grouped by dossier (dossier position ascending), totals
    ascending within a dossier (exactly), then by sheet id."""

    dossier: np.ndarray        # position of the dossier in the sorted dossier ids
    juror: np.ndarray          # position of the juror in `juror_ids`
    juror_ids: np.ndarray      # sorted
    total: np.ndarray          # float total (correctly rounded)
    exact: list[Fraction]      # exact total
    num: np.ndarray            # exact total = num / (common * weight)
    weight: np.ndarray         # sum of the weights of the criteria marked
    common: int                # the lcm of the scales' ranges
    #: dossier position -> criterion id -> average rescaled mark (dossiers with a sheet)
    criteria: dict[int, dict[int, Fraction]]
    fractions: dict[tuple[int, int], Fraction]   # cache of Fraction(num, den)


def _fraction(cache: dict[tuple[int, int], Fraction], num: int, den: int) -> Fraction:
    key = (num, den)
    value = cache.get(key)
    if value is None:
        value = cache[key] = Fraction(num, den)
    return value


def _fractions(cache: dict[tuple[int, int], Fraction], num: np.ndarray, den: np.ndarray
               ) -> list[Fraction]:
    """[Fraction(n, d) for n, d in zip(num, den)], building each distinct pair once (jury
    marks repeat: far fewer distinct totals than sheets)."""
    if not len(num):
        return []
    dens, den_at = np.unique(den, return_inverse=True) if den.dtype != object else ((), None)
    low = int(num.min()) if num.dtype != object else 0
    if (num.dtype == object or den_at is None
            or (int(num.max()) - low + 1) * len(dens) >= _EXACT_FLOAT):
        return [_fraction(cache, n, d) for n, d in zip(num.tolist(), den.tolist(), strict=True)]
    keys, inverse = np.unique((num - low) * len(dens) + den_at, return_inverse=True)
    made = [_fraction(cache, int(k) // len(dens) + low, int(dens[k % len(dens)]))
            for k in keys.tolist()]
    return [made[i] for i in inverse.tolist()]


def _sums(index: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Sums of `values` by `index` (0..size-1), exact: int64 below 2**53 through float
    bincount, Python ints (object array) otherwise."""
    if values.dtype != object:
        return np.bincount(index, values.astype(np.float64), size).astype(np.int64)
    out = np.zeros(size, dtype=object)
    for at, value in zip(index.tolist(), values.tolist(), strict=True):
        out[at] += value
    return out


def _values(ordered: Sequence[SheetInput], count: int) -> np.ndarray:
    """Every mark's value in sheet order, _NA for N/A, as int64. Read through float64 (where
    None becomes NaN) when every value is an integer below 2**53 in magnitude, so exactly;
    else one by one (a value beyond int64 raises ValueError, a non-integer TypeError)."""
    flat = np.fromiter(chain.from_iterable(s.marks.values() for s in ordered), np.float64,
                       count)
    na = np.isnan(flat)
    known = flat[~na]
    if not known.size or (float(np.abs(known).max()) < _EXACT_FLOAT
                          and bool((known == np.trunc(known)).all())):
        values = np.where(na, 0.0, flat).astype(np.int64)
        values[na] = _NA
        return values
    out = []
    for value in chain.from_iterable(s.marks.values() for s in ordered):
        if value is not None and not isinstance(value, int):
            raise TypeError(f"a mark must be an integer, not {value!r}")
        out.append(_NA if value is None else value)
    try:
        return np.array(out, dtype=np.int64)
    except OverflowError:
        raise ValueError("a mark is beyond the 64-bit integers") from None


def _totals(ordered: Sequence[SheetInput], owner: np.ndarray, scales: Sequence[Scale],
            n_dossiers: int) -> _Table:
    """Every sheet's exact total, as `scoring.sheet_total` computes it (the weighted mean of
    the marks rescaled to 0-100 over the criteria with a value), in integers over one common
    denominator: with L the lcm of the scales' ranges (max - min), a mark adds
    weight * 100 * (value - min) * L / range to an integer numerator and its weight to the
    sheet's weight sum W; the total is numerator / (L * W), one Fraction per sheet. Marks of
    criteria that are not in `scales` are ignored, like `sheet_total` does. A sheet with no
    value on any criterion (all N/A) has no total and is left out of everything."""
    ids = np.array(sorted(s.criterion_id for s in scales), dtype=np.int64)
    if len(set(ids.tolist())) != len(ids):
        raise ValueError("a criterion is given twice")
    by_id = {s.criterion_id: s for s in scales}
    if any(s.maximum <= s.minimum for s in scales):
        raise ValueError("a scale's maximum must be above its minimum")
    spans = [by_id[c].maximum - by_id[c].minimum for c in ids.tolist()]
    common = math.lcm(*spans) if spans else 1
    factors = [by_id[c].weight * 100 * (common // r) for c, r in zip(ids.tolist(), spans,
                                                                     strict=True)]
    lows = [by_id[c].minimum for c in ids.tolist()]
    weights = [by_id[c].weight for c in ids.tolist()]

    lengths = np.array([len(s.marks) for s in ordered], dtype=np.int64)
    count = int(lengths.sum())
    keys = np.fromiter(chain.from_iterable(s.marks for s in ordered), np.int64, count)
    values = _values(ordered, count)
    sheet_of = np.repeat(np.arange(len(ordered)), lengths)
    at = np.searchsorted(ids, keys)
    at[at >= len(ids)] = 0
    valid = (values != _NA) & (ids[at] == keys) if len(ids) else np.zeros(count, bool)
    crit, sheet_of, values = at[valid], sheet_of[valid], values[valid]

    low_f = np.array(lows, dtype=np.float64)
    factor_f = np.array(factors, dtype=np.float64)
    weight_f = np.array(weights, dtype=np.float64)
    x_f = values.astype(np.float64) - low_f[crit] if crit.size else np.zeros(0)
    bound = float(np.abs(x_f) @ factor_f[crit]) if crit.size else 0.0
    # int64 and float64 stay exact while every sum of terms, of values and every L * W is
    # below 2**53 (sums of magnitudes bound them all); else Python integers.
    if (bound < _SAFE and float(np.abs(x_f).sum()) < _SAFE
            and common * (float(np.abs(weight_f).sum()) + 1) < _SAFE):
        x = values - np.array(lows, dtype=np.int64)[crit]
        term = x * np.array(factors, dtype=np.int64)[crit]
        mark_weight = np.array(weights, dtype=np.int64)[crit]
    else:                                   # pathological scales or marks: Python integers
        x = values.astype(object) - np.array(lows, dtype=object)[crit]
        term = x * np.array(factors, dtype=object)[crit]
        mark_weight = np.array(weights, dtype=object)[crit]
    num = _sums(sheet_of, term, len(ordered))
    weight = _sums(sheet_of, mark_weight, len(ordered))

    kept = np.flatnonzero(weight != 0)
    dossier = owner[kept]
    num, weight = num[kept], weight[kept]
    if num.dtype != object:
        total = num.astype(np.float64) / (weight.astype(np.float64) * common)
    else:
        total = np.array([n / (common * w) for n, w in zip(num.tolist(), weight.tolist(),
                                                          strict=True)], dtype=np.float64)
    cache: dict[tuple[int, int], Fraction] = {}
    exact = _fractions(cache, num, weight * common)

    # by dossier, then ascending total: the float orders (correctly rounded, so monotonic),
    # the Fraction decides where floats are equal; the sort is stable (sheet id order).
    order = np.lexsort((total, dossier))
    exact = [exact[i] for i in order.tolist()]
    same = ((dossier[order][1:] == dossier[order][:-1])
            & (total[order][1:] == total[order][:-1]))
    if same.any():                          # equal floats: order those dossiers exactly
        grouped = dossier[order]
        for at in sorted(set(grouped[np.flatnonzero(same)].tolist())):
            start, stop = np.searchsorted(grouped, [at, at + 1]).tolist()
            block = sorted(range(start, stop), key=exact.__getitem__)
            order[start:stop] = order[block]
            exact[start:stop] = [exact[i] for i in block]
    juror_raw = np.array([ordered[i].juror_id for i in kept[order].tolist()], dtype=np.int64)
    juror_ids, juror = np.unique(juror_raw, return_inverse=True)

    # criterion averages: 100 * sum(value - min) / (range * count), over kept sheets' marks
    keep_sheet = np.zeros(len(ordered), bool)
    keep_sheet[kept] = True
    marked = keep_sheet[sheet_of]
    n_crit = max(1, len(ids))
    cell = owner[sheet_of[marked]] * n_crit + crit[marked]
    sums = _sums(cell, x[marked], n_dossiers * n_crit)
    counts = np.bincount(cell, minlength=n_dossiers * n_crit)
    cells = np.flatnonzero(counts)
    span_of = np.array(spans, dtype=np.int64) if spans else np.ones(1, np.int64)
    span_cells = span_of[cells % n_crit]
    avg = _fractions(cache, sums[cells] * 100, span_cells * counts[cells])
    criteria: dict[int, dict[int, Fraction]] = {}
    marked_ids = ids[cells % n_crit].tolist() if len(ids) else []
    holder = cells // n_crit
    starts = np.flatnonzero(np.r_[True, holder[1:] != holder[:-1]]) if len(cells) else cells
    bounds = [*starts.tolist(), len(cells)]
    for at, a, b in zip(holder[starts].tolist(), bounds, bounds[1:], strict=False):
        criteria[at] = dict(zip(marked_ids[a:b], avg[a:b], strict=True))
    return _Table(dossier[order], juror, juror_ids, total[order], exact, num[order],
                  weight[order], common, criteria, cache)


class _Exact(NamedTuple):
    sheets: int
    totals: tuple[Fraction, ...]
    mean: Fraction
    median: Fraction
    score: Fraction
    criteria: dict[int, Fraction]
    sd: float | None
    spread: Fraction
    disagreement: bool


def _dossier_statistics(table: _Table, policy: Policy, n_dossiers: int) -> dict[int, _Exact]:
    """Per dossier with a sheet: exact mean, median (of an even count: the mean of the two
    middle totals), spread (max - min) and disagreement (spread >= policy.disagreement); the
    sample standard deviation (n - 1) in floats. Where all of a dossier's sheets have the
    same weight sum W (no N/A, or the same N/A), in integers over L * W; else in Fractions."""
    if not len(table.total):
        return {}
    n = np.bincount(table.dossier, minlength=n_dossiers)
    present = np.flatnonzero(n)
    counts = n[present]
    first = np.concatenate(([0], np.cumsum(counts)[:-1]))
    last = first + counts - 1
    mid = first + counts // 2
    same_weight = (np.minimum.reduceat(table.weight, first)
                   == np.maximum.reduceat(table.weight, first))
    num = table.num
    den = table.weight[first] * table.common
    spread_num = num[last] - num[first]
    cache, exact = table.fractions, table.exact
    means = _fractions(cache, np.add.reduceat(num, first), den * counts)
    spreads = _fractions(cache, spread_num, den)
    even = np.flatnonzero(counts % 2 == 0)
    halves = dict(zip(even.tolist(), _fractions(cache, num[mid[even] - 1] + num[mid[even]],
                                                2 * den[even]), strict=True))
    mean_f = np.bincount(table.dossier, table.total, n_dossiers)[present] / counts
    deviation = table.total - np.repeat(mean_f, counts)
    square = np.bincount(table.dossier, deviation * deviation, n_dossiers)[present]
    gap = policy.disagreement
    use_median = policy.aggregation == "median"
    criteria = table.criteria
    out: dict[int, _Exact] = {}
    for i, (at, a, b, k, m, same, sq, d, wide) in enumerate(zip(
            present.tolist(), first.tolist(), last.tolist(), counts.tolist(), mid.tolist(),
            same_weight.tolist(), square.tolist(), den.tolist(), spread_num.tolist(),
            strict=True)):
        totals = tuple(exact[a:b + 1])
        if same:
            mean, spread, disagreement = means[i], spreads[i], wide >= gap * d
            median = halves[i] if k % 2 == 0 else exact[m]
        else:
            mean = sum(totals, Fraction(0)) / k
            median = exact[m] if k % 2 else (exact[m - 1] + exact[m]) / 2
            spread = exact[b] - exact[a]
            disagreement = spread >= gap
        out[at] = _Exact(k, totals, mean, median, median if use_median else mean,
                         criteria.get(at, {}), math.sqrt(sq / (k - 1)) if k > 1 else None,
                         spread, disagreement)
    return out


# --- the additive model: quality + offset + noise --------------------------------------------


@dataclass
class _Model:
    offset: np.ndarray                 # by juror position (0 for held jurors)
    covariance: np.ndarray | None      # of the offsets, sigma2 * G (J x J); None without sigma2
    held: np.ndarray                   # by juror position
    juror_component: np.ndarray
    components: int
    corrected: dict[int, float]        # dossier position -> corrected score
    dossier_component: dict[int, int]  # dossier position -> component (-1: no sheet)
    error_variance: dict[int, float]   # dossier position -> v_d (empty without sigma2)
    sigma2: float | None


def _within_pairs(group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every ordered pair (s, s') of rows in the same group, s = s' included, for rows
    sorted by group."""
    size = np.bincount(group)[group]
    start = np.searchsorted(group, group, side="left")
    left = np.repeat(np.arange(len(group)), size)
    step = np.arange(int(size.sum())) - np.repeat(np.cumsum(size) - size, size)
    return left, np.repeat(start, size) + step


def _fit(table: _Table, policy: Policy) -> _Model:
    """Least squares for total(s) = quality(dossier) + offset(juror) + noise over the whole
    round, with a ridge of `policy.ridge` pseudo-sheets at 0 on each free juror's offset and
    the free offsets summing to zero in each connected component; jurors with fewer than
    `policy.min_sheets` sheets are held at 0 (their sheets still count for the qualities).

    The qualities are eliminated by centring within each dossier (their least-squares value
    given the offsets is the dossier's mean of total - offset), leaving for the free offsets
    o the J x J system (M + ridge I) o = b under the constraints, with
    M = sum over dossiers of (diag(a_d) - a_d a_d' / n_d) (a_d: the dossier's sheets per
    juror) and b_j = sum of juror j's totals minus their dossier's mean. Each component is
    solved on its own through the bordered (KKT) matrix [[M + ridge I, 1], [1', 0]], whose
    inverse's leading block G gives both the offsets (G b) and, times sigma2, their
    covariance (the posterior covariance of the offsets under the ridge's prior, conditioned
    on the constraint). The bordered matrix is invertible even with ridge 0: within a
    component M's only null direction is the constant, which the constraint removes.

    sigma2, the noise of one sheet, is the residual sum of squares over N - D - (J_free - K)
    degrees of freedom (D dossiers with a sheet, J_free free jurors, K components holding a
    free juror: the constraint removes one parameter per component; the ridge is not counted,
    which makes sigma2 slightly conservative). Without degrees of freedom left it falls back
    on the pooled within-dossier variance (which also holds the jurors' severities, so it is
    larger), and is None when no dossier has two sheets.
    """
    n_sheets, n_jurors = len(table.total), len(table.juror_ids)
    dossiers, first_at = np.unique(table.dossier, return_index=True)
    group = np.searchsorted(dossiers, table.dossier)           # compact dossier index
    n_d = np.bincount(group).astype(np.float64) if n_sheets else np.zeros(0)
    per_juror = np.bincount(table.juror, minlength=n_jurors)
    held = per_juror < policy.min_sheets
    free = ~held
    t = table.total
    mean_d = np.bincount(group, t) / n_d if n_sheets else np.zeros(0)
    centred = t - mean_d[group] if n_sheets else np.zeros(0)
    b = np.bincount(table.juror, centred, n_jurors)
    left, right = _within_pairs(group) if n_sheets else (np.zeros(0, int), np.zeros(0, int))
    cell = table.juror[left] * n_jurors + table.juror[right]
    weights = 1.0 / n_d[group[left]] if n_sheets else np.zeros(0)
    shared = np.bincount(cell, weights, n_jurors * n_jurors).reshape(n_jurors, n_jurors)
    m = np.diag(per_juror.astype(np.float64)) - shared

    component = np.full(n_jurors, -1, dtype=np.int64)
    linked = shared > 0
    count = 0
    for start in range(n_jurors):                  # by juror id: numbering by smallest id
        if component[start] >= 0:
            continue
        component[start] = count
        stack = [start]
        while stack:
            reached = np.flatnonzero(linked[stack.pop()] & (component < 0))
            component[reached] = count
            stack.extend(reached.tolist())
        count += 1

    offset = np.zeros(n_jurors)
    g = np.zeros((n_jurors, n_jurors))
    with_free = 0
    for k in range(count):
        members = np.flatnonzero((component == k) & free)
        if not members.size:
            continue
        with_free += 1
        size = members.size
        bordered = np.zeros((size + 1, size + 1))
        bordered[:size, :size] = m[np.ix_(members, members)] + policy.ridge * np.eye(size)
        bordered[:size, size] = 1.0
        bordered[size, :size] = 1.0
        block = np.linalg.inv(bordered)[:size, :size]
        block = (block + block.T) / 2
        offset[members] = block @ b[members]
        g[np.ix_(members, members)] = block

    adjusted = t - offset[table.juror]
    corrected_d = np.bincount(group, adjusted) / n_d if n_sheets else np.zeros(0)
    residual = adjusted - corrected_d[group] if n_sheets else np.zeros(0)
    freedom = n_sheets - len(dossiers) - (int(free.sum()) - with_free)
    sigma2: float | None = None
    if freedom > 0:
        sigma2 = float(residual @ residual) / freedom
    elif n_sheets > len(dossiers):
        sigma2 = float(centred @ centred) / (n_sheets - len(dossiers))
    error: dict[int, float] = {}
    if sigma2 is not None and n_sheets:
        joint = np.bincount(group[left], g[table.juror[left], table.juror[right]], len(dossiers))
        v = sigma2 / n_d + sigma2 * np.maximum(joint, 0.0) / (n_d * n_d)
        error = dict(zip(dossiers.tolist(), v.tolist(), strict=True))
    return _Model(
        offset, None if sigma2 is None else sigma2 * g, held, component, count,
        dict(zip(dossiers.tolist(), corrected_d.tolist(), strict=True)),
        dict(zip(dossiers.tolist(), component[table.juror[first_at]].tolist(), strict=True)),
        error, sigma2)


# --- ranking, corrected ranking and posterior rank intervals ---------------------------------


@dataclass(frozen=True)
class _Category:
    category_id: int
    order: tuple[int, ...]             # dossier ids, best first
    p_first_top: float | None
    top_set: tuple[int, ...]
    quality_mean: float | None
    quality_sd: float | None


#: A dossier's places: official, corrected rank, interval, p_first, in the top set.
_Places = tuple[Ranked, int | None, tuple[int, int] | None, float | None, bool]


def _rank_categories(dossier_ids: list[int], category_of: Mapping[int, int],
                     exact: Mapping[int, _Exact], model: _Model, policy: Policy
                     ) -> tuple[dict[int, _Places], list[_Category]]:
    """Per category (by id): the official ranking (`ranking.rank` on the exact scores and the
    declared tie-breaks), the ranking by corrected score, and the posterior rank intervals.

    The intervals are about the true quality, estimated by the corrected score whatever the
    aggregation: y_d the corrected score, v_d = sigma2 / n_d + the variance of the mean of its
    jurors' offsets (from their covariance; the small correlation between a dossier's own
    noise and the offsets, and between dossiers sharing jurors, is neglected). mu is the mean
    of y over the category and tau2 = max(0, sample variance of y - mean of v), the method of
    moments (E[var y] = tau2 + mean v); see `rank_intervals`. The draws are seeded by
    `policy.seed` and the category id and taken over the dossiers in id order. A lone scored
    dossier gets (1, 1) and p_first 1; without sigma2 (no dossier with two sheets) or with
    `policy.resamples` 0 there are no intervals. The top set is the smallest set of dossiers,
    by decreasing p_first (then official rank, then id), whose p_first add up to
    `policy.level`; p_first_top is the p_first of the first dossier of the official order
    (with a tie at rank 1, the tied dossier listed first, by id), None with fewer than two
    scored dossiers; quality_sd is tau, None without sigma2 or with fewer than two scored
    dossiers.
    """
    out: dict[int, _Places] = {}
    categories: list[_Category] = []
    members: dict[int, list[int]] = {}
    for at, dossier_id in enumerate(dossier_ids):
        members.setdefault(category_of[dossier_id], []).append(at)
    for category_id in sorted(members):
        positions = members[category_id]               # ascending dossier id
        items = []
        for at in positions:
            stats = exact.get(at)
            items.append(RankItem(dossier_ids[at], None) if stats is None else
                         RankItem(dossier_ids[at], stats.score, stats.mean, stats.median,
                                  stats.criteria))
        official = rank(items, policy.tie_break)
        by_id = {r.dossier_id: r for r in official}
        scored = [at for at in positions if at in exact]
        corrected = competition_ranks([model.corrected[at] for at in scored])
        corrected_of = dict(zip(scored, corrected, strict=True))

        lo_hi: dict[int, tuple[int, int]] = {}
        p_first: dict[int, float] = {}
        mu = tau = None
        if scored:
            y = np.array([model.corrected[at] for at in scored])
            mu = float(y.mean())
            if len(scored) == 1:
                lo_hi[scored[0]], p_first[scored[0]] = (1, 1), 1.0
            elif model.sigma2 is not None:
                v = np.array([model.error_variance[at] for at in scored])
                tau2 = max(0.0, float(y.var(ddof=1)) - float(v.mean()))
                tau = math.sqrt(tau2)
                if policy.resamples:
                    rng = np.random.default_rng(_seed(policy.seed, category_id))
                    lo, hi, first = rank_intervals(y, v, tau2, policy.resamples, policy.level,
                                                   rng)
                    for i, at in enumerate(scored):
                        lo_hi[at] = (int(lo[i]), int(hi[i]))
                        p_first[at] = float(first[i])
        order = tuple(r.dossier_id for r in official)
        where = {dossier_ids[at]: at for at in positions}
        top_set: tuple[int, ...] = ()
        if p_first:
            candidates = sorted(p_first, key=lambda at: (
                -p_first[at], by_id[dossier_ids[at]].rank or len(positions) + 1,
                dossier_ids[at]))
            chosen, mass = [], 0.0
            for at in candidates:
                chosen.append(dossier_ids[at])
                mass += p_first[at]
                if mass >= policy.level - 1e-9:
                    break
            top_set = tuple(chosen)
        leader = where[order[0]] if order else None
        p_top = (p_first.get(leader) if leader is not None and len(scored) > 1 else None)
        categories.append(_Category(category_id, order, p_top, top_set, mu, tau))
        chosen_set = set(top_set)
        for at in positions:
            dossier_id = dossier_ids[at]
            out[dossier_id] = (by_id[dossier_id], corrected_of.get(at), lo_hi.get(at),
                               p_first.get(at), dossier_id in chosen_set)
    return out, categories


def competition_ranks(values: Sequence[float], places: int = 9) -> list[int]:
    """Competition ranks (1, 2, 2, 4) of float `values`, the highest first; values equal once
    rounded to `places` decimals tie (float noise must not split or order equal scores)."""
    rounded = np.round(np.asarray(values, dtype=np.float64), places)
    ahead = np.sort(-rounded)
    return (np.searchsorted(ahead, -rounded, side="left") + 1).tolist()


def _seed(seed: int, category_id: int) -> int:
    """The draws' seed for one category: a hash of the policy's seed and the category id (any
    integers, negative ones included), so categories draw independently and reproducibly."""
    digest = hashlib.sha256(f"trophies-ranks:{seed}:{category_id}".encode()).digest()
    return int.from_bytes(digest[:16], "big")


def rank_intervals(estimate: np.ndarray, variance: np.ndarray, tau2: float, resamples: int,
                   level: float, rng: np.random.Generator
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Empirical-Bayes rank intervals for one category (a parametric bootstrap).

    Model: estimate_d = q_d + error of variance variance_d, true qualities q_d ~ N(mu, tau2)
    with mu the plain mean of the estimates. The posterior of q_d is normal with mean
    (tau2 * estimate_d + variance_d * mu) / (tau2 + variance_d) and variance
    tau2 * variance_d / (tau2 + variance_d); `resamples` joint draws are ranked (1 = the
    highest) and each dossier gets the quantiles of its ranks at (1 - level) / 2 and
    (1 + level) / 2 (the smallest rank whose cumulative share reaches the probability, so at
    most (1 - level) / 2 of the draws fall outside on each side) and p_first, the share of
    draws where it is first. Equal draws (a posterior variance of 0: no noise, or tau2 = 0,
    when the data cannot tell the dossiers apart) are ordered at random, so that such
    dossiers share the places rather than all being "first".

    `estimate` and `variance` must be in a fixed order (by dossier id) for reproducibility;
    the work is vectorised over blocks of draws.
    Returns (lower, upper, p_first) arrays in the order of `estimate`.
    """
    n = len(estimate)
    mu = float(np.mean(estimate))
    total = tau2 + variance
    safe = np.where(total > 0, total, 1.0)
    mean = np.where(total > 0, (tau2 * estimate + variance * mu) / safe, estimate)
    sd = np.sqrt(np.where(total > 0, tau2 * variance / safe, 0.0))
    random_ties = bool((sd == 0).any())
    dtype = np.uint16 if n < 2**16 else np.int32
    ranks = np.empty((resamples, n), dtype=dtype)
    places = np.arange(1, n + 1, dtype=dtype)
    rows = max(1, _BLOCK // max(n, 1))
    for start in range(0, resamples, rows):
        stop = min(resamples, start + rows)
        draws = mean + sd * rng.standard_normal((stop - start, n))
        if random_ties:
            shuffle = rng.permuted(np.tile(np.arange(n), (stop - start, 1)), axis=1)
            order = np.take_along_axis(
                shuffle, np.argsort(-np.take_along_axis(draws, shuffle, axis=1), axis=1,
                                    kind="stable"), axis=1)
        else:
            order = np.argsort(-draws, axis=1)
        np.put_along_axis(ranks[start:stop], order, np.broadcast_to(places, order.shape),
                          axis=1)
    low_at = max(1, math.ceil((1 - level) / 2 * resamples - 1e-9)) - 1
    high_at = max(1, math.ceil((1 + level) / 2 * resamples - 1e-9)) - 1
    sorted_ranks = np.partition(ranks, (low_at, high_at), axis=0)
    p_first = (ranks == 1).sum(axis=0) / resamples
    return sorted_ranks[low_at].astype(np.int64), sorted_ranks[high_at].astype(np.int64), p_first


# --- jurors and reliability ------------------------------------------------------------------


def _juror_results(table: _Table, model: _Model) -> tuple[JurorResult, ...]:
    """Per juror: sheets, mean and sd of the totals given, offset and its standard error,
    component; agreement (Pearson r between the juror's totals and the mean of the other
    jurors' totals on the same dossiers, over the dossiers that have another juror's sheet;
    None below 3 such dossiers or with no variance on either side) and deviation (the mean
    of own total - others' mean over the same dossiers)."""
    n_jurors = len(table.juror_ids)
    if not n_jurors:
        return ()
    t, juror, dossier = table.total, table.juror, table.dossier
    n = np.bincount(juror, minlength=n_jurors)
    mean = np.bincount(juror, t, n_jurors) / n
    dev = t - mean[juror]
    sq = np.bincount(juror, dev * dev, n_jurors)
    # the others on the same dossier: all the dossier's sheets minus this juror's
    pair_key = dossier * n_jurors + juror
    _, pair_of = np.unique(pair_key, return_inverse=True)
    pair_sum = np.bincount(pair_of, t)
    pair_n = np.bincount(pair_of)
    d_sum = np.bincount(dossier, t)
    d_n = np.bincount(dossier)
    others_n = d_n[dossier] - pair_n[pair_of]
    has = others_n > 0
    others = np.where(has, (d_sum[dossier] - pair_sum[pair_of]) / np.maximum(others_n, 1), 0.0)
    jh, x, y = juror[has], t[has], others[has]
    m = np.bincount(jh, minlength=n_jurors)
    mx = np.bincount(jh, x, n_jurors) / np.maximum(m, 1)
    my = np.bincount(jh, y, n_jurors) / np.maximum(m, 1)
    cx, cy = x - mx[jh], y - my[jh]
    sxx = np.bincount(jh, cx * cx, n_jurors)
    syy = np.bincount(jh, cy * cy, n_jurors)
    sxy = np.bincount(jh, cx * cy, n_jurors)
    gap = np.bincount(jh, x - y, n_jurors) / np.maximum(m, 1)
    cov = model.covariance
    out = []
    for j in range(n_jurors):
        agreement = None
        if m[j] >= 3 and sxx[j] > _ZERO * m[j] and syy[j] > _ZERO * m[j]:
            agreement = float(np.clip(sxy[j] / math.sqrt(sxx[j] * syy[j]), -1.0, 1.0))
        held = bool(model.held[j])
        se = None if held or cov is None else math.sqrt(max(0.0, float(cov[j, j])))
        out.append(JurorResult(
            int(table.juror_ids[j]), int(n[j]), float(mean[j]),
            math.sqrt(sq[j] / (n[j] - 1)) if n[j] > 1 else None, float(model.offset[j]), se,
            held, int(model.juror_component[j]), agreement,
            float(gap[j]) if m[j] else None))
    return tuple(out)


def reliability(totals: np.ndarray, dossier: np.ndarray
                ) -> tuple[float | None, float | None, float | None]:
    """(icc_single, icc_mean, k): the one-way random-effects intraclass correlation ICC(1)
    of the sheet totals over the dossiers with at least two sheets, for unbalanced designs
    (k0 = (N - sum n_d^2 / N) / (D - 1)): (MSB - MSW) / (MSB + (k0 - 1) MSW); the
    reliability of the mean of k sheets by Spearman-Brown, k * r / (1 + (k - 1) r), with k the
    mean number of sheets of those dossiers. A negative estimate (sheets of one dossier agree
    no more than sheets of different dossiers) is reported as 0. None when there are fewer
    than two such dossiers or no variance at all."""
    if not len(totals):
        return None, None, None
    n = np.bincount(dossier)
    keep = n[dossier] >= 2
    t, d = totals[keep], dossier[keep]
    _, g = np.unique(d, return_inverse=True)
    groups = int(g.max()) + 1 if len(g) else 0
    if groups < 2:
        return None, None, None
    n_g = np.bincount(g).astype(np.float64)
    size = float(n_g.sum())
    mean_g = np.bincount(g, t) / n_g
    grand = float(t.mean())
    msb = float(n_g @ (mean_g - grand) ** 2) / (groups - 1)
    within = t - mean_g[g]
    msw = float(within @ within) / (size - groups)
    k0 = (size - float(n_g @ n_g) / size) / (groups - 1)
    k = size / groups
    denominator = msb + (k0 - 1) * msw
    if denominator <= _ZERO:
        return None, None, k
    single = max(0.0, (msb - msw) / denominator)
    return single, k * single / (1 + (k - 1) * single), k
