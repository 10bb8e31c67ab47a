"""The results computation's speed (design.md §5; targets: 20,000 dossiers x 3 sheets x 8
criteria aggregated in <= 1 s; rank intervals from 2,000 posterior draws for 500 dossiers in
<= 2 s), against bare baselines measured in the same run.

Synthetic round: D dossiers in C categories, 600 jurors (a juror has about 3D/600 sheets,
random balanced assignment, connected), 3 sheets a dossier, 8 criteria on real scales (0-5,
0-10, 1-7, 0-4, 0-20 by 5; one allows N/A, used on 3% of its marks), marks drawn around a
latent quality. Timed (median of --repeat runs, wall clock):
- `compute(..., Policy(resamples=0))`: the aggregation alone (exact totals, means, medians,
  criterion averages, the offsets' least squares, agreements, ICC, rankings);
- `compute(..., Policy())`: the same with the 2,000 posterior draws per category; the
  difference is the draws' share;
- `rank_intervals` alone for one category of 500 dossiers x 2,000 draws, and `compute` on a
  500-dossier round (100 jurors) with its draws; inside `compute`, the time spent in
  `rank_intervals` is clocked by a wrapper;
- "draws s": the wall time spent inside `rank_intervals` during `compute`;
- baselines: numpy's sum over the same marks (an int array), a plain-Python loop that reads
  every mark of every sheet (the least any pure-Python pass must do), and
  `scoring.sheet_total` on every sheet (the exact reference the fast path must equal).

Usage: .venv/bin/python bench/results_perf.py [--dossiers 20000] [--categories 10]
                                              [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trophies.domain import results  # noqa: E402
from trophies.domain.results import (  # noqa: E402
    DossierInput,
    Policy,
    SheetInput,
    compute,
    rank_intervals,
)
from trophies.domain.scoring import Entry, Scale, sheet_total  # noqa: E402

JURORS, K = 600, 3
SCALES = [Scale(1, 2, 0, 5), Scale(2, 1, 0, 10), Scale(3, 3, 1, 7), Scale(4, 1, 0, 4),
          Scale(5, 2, 0, 20, 5), Scale(6, 1, 0, 10, 1, True), Scale(7, 2, 0, 5),
          Scale(8, 1, 0, 10)]


def instance(n_dossiers: int, n_categories: int, seed: int = 2026, jurors: int = JURORS):
    rng = np.random.default_rng(seed)
    slots = rng.permutation(np.resize(np.arange(jurors), n_dossiers * K)).reshape(-1, K)
    while True:                                   # no juror twice on a dossier
        bad = np.flatnonzero((slots[:, 0] == slots[:, 1]) | (slots[:, 0] == slots[:, 2])
                             | (slots[:, 1] == slots[:, 2]))
        if not len(bad):
            break
        other = rng.integers(0, n_dossiers, len(bad))
        column = rng.integers(0, K, len(bad))
        slots[bad, column], slots[other, column] = slots[other, column], slots[bad, column]
    quality = rng.normal(55, 12, n_dossiers)
    severity = rng.normal(0, 6, jurors)
    latent = quality[:, None] + severity[slots] + rng.normal(0, 12, slots.shape)
    lows = np.array([s.minimum for s in SCALES])
    spans = np.array([s.maximum - s.minimum for s in SCALES])
    steps = np.array([s.step for s in SCALES])
    x = latent[..., None] + rng.normal(0, 6, (*slots.shape, len(SCALES)))
    marks = lows + steps * np.clip(np.rint(x / 100 * spans / steps), 0, spans // steps)
    marks = marks.astype(int)
    na = rng.random(slots.shape) < 0.03
    dossiers = [DossierInput(d + 1, d % n_categories + 1) for d in range(n_dossiers)]
    ids = [s.criterion_id for s in SCALES]
    sheets = []
    for d in range(n_dossiers):
        for k in range(K):
            row = dict(zip(ids, marks[d, k].tolist(), strict=True))
            if na[d, k]:
                row[6] = None
            sheets.append(SheetInput(d * K + k + 1, d + 1, int(slots[d, k]) + 1, row))
    return dossiers, sheets, marks


class DrawClock:
    """Times `rank_intervals` inside `compute` (the module looks the name up at each call)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.inner = results.rank_intervals

    def __call__(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return self.inner(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start


class Timing:
    """Median and best wall time, median CPU time of the process (all its threads, BLAS's
    included: less disturbed than wall time by other work on the machine), and the median
    wall time spent inside `rank_intervals`."""

    def __init__(self, wall: list[float], cpu: list[float], draws: list[float]) -> None:
        self.wall, self.best = statistics.median(wall), min(wall)
        self.cpu, self.draws = statistics.median(cpu), statistics.median(draws)


def timed(function, repeat: int, clock: DrawClock | None = None) -> tuple[Timing, object]:
    wall, cpu, draws, value = [], [], [], None
    for _ in range(repeat):
        if clock:
            clock.seconds = 0.0
        start, start_cpu = time.perf_counter(), time.process_time()
        value = function()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        draws.append(clock.seconds if clock else 0.0)
    return Timing(wall, cpu, draws), value


def python_loop(sheets) -> int:
    total = 0
    for sheet in sheets:
        for value in sheet.marks.values():
            if value is not None:
                total += value
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=20_000)
    parser.add_argument("--categories", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    repeat = options.repeat
    dossiers, sheets, marks = instance(options.dossiers, options.categories)
    n_marks = sum(len(s.marks) for s in sheets)
    print(f"{options.dossiers} dossiers x {K} sheets x {len(SCALES)} criteria = {n_marks} "
          f"marks, {JURORS} jurors, {options.categories} categories; median of {repeat} runs")

    numpy_sum, _ = timed(lambda: int(marks.sum()), repeat)
    loop, _ = timed(lambda: python_loop(sheets), repeat)
    aggregate, result = timed(lambda: compute(dossiers, sheets, SCALES, Policy(resamples=0)),
                              repeat)
    clock = DrawClock()
    results.rank_intervals = clock
    full, full_result = timed(lambda: compute(dossiers, sheets, SCALES, Policy()), repeat,
                              clock)
    reference, totals = timed(
        lambda: [sheet_total(SCALES, {c: Entry(v, v is None) for c, v in s.marks.items()})
                 for s in sheets], max(1, repeat // 2))
    mine = sorted(t for d in result.by_dossier.values() for t in d.totals)
    assert mine == sorted(totals), "the fast totals differ from scoring.sheet_total"

    small_dossiers, small_sheets, _ = instance(500, 1, seed=7, jurors=100)
    small, small_result = timed(lambda: compute(small_dossiers, small_sheets, SCALES,
                                                Policy()), repeat, clock)
    results.rank_intervals = clock.inner
    rng = np.random.default_rng(1)
    y, v = rng.normal(55, 8, 500), rng.uniform(20, 60, 500)
    draws, _ = timed(lambda: rank_intervals(y, v, 40.0, 2000, 0.9,
                                            np.random.default_rng(3)), repeat)

    rows = [
        ("baseline: numpy sum of the marks", numpy_sum, None),
        ("baseline: Python loop over the marks", loop, None),
        ("reference: scoring.sheet_total per sheet", reference, None),
        ("compute, aggregation (resamples=0)", aggregate, 1.0),
        ("compute, with 2,000 draws per category", full, None),
        ("rank_intervals, 500 dossiers x 2,000 draws", draws, 2.0),
        ("compute, 500 dossiers, 100 jurors, draws", small, 2.0),
    ]
    print(f"{'':<44} {'wall s':>7} {'best s':>7} {'CPU s':>7} {'target':>6} {'x loop':>7} "
          f"{'x numpy':>8} {'draws s':>8}")
    for name, t, target in rows:
        print(f"{name:<44} {t.wall:>7.3f} {t.best:>7.3f} {t.cpu:>7.3f} "
              f"{target if target else '':>6} {t.wall / loop.wall:>7.1f} "
              f"{t.wall / numpy_sum.wall:>8.0f} {f'{t.draws:.3f}' if t.draws else '':>8}")
    print(f"sigma {full_result.residual_sd:.2f}, ICC(1) {full_result.icc_single:.2f}, "
          f"{full_result.components} component(s); 500-dossier round: p_first of the ranked "
          f"first {small_result.categories[0].p_first_top:.2f}; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")


if __name__ == "__main__":
    main()
