"""The assignment solver alone against independent references (issue 4, Performance).

Synthetic instances: D dossiers x J jurors, k = 3, dense random affinities 0..1,000,000,
5% random conflicts, m = 1, capacity = the balanced default ceil(3D/J); organisations either
"pairs" (each juror in one of J/2 random organisations) or "own" (one per juror, so the cap is
void). In the same run, an independent reference: the full LP over every allowed pair with
scipy's HiGHS for D*J <= 1e6, else a plain dense min-cost flow over every allowed pair with
OR-Tools (`pip install -e .[bench]`). Each measurement runs in a fresh process, so the peak RSS
(getrusage) is that of one instance plus one solve.

Usage: .venv/bin/python bench/assignment.py [DxJ ...] [--repeat N] [--orgs pairs|own|both]
                                            [--affinity random|popular] [--no-reference]
Default sizes: 200x20 2000x200 20000x2000. "popular": every dossier prefers the same jurors
(a juror term 0..1e6 plus a pair term 0..1e5), a harder structure than the issue's.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

K, M, CONFLICTS = 3, 1, 0.05


def instance(n_d: int, n_j: int, orgs: str, affinity: str, seed: int = 2026):
    rng = np.random.default_rng(seed)
    if affinity == "popular":
        a = (rng.integers(0, 1_000_001, n_j)[None, :]
             + rng.integers(0, 100_001, (n_d, n_j))).astype(np.int32)
    else:
        a = rng.integers(0, 1_000_001, (n_d, n_j), dtype=np.int32)
    allowed = rng.random((n_d, n_j), dtype=np.float32) >= CONFLICTS
    organisation = (rng.integers(0, max(1, n_j // 2), n_j) if orgs == "pairs"
                    else np.arange(n_j))
    demand = np.full(n_d, K, np.int64)
    capacity = np.full(n_j, -(-K * n_d // n_j), np.int64)
    return a, allowed, organisation, demand, capacity


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ours(n_d: int, n_j: int, orgs: str, affinity: str) -> dict:
    from trophies.domain.assignment import solve_arrays

    a, allowed, organisation, demand, capacity = instance(n_d, n_j, orgs, affinity)
    before = peak_mb()
    start = time.perf_counter()
    plan = solve_arrays(a, demand, capacity, organisation, allowed=allowed,
                        max_per_organisation=M, seed=0)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "objective": plan.objective, "bound": plan.bound,
            "columns": plan.columns, "solves": plan.lp_solves, "instance_mb": before,
            "peak_mb": peak_mb()}


def reference(n_d: int, n_j: int, orgs: str, affinity: str) -> dict:
    a, allowed, organisation, demand, capacity = instance(n_d, n_j, orgs, affinity)
    d, j = np.nonzero(allowed)
    start = time.perf_counter()
    if n_d * n_j <= 1_000_000:
        method, objective = "scipy LP", full_lp(a, d, j, organisation, demand, capacity)
    else:
        method, objective = "OR-Tools MCF", min_cost_flow(a, d, j, organisation, demand,
                                                          capacity)
    return {"seconds": time.perf_counter() - start, "objective": objective, "method": method,
            "pairs": len(d), "peak_mb": peak_mb()}


def full_lp(a, d, j, organisation, demand, capacity) -> int:
    """max sum a x over every allowed pair: demand rows, capacity rows, and one row per
    (dossier, organisation) with more than M allowed jurors."""
    from scipy import sparse
    from scipy.optimize import linprog

    n_d, n_j = a.shape
    cols = np.arange(len(d))
    keys, group, counts = np.unique(d * n_j + organisation[j], return_inverse=True,
                                    return_counts=True)
    capped = counts[group] > M
    rows = np.unique(group[capped], return_inverse=True)[1]
    a_eq = sparse.csr_array((np.ones(len(d)), (d, cols)), shape=(n_d, len(d)))
    a_ub = sparse.vstack([
        sparse.csr_array((np.ones(len(d)), (j, cols)), shape=(n_j, len(d))),
        sparse.csr_array((np.ones(int(capped.sum())), (rows, cols[capped])),
                         shape=(int(rows.max()) + 1 if len(rows) else 0, len(d)))])
    b_ub = np.concatenate([capacity, np.full(a_ub.shape[0] - n_j, M)])
    res = linprog(-a[d, j].astype(np.float64), A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=demand,
                  bounds=(0, 1), method="highs")
    assert res.status == 0, res.message
    return round(-res.fun)


def min_cost_flow(a, d, j, organisation, demand, capacity) -> int:
    """source -> dossier [k] -> (dossier, organisation) [M] -> juror [1] -> sink [capacity];
    the (dossier, organisation) node only where more than M allowed jurors share it."""
    from ortools.graph.python import min_cost_flow as mcf

    n_d, n_j = a.shape
    source, sink, first_juror, first_group = 0, 1, 2 + n_d, 2 + n_d + n_j
    key = d.astype(np.int64) * n_j + organisation[j]
    keys, group, counts = np.unique(key, return_inverse=True, return_counts=True)
    del key
    capped_key = counts > M
    group_node = np.full(len(keys), -1, np.int64)
    group_node[capped_key] = first_group + np.arange(int(capped_key.sum()))
    via = group_node[group]
    direct = via < 0
    tails = np.concatenate([np.full(n_d, source), np.where(direct, 2 + d, via),
                            2 + keys[capped_key] // n_j, first_juror + np.arange(n_j)])
    heads = np.concatenate([2 + np.arange(n_d), first_juror + j, group_node[capped_key],
                            np.full(n_j, sink)])
    caps = np.concatenate([demand, np.ones(len(d), np.int64),
                           np.full(int(capped_key.sum()), M, np.int64), capacity])
    costs = np.concatenate([np.zeros(n_d, np.int64), -a[d, j].astype(np.int64),
                            np.zeros(int(capped_key.sum()) + n_j, np.int64)])
    del via, direct, group
    flow = mcf.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int32), heads.astype(np.int32),
                                              caps, costs)
    del tails, heads, caps, costs
    total = int(demand.sum())
    flow.set_nodes_supplies(np.array([source, sink], np.int32), np.array([total, -total]))
    assert flow.solve() == flow.OPTIMAL
    return -flow.optimal_cost()


def in_child(function, *args) -> dict:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", default=["200x20", "2000x200", "20000x2000"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--orgs", choices=["pairs", "own", "both"], default="both")
    parser.add_argument("--affinity", choices=["random", "popular"], default="random")
    parser.add_argument("--no-reference", action="store_true")
    options = parser.parse_args()
    orgs = ["pairs", "own"] if options.orgs == "both" else [options.orgs]
    print(f"k={K}, m={M}, {CONFLICTS:.0%} conflicts, {options.affinity} affinities, "
          f"median of {options.repeat} runs, each in a fresh process")
    header = (f"{'D x J':>12} {'orgs':>5} {'ours s':>7} {'objective':>14} {'bound':>14} "
              f"{'reference':>14} {'ref method':>12} {'ref s':>7} {'obj/ref':>9} "
              f"{'time/ref':>8} {'peak MB':>8} {'inst MB':>8} {'columns':>9} {'LPs':>4}")
    print(header)
    for size in options.sizes:
        n_d, n_j = (int(x) for x in size.lower().split("x"))
        for org in orgs:
            runs = [in_child(ours, n_d, n_j, org, options.affinity)
                    for _ in range(options.repeat)]
            assert len({r["objective"] for r in runs}) == 1, "not deterministic"
            run = runs[0]
            seconds = statistics.median(r["seconds"] for r in runs)
            peak = statistics.median(r["peak_mb"] for r in runs)
            ref = (None if options.no_reference
                   else in_child(reference, n_d, n_j, org, options.affinity))
            ratio = f"{run['objective'] / ref['objective']:.9f}" if ref else "-"
            print(f"{size:>12} {org:>5} {seconds:>7.2f} {run['objective']:>14} "
                  f"{run['bound']:>14.0f} {ref['objective'] if ref else '-':>14} "
                  f"{ref['method'] if ref else '-':>12} "
                  f"{ref['seconds'] if ref else float('nan'):>7.2f} {ratio:>9} "
                  f"{seconds / ref['seconds'] if ref else float('nan'):>8.2f} {peak:>8.0f} "
                  f"{run['instance_mb']:>8.0f} {run['columns']:>9} {run['solves']:>4}",
                  flush=True)
            if ref and ref["objective"] != run["objective"]:
                print("  MISMATCH: the objective differs from the reference", flush=True)


if __name__ == "__main__":
    main()
