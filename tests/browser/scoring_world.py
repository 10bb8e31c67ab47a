"""Browser tests of scoring: a judging edition of their own, in a database of their own, served
by a live server of its own (test_browser_scoring.py overrides `live_site` with it).

The demo is not used: its jurors' sheets would change under the other browser tests, and a
second edition in judging there would change which one `judging_slug` finds. Here each test
asks for a new juror (`site.new_juror()`) with three fresh dossiers assigned and published,
so no test sees another's sheets.

The round has three criteria:
- impact: weight 2, 0 to 5 as radio buttons, each level with a label;
- market: weight 1, 0 to 20 as a number field (more than 11 values), N/A allowed;
- team: weight 1, 1 to 4 as radio buttons.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from werkzeug.serving import make_server

from tests.conftest import TEST_CONFIG, throwaway_pg_database

SLUG = "trophees-notation"
PASSWORD = "une grille bien remplie"
IMPACT_LEVELS = {0: "Absent", 1: "Très faible", 2: "Faible", 3: "Correct", 4: "Fort",
                 5: "Exemplaire"}
PROJECTS = [("Télésuivi frugal", "Sobriété Santé"), ("Pansements connectés", "Soin Libre"),
            ("Tri des urgences", "Urgence Claire")]
_numbers = itertools.count(1)


@dataclass
class Juror:
    """A juror of the scoring edition: the log_in key, and their dossiers' references."""

    key: str
    email: str
    user_id: int
    references: list[str]


@dataclass
class SavedSheet:
    """A juror's sheet on one dossier as committed: marks by criterion key (an int, "na", or
    None for nothing), comments by key, version and status."""

    version: int
    status: str
    marks: dict[str, int | str | None]
    comments: dict[str, str]
    general_comment: str


@dataclass
class ScoringSite:
    url: str
    app: Any
    slug: str
    round_number: int
    criteria: dict[str, int]                 # key -> criterion id
    accounts: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def netloc(self) -> str:
        return urlsplit(self.url).netloc

    def dashboard_path(self) -> str:
        return f"/jury/{self.slug}/"

    def sheet_path(self, reference: str) -> str:
        return f"/jury/{self.slug}/rounds/{self.round_number}/dossiers/{reference}"

    def new_juror(self) -> Juror:
        """A juror who accepted the invitation and the statement, with three dossiers of
        their own assigned in round 1 and published."""
        from tests.factories import add_role, make_user
        from trophies.domain.vocabulary import DossierStatus, Role
        from trophies.models import Assignment, Dossier, Edition, JurorProfile, Round, db, utcnow

        n = next(_numbers)
        with self.app.app_context():
            edition = db.session.scalar(select(Edition).where(Edition.slug == self.slug))
            round_ = db.session.scalar(select(Round).where(Round.edition_id == edition.id,
                                                           Round.number == self.round_number))
            juror = make_user(f"jure{n}@notation.example", password=PASSWORD,
                              full_name=f"Juré·e {n}")
            add_role(juror, edition, Role.JUROR, organisation=f"Organisation {n}")
            profile = db.session.scalar(select(JurorProfile).where(
                JurorProfile.edition_id == edition.id, JurorProfile.user_id == juror.id))
            profile.confidentiality_accepted_at = utcnow()
            candidate = make_user(f"candidat{n}@notation.example", password=None)
            references = []
            for index, (title, company) in enumerate(PROJECTS):
                dossier = Dossier(edition_id=edition.id, category_id=edition.categories[0].id,
                                  candidate_id=candidate.id, reference=f"NOT-{n:03d}-{index}",
                                  company_name=company, project_title=title,
                                  summary="Un problème réel, une solution sobre.",
                                  city="Rennes", status=DossierStatus.ELIGIBLE,
                                  submitted_at=utcnow())
                db.session.add(dossier)
                db.session.flush()
                db.session.add(Assignment(round_id=round_.id, dossier_id=dossier.id,
                                          juror_id=juror.id, published_at=utcnow()))
                references.append(dossier.reference)
            db.session.commit()
            found = Juror(f"juror-{n}", juror.email, juror.id, references)
            db.session.remove()
        self.accounts[found.key] = (found.email, PASSWORD)
        return found

    def saved_sheet(self, juror: Juror, reference: str) -> SavedSheet | None:
        """The juror's sheet on `reference` as committed, or None when there is none."""
        from trophies.models import Assignment, Dossier, ScoreSheet, db

        keys = {cid: key for key, cid in self.criteria.items()}
        with self.app.app_context():
            sheet = db.session.scalar(
                select(ScoreSheet).join(Assignment, Assignment.id == ScoreSheet.assignment_id)
                .join(Dossier, Dossier.id == Assignment.dossier_id)
                .where(Dossier.reference == reference, Assignment.juror_id == juror.user_id))
            if sheet is None:
                db.session.remove()
                return None
            marks: dict[str, int | str | None] = dict.fromkeys(self.criteria)
            comments = dict.fromkeys(self.criteria, "")
            for mark in sheet.marks:
                key = keys[mark.criterion_id]
                marks[key] = "na" if mark.is_na else mark.value
                comments[key] = mark.comment
            found = SavedSheet(sheet.version, str(sheet.status), marks, comments,
                               sheet.general_comment)
            db.session.remove()
        return found


def build_edition(app: Any) -> tuple[int, dict[str, int]]:
    """The judging edition, its round 1 and three criteria: (round number, key -> id)."""
    from trophies.domain.vocabulary import Phase
    from trophies.models import Category, Criterion, CriterionLevel, Edition, Round, db, utcnow

    with app.app_context():
        now = utcnow()
        edition = Edition(slug=SLUG, name_fr="Trophées de la notation",
                          name_en="Scoring trophies", description_fr="Description.",
                          description_en="Description.", phase=Phase.JUDGING,
                          call_opens_at=now - timedelta(days=60),
                          call_closes_at=now - timedelta(days=20),
                          judging_deadline_at=now + timedelta(days=12))
        db.session.add(edition)
        db.session.flush()
        db.session.add(Category(edition_id=edition.id, position=0, name_fr="Santé",
                                name_en="Health"))
        round_ = Round(edition_id=edition.id, number=1, name_fr="Pré-sélection",
                       name_en="Pre-selection", jurors_per_dossier=3)
        db.session.add(round_)
        db.session.flush()
        impact = Criterion(round_id=round_.id, position=0, key="impact", name_fr="Impact",
                           name_en="Impact", weight=2, scale_min=0, scale_max=5, scale_step=1,
                           description_fr="L’effet attendu sur les patients.")
        market = Criterion(round_id=round_.id, position=1, key="market", name_fr="Marché",
                           name_en="Market", weight=1, scale_min=0, scale_max=20, scale_step=1,
                           allows_na=True)
        team = Criterion(round_id=round_.id, position=2, key="team", name_fr="Équipe",
                         name_en="Team", weight=1, scale_min=1, scale_max=4, scale_step=1)
        db.session.add_all([impact, market, team])
        db.session.flush()
        for value, label in IMPACT_LEVELS.items():
            db.session.add(CriterionLevel(criterion_id=impact.id, value=value, label_fr=label,
                                          label_en=label))
        db.session.commit()
        found = round_.number, {"impact": impact.id, "market": market.id, "team": team.id}
        db.session.remove()
    return found


def _read_and_close(file: Any, buffer_size: int = 8192) -> list[bytes]:
    with file:
        return [file.read()]


def _files_read_eagerly(app: Any) -> Callable[..., Any]:
    """As in conftest.py: static files read into memory, their handles closed at once (an
    unclosed file after a reset connection would be a ResourceWarning, hence an error)."""

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        environ["wsgi.file_wrapper"] = _read_and_close
        return app(environ, start_response)

    return wsgi


@contextmanager
def _database(pg_database: str | None, directory: Any) -> Iterator[str]:
    if not pg_database:
        yield f"sqlite:///{directory / 'scoring.sqlite3'}"
        return
    with throwaway_pg_database(pg_database, "trophies_scoring") as url:
        yield url


@contextmanager
def scoring_site(pg_database: str | None, directory: Any) -> Iterator[ScoringSite]:
    """The app on a database of its own holding only the scoring edition, on 127.0.0.1."""
    from trophies import create_app
    from trophies.models import db

    with _database(pg_database, directory) as url:
        # tests/conftest.py's values with real CSRF, as the demo's live server has.
        config = {**TEST_CONFIG, "WTF_CSRF_ENABLED": True, "SQLALCHEMY_DATABASE_URI": url}
        app = create_app(config, instance_path=str(directory / "instance"))
        with app.app_context():
            db.create_all()
            db.session.remove()
        number, criteria = build_edition(app)
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        server = make_server("127.0.0.1", 0, _files_read_eagerly(app), threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="trophies-scoring-server",
                                  daemon=True)
        thread.start()
        try:
            yield ScoringSite(f"http://127.0.0.1:{server.server_port}", app, SLUG, number,
                              criteria)
        finally:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
