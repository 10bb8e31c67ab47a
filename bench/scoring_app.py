"""Bench only: the real application plus a bare "ceiling" endpoint, served by gunicorn for
bench/scoring_load.py (`gunicorn 'scoring_app:create_bench_app()'`). Never part of the app.

The application is configured exactly as in production, from TROPHIES_* variables and the
instance folder. `POST /_bench/ceiling` (form fields `slot`, `reference`) does one
SQLAlchemy read (a dossier by its reference, as the scoring page starts) and one write (the
slot's counter row in a bench-only table), then commits: the least any request that saves
something costs in this app, on this database and this machine.
"""

from __future__ import annotations

from flask import Flask, abort, request
from sqlalchemy import Column, Integer, MetaData, Table, select, update

from trophies import create_app
from trophies.extensions import csrf, db
from trophies.models import Dossier

#: Outside the application's metadata, so migrations and the app never see it.
bench_metadata = MetaData()
ceiling_counters = Table(
    "bench_ceiling", bench_metadata,
    Column("id", Integer, primary_key=True),
    Column("hits", Integer, nullable=False),
)


def ceiling() -> tuple[str, int, dict[str, str]]:
    slot = request.form.get("slot", type=int)
    reference = request.form.get("reference", "")
    if slot is None or db.session.scalar(select(Dossier.id)
                                         .where(Dossier.reference == reference)) is None:
        abort(404)
    db.session.execute(update(ceiling_counters).where(ceiling_counters.c.id == slot)
                       .values(hits=ceiling_counters.c.hits + 1))
    db.session.commit()
    return "ok", 200, {"Content-Type": "text/plain"}


def ready() -> str:
    return "ok"


def create_bench_app() -> Flask:
    app = create_app()
    app.add_url_rule("/_bench/ceiling", "bench_ceiling", csrf.exempt(ceiling), methods=["POST"])
    app.add_url_rule("/_bench/ready", "bench_ready", ready)
    return app
