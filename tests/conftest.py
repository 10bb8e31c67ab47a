"""Test fixtures: app (fresh database per test), client, runner, login_as, query counter.

SQLite by default (a new file per test); PostgreSQL when TROPHIES_TEST_DATABASE_URL is set
(one database per run, schema built once, every table truncated after each test).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from trophies import create_app
from trophies.models import db

PG_URL = os.environ.get("TROPHIES_TEST_DATABASE_URL", "")

TEST_CONFIG = {
    "ENVIRONMENT": "testing",
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "ARGON2_MEMORY_KIB": 1024,
    "ARGON2_TIME_COST": 1,
    "BASE_URL": "http://trophies.test",
    "MAIL_SERVER": None,
}


def _pg_test_url() -> str:
    from trophies.config import normalise_database_url

    return normalise_database_url(PG_URL)


@contextmanager
def throwaway_pg_database(url: str, prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database beside `url`'s, dropped (even if in use) at the end."""
    base = make_url(url)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str | None]:
    """A throwaway PostgreSQL database for the whole run, or None on SQLite."""
    if not PG_URL:
        yield None
        return
    with throwaway_pg_database(_pg_test_url(), "trophies_test") as url:
        engine = create_engine(url)
        db.metadata.create_all(engine)
        engine.dispose()
        yield url


def make_app(tmp_path, pg_database, **overrides):
    config = dict(TEST_CONFIG)
    config["SQLALCHEMY_DATABASE_URI"] = pg_database or f"sqlite:///{tmp_path / 'test.sqlite3'}"
    config.update(overrides)
    app = create_app(config, instance_path=str(tmp_path / "instance"))
    app.test_client_class = IsolatedClient
    if not pg_database:
        with app.app_context():
            db.create_all()
    return app


def _truncate_all(app) -> None:
    with app.app_context():
        db.session.remove()
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


@pytest.fixture
def app_factory(tmp_path, pg_database):
    """Build an app with config overrides (e.g. CSRF or rate limits enabled)."""
    built = []

    def factory(**overrides):
        app = make_app(tmp_path, pg_database, **overrides)
        built.append(app)
        return app

    yield factory
    for app in built:
        if pg_database:
            _truncate_all(app)
        else:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


@pytest.fixture
def app(app_factory):
    app = app_factory()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    """Each request in its own application context, as on a real server (see IsolatedClient)."""
    return IsolatedClient(app, app.response_class, use_cookies=True)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login_as(client):
    """Log `user` in on the test client the way Flask-Login does (session token as id)."""

    def login(user, target_client=None):
        c = target_client or client
        with c.session_transaction() as session:
            session["_user_id"] = user.session_token
            session["_fresh"] = True
        return c

    return login


@pytest.fixture
def count_queries(app):
    """`with count_queries() as counter: ...` then `counter.count` SELECTs/INSERTs ran."""

    @contextmanager
    def counting():
        class Counter:
            count = 0
            statements: list[str] = []

        counter = Counter()
        counter.statements = []

        def before(conn, cursor, statement, *args):
            counter.count += 1
            counter.statements.append(statement)

        engine = db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counting


# --- added by the server-side test suite ------------------------------------------------------

from flask.testing import FlaskClient  # noqa: E402


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own application context.

    The `app` fixture keeps an application context pushed for the whole test, and Flask reuses
    it for requests: `g` (where Flask-Login caches the current user) and the database session
    would then leak from one request to the next, so a revoked session could still look logged
    in. Here each request gets a fresh `g` and a fresh session, as on a real server; the test
    reads the database through its own session (roll back or expire before reading).
    """

    def run_wsgi_app(self, environ, buffered=False):
        with self.application.app_context():
            return super().run_wsgi_app(environ, buffered=True)


@pytest.fixture
def isolated_client(app):
    """Like `client`, but requests never share `g` or the database session with the test."""
    return IsolatedClient(app, app.response_class, use_cookies=True)


# --- PDF tests need WeasyPrint's Pango and poppler-utils ---------------------------------------

def _pdf_problem() -> str | None:
    from tests.pdf_support import _problem

    return _problem()


def pytest_ignore_collect(collection_path, config):
    """Without Pango or poppler-utils, the modules that import WeasyPrint are not collected (a
    fresh machine with only Python can still run the rest); with TROPHIES_REQUIRE_PDF=1 (CI)
    the tests run and fail instead."""
    if os.environ.get("TROPHIES_REQUIRE_PDF") == "1" or collection_path.suffix != ".py":
        return None
    if "from trophies import" not in collection_path.read_text(encoding="utf-8", errors="ignore"):
        return None
    source = collection_path.read_text(encoding="utf-8", errors="ignore")
    if not any(marker in source for marker in ("pdf_tools", "require_pdf_tools")):
        return None
    return True if _pdf_problem() else None


def pytest_report_header(config):
    problem = None if os.environ.get("TROPHIES_REQUIRE_PDF") == "1" else _pdf_problem()
    return f"PDF tests not collected: {problem}" if problem else None
