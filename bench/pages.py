"""Page rendering cost against a bare Flask endpoint, in process (no network).

Builds the demo in a temporary SQLite database, then times each page N times through the
WSGI test client and prints the median, the 90th percentile and the ratio to a bare Flask
"hello" endpoint measured in the same run. Usage: .venv/bin/python bench/pages.py [N]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trophies import create_app  # noqa: E402
from trophies.models import User, db  # noqa: E402
from trophies.services.demo import DEMO_ACCOUNTS, build_demo  # noqa: E402


def timed(client, path: str, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return samples


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    tmp = Path(tempfile.mkdtemp(prefix="trophies-bench-"))
    app = create_app({"ENVIRONMENT": "testing", "SECRET_KEY": "x" * 40,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}",
                      "RATELIMIT_ENABLED": False}, instance_path=str(tmp))
    with app.app_context():
        db.create_all()
        build_demo(seed=2026)
        db.session.commit()
        tokens = {role: db.session.scalar(db.select(User.session_token).where(
            User.email == email)) for role, (email, _pw) in DEMO_ACCOUNTS.items()}

    bare = Flask("bare")
    bare.add_url_rule("/", "hello", lambda: "hello")
    baseline = statistics.median(timed(bare.test_client(), "/", n))

    pages = [(None, "/"), (None, "/account/login"), (None, "/editions/trophees-esante-2027"),
             ("organizer", "/dashboard"), ("juror", "/dashboard"), ("candidate", "/dashboard"),
             ("admin", "/admin/"), ("admin", "/admin/audit")]
    print(f"bare Flask endpoint: median {baseline * 1e3:.3f} ms over {n} requests")
    print(f"{'page':<44} {'median ms':>10} {'p90 ms':>8} {'x bare':>8}")
    for role, path in pages:
        client = app.test_client()
        if role:
            with client.session_transaction() as session:
                session["_user_id"] = tokens[role]
                session["_fresh"] = True
        samples = sorted(timed(client, path, n))
        median = statistics.median(samples)
        p90 = samples[int(0.9 * len(samples)) - 1]
        label = f"{path} ({role or 'anonymous'})"
        print(f"{label:<44} {median * 1e3:>10.2f} {p90 * 1e3:>8.2f} {median / baseline:>8.0f}")


if __name__ == "__main__":
    main()
