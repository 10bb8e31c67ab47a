"""The whole `flask trophies assign` command on the demo's judging edition (target: < 2 s).

Builds the demo in a temporary SQLite database (not timed), then times the command N times in
two situations and prints medians:
- "full": every unstarted assignment of round 1 is made unpublished and unpinned first, so
  the run re-solves the whole round (68 dossiers x 12 jurors, k = 3, started sheets pinned);
- "freed slots": the demo as built (published), after one juror's unstarted assignments
  were removed, so only their slots are re-solved.
Each is timed in process (CliRunner: loading, solving, writing, committing) and, fewer
times, as a separate process (`flask --app wsgi trophies assign`, interpreter and app start-up
included), beside a baseline: `trophies editions`, about the start-up of any command.
Usage: .venv/bin/python bench/assign_demo.py [N]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, select, update  # noqa: E402

from trophies import create_app  # noqa: E402
from trophies.models import Assignment, Edition, Round, ScoreSheet, db  # noqa: E402
from trophies.services.demo import build_demo  # noqa: E402

SECRET = "bench-secret-key-0123456789-abcdefghijklmnop"


def unpublish_unstarted(round_id: int) -> None:
    started = select(ScoreSheet.assignment_id)
    db.session.execute(update(Assignment).where(
        Assignment.round_id == round_id, Assignment.id.not_in(started))
        .values(published_at=None, is_pinned=False))
    db.session.commit()


def free_one_juror(round_id: int, juror_id: int) -> None:
    """An organizer removes the juror's unstarted assignments (withdrawing the juror would
    make the demo infeasible: its capacities are tight, and the run would say so)."""
    started = select(ScoreSheet.assignment_id)
    db.session.execute(delete(Assignment).where(
        Assignment.round_id == round_id, Assignment.juror_id == juror_id,
        Assignment.id.not_in(started)))
    db.session.commit()


def timed_in_process(runner, args: list[str], n: int, before=None) -> list[float]:
    samples = []
    for _ in range(n):
        if before:
            before()
        start = time.perf_counter()
        result = runner.invoke(args=args)
        samples.append(time.perf_counter() - start)
        assert result.exit_code == 0, result.output
    return samples


def timed_process(env: dict[str, str], args: list[str], n: int, before=None) -> list[float]:
    samples = []
    for _ in range(n):
        if before:
            before()
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT,
                       env=env, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return samples


def report(label: str, samples: list[float]) -> None:
    print(f"{label:<52} median {statistics.median(samples) * 1e3:8.1f} ms   "
          f"min {min(samples) * 1e3:8.1f} ms   ({len(samples)} runs)")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    tmp = Path(tempfile.mkdtemp(prefix="trophies-bench-assign-"))
    database = f"sqlite:///{tmp / 'bench.sqlite3'}"
    app = create_app({"ENVIRONMENT": "testing", "SECRET_KEY": SECRET,
                      "SQLALCHEMY_DATABASE_URI": database, "UPLOAD_FOLDER": str(tmp / "up"),
                      "RATELIMIT_ENABLED": False}, instance_path=str(tmp))
    env = {**os.environ, "TROPHIES_ENV": "testing", "TROPHIES_SECRET_KEY": SECRET,
           "TROPHIES_DATABASE_URL": database, "TROPHIES_UPLOAD_FOLDER": str(tmp / "up"),
           "TROPHIES_INSTANCE_PATH": str(tmp)}
    with app.app_context():
        db.create_all()
        build_demo(seed=2026)
        db.session.commit()
        edition = db.session.scalar(select(Edition).where(Edition.phase == "judging"))
        round_ = db.session.scalar(select(Round).where(Round.edition_id == edition.id,
                                                       Round.number == 1))
        round_id, slug = round_.id, edition.slug
        juror_id = db.session.scalar(select(Assignment.juror_id).where(
            Assignment.round_id == round_id).order_by(Assignment.juror_id))
        runner = app.test_cli_runner()
        args = ["trophies", "assign", slug, "--round", "1", "--seed", "2026"]
        counts = db.session.execute(select(
            db.func.count(Assignment.id)).where(Assignment.round_id == round_id)).scalar()
        print(f"demo edition {slug}: round 1, {counts} assignments before the runs")
        print('situation')
        free_one_juror(round_id, juror_id)
        report("freed slots, in process", timed_in_process(runner, args, n))
        report("full re-solve, in process", timed_in_process(
            runner, args, n, before=lambda: unpublish_unstarted(round_id)))
        runs = max(3, n // 3)
        report("baseline: `trophies editions`, separate process", timed_process(
            env, ["trophies", "editions", "--json"], runs))
        report("full re-solve, separate process (flask CLI)", timed_process(
            env, args, runs, before=lambda: unpublish_unstarted(round_id)))
        report("--dry-run --json, separate process", timed_process(
            env, [*args, "--dry-run", "--json"], runs))
    print("target: the whole command under 2 s")


if __name__ == "__main__":
    main()
