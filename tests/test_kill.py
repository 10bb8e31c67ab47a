"""Reliability (security.md): acknowledged means durable. Jurors save their score sheets
(autosave, X-Autosave: 1) against the real application served by a real server in another
process; after about two seconds of load the server's whole process group gets SIGKILL while
requests are in flight. The database is then read directly: every save the server
acknowledged (HTTP 200 with the new version) is there, with its version and its marks.

The database is a SQLite file in a temporary instance folder (WAL, synchronous=FULL), or on
PostgreSQL (TROPHIES_TEST_DATABASE_URL) a throwaway database beside the run's `pg_database`.
The server is Werkzeug's (`flask --app wsgi run`), and also gunicorn (2 workers, threads) when
it is installed (the `prod` extra; not a test dependency, so CI runs Werkzeug only).
"""

from __future__ import annotations

import contextlib
import html
import http.client
import importlib.util
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.engine import make_url

from tests.conftest import throwaway_pg_database
from tests.factories import PASSWORD, make_dossier, make_edition, make_user
from tests.services.test_conflicts import assign, make_juror
from trophies import create_app
from trophies.domain.vocabulary import Phase
from trophies.models import Criterion, Mark, ScoreSheet, db

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SECRET = "kill-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
SLUG = "kill-test"
JURORS = 8
DOSSIERS = 12
#: Load for at least this long, and until this many saves were acknowledged (at most
#: MAX_LOAD_SECONDS: then the assertion on MIN_ACKS says the test measured too little).
LOAD_SECONDS = 2.0
MIN_ACKS = 60
MAX_LOAD_SECONDS = 12.0
#: The application's configuration as the server reads it (TROPHIES_* variables). Login
#: limits stay on, as in production, but far above the few logins of the test.
SERVER_SETTINGS = {
    "TROPHIES_ENV": "development",
    "TROPHIES_SECRET_KEY": SECRET,
    "TROPHIES_ARGON2_MEMORY_KIB": "1024",
    "TROPHIES_ARGON2_TIME_COST": "1",
    "TROPHIES_LOGIN_LIMITS": "100000 per minute",
    "TROPHIES_LOGIN_ACCOUNT_LIMITS": "100000 per minute",
}
SERVERS = ["werkzeug"] + (["gunicorn"] if importlib.util.find_spec("gunicorn") else [])


# --- the edition ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    criterion_id: int
    minimum: int
    maximum: int
    step: int
    allows_na: bool


@dataclass(frozen=True)
class Plan:
    scales: list[Scale]
    #: Per juror: e-mail and (dossier reference, assignment id) of each published assignment.
    jurors: list[tuple[str, list[tuple[str, int]]]]


def build_edition(database_url: str, instance: Path) -> Plan:
    """The real schema (as the test fixtures create it) and an edition in judging: one round
    with three criteria (one allowing N/A), JURORS jurors ready to score (password, verified
    e-mail, membership, invitation and confidentiality accepted), 3 to 5 published
    assignments each."""
    app = create_app({"ENVIRONMENT": "development", "SECRET_KEY": SECRET,
                      "SQLALCHEMY_DATABASE_URI": database_url,
                      "ARGON2_MEMORY_KIB": 1024, "ARGON2_TIME_COST": 1},
                     instance_path=str(instance))
    with app.app_context():
        try:
            db.create_all()
            edition = make_edition(SLUG, phase=Phase.JUDGING)
            round_ = edition.rounds[0]   # the factory's "impact": weight 2, 0..5
            db.session.add_all([
                Criterion(round_id=round_.id, position=1, key="team", name_fr="Équipe",
                          name_en="Team", weight=1, scale_min=0, scale_max=10, scale_step=2,
                          allows_na=True),
                Criterion(round_id=round_.id, position=2, key="market", name_fr="Marché",
                          name_en="Market", weight=1, scale_min=0, scale_max=20, scale_step=1),
            ])
            db.session.flush()
            scales = [Scale(c.id, c.scale_min, c.scale_max, c.scale_step, c.allows_na)
                      for c in sorted(round_.criteria, key=lambda c: c.position)]
            dossiers = [make_dossier(edition, make_user(password=None))
                        for _ in range(DOSSIERS)]
            jurors = []
            for j in range(JURORS):
                email = f"jure{j}@kill.example.org"
                juror, _profile = make_juror(edition, name=f"Juré {j}", email=email)
                sheets = [(dossiers[(3 * j + i) % DOSSIERS].reference,
                           assign(round_, dossiers[(3 * j + i) % DOSSIERS], juror).id)
                          for i in range(3 + j % 3)]
                jurors.append((email, sheets))
            db.session.commit()
            return Plan(scales, jurors)
        finally:
            db.session.remove()
            db.engine.dispose()


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(kind: str, database_url: str, instance: Path, log: Path
                   ) -> Iterator[tuple[subprocess.Popen, int]]:
    """The app served on a free loopback port in its own process group, answering; the whole
    group is killed (SIGKILL) on the way out whatever happens."""
    port = free_port()
    environ = {name: value for name, value in os.environ.items()
               if not name.startswith(("TROPHIES_", "FLASK_"))}
    environ.update(SERVER_SETTINGS, TROPHIES_INSTANCE_PATH=str(instance),
                   TROPHIES_DATABASE_URL=database_url,
                   TROPHIES_BASE_URL=f"http://{HOST}:{port}")
    if kind == "gunicorn":
        command = [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "4",
                   "--bind", f"{HOST}:{port}", "--log-level", "warning", "wsgi:app"]
    else:
        command = [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--host", HOST,
                   "--port", str(port), "--no-reload", "--no-debugger", "--with-threads"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=environ, stdin=subprocess.DEVNULL,
                                   stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited ({process.returncode}):\n{tail(log)}")
            probe = Browser(port)
            try:
                if probe.request("GET", "/account/login")[0] == 200:
                    break
            except ConnectionError:
                pass
            finally:
                probe.close()
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer within 30 s:\n{tail(log)}")
            time.sleep(0.1)
        yield process, port
    finally:
        kill(process)


def kill(process: subprocess.Popen) -> None:
    """SIGKILL to the server's process group (gunicorn's master and workers alike)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def tail(log: Path) -> str:
    return log.read_text(errors="replace")[-6000:]


# --- a browser --------------------------------------------------------------------------------

INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r"([\w:-]+)\s*=\s*\"([^\"]*)\"")
LOGIN_FORM = re.compile(r"<form\b[^>]*\baction=\"/account/login\"[^>]*>(.*?)</form>",
                        re.IGNORECASE | re.DOTALL)
SHEET_FORM = re.compile(r"<form\b[^>]*\bid=\"sheet\"[^>]*>(.*?)</form>",
                        re.IGNORECASE | re.DOTALL)


def form_inputs(page: str, form: re.Pattern[str]) -> dict[str, str]:
    """Name -> value of the inputs of the form `form` finds ({} when there is none)."""
    found = form.search(page)
    values: dict[str, str] = {}
    for tag in INPUT.findall(found.group(1) if found else ""):
        attributes = dict(ATTRIBUTE.findall(tag))
        if "name" in attributes:
            values[attributes["name"]] = html.unescape(attributes.get("value", ""))
    return values


class Browser:
    """One connection (kept alive) and one cookie jar. Any failure to get a whole answer
    raises ConnectionError."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        sent = {"Accept-Language": "fr", "Accept": "text/html", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            raise ConnectionError(f"{method} {path}: {type(error).__name__}: {error}") from None
        for cookie in response.headers.get_all("Set-Cookie") or []:
            pair, _, attributes = cookie.partition(";")
            name, _, value = pair.strip().partition("=")
            if not value or "max-age=0" in attributes.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        if response.will_close:
            self.connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def close(self) -> None:
        self.connection.close()


# --- the jurors -------------------------------------------------------------------------------

#: What one save puts on the sheet: criterion id -> (value, N/A, comment) for the criteria
#: that keep a Mark row (a blank entry without comment has none), and the general comment.
Contents = tuple[dict[int, tuple[int | None, bool, str]], str]


@dataclass
class Ledger:
    """A sheet's last acknowledged save, and the save in flight when the server died."""

    acked: tuple[int, Contents] | None = None
    in_flight: tuple[int, Contents] | None = None


@dataclass
class Juror:
    index: int
    email: str
    sheets: list[tuple[str, int]]
    scales: list[Scale]
    port: int
    killed: threading.Event
    ledgers: dict[int, Ledger] = field(default_factory=dict)
    acks: int = 0
    #: Anything but a 200 with the next version while the server was alive: none expected.
    unexpected: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.browser = Browser(self.port)
        self.rng = random.Random(self.index)
        self.csrf = ""
        self.saves = 0

    def path(self, reference: str) -> str:
        return f"/jury/{SLUG}/rounds/1/dossiers/{reference}"

    def login(self) -> None:
        status, _, body = self.browser.request("GET", "/account/login")
        token = form_inputs(body.decode(), LOGIN_FORM).get("csrf_token")
        assert status == 200 and token, f"{self.email}: login page {status}"
        status, headers, _ = self.browser.request("POST", "/account/login", form={
            "csrf_token": token, "email": self.email, "password": PASSWORD, "next": ""})
        location = urlsplit(headers.get("location", "")).path
        assert status == 302 and not location.startswith("/account/"), \
            f"{self.email}: login answered {status} {location}"

    def contents(self) -> tuple[dict[str, str], Contents]:
        """Random marks (some N/A, some blank) and comments, as posted and as stored."""
        self.saves += 1
        form: dict[str, str] = {"general_comment": f"Avis n°{self.saves} du juré {self.index}."}
        stored: dict[int, tuple[int | None, bool, str]] = {}
        for scale in self.scales:
            cid, roll = scale.criterion_id, self.rng.random()
            comment = f"Juré {self.index} – essai {self.saves} : critère {cid}." \
                if roll < 0.7 else ""
            if scale.allows_na and roll > 0.85:
                form[f"na-{cid}"] = "1"
                stored[cid] = (None, True, comment)
            elif roll > 0.9:
                pass   # left blank, without comment: no Mark row
            else:
                value = self.rng.randrange(scale.minimum, scale.maximum + 1, scale.step)
                form[f"mark-{cid}"] = str(value)
                stored[cid] = (value, False, comment)
            form[f"comment-{cid}"] = comment
        return form, (stored, form["general_comment"])

    def open_sheet(self, reference: str) -> int | None:
        """The sheet page: the form's CSRF token and version."""
        status, _, body = self.browser.request("GET", self.path(reference))
        fields = form_inputs(body.decode(errors="replace"), SHEET_FORM)
        if status != 200 or not fields.get("csrf_token") or \
                not fields.get("version", "").isdigit():
            self.unexpected.append(f"GET {reference}: {status}, no sheet form")
            return None
        self.csrf = fields["csrf_token"]
        return int(fields["version"])

    def save(self, reference: str, aid: int, version: int) -> bool:
        posted, contents = self.contents()
        form = {**posted, "csrf_token": self.csrf, "version": str(version),
                "action": "save"}
        ledger = self.ledgers.setdefault(aid, Ledger())
        ledger.in_flight = (version + 1, contents)
        status, _, body = self.browser.request(
            "POST", self.path(reference), form=form,
            headers={"Accept": "application/json", "X-Autosave": "1"})
        try:
            answer = json.loads(body)
        except ValueError:
            answer = {}
        if status != 200 or answer.get("version") != version + 1:
            self.unexpected.append(f"POST {reference} v{version}: {status} {body[:200]!r}")
            ledger.in_flight = None
            return False
        ledger.acked, ledger.in_flight = (version + 1, contents), None
        self.acks += 1
        return True

    def run(self) -> None:
        """Each sheet in turn: open it once, then save it with the version last acknowledged,
        until the server dies (a request that fails after the kill ends the juror)."""
        versions: dict[int, int] = {}
        turn = 0
        while not self.killed.is_set():
            reference, aid = self.sheets[turn % len(self.sheets)]
            turn += 1
            try:
                if aid not in versions:
                    version = self.open_sheet(reference)
                    if version is None:
                        return
                    versions[aid] = version
                if not self.save(reference, aid, versions[aid]):
                    return
                versions[aid] += 1
            except ConnectionError as error:
                if not self.killed.is_set():
                    self.unexpected.append(str(error))
                return

    def run_safely(self) -> None:
        try:
            self.run()
        except Exception as error:  # a bug in the test must show, not hang the threads
            self.unexpected.append(f"client: {type(error).__name__}: {error}")
        finally:
            self.browser.close()


# --- reading what survived --------------------------------------------------------------------


def stored_sheets(database_url: str) -> dict[int, tuple[int, Contents]]:
    """Assignment id -> (version, contents) of every score sheet, read straight from the
    database by a new engine (SQLite recovers its WAL on opening)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            sheets = {sid: (aid, version, general) for sid, aid, version, general in
                      connection.execute(select(ScoreSheet.id, ScoreSheet.assignment_id,
                                                ScoreSheet.version,
                                                ScoreSheet.general_comment))}
            marks: dict[int, dict[int, tuple[int | None, bool, str]]] = {
                sid: {} for sid in sheets}
            for sid, cid, value, is_na, comment in connection.execute(
                    select(Mark.sheet_id, Mark.criterion_id, Mark.value, Mark.is_na,
                           Mark.comment)):
                marks[sid][cid] = (value, bool(is_na), comment)
    finally:
        engine.dispose()
    return {aid: (version, (marks[sid], general))
            for sid, (aid, version, general) in sheets.items()}


def lost_saves(ledgers: dict[int, Ledger], stored: dict[int, tuple[int, Contents]]
               ) -> list[str]:
    """Each sheet must hold its last acknowledged save, or the one in flight at the kill
    (written but never answered): nothing older, nothing else."""
    def version(save: tuple[int, Contents] | None) -> str:
        return f"v{save[0]}" if save is not None else "nothing"

    problems = []
    for aid, ledger in ledgers.items():
        found = stored.get(aid)
        allowed = [save for save in (ledger.acked, ledger.in_flight) if save is not None]
        if ledger.acked is None and found is None:
            continue   # never acknowledged, never written
        if found not in allowed:
            same = found is not None and found[0] in {save[0] for save in allowed}
            problems.append(f"assignment {aid}: acknowledged {version(ledger.acked)}, in "
                            f"flight {version(ledger.in_flight)}, stored {version(found)}"
                            + (f" with other contents {found[1]}" if same else ""))
    problems += [f"assignment {aid}: a sheet nobody saved" for aid in stored.keys() - ledgers]
    return problems


# --- the test ---------------------------------------------------------------------------------


@pytest.fixture
def database_url(pg_database, tmp_path) -> Iterator[str]:
    """A SQLite file in the instance folder, or a throwaway PostgreSQL database beside the
    run's (the server writes outside the per-test truncation of tests/conftest.py)."""
    if not pg_database:
        yield f"sqlite:///{tmp_path / 'instance' / 'trophies.sqlite3'}"
        return
    with throwaway_pg_database(pg_database, "trophies_kill") as url:
        yield url


@pytest.mark.parametrize("server", SERVERS)
def test_every_acknowledged_save_survives_a_sigkill_of_the_server_under_load(
        server, database_url, tmp_path):
    instance = tmp_path / "instance"
    plan = build_edition(database_url, instance)
    killed = threading.Event()
    with running_server(server, database_url, instance, tmp_path / "server.log") as (
            process, port):
        jurors = [Juror(j, email, sheets, plan.scales, port, killed)
                  for j, (email, sheets) in enumerate(plan.jurors)]
        try:
            for juror in jurors:
                juror.login()
            threads = [threading.Thread(target=juror.run_safely, daemon=True)
                       for juror in jurors]
            for thread in threads:
                thread.start()
            started = time.monotonic()
            while True:
                elapsed = time.monotonic() - started
                acked = sum(juror.acks for juror in jurors)
                if (elapsed >= LOAD_SECONDS and acked >= MIN_ACKS) or elapsed >= \
                        MAX_LOAD_SECONDS or not any(t.is_alive() for t in threads):
                    break
                time.sleep(0.05)
            killed.set()
            kill(process)   # while the jurors' requests are in flight
            for thread in threads:
                thread.join(timeout=60)
            assert not any(thread.is_alive() for thread in threads), "a juror still waits"
        finally:
            killed.set()
            for juror in jurors:
                juror.browser.close()

    ledgers = {aid: ledger for juror in jurors for aid, ledger in juror.ledgers.items()}
    acked = sum(juror.acks for juror in jurors)
    cut = sum(1 for ledger in ledgers.values() if ledger.in_flight is not None)
    problems = lost_saves(ledgers, stored_sheets(database_url))
    unexpected = [message for juror in jurors for message in juror.unexpected]
    print(f"{server} on {make_url(database_url).get_backend_name()}: {acked} saves "
          f"acknowledged on {sum(1 for ledger in ledgers.values() if ledger.acked)} sheets, "
          f"{cut} in flight at the kill after {elapsed:.1f} s of load, {len(problems)} lost")
    assert unexpected == [], f"server log:\n{tail(tmp_path / 'server.log')}"
    assert acked >= MIN_ACKS, f"only {acked} saves acknowledged: the test measured too little"
    assert problems == []
