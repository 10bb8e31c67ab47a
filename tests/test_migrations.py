"""Migrations: an empty database upgraded to head matches the models exactly, downgrades back
to nothing, and gets the audit log's append-only triggers. SQLite always; PostgreSQL too when
TROPHIES_TEST_DATABASE_URL is set (in a throwaway database created and dropped here).
"""

from __future__ import annotations

import logging
import os

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from tests.conftest import throwaway_pg_database
from trophies import create_app
from trophies.config import normalise_database_url
from trophies.models import db

PG_URL = os.environ.get("TROPHIES_TEST_DATABASE_URL", "")

@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'migrated.sqlite3'}"


@pytest.fixture
def postgres_url():
    if not PG_URL:
        pytest.skip("TROPHIES_TEST_DATABASE_URL is not set")
    with throwaway_pg_database(normalise_database_url(PG_URL), "trophies_migrate") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def migrated_app(request, tmp_path):
    """An app on an empty database, without create_all: only Alembic builds the schema."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    app = create_app({"ENVIRONMENT": "testing", "TESTING": True,
                      "SECRET_KEY": "migration-test-secret-key-0123456789",
                      "SQLALCHEMY_DATABASE_URI": url},
                     instance_path=str(tmp_path / "instance"))
    # alembic.ini's logging section reconfigures the root logger and disables every logger
    # already created: put them back afterwards so later tests still see their records.
    loggers = {name: logger.disabled for name, logger in logging.root.manager.loggerDict.items()
               if isinstance(logger, logging.Logger)}
    root_level, root_handlers = logging.root.level, list(logging.root.handlers)
    with app.app_context():
        assert inspect(db.engine).get_table_names() == [], "the database is not empty"
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()
            for name, disabled in loggers.items():
                logging.getLogger(name).disabled = disabled
            for handler in list(logging.root.handlers):
                if handler not in root_handlers:
                    logging.root.removeHandler(handler)
            for handler in root_handlers:
                if handler not in logging.root.handlers:
                    logging.root.addHandler(handler)
            logging.root.setLevel(root_level)


def test_upgrading_an_empty_database_to_head_matches_the_models(migrated_app):
    flask_migrate.upgrade()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []
    tables = set(inspect(db.engine).get_table_names())
    assert tables == {t.name for t in db.metadata.sorted_tables} | {"alembic_version"}


def test_downgrading_to_base_leaves_only_the_alembic_version_table(migrated_app):
    flask_migrate.upgrade()
    flask_migrate.downgrade(revision="base")
    assert inspect(db.engine).get_table_names() == ["alembic_version"]
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            functions = conn.execute(text(
                "SELECT count(*) FROM pg_proc WHERE proname = 'audit_events_append_only'")).scalar()
        assert functions == 0


def test_the_migrated_audit_log_refuses_updates_and_deletes(migrated_app):
    flask_migrate.upgrade()
    insert = text("INSERT INTO audit_events (occurred_at, action, object_type, data) "
                  "VALUES (:at, 'test.event', '', '{}')")
    with db.engine.begin() as conn:
        conn.execute(insert, {"at": "2026-01-01 00:00:00"})
    for statement in ("UPDATE audit_events SET action = 'tampered'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
            conn.execute(text(statement))
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT action FROM audit_events")).scalars().all() == [
            "test.event"]


def test_the_upgrade_is_repeatable_after_a_downgrade(migrated_app):
    flask_migrate.upgrade()
    flask_migrate.downgrade(revision="base")
    flask_migrate.upgrade()
    with db.engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version
    assert "audit_events" in inspect(db.engine).get_table_names()
