"""Scoring under load: the real app under gunicorn, N jurors scoring at once, against a bare
read-and-write endpoint of the same app measured in the same run (the ceiling).

For each database (SQLite in a throwaway instance folder, PostgreSQL in a throwaway database
created and dropped here) the script builds a synthetic edition in process with the real
schema (Alembic upgrade to head): judging phase, one round with 6 criteria on various scales,
k = 3, 2,000 eligible dossiers in 4 categories, 200 jurors ready to score, 6,000 published
assignments (30 per juror). Then, for each N, it starts `gunicorn --workers 2` on a free
loopback port (bench/scoring_app.py: the production app plus the ceiling route), logs N
jurors in through the login form (not timed) and, for --seconds each, measures:

- ceiling: N clients posting to /_bench/ceiling (one SQLAlchemy read, one write, one commit);
- loop: N jurors, each with its own session, cookie jar and connection, opening their
  dashboard, opening one of their dossiers (reading `csrf_token` and `version` from the form
  with id "sheet") and autosaving that sheet (X-Autosave, JSON answer), over and over;
- save alone: the same jurors autosaving their sheets back to back with the versions they
  were acknowledged, as many saves per second as the app can do (the figure comparable to
  the ceiling: one POST that writes).

No think time by default: every client sends its next request as soon as it has the answer
(a closed loop), so the latency is the queue N deep in front of 2 workers (Little: N /
throughput). The cores used by the app, the database, the client and other work are read
from /proc during each phase, with the CPU milliseconds per request (robust to other load).
The server is then killed (SIGKILL) and the database is read: every acknowledged save must
be there with its version and marks. Targets: save alone >= 25% of the ceiling's throughput,
p99 <= 150 ms at 50 jurors, no error, nothing lost.

Usage: .venv/bin/python bench/scoring_load.py [--seconds 30] [--jurors 50,200]
           [--db sqlite,postgresql] [--repeat 1] [--workers 2] [--threads 1] [--think 0]
           [--quick] [--keep] [--pg-url postgresql://postgres@127.0.0.1:5432/postgres]
gunicorn comes with the `prod` extra: .venv/bin/pip install -e ".[prod]"
"""

from __future__ import annotations

import argparse
import contextlib
import html
import http.client
import io
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

SECRET = "bench-scoring-secret-key-" + "0123456789abcdefghijklmnopqrstuvwxyz"
PASSWORD = "bench-juror-password-2026"  # noqa: S105
HOST = "127.0.0.1"
DOSSIERS, JURORS, K, CATEGORIES = 2000, 200, 3, 4
SLUG = "bench-scoring"
#: Logins of every juror from one address must not be refused: the limits stay on (as in
#: production) but far above what the run needs.
HIGH_LIMITS = "1000000 per minute"
#: (key, weight, min, max, step, allows N/A, labelled values).
CRITERIA = [
    ("impact", 3, 0, 5, 1, False, None),
    ("innovation", 2, 1, 10, 1, False, None),
    ("equipe", 2, 0, 4, 1, False, None),
    ("marche", 1, 0, 20, 5, False, None),
    ("faisabilite", 1, 1, 7, 1, True, None),
    ("sobriete", 1, 0, 100, 1, False, (0, 25, 50, 75, 100)),
]


# --- the synthetic edition --------------------------------------------------------------------


@dataclass
class Plan:
    """What the clients need to know about the edition built in the database."""

    slug: str
    round_number: int
    #: (criterion id, min, max, step) in order.
    scales: list[tuple[int, int, int, int]]
    #: Per juror (index 0..199): e-mail and the (dossier reference, assignment id) pairs.
    jurors: list[tuple[str, list[tuple[str, int]]]]


def app_config(database_url: str, instance: Path) -> dict[str, str]:
    """The production configuration, as TROPHIES_* variables (for gunicorn) ."""
    return {"TROPHIES_ENV": "production", "TROPHIES_SECRET_KEY": SECRET,
            "TROPHIES_DATABASE_URL": database_url, "TROPHIES_INSTANCE_PATH": str(instance),
            "TROPHIES_BASE_URL": "http://127.0.0.1", "TROPHIES_LOGIN_LIMITS": HIGH_LIMITS,
            "TROPHIES_LOGIN_ACCOUNT_LIMITS": HIGH_LIMITS}


def in_process_app(env: dict[str, str]):
    from trophies import create_app

    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        return create_app()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def build_schema() -> None:
    """The real schema: every Alembic revision up to head (what `flask db upgrade` runs)."""
    import logging

    import flask_migrate
    from scoring_app import bench_metadata

    from trophies.models import db

    with contextlib.redirect_stderr(io.StringIO()):   # alembic.ini logs every revision
        flask_migrate.upgrade()
    root = logging.getLogger()
    root.handlers[:] = [logging.StreamHandler(sys.stderr)]
    root.setLevel(logging.WARNING)
    bench_metadata.create_all(db.engine)


def row(**values):
    """A row for a bulk insert, written with keywords like the model's constructor."""
    return values


def build_edition(seed: int) -> Plan:
    """2,000 dossiers, 200 jurors, 6,000 published assignments, by bulk inserts with explicit
    ids (then PostgreSQL's sequences moved past them)."""
    from scoring_app import ceiling_counters
    from sqlalchemy import insert, text

    from trophies.domain.vocabulary import DossierStatus, Phase, QuestionKind, Role
    from trophies.models import (
        Answer,
        Assignment,
        Category,
        Criterion,
        CriterionLevel,
        Dossier,
        Edition,
        Founder,
        JurorProfile,
        Membership,
        Question,
        Round,
        User,
        db,
        juror_expertise,
    )
    from trophies.services.accounts import hasher

    rng = random.Random(seed)
    now = datetime.now(UTC)
    opens = now - timedelta(days=100)
    digest = hasher().hash(PASSWORD)   # the production argon2 parameters (config)

    def add(model, rows: list[dict]) -> None:
        table = getattr(model, "__table__", model)
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(table), rows[start:start + 5000])

    add(Edition, [row(id=1, slug=SLUG, phase=Phase.JUDGING, name_fr="Trophées du banc d’essai",
                       name_en="Bench trophies", call_opens_at=opens,
                       call_closes_at=opens + timedelta(days=60),
                       judging_deadline_at=now + timedelta(days=30), created_at=opens,
                       updated_at=opens)])
    add(Category, [row(id=c, edition_id=1, position=c, name_fr=f"Prix {c}", name_en=f"Prize {c}")
                   for c in range(1, CATEGORIES + 1)])
    add(Round, [row(id=1, edition_id=1, number=1, name_fr="Pré-sélection",
                     name_en="Pre-selection", jurors_per_dossier=K,
                     starts_at=now - timedelta(days=5), ends_at=now + timedelta(days=30))])
    criteria, levels, scales = [], [], []
    for position, (key, weight, low, high, step, na, labelled) in enumerate(CRITERIA, start=1):
        criteria.append(row(id=position, round_id=1, position=position, key=key,
                             name_fr=f"Critère {key}", name_en=f"Criterion {key}",
                             description_fr=f"Ce que mesure le critère {key}, en une phrase.",
                             weight=weight, scale_min=low, scale_max=high, scale_step=step,
                             allows_na=na))
        for value in labelled or range(low, high + 1, step):
            levels.append(row(criterion_id=position, value=value,
                               label_fr=f"{value} — niveau {value} du critère {key}",
                               label_en=f"{value} — level {value}"))
        scales.append((position, low, high, step))
    add(Criterion, criteria)
    add(CriterionLevel, levels)
    questions = [(1, "probleme", QuestionKind.LONG_TEXT), (2, "solution", QuestionKind.LONG_TEXT),
                 (3, "salaries", QuestionKind.NUMBER), (4, "stade", QuestionKind.SINGLE_CHOICE)]
    add(Question, [row(
        id=qid, edition_id=1, position=qid, key=key, kind=kind, label_fr=f"Question {key}",
        is_required=True,
        choices=[{"value": v, "label_fr": v, "label_en": v} for v in ("idee", "pilote", "vente")]
        if kind == QuestionKind.SINGLE_CHOICE else []) for qid, key, kind in questions])

    users, memberships, profiles, expertise = [], [], [], []
    users.append(row(id=1, email="organisatrice@bench.example.org", full_name="Organisatrice",
                      password_hash=digest, email_verified_at=opens, password_changed_at=opens))
    memberships.append(row(user_id=1, edition_id=1, role=Role.ORGANIZER))
    for j in range(JURORS):
        uid = 2 + j
        users.append(row(id=uid, email=f"jure{j:03d}@bench.example.org", full_name=f"Juré {j:03d}",
                          password_hash=digest, email_verified_at=opens,
                          password_changed_at=opens))
        memberships.append(row(user_id=uid, edition_id=1, role=Role.JUROR))
        profiles.append(row(id=j + 1, edition_id=1, user_id=uid,
                             organisation=f"Organisation {j:03d}",
                             organisation_key=f"organisation {j:03d}", capacity=DOSSIERS * K
                             // JURORS, invited_at=opens, accepted_at=opens + timedelta(days=1),
                             confidentiality_accepted_at=opens + timedelta(days=1),
                             conflicts_declared_at=opens + timedelta(days=2)))
        expertise.append(row(juror_profile_id=j + 1, category_id=1 + j % CATEGORIES))
    dossiers, answers, founders = [], [], []
    first_candidate = 2 + JURORS
    for d in range(DOSSIERS):
        uid, reference = first_candidate + d, f"BS26-{d + 1:04d}"
        company, title = f"Start-up {d + 1:04d}", f"Projet numéro {d + 1}"
        users.append(row(id=uid, email=f"candidat{d:04d}@bench.example.org",
                          full_name=f"Fondatrice {d:04d}", password_hash=None,
                          email_verified_at=opens, password_changed_at=None))
        memberships.append(row(user_id=uid, edition_id=1, role=Role.CANDIDATE))
        submitted = opens + timedelta(days=10 + d % 40)
        dossiers.append(row(
            id=d + 1, edition_id=1, category_id=1 + d % CATEGORIES, candidate_id=uid,
            reference=reference, company_name=company, project_title=title, city="Lyon",
            summary=("Une solution numérique qui rend le parcours de soins plus simple. " * 4),
            status=DossierStatus.ELIGIBLE, submitted_at=submitted, created_at=submitted,
            updated_at=submitted, search_text=f"{company} {title} {reference}".lower()))
        founders.append(row(dossier_id=d + 1, position=0, full_name=f"Fondatrice {d:04d}",
                             role_title="Présidente", email=f"candidat{d:04d}@bench.example.org"))
        answers.extend([
            row(dossier_id=d + 1, question_id=1, value="Le problème que nous traitons. " * 20),
            row(dossier_id=d + 1, question_id=2, value="Notre solution, en détail. " * 25),
            row(dossier_id=d + 1, question_id=3, value=str(rng.randint(1, 120))),
            row(dossier_id=d + 1, question_id=4, value=rng.choice(("idee", "pilote", "vente"))),
        ])
    add(User, users)
    add(Membership, memberships)
    add(JurorProfile, profiles)
    add(juror_expertise, expertise)
    add(Dossier, dossiers)
    add(Founder, founders)
    add(Answer, answers)

    # Dossier d (shuffled) gets jurors d, d + 67 and d + 134 modulo 200: k = 3 distinct
    # jurors per dossier, exactly 30 dossiers per juror.
    order = list(range(DOSSIERS))
    rng.shuffle(order)
    assignments, per_juror = [], defaultdict(list)
    for slot, d in enumerate(order):
        for offset in (0, 67, 134):
            j = (slot + offset) % JURORS
            aid = len(assignments) + 1
            assignments.append(row(id=aid, round_id=1, dossier_id=d + 1, juror_id=2 + j,
                                    created_at=now - timedelta(days=5),
                                    published_at=now - timedelta(days=5)))
            per_juror[j].append((f"BS26-{d + 1:04d}", aid))
    add(Assignment, assignments)
    db.session.execute(insert(ceiling_counters), [row(id=j + 1, hits=0) for j in range(JURORS)])
    if db.engine.dialect.name == "postgresql":
        for table in ("editions", "categories", "rounds", "criteria", "criterion_levels",
                      "questions", "users", "memberships", "juror_profiles", "dossiers",
                      "founders", "answers", "assignments"):
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"(SELECT max(id) FROM {table}))"))
    db.session.commit()
    return Plan(SLUG, 1, scales, [(f"jure{j:03d}@bench.example.org", per_juror[j])
                                  for j in range(JURORS)])


# --- the HTTP clients ---------------------------------------------------------------------------

INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r"([\w:-]+)\s*=\s*\"([^\"]*)\"")
SHEET_FORM = re.compile(r"<form\b[^>]*\bid=\"sheet\"[^>]*>(.*?)</form>", re.IGNORECASE | re.DOTALL)
LOGIN_FORM = re.compile(r"<form\b[^>]*\baction=\"/account/login\"[^>]*>(.*?)</form>",
                        re.IGNORECASE | re.DOTALL)


def hidden_inputs(page: str, form: re.Pattern[str]) -> dict[str, str]:
    """Name -> value of the inputs of the first form `form` matches ({} when none does)."""
    found = form.search(page)
    if not found:
        return {}
    values = {}
    for tag in INPUT.findall(found.group(1)):
        attributes = dict(ATTRIBUTE.findall(tag))
        if "name" in attributes:
            values[attributes["name"]] = html.unescape(attributes.get("value", ""))
    return values


class Failure(Exception):
    """A request that did not give the answer a browser expects (counted as an error)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class Client:
    """One browser: one connection (kept alive when the server allows it), one cookie jar."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection(HOST, port, timeout=120)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        sent = {"User-Agent": "trophies-bench/1", "Accept-Language": "fr",
                "Accept": "text/html", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            reused = self.connection.sock is not None
            try:
                self.connection.request(method, path, body=body, headers=sent)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.connection.close()
                # A kept-alive connection the server closed meanwhile: a browser retries a
                # GET once; a POST that may have reached the application is an error.
                if attempt == 2 or not reused or method != "GET":
                    raise Failure("connection") from None
            except (OSError, http.client.HTTPException):
                self.connection.close()
                raise Failure("connection") from None
        for cookie in response.headers.get_all("Set-Cookie") or []:
            pair, _, attributes = cookie.partition(";")
            name, _, value = pair.strip().partition("=")
            if not value or "max-age=0" in attributes.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def close(self) -> None:
        self.connection.close()


@dataclass
class Ack:
    """The last acknowledged save of one sheet, and a later unacknowledged attempt if any."""

    version: int
    marks: dict[int, tuple[int, str]]
    general: str
    attempt: tuple[int, dict[int, tuple[int, str]], str] | None = None


@dataclass
class Tally:
    """One thread's measures in one phase: latencies of the good answers, errors by kind."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)

    def merge(self, other: Tally) -> None:
        for op, samples in other.latencies.items():
            self.latencies[op].extend(samples)
        self.errors.update(other.errors)


class Juror:
    """A simulated juror: logs in, then scores their own sheets one request at a time."""

    def __init__(self, index: int, plan: Plan, port: int, acks: dict[int, Ack],
                 seed: int, think: float = 0) -> None:
        self.index = index
        self.think = think
        self.email, self.dossiers = plan.jurors[index]
        self.plan = plan
        self.client = Client(port)
        self.acks = acks                  # shared: each juror writes only its own sheets
        self.rng = random.Random(seed * 1000 + index)
        self.cursor = self.rng.randrange(len(self.dossiers))
        self.csrf = ""
        self.saves = 0
        self.base = f"/jury/{plan.slug}"

    def sheet_path(self, reference: str) -> str:
        return f"{self.base}/rounds/{self.plan.round_number}/dossiers/{reference}"

    def login(self) -> float:
        start = time.perf_counter()
        status, _, body = self.client.request("GET", "/account/login")
        token = hidden_inputs(body.decode(), LOGIN_FORM).get("csrf_token")
        if status != 200 or not token:
            raise Failure(f"login page {status}")
        status, headers, _ = self.client.request("POST", "/account/login", form={
            "csrf_token": token, "email": self.email, "password": PASSWORD, "next": ""})
        location = urlsplit(headers.get("location", "")).path
        if status != 302 or location.startswith("/account/login"):
            raise Failure(f"login {status} {location}")
        return time.perf_counter() - start

    def timed(self, tally: Tally, op: str, method: str, path: str, **kwargs):
        start = time.perf_counter()
        try:
            status, headers, body = self.client.request(method, path, **kwargs)
        except Failure as failure:
            tally.errors[f"{op}: {failure.kind}"] += 1
            return None
        elapsed = time.perf_counter() - start
        if status != 200:
            tally.errors[f"{op}: HTTP {status}"] += 1
            return None
        tally.latencies[op].append(elapsed)
        return body

    def entries(self) -> tuple[dict[int, tuple[int, str]], str]:
        self.saves += 1
        marks = {}
        for criterion_id, low, high, step in self.plan.scales:
            value = self.rng.randrange(low, high + 1, step)
            marks[criterion_id] = (value, f"Juré {self.index}, enregistrement {self.saves} : "
                                          f"{value} sur ce critère.")
        return marks, f"Avis général {self.saves} du juré {self.index}."

    def save(self, tally: Tally, op: str, reference: str, aid: int, version: int) -> bool:
        marks, general = self.entries()
        form = {"csrf_token": self.csrf, "version": str(version), "general_comment": general,
                "action": "autosave"}
        for criterion_id, (value, comment) in marks.items():
            form[f"mark-{criterion_id}"] = str(value)
            form[f"comment-{criterion_id}"] = comment
        body = self.timed(tally, op, "POST", self.sheet_path(reference), form=form,
                          headers={"Accept": "application/json", "X-Autosave": "1"})
        if body is None:
            previous = self.acks.get(aid)
            if previous is not None:
                previous.attempt = (version + 1, marks, general)
            else:
                self.acks[aid] = Ack(version, {}, "", (version + 1, marks, general))
            return False
        try:
            answer = json.loads(body)
        except ValueError:
            tally.errors[f"{op}: not JSON"] += 1
            return False
        if answer.get("version") != version + 1:
            tally.errors[f"{op}: version {answer.get('version')} after {version}"] += 1
            return False
        self.acks[aid] = Ack(version + 1, marks, general)
        return True

    def next_dossier(self) -> tuple[str, int]:
        self.cursor = (self.cursor + 1) % len(self.dossiers)
        return self.dossiers[self.cursor]

    def open_sheet(self, tally: Tally, op: str, reference: str, aid: int) -> int | None:
        body = self.timed(tally, op, "GET", self.sheet_path(reference))
        if body is None:
            return None
        fields = hidden_inputs(body.decode(), SHEET_FORM)
        if not fields.get("csrf_token") or not fields.get("version", "").isdigit():
            tally.errors[f"{op}: no sheet form"] += 1
            return None
        self.csrf, version = fields["csrf_token"], int(fields["version"])
        known = self.acks.get(aid)
        if known is not None and known.attempt is None and known.version != version:
            tally.errors[f"{op}: shows version {version}, {known.version} acknowledged"] += 1
        return version

    def loop(self, deadline: float, tally: Tally) -> None:
        """Dashboard, one of the juror's dossiers, an autosave of its sheet; again (after
        `think` seconds on average, 0 by default)."""
        while time.perf_counter() < deadline:
            if self.think:
                time.sleep(self.rng.uniform(0.5, 1.5) * self.think)
                if time.perf_counter() >= deadline:
                    break
            if self.timed(tally, "dashboard", "GET", f"{self.base}/") is None:
                continue
            reference, aid = self.next_dossier()
            version = self.open_sheet(tally, "dossier page", reference, aid)
            if version is not None:
                self.save(tally, "save (in the loop)", reference, aid, version)

    def save_only(self, deadline: float, tally: Tally) -> None:
        """Autosaves back to back on the sheets the juror already saved, with the versions
        acknowledged (only when it has none does it open one first, untimed)."""
        known = [(ref, aid) for ref, aid in self.dossiers if aid in self.acks
                 and self.acks[aid].attempt is None and self.acks[aid].version > 0]
        if not known or not self.csrf:
            reference, aid = self.next_dossier()
            version = self.open_sheet(Tally(), "untimed page", reference, aid)
            if version is None or not self.save(Tally(), "untimed save", reference, aid,
                                                version):
                tally.errors["save alone: could not start"] += 1
                return
            known = [(reference, aid)]
        turn = 0
        while time.perf_counter() < deadline:
            reference, aid = known[turn % len(known)]
            turn += 1
            ack = self.acks[aid]
            if ack.attempt is not None:     # the last save got no answer: read the version
                version = self.open_sheet(Tally(), "untimed page", reference, aid)
                if version is None:
                    tally.errors["save alone: sheet page failed"] += 1
                    continue
            else:
                version = ack.version
            self.save(tally, "save alone", reference, aid, version)

    def ceiling(self, deadline: float, tally: Tally) -> None:
        """The bare endpoint, from a fresh anonymous client (no session, no CSRF)."""
        client, slot = Client(self.client.port), self.index + 1
        reference = self.dossiers[0][0]
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                status, _, _ = client.request("POST", "/_bench/ceiling",
                                              form={"slot": str(slot), "reference": reference})
            except Failure as failure:
                tally.errors[f"ceiling: {failure.kind}"] += 1
                continue
            if status == 200:
                tally.latencies["ceiling"].append(time.perf_counter() - start)
            else:
                tally.errors[f"ceiling: HTTP {status}"] += 1
        client.close()


def run_phase(jurors: list[Juror], seconds: float, method: str,
              meter: CpuMeter) -> tuple[Tally, float, tuple[float, ...]]:
    """Every juror's `method` in its own thread, all started together for `seconds`:
    the measures, the time it took, the cores busy meanwhile (see CpuMeter)."""
    tallies = [Tally() for _ in jurors]
    go = threading.Event()
    clock: dict[str, float] = {}
    ends: list[float] = []

    def work(juror: Juror, tally: Tally) -> None:
        go.wait()
        try:
            getattr(juror, method)(clock["deadline"], tally)
        except Exception as error:   # a bug in the client must show, not hang the run
            tally.errors[f"client: {type(error).__name__}: {error}"] += 1
        ends.append(time.perf_counter())

    threads = [threading.Thread(target=work, args=(j, t), daemon=True)
               for j, t in zip(jurors, tallies, strict=True)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    cpu = meter.sample()
    clock["start"] = time.perf_counter()
    clock["deadline"] = clock["start"] + seconds
    go.set()
    for thread in threads:
        thread.join()
    elapsed = max(ends) - clock["start"]
    total = Tally()
    for tally in tallies:
        total.merge(tally)
    return total, elapsed, meter.since(cpu, elapsed)


def login_all(jurors: list[Juror]) -> list[float]:
    times: list[float] = []
    errors: list[str] = []

    def work(juror: Juror) -> None:
        try:
            times.append(juror.login())
        except Failure as failure:
            errors.append(f"{juror.email}: {failure.kind}")

    threads = [threading.Thread(target=work, args=(j,)) for j in jurors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit("login failed: " + "; ".join(errors[:5]))
    return times


# --- where the CPU went (Linux /proc; client and server share the machine) -------------------

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def machine_busy() -> float:
    """Seconds of CPU the whole machine spent busy so far (all cores, every process)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
    except OSError:
        return float("nan")
    return (sum(fields) - fields[3] - fields[4]) / TICK    # minus idle and iowait


def process_cpu(pids: list[int] | None = None, group: int | None = None) -> float:
    """CPU seconds of the processes `pids`, or of every process of the process `group`."""
    total = 0.0
    candidates = pids if pids is not None else [int(p) for p in os.listdir("/proc")
                                                if p.isdigit()]
    for pid in candidates:
        try:
            text = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        rest = text[text.rindex(")") + 2:].split()
        if group is None or int(rest[2]) == group:
            total += (int(rest[11]) + int(rest[12])) / TICK
    return total


class CpuMeter:
    """Cores kept busy during a phase: the app (gunicorn), the database server's processes
    serving it (PostgreSQL), this client, and the whole machine."""

    def __init__(self, server_group: int, database_pids) -> None:
        self.group, self.database_pids = server_group, database_pids

    def sample(self) -> tuple[float, ...]:
        self.pids = self.database_pids()    # the same connections at the end of the phase
        return self.measure()

    def measure(self) -> tuple[float, ...]:
        return (process_cpu(group=self.group), process_cpu(self.pids),
                sum(os.times()[:2]), machine_busy())

    def since(self, before: tuple[float, ...], elapsed: float) -> tuple[float, ...]:
        return tuple((b - a) / elapsed for a, b in zip(before, self.measure(), strict=True))


# --- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def has_route(port: int, path: str) -> bool:
    status, _, _ = Client(port).request("GET", path)
    return status != 404


class Server:
    """`gunicorn --workers W` on a free loopback port, in its own process group."""

    def __init__(self, env: dict[str, str], workers: int, threads: int, log: Path) -> None:
        self.port = free_port()
        self.log = log
        command = [sys.executable, "-m", "gunicorn", "--workers", str(workers),
                   "--bind", f"{HOST}:{self.port}", "--chdir", str(BENCH),
                   "--timeout", "120", "--backlog", "2048", "--log-level", "warning"]
        if threads > 1:
            command += ["--threads", str(threads)]
        command.append("scoring_app:create_bench_app()")
        with log.open("ab") as out:
            self.process = subprocess.Popen(command, env={**os.environ, **env}, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}); see {log}:\n"
                                 + log.read_text()[-3000:])
            try:
                if Client(self.port).request("GET", "/_bench/ready")[0] == 200:
                    break
            except Failure:
                pass
            if time.monotonic() > deadline:
                self.kill()
                raise SystemExit(f"gunicorn did not answer in 60 s; see {log}")
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL to the master and its workers: what was acknowledged must be on disk."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


# --- the durability check -----------------------------------------------------------------------


def check_durability(acks: dict[int, Ack]) -> tuple[list[str], int]:
    """Every acknowledged save, read back from the database: (problems, unacknowledged saves
    found applied). A sheet whose last attempt got no answer may hold that attempt instead."""
    from sqlalchemy import select

    from trophies.models import Mark, ScoreSheet, db

    db.session.remove()
    ids = list(acks)
    stored: dict[int, tuple[int, str, dict[int, tuple[int | None, str]]]] = {}
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        sheets = {row.id: row for row in db.session.execute(
            select(ScoreSheet.id, ScoreSheet.assignment_id, ScoreSheet.version,
                   ScoreSheet.general_comment).where(ScoreSheet.assignment_id.in_(chunk)))}
        marks: dict[int, dict[int, tuple[int | None, str]]] = defaultdict(dict)
        for row in db.session.execute(select(Mark.sheet_id, Mark.criterion_id, Mark.value,
                                             Mark.comment).where(Mark.sheet_id.in_(sheets))):
            marks[row.sheet_id][row.criterion_id] = (row.value, row.comment)
        for sheet_id, row in sheets.items():
            stored[row.assignment_id] = (row.version, row.general_comment, marks[sheet_id])
    problems, applied = [], 0
    for aid, ack in sorted(acks.items()):
        found = stored.get(aid)
        if ack.attempt is not None and found is not None and found == (
                ack.attempt[0], ack.attempt[2], ack.attempt[1]):
            applied += 1
            continue
        if ack.version == 0:         # never acknowledged: nothing to find
            continue
        if found is None:
            problems.append(f"assignment {aid}: sheet missing (version {ack.version} "
                            "acknowledged)")
        elif found != (ack.version, ack.general, ack.marks):
            problems.append(f"assignment {aid}: stored version {found[0]}, acknowledged "
                            f"{ack.version}" + ("" if found[0] != ack.version
                                                else " (marks or comments differ)"))
    db.session.remove()
    return problems, applied


# --- figures ------------------------------------------------------------------------------------

OPS = ["ceiling", "dashboard", "dossier page", "save (in the loop)", "save alone"]


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else float("nan")


@dataclass
class Run:
    """One repetition: per operation (requests/s, p50 s, p99 s) and the errors."""

    figures: dict[str, tuple[float, float, float]]
    errors: Counter
    #: Per phase: cores busy (app, database, client, machine).
    cpu: dict[str, tuple[float, ...]] = field(default_factory=dict)


def figures_of(tally: Tally, elapsed: float, into: dict[str, tuple[float, float, float]]) -> None:
    for op, samples in tally.latencies.items():
        into[op] = (len(samples) / elapsed, percentile(samples, 0.5), percentile(samples, 0.99))


def median_of(runs: list[Run], op: str, i: int) -> float:
    values = [run.figures[op][i] for run in runs if op in run.figures]
    return statistics.median(values) if values else float("nan")


#: The operation whose rate counts the phase's work: the loop's three requests are one turn.
PHASE_OPS = {"ceiling": "ceiling", "save alone": "save alone", "loop": "save (in the loop)"}


def cpu_costs(runs: list[Run]) -> dict[str, float]:
    """Milliseconds of app + database CPU per request (per turn of dashboard, page and save
    for the loop): medians over the runs."""
    costs = {}
    for phase, op in PHASE_OPS.items():
        values = [1e3 * (run.cpu[phase][0] + run.cpu[phase][1]) / run.figures[op][0]
                  for run in runs if phase in run.cpu and run.figures.get(op, (0,))[0]]
        if values:
            costs["loop (3 requests)" if phase == "loop" else phase] = statistics.median(values)
    return costs


def report(title: str, runs: list[Run], logins: list[float], problems: list[str],
           applied: int, acks: dict[int, Ack], jurors: int, log_errors: int) -> dict:
    repeat = f"median of {len(runs)} runs" if len(runs) > 1 else "1 run"
    print(f"\n{title} ({repeat})")
    print(f"{'request':<22} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'x ceiling':>10}")
    ceiling = median_of(runs, "ceiling", 0)
    for op in OPS:
        rate, p50, p99 = (median_of(runs, op, i) for i in range(3))
        if math.isnan(rate):
            continue
        spread = ""
        if len(runs) > 1 and not math.isnan(rate):
            rates = [run.figures[op][0] for run in runs if op in run.figures]
            spread = f"   ({min(rates):.0f}-{max(rates):.0f} req/s)"
        ratio = "" if op == "ceiling" else f"{rate / ceiling:>9.0%}"
        print(f"{op:<22} {rate:>9.1f} {p50 * 1e3:>8.1f} {p99 * 1e3:>8.1f} {ratio:>10}{spread}")
    phases = [phase for phase in ("ceiling", "loop", "save alone")
              if any(phase in run.cpu for run in runs)]
    cores, others = [], []
    for phase in phases:
        app, database, client, machine = (statistics.median(
            run.cpu[phase][i] for run in runs if phase in run.cpu) for i in range(4))
        others.append(machine - app - database - client)
        cores.append(f"{phase}: app {app:.2f}" + (f", database {database:.2f}"
                                                  if database else "")
                     + f", client {client:.2f}, other {others[-1]:.2f}")
    print(f"cores busy (of {os.cpu_count()}): " + "; ".join(cores))
    if others and max(others) > 0.25:
        print(f"WARNING: other work kept up to {max(others):.2f} cores busy: throughput and "
              "latency are unreliable, the CPU per request below less so")
    costs = cpu_costs(runs)
    if costs:
        print("CPU per request, app + database (robust to other load): " + "; ".join(
            f"{op} {ms:.1f} ms" for op, ms in costs.items()))
    errors = Counter()
    for run in runs:
        errors.update(run.errors)
    print(f"errors: {sum(errors.values())}" + "".join(
        f"\n  {count} x {kind}" for kind, count in errors.most_common(10)))
    if log_errors:
        print(f"server log: {log_errors} traceback(s)")
    print(f"logins before timing: {len(logins)}, median {statistics.median(logins) * 1e3:.0f} ms"
          " (argon2id, production parameters)")
    acknowledged = sum(1 for a in acks.values() if a.version > 0)
    print(f"lost: {len(problems)} ({acknowledged} sheets with an acknowledged save checked "
          f"after SIGKILL" + (f"; {applied} unacknowledged last saves found applied"
                              if applied else "") + ")")
    for problem in problems[:20]:
        print(f"  {problem}")
    verdicts = []
    alone, loop = (median_of(runs, op, 0) / ceiling for op in ("save alone", "save (in the loop)"))
    if not math.isnan(alone):
        cpu_ratio = ""
        if "ceiling" in costs and "save alone" in costs:
            cpu_ratio = f", by CPU per request {costs['ceiling'] / costs['save alone']:.1%}"
        verdicts.append(f"save alone {alone:.1%} of the ceiling{cpu_ratio} (>= 25%: "
                        f"{'yes' if alone >= 0.25 else 'NO'})")
    if not math.isnan(loop):
        verdicts.append(f"save in the loop {loop:.1%}")
        p99 = max(median_of(runs, op, 2) for op in OPS[1:4])
        if jurors == 50:
            verdicts.append(f"worst p99 in the loop {p99 * 1e3:.0f} ms (<= 150 ms: "
                            f"{'yes' if p99 <= 0.150 else 'NO'})")
    verdicts.append(f"no error: {'yes' if not errors and not log_errors else 'NO'}")
    verdicts.append(f"nothing lost: {'yes' if not problems else 'NO'}")
    print("targets: " + "; ".join(verdicts))
    return {"errors": sum(errors.values()), "lost": len(problems)}


# --- the run ------------------------------------------------------------------------------------


def backends(admin, name: str | None) -> list[int]:
    """The PostgreSQL server processes serving the bench database (none for SQLite)."""
    if admin is None:
        return []
    from sqlalchemy import text

    with admin.connect() as conn:
        return list(conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = :name"),
                                 {"name": name}).scalars())


def run_database(kind: str, args: argparse.Namespace) -> dict:
    from trophies.models import db

    admin, pg_name, url = None, None, ""
    if kind == "postgresql":
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import OperationalError

        from trophies.config import normalise_database_url

        base = make_url(normalise_database_url(args.pg_url))
        pg_name = f"trophies_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{pg_name}"'))
        except OperationalError as error:
            raise SystemExit(f"PostgreSQL: cannot create a database at {args.pg_url} "
                             f"(--pg-url): {error.orig}") from None
        url = base.set(database=pg_name).render_as_string(hide_password=False)
    tmp = Path(tempfile.mkdtemp(prefix=f"trophies-bench-scoring-{kind}-"))
    instance = tmp / "instance"
    env = app_config(url or f"sqlite:///{instance / 'bench.sqlite3'}", instance)
    summary = {}
    app = None
    try:
        app = in_process_app(env)
        with app.app_context():
            start = time.perf_counter()
            build_schema()
            plan = build_edition(args.seed)
            db.session.remove()
            db.engine.dispose()
            print(f"\n== {kind}: schema (Alembic) and synthetic edition ({DOSSIERS} dossiers, "
                  f"{JURORS} jurors, {sum(len(d) for _, d in plan.jurors)} assignments) "
                  f"built in {time.perf_counter() - start:.1f} s")
            acks: dict[int, Ack] = {}
            for n in args.jurors:
                summary[n] = measure(kind, n, plan, env, acks, tmp, args,
                                     lambda: backends(admin, pg_name))
            db.session.remove()
            db.engine.dispose()
    finally:
        if admin is not None:
            from sqlalchemy import text

            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))
            admin.dispose()
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return summary


def measure(kind: str, n: int, plan: Plan, env: dict[str, str], acks: dict[int, Ack],
            tmp: Path, args: argparse.Namespace, database_pids) -> dict:
    log = tmp / f"gunicorn-{n}.log"
    server = Server(env, args.workers, args.threads, log)
    meter = CpuMeter(server.process.pid, database_pids)
    runs: list[Run] = []
    try:
        jurors = [Juror(i, plan, server.port, acks, args.seed, args.think) for i in range(n)]
        logins = login_all(jurors)
        skip = set(args.skip)
        if not has_route(server.port, jurors[0].sheet_path(jurors[0].dossiers[0][0])):
            print(f"the scoring page is not there yet ({jurors[0].sheet_path('<reference>')}"
                  " answers 404): ceiling only")
            skip |= {"loop", "save alone"}
        phases = [("ceiling", "ceiling"), ("loop", "loop"), ("save alone", "save_only")]
        for _ in range(args.repeat):
            run = Run({}, Counter())
            for label, method in phases:
                if label in skip:
                    continue
                tally, elapsed, run.cpu[label] = run_phase(jurors, args.seconds, method,
                                                           meter)
                figures_of(tally, elapsed, run.figures)
                run.errors.update(tally.errors)
                time.sleep(1)
            runs.append(run)
        for juror in jurors:
            juror.client.close()
    finally:
        server.kill()
    problems, applied = check_durability(acks)
    log_errors = log.read_text(errors="replace").count("Traceback")
    title = (f"{'SQLite' if kind == 'sqlite' else 'PostgreSQL'}, {n} jurors, "
             f"{args.seconds:g} s per phase, gunicorn {args.workers} workers"
             + (f" x {args.threads} threads" if args.threads > 1 else " (sync)"))
    if args.think:
        title += f", think time {args.think:g} s"
    return report(title, runs, logins, problems, applied, acks, n, log_errors)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, help="duration of each phase (default 30)")
    parser.add_argument("--jurors", help="concurrent jurors, comma-separated (default 50,200)")
    parser.add_argument("--db", default="sqlite,postgresql", help="sqlite, postgresql or both")
    parser.add_argument("--repeat", type=int, default=1, help="runs per N (medians quoted)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker (more than 1: gunicorn's gthread worker)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 5 s, 10 jurors")
    parser.add_argument("--skip", default="", help="phases to skip: ceiling, loop, save alone")
    parser.add_argument("--think", type=float, default=0,
                        help="mean pause in seconds between a juror's loops (default: none)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--pg-url", default=os.environ.get(
        "TROPHIES_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server where a throwaway database may be created")
    parser.add_argument("--keep", action="store_true", help="keep the instance folder")
    args = parser.parse_args()
    quick = args.quick
    args.seconds = args.seconds or (5 if quick else 30)
    args.jurors = args.jurors or ("10" if quick else "50,200")
    args.jurors = [int(n) for n in args.jurors.split(",")]
    args.db = [d.strip() for d in args.db.split(",")]
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if any(n < 1 or n > JURORS for n in args.jurors):
        parser.error(f"--jurors: between 1 and {JURORS}")
    if set(args.db) - {"sqlite", "postgresql"}:
        parser.error("--db: sqlite, postgresql")
    return args


def main() -> None:
    args = parse_args()
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        raise SystemExit('gunicorn is missing: .venv/bin/pip install -e ".[prod]"') from None
    sys.setswitchinterval(0.001)   # 200 client threads: answers are picked up promptly
    print(f"{os.cpu_count()} CPUs, shared by the client and the server; closed loop, "
          + (f"{args.think:g} s of think time." if args.think else "no think time."))
    outcome = {kind: run_database(kind, args) for kind in args.db}
    failed = any(s["errors"] or s["lost"] for runs in outcome.values() for s in runs.values())
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
