"""Simulated juries with a known truth: how often each way of scoring finds the true top 3 and
the true winner of a category, and whether the rank intervals are calibrated (design.md §5).

Each edition (its own seed, so the figures do not depend on the number of processes):
- 12-40 jurors (uniform), 4 categories of 15-40 dossiers (uniform), k = 3 sheets a dossier;
- true quality = category level N(55, 3^2) + theme effect (3 themes, N(0, 4^2)) + N(0, 10^2);
- juror j: severity b_j ~ N(0, 6^2) and noise sd s_j ~ U(8, 16) (one sheet's ICC about 0.35,
  as low as grant panels report);
- assignment: random (70% of editions) or by theme (30%): two jurors of the dossier's theme
  panel and one from another panel; in both cases the least loaded jurors first, random among
  equals, and redrawn until the juror-dossier graph is connected;
- a sheet: latent = quality + b_j + s_j * N(0, 1), then 8 criteria on real scales (0-5 x 3,
  0-10 x 3, 1-7, 0-4; weights 2 1 1 3 2 1 1 2), each mark = the latent plus a criterion
  deviation N(0, 6^2), rescaled to its scale, rounded and clipped; the product computes the
  totals from these marks (`trophies.domain.results.compute`, the exact path);
- the same edition is computed twice: with the jurors' severities, and with every b_j = 0.

Methods, per category: the raw mean (the product's official rank, no tie-break rule), the
median (the product's `ranking.rank` on the medians), per-juror z-scores (each juror's totals
standardised, then averaged per dossier: computed here only, not offered by the product), the
corrected score (the product's corrected rank), and an oracle that knows and removes the true
severities (the ceiling of any bias correction). "top 3" = the dossiers ranked 1-3 are exactly
the true top 3 (a tie that makes the set larger counts as a miss); "winner" = the true best is
ranked first alone; "tie at top" = several dossiers share rank 1; "top-3 overlap" = the mean
share of the true top 3 found among the dossiers ranked 1-3.

Calibration: the share of dossiers whose true rank is inside the product's 90% rank interval
(empirical Bayes, parametric bootstrap), against a plain bootstrap that resamples each
dossier's 3 sheets (500 draws; computed here only); the share of categories whose true winner
is in the product's 90% top set; the mean p_first of the ranked first against how often the
ranked first is truly first.

Usage: .venv/bin/python bench/results_simulation.py [--editions 1000] [--processes N]
                                                    [--seed 2026] [--resamples 2000]
                                                    [--theme-sd 4] [--ridge 1]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trophies.domain.ranking import RankItem, rank  # noqa: E402
from trophies.domain.results import DossierInput, Policy, SheetInput, compute  # noqa: E402
from trophies.domain.scoring import Scale  # noqa: E402

K = 3
CATEGORIES = 4
THEMES = 3
QUALITY_SD, THEME_SD, LEVEL_SD, SEVERITY_SD, CRITERION_SD = 10.0, 4.0, 3.0, 6.0, 6.0
NOISE = (8.0, 16.0)
SCALES = [Scale(1, 2, 0, 5), Scale(2, 1, 0, 5), Scale(3, 1, 0, 5), Scale(4, 3, 0, 10),
          Scale(5, 2, 0, 10), Scale(6, 1, 0, 10), Scale(7, 1, 1, 7), Scale(8, 2, 0, 4)]
METHODS = ("raw mean", "median", "z-scores", "corrected", "oracle")
BOOTSTRAP = 500


def assign(rng: np.random.Generator, theme: np.ndarray, n_jurors: int, by_theme: bool
           ) -> list[list[int]]:
    """k distinct jurors per dossier, least loaded first (random among equals); by theme: two
    from the dossier's theme panel, one from another panel. Redrawn until connected."""
    panel = np.arange(n_jurors) % THEMES
    while True:
        load = np.zeros(n_jurors)
        chosen: list[list[int]] = [[] for _ in theme]
        for d in rng.permutation(len(theme)):
            key = load + rng.random(n_jurors) * 0.5
            if by_theme:
                own = np.flatnonzero(panel == theme[d])
                other = np.flatnonzero(panel != theme[d])
                pick = [*own[np.argsort(key[own])[:K - 1]], other[np.argmin(key[other])]]
            else:
                pick = list(np.argsort(key)[:K])
            chosen[d] = [int(j) for j in pick]
            load[pick] += 1
        if connected(chosen, n_jurors):
            return chosen


def connected(chosen: list[list[int]], n_jurors: int) -> bool:
    parent = list(range(n_jurors))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for jurors in chosen:
        for j in jurors[1:]:
            parent[find(j)] = find(jurors[0])
    used = {j for jurors in chosen for j in jurors}
    return len({find(j) for j in used}) == 1


def marks_of(rng: np.random.Generator, latent: np.ndarray) -> np.ndarray:
    """(sheets, criteria) marks on SCALES from latent totals on 0-100."""
    lows = np.array([s.minimum for s in SCALES])
    spans = np.array([s.maximum - s.minimum for s in SCALES])
    x = latent[:, None] + rng.normal(0, CRITERION_SD, (len(latent), len(SCALES)))
    return np.clip(np.rint(x / 100 * spans), 0, spans).astype(int) + lows


def ranks_of(scores: dict[int, object]) -> dict[int, int | None]:
    """The product's ranking (no tie-break rule) of exact or float scores."""
    items = [RankItem(d, Fraction(s) if isinstance(s, float) else s) for d, s in scores.items()]
    return {r.dossier_id: r.rank for r in rank(items)}


def edition(args: tuple[int, int, int, float, float]) -> dict:
    seed, index, resamples, theme_sd, ridge = args
    rng = np.random.default_rng([seed, index])
    n_jurors = int(rng.integers(12, 41))
    sizes = rng.integers(15, 41, CATEGORIES)
    category = np.repeat(np.arange(CATEGORIES), sizes)
    n = len(category)
    theme = rng.integers(0, THEMES, n)
    quality = (55 + rng.normal(0, LEVEL_SD, CATEGORIES)[category]
               + rng.normal(0, theme_sd, THEMES)[theme] + rng.normal(0, QUALITY_SD, n))
    by_theme = bool(rng.random() < 0.3)
    chosen = assign(rng, theme, n_jurors, by_theme)
    severity = rng.normal(0, SEVERITY_SD, n_jurors)
    noise_sd = rng.uniform(*NOISE, n_jurors)
    d_of = np.repeat(np.arange(n), K)
    j_of = np.array([j for jurors in chosen for j in jurors])
    eps = rng.standard_normal(len(d_of))
    criterion_seed = int(rng.integers(2**62))
    out = {"by_theme": by_theme, "scenarios": {}}
    for scenario, scale in (("severity", 1.0), ("no severity", 0.0)):
        bias = severity * scale
        latent = quality[d_of] + bias[j_of] + noise_sd[j_of] * eps
        marks = marks_of(np.random.default_rng(criterion_seed), latent)
        dossiers = [DossierInput(d + 1, int(category[d]) + 1) for d in range(n)]
        sheets = [SheetInput(s + 1, int(d_of[s]) + 1, int(j_of[s]) + 1,
                             dict(zip(range(1, 9), marks[s].tolist(), strict=True)))
                  for s in range(len(d_of))]
        result = compute(dossiers, sheets, SCALES, Policy(resamples=resamples, seed=index,
                                                            ridge=ridge))
        out["scenarios"][scenario] = evaluate(result, quality, category, d_of, j_of, bias,
                                              sheet_totals(marks))
    return out


def sheet_totals(marks: np.ndarray) -> np.ndarray:
    """The sheets' totals in floats (the product's exact totals, rounded): the weighted mean
    of the marks rescaled to 0-100."""
    lows = np.array([s.minimum for s in SCALES])
    spans = np.array([s.maximum - s.minimum for s in SCALES])
    weights = np.array([s.weight for s in SCALES])
    return ((marks - lows) / spans * 100) @ weights / weights.sum()


def evaluate(result, quality, category, d_of, j_of, bias, t) -> dict:
    by = result.by_dossier
    n_jurors = int(j_of.max()) + 1
    count_j = np.bincount(j_of, minlength=n_jurors)
    mean_j = np.bincount(j_of, t, n_jurors) / np.maximum(count_j, 1)
    sd_j = np.sqrt(np.bincount(j_of, (t - mean_j[j_of]) ** 2, n_jurors)
                   / np.maximum(count_j - 1, 1))
    spread = sd_j[j_of]
    z = np.where(spread > 0, (t - mean_j[j_of]) / np.where(spread > 0, spread, 1), 0.0)
    z_score = np.bincount(d_of, z) / K
    oracle = np.bincount(d_of, t - bias[j_of]) / K
    stats: dict[str, list] = defaultdict(list)
    for c in range(CATEGORIES):
        members = np.flatnonzero(category == c)
        order = members[np.argsort(-quality[members])]
        true_rank = {int(d) + 1: r + 1 for r, d in enumerate(order)}
        best = int(order[0]) + 1
        top3 = {int(d) + 1 for d in order[:3]}
        estimated = {
            "raw mean": {d: by[d].rank for d in true_rank},
            "median": ranks_of({d: by[d].median for d in true_rank}),
            "z-scores": ranks_of({d: float(z_score[d - 1]) for d in true_rank}),
            "corrected": {d: by[d].corrected_rank for d in true_rank},
            "oracle": ranks_of({d: float(oracle[d - 1]) for d in true_rank}),
        }
        for method, ranks in estimated.items():
            firsts = [d for d, r in ranks.items() if r == 1]
            podium = {d for d, r in ranks.items() if r <= 3}
            stats[f"{method}:top3"].append(podium == top3)
            stats[f"{method}:overlap"].append(len(podium & top3) / 3)
            stats[f"{method}:winner"].append(firsts == [best])
            stats[f"{method}:tie"].append(len(firsts) > 1)
        stats["coverage"].extend(by[d].interval[0] <= r <= by[d].interval[1]
                                 for d, r in true_rank.items())
        stats["boot coverage"].extend(plain_bootstrap(t, d_of, members, true_rank, c))
        outcome = next(x for x in result.categories if x.category_id == c + 1)
        stats["top set"].append(best in outcome.top_set)
        stats["top set size"].append(len(outcome.top_set))
        stats["p_first_top"].append(outcome.p_first_top)
        stats["leader is best"].append(outcome.dossiers[0].dossier_id == best)
    stats["icc"].append(result.icc_single or 0.0)
    return dict(stats)


def plain_bootstrap(t, d_of, members, true_rank, c) -> list[bool]:
    """Resample each dossier's own sheets with replacement (B draws), rank the means, 90%
    percentile intervals: the naive method the design rejects."""
    rng = np.random.default_rng(c)
    sheets = np.stack([t[d_of == d] for d in members])                 # (n, K)
    pick = rng.integers(0, K, (BOOTSTRAP, len(members), K))
    means = np.take_along_axis(np.broadcast_to(sheets, pick.shape), pick, axis=2).mean(axis=2)
    ranks = (-means).argsort(axis=1).argsort(axis=1) + 1
    lo = np.quantile(ranks, 0.05, axis=0, method="inverted_cdf")
    hi = np.quantile(ranks, 0.95, axis=0, method="inverted_cdf")
    return [bool(lo[i] <= true_rank[int(d) + 1] <= hi[i]) for i, d in enumerate(members)]


def share(values) -> str:
    values = list(values)
    return f"{100 * sum(values) / len(values):5.1f}%" if values else "    -"


def paired(a: list, b: list) -> str:
    """The mean difference of two paired series in percentage points, +- twice its standard
    error (the same categories scored two ways: far more precise than two shares apart)."""
    diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    se = diff.std(ddof=1) / np.sqrt(len(diff)) if len(diff) > 1 else float("nan")
    return f"{100 * diff.mean():+.1f} pp (+- {200 * se:.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--editions", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--ridge", type=float, default=Policy().ridge,
                        help="the offsets' ridge, in pseudo-sheets (the product's default)")
    parser.add_argument("--theme-sd", type=float, default=THEME_SD,
                        help="spread of the themes' quality levels (points)")
    options = parser.parse_args()
    start = time.perf_counter()
    jobs = [(options.seed, i, options.resamples, options.theme_sd, options.ridge)
            for i in range(options.editions)]
    with multiprocessing.get_context("fork").Pool(options.processes) as pool:
        editions = pool.map(edition, jobs, chunksize=max(1, len(jobs) // (8 * options.processes)))
    seconds = time.perf_counter() - start
    print(f"{options.editions} editions x {CATEGORIES} categories (15-40 dossiers, 12-40 "
          f"jurors, k = {K}), {options.resamples} posterior draws; seed {options.seed}; "
          f"{seconds:.0f} s on {options.processes} processes; theme sd {options.theme_sd}, "
          f"ridge {options.ridge}")
    for scenario in ("severity", "no severity"):
        print(f"\n## jurors {'with severities sd 6' if scenario == 'severity' else 'all alike'}"
              f" (juror noise sd 8-16, quality sd 10)")
        groups = {"all": editions,
                  "random assignment": [e for e in editions if not e["by_theme"]],
                  "by theme": [e for e in editions if e["by_theme"]]}
        merged = {}
        for name, chosen in groups.items():
            stats: dict[str, list] = defaultdict(list)
            for e in chosen:
                for key, values in e["scenarios"][scenario].items():
                    stats[key].extend(values)
            merged[name] = stats
        print(f"{'method':<11} | {'top 3 (all)':>11} | {'winner (all)':>12} | "
              f"{'tie at top':>10} | {'top-3 overlap':>13} | {'top 3 random':>12} | "
              f"{'top 3 theme':>11} | "
              f"{'winner random':>13} | {'winner theme':>12}")
        for method in METHODS:
            a, r, t = merged["all"], merged["random assignment"], merged["by theme"]
            print(f"{method:<11} | {share(a[method + ':top3']):>11} | "
                  f"{share(a[method + ':winner']):>12} | {share(a[method + ':tie']):>10} | "
                  f"{share(a[method + ':overlap']):>13} | "
                  f"{share(r[method + ':top3']):>12} | {share(t[method + ':top3']):>11} | "
                  f"{share(r[method + ':winner']):>13} | {share(t[method + ':winner']):>12}")
        a = merged["all"]
        for method in ("corrected", "median", "z-scores"):
            print(f"{method} - raw mean, paired over the same categories (+- 2 SE): winner "
                  f"{paired(a[method + ':winner'], a['raw mean:winner'])}, top 3 "
                  f"{paired(a[method + ':top3'], a['raw mean:top3'])}, top-3 overlap "
                  f"{paired(a[method + ':overlap'], a['raw mean:overlap'])}")
        p_top = [p for p in a["p_first_top"] if p is not None]
        print(f"90% rank intervals contain the true rank: {share(a['coverage'])} "
              f"(empirical Bayes, the product) vs {share(a['boot coverage'])} (plain bootstrap "
              f"of the 3 sheets, {BOOTSTRAP} draws)")
        print(f"90% top set contains the true winner: {share(a['top set'])} "
              f"(mean size {np.mean(a['top set size']):.1f} dossiers)")
        print(f"P(ranked first is truly first): predicted {100 * np.mean(p_top):.1f}% on "
              f"average, observed {share(a['leader is best']).strip()}; "
              f"mean ICC(1) of a sheet {np.mean(a['icc']):.2f}")


if __name__ == "__main__":
    main()
