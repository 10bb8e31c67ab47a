"""Configuration: unsafe production settings refused, sources layered, SQLite made durable."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import text

from trophies import create_app
from trophies.config import ConfigError, normalise_database_url
from trophies.models import db

STRONG_KEY = "k" * 20 + "-0123456789-abcdefghij"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """No TROPHIES_* variable from the shell leaks into these tests."""
    for name in list(os.environ):
        if name.startswith("TROPHIES_"):
            monkeypatch.delenv(name)


def build(tmp_path, **config):
    config.setdefault("SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path / 'config.sqlite3'}")
    app = create_app(config, instance_path=str(tmp_path / "instance"))
    with app.app_context():
        db.engine.dispose()
    return app


@pytest.mark.parametrize("secret", [None, "", "change-me", "CHANGE-ME", "secret", "dev",
                                    "short-but-not-default"])
def test_production_refuses_to_start_without_a_strong_secret_key(tmp_path, secret):
    config = {"ENVIRONMENT": "production"}
    if secret is not None:
        config["SECRET_KEY"] = secret
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        build(tmp_path, **config)


def test_production_is_the_default_environment_so_a_bare_start_is_refused(tmp_path):
    with pytest.raises(ConfigError):
        build(tmp_path)


def test_production_starts_with_a_strong_key_and_keeps_secure_cookies_and_hsts(tmp_path):
    app = build(tmp_path, ENVIRONMENT="production", SECRET_KEY=STRONG_KEY)
    assert app.config["SECRET_KEY"] == STRONG_KEY
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["HSTS"] is True
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_a_thirty_one_character_key_is_too_short_for_production(tmp_path):
    with pytest.raises(ConfigError):
        build(tmp_path, ENVIRONMENT="production", SECRET_KEY="x" * 31 + "")
    build(tmp_path, ENVIRONMENT="production", SECRET_KEY="y" * 32)


def test_an_unknown_environment_name_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="TROPHIES_ENV"):
        build(tmp_path, ENVIRONMENT="staging", SECRET_KEY=STRONG_KEY)


def test_development_generates_a_secret_key_once_and_keeps_it_in_the_instance_folder(tmp_path):
    first = build(tmp_path, ENVIRONMENT="development")
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.exists()
    key = key_file.read_text().strip()
    assert first.config["SECRET_KEY"] == key
    assert len(key) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    second = build(tmp_path, ENVIRONMENT="development")
    assert second.config["SECRET_KEY"] == key
    assert first.config["SESSION_COOKIE_SECURE"] is False
    assert first.config["HSTS"] is False


def test_environment_overrides_instance_config_which_overrides_defaults(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(
        'ENVIRONMENT = "development"\n'
        'PLATFORM_NAME = "From the file"\n'
        'MAIL_PORT = 2525\n'
        'MAIL_SENDER = "File <file@example.org>"\n'
    )
    monkeypatch.setenv("TROPHIES_PLATFORM_NAME", "From the environment")
    monkeypatch.setenv("TROPHIES_MAIL_MAX_ATTEMPTS", "9")
    monkeypatch.setenv("TROPHIES_HSTS", "false")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"},
                     instance_path=str(instance))
    assert app.config["ENVIRONMENT"] == "development"          # file over default
    assert app.config["PLATFORM_NAME"] == "From the environment"  # environment over file
    assert app.config["MAIL_PORT"] == 2525                     # file over default
    assert app.config["MAIL_SENDER"] == "File <file@example.org>"
    assert app.config["MAIL_MAX_ATTEMPTS"] == 9                # JSON-parsed number
    assert app.config["HSTS"] is False
    assert app.config["MAIL_BACKOFF_SECONDS"] == 60            # untouched default


def test_explicit_overrides_win_over_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TROPHIES_PLATFORM_NAME", "From the environment")
    app = build(tmp_path, ENVIRONMENT="testing", SECRET_KEY=STRONG_KEY, PLATFORM_NAME="Explicit")
    assert app.config["PLATFORM_NAME"] == "Explicit"


def test_secret_values_from_the_environment_stay_text(tmp_path, monkeypatch):
    monkeypatch.setenv("TROPHIES_ENV", "testing")
    monkeypatch.setenv("TROPHIES_SECRET_KEY", "12345678901234567890123456789012345")
    monkeypatch.setenv("TROPHIES_MAIL_PASSWORD", "1234")
    app = build(tmp_path)
    assert app.config["ENVIRONMENT"] == "testing"
    assert app.config["SECRET_KEY"] == "12345678901234567890123456789012345"
    assert app.config["MAIL_PASSWORD"] == "1234"


def test_the_instance_path_can_come_from_the_environment(tmp_path, monkeypatch):
    instance = tmp_path / "elsewhere"
    monkeypatch.setenv("TROPHIES_INSTANCE_PATH", str(instance))
    app = create_app({"ENVIRONMENT": "development",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    assert app.instance_path == str(instance.resolve())
    assert (instance / "secret_key").exists()
    assert "INSTANCE_PATH" not in app.config


@pytest.mark.parametrize(("given", "expected"), [
    ("postgresql://u:p@db.example:5432/trophies", "postgresql+psycopg://u:p@db.example:5432/trophies"),
    ("postgres://u@db/trophies", "postgresql+psycopg://u@db/trophies"),
    ("postgresql+psycopg://u@db/trophies", "postgresql+psycopg://u@db/trophies"),
    ("sqlite:////var/lib/trophies.sqlite3", "sqlite:////var/lib/trophies.sqlite3"),
])
def test_database_urls_are_normalised_to_psycopg_3(given, expected):
    assert normalise_database_url(given) == expected


def test_trophies_database_url_from_the_environment_uses_psycopg_3(tmp_path, monkeypatch):
    monkeypatch.setenv("TROPHIES_DATABASE_URL", "postgresql://trophies@127.0.0.1:1/trophies")
    app = create_app({"ENVIRONMENT": "testing", "SECRET_KEY": STRONG_KEY},
                     instance_path=str(tmp_path / "instance"))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://trophies@127.0.0.1:1/trophies"
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"
        assert db.engine.dialect.driver == "psycopg"


def test_the_default_database_is_a_sqlite_file_in_the_instance_folder(tmp_path):
    app = create_app({"ENVIRONMENT": "testing", "SECRET_KEY": STRONG_KEY},
                     instance_path=str(tmp_path / "instance"))
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    assert uri == f"sqlite:///{(tmp_path / 'instance' / 'trophies.sqlite3').resolve()}"


def test_sqlite_connections_use_wal_full_sync_and_foreign_keys(tmp_path):
    app = build(tmp_path, ENVIRONMENT="testing", SECRET_KEY=STRONG_KEY)
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
        db.engine.dispose()
