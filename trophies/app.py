"""The factory's parts: configuration, extensions, database pragmas, blueprints, hooks."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from trophies import config as config_module
from trophies.extensions import babel, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def build_app(overrides: dict[str, Any] | None, *, instance_path: str | None) -> Flask:
    environ = dict(os.environ)
    instance = config_module.resolve_instance_path(instance_path, environ)
    app = Flask(
        "trophies",
        instance_path=str(instance),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    register_config(app, overrides or {}, environ)
    register_extensions(app)
    register_database(app)
    register_i18n(app)
    register_blueprints(app)
    register_hooks(app)
    register_cli(app)
    return app


def register_config(app: Flask, overrides: dict[str, Any], environ: dict[str, str]) -> None:
    instance = Path(app.instance_path)
    app.config.update(config_module.defaults(instance))
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(config_module.from_environment(environ))
    app.config.update(overrides)
    app.config.update(config_module.finalise(dict(app.config), instance))
    if app.config["PROXY_FIX"]:
        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def register_extensions(app: Flask) -> None:
    from trophies.models import User  # noqa: F401  (every model registered before use)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    from trophies.web.auth.session import configure_login

    configure_login(login_manager)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Acknowledged means durable: WAL with synchronous=FULL, foreign keys enforced."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def register_database(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///") and ":memory:" not in uri:
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)


def register_i18n(app: Flask) -> None:
    from trophies.web.i18n import configure_babel

    configure_babel(app, babel)


def register_blueprints(app: Flask) -> None:
    from trophies.web.admin.views import bp as admin_bp
    from trophies.web.auth import two_factor  # noqa: F401  (adds its routes to auth)
    from trophies.web.auth.views import bp as auth_bp
    from trophies.web.candidate.views import bp as candidate_bp
    from trophies.web.documents import bp as documents_bp
    from trophies.web.files import bp as files_bp
    from trophies.web.jury.views import bp as jury_bp
    from trophies.web.public.views import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp, url_prefix="/account")
    app.register_blueprint(candidate_bp, url_prefix="/candidate")
    app.register_blueprint(jury_bp, url_prefix="/jury")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(files_bp, url_prefix="/files")
    app.register_blueprint(documents_bp, url_prefix="/documents")


def register_hooks(app: Flask) -> None:
    from trophies.web.errors import register_error_handlers
    from trophies.web.hooks import register_request_hooks

    register_request_hooks(app)
    register_error_handlers(app)


def register_cli(app: Flask) -> None:
    from trophies.cli import trophies_cli

    app.cli.add_command(trophies_cli)
