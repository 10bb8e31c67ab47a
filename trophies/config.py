"""Configuration: defaults, then instance/config.py, then TROPHIES_* environment variables.

Imports only the standard library; read once by the factory, never at import time elsewhere.
"""

from __future__ import annotations

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

DEFAULT_SECRET_KEYS = frozenset({"", "change-me", "changeme", "dev", "secret", "default"})
ENVIRONMENTS = ("production", "development", "testing")

#: Environment names that do not map one-to-one to a Flask config key.
ENV_ALIASES = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "ENV": "ENVIRONMENT",
}


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the app refuses to start."""


def defaults(instance_path: Path) -> dict[str, Any]:
    """Every key the application reads, with its development-safe default."""
    return {
        "ENVIRONMENT": "production",
        "SECRET_KEY": None,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance_path / 'trophies.sqlite3'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "BASE_URL": "http://127.0.0.1:5000",
        "PLATFORM_NAME": "Trophies",
        # Sessions and cookies (security.md "Headers and cookies").
        "SESSION_COOKIE_NAME": "trophies_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_DURATION": timedelta(0),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "IDLE_TIMEOUT_MINUTES": 120,
        "IDLE_WARNING_MINUTES": 5,
        "HSTS": True,
        "PROXY_FIX": 0,
        # Forms: the CSRF token lives as long as the session (a juror may score for hours).
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_ENABLED": True,
        "MAX_CONTENT_LENGTH": 25 * 1024 * 1024,
        # Language and time.
        "LANGUAGES": ["fr", "en"],
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
        # Rate limits: memory in development, Redis (TROPHIES_REDIS_URL) with several processes.
        "REDIS_URL": None,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_HEADERS_ENABLED": False,
        "LOGIN_LIMITS": "10 per 15 minutes",
        "LOGIN_ACCOUNT_LIMITS": "5 per 15 minutes",
        "RESET_LIMITS": "5 per hour",
        "REGISTER_LIMITS": "10 per hour",
        # Accounts.
        "PASSWORD_MIN_LENGTH": 12,
        "PASSWORD_MAX_LENGTH": 128,
        "ARGON2_MEMORY_KIB": 19 * 1024,
        "ARGON2_TIME_COST": 2,
        "ARGON2_PARALLELISM": 1,
        "TOKEN_HOURS_VERIFY_EMAIL": 48,
        "TOKEN_HOURS_RESET_PASSWORD": 1,
        "TOKEN_HOURS_INVITATION": 14 * 24,
        "TOKEN_HOURS_CHANGE_EMAIL": 24,
        # Mail: no MAIL_SERVER means messages are logged and listed for administrators.
        "MAIL_SERVER": None,
        "MAIL_PORT": 587,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_USE_TLS": True,
        "MAIL_USE_SSL": False,
        "MAIL_TIMEOUT": 20,
        "MAIL_SENDER": "Trophies <no-reply@localhost>",
        "MAIL_MAX_ATTEMPTS": 6,
        "MAIL_BACKOFF_SECONDS": 60,
        # Files.
        "UPLOAD_FOLDER": str(instance_path / "uploads"),
        #: Default size limit of an uploaded file when its question sets none (under the
        #: request limit MAX_CONTENT_LENGTH, which also carries the form's other fields).
        "FILE_MAX_BYTES_DEFAULT": 20 * 1024 * 1024,
        # PDF documents: generated files (background jobs, the public palmares cache).
        "DOCUMENTS_FOLDER": str(instance_path / "documents"),
        #: A document of at most this many table rows and sections (about 7 ms each) is sent
        #: at once; a longer one is offered as a background job.
        "PDF_INLINE_ROWS": 300,
        "PALMARES_PDF_LIMITS": "30 per minute",
    }


def _parse_env_value(raw: str) -> Any:
    """Environment values are JSON when they parse as JSON (numbers, booleans), else text."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def from_environment(environ: dict[str, str]) -> dict[str, Any]:
    """TROPHIES_FOO=bar sets FOO; TROPHIES_DATABASE_URL sets SQLALCHEMY_DATABASE_URI."""
    values: dict[str, Any] = {}
    for name, raw in environ.items():
        if not name.startswith("TROPHIES_") or name == "TROPHIES_INSTANCE_PATH":
            continue
        key = name.removeprefix("TROPHIES_")
        key = ENV_ALIASES.get(key, key)
        values[key] = raw if key in {"SECRET_KEY", "SQLALCHEMY_DATABASE_URI",
                                     "MAIL_PASSWORD", "MAIL_USERNAME"} else _parse_env_value(raw)
    return values


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever the scheme the administrator wrote."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def finalise(config: dict[str, Any], instance_path: Path) -> dict[str, Any]:
    """Derive dependent keys and refuse unsafe production settings.

    Raises ConfigError when production has no SECRET_KEY or a well-known default one.
    """
    env = config.get("ENVIRONMENT", "production")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"TROPHIES_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    secret = config.get("SECRET_KEY")
    if env == "production":
        weak = not secret or str(secret).strip().lower() in DEFAULT_SECRET_KEYS
        if weak or len(str(secret)) < 32:
            raise ConfigError(
                "Refusing to start in production without a strong SECRET_KEY (32+ characters): "
                "set TROPHIES_SECRET_KEY or SECRET_KEY in instance/config.py, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
    elif not secret:
        config["SECRET_KEY"] = _development_secret(instance_path)
    if env != "production":
        config["SESSION_COOKIE_SECURE"] = False
        config["HSTS"] = False
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
    if config.get("REDIS_URL") and config.get("RATELIMIT_STORAGE_URI") == "memory://":
        config["RATELIMIT_STORAGE_URI"] = config["REDIS_URL"]
    config["BABEL_TRANSLATION_DIRECTORIES"] = str(Path(__file__).parent / "translations")
    return config


def _development_secret(instance_path: Path) -> str:
    """A random key kept in the instance folder so development sessions survive restarts."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def resolve_instance_path(explicit: str | None, environ: dict[str, str]) -> Path:
    """Explicit argument, then TROPHIES_INSTANCE_PATH, then ./instance."""
    raw = explicit or environ.get("TROPHIES_INSTANCE_PATH") or os.path.join(os.getcwd(), "instance")
    return Path(raw).resolve()
