"""The demo competition: realistic, complete enough for every screen, idempotent, consistent."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from trophies.domain.vocabulary import ConflictStatus, DossierStatus, Phase, SheetStatus
from trophies.models import (
    Assignment,
    Attachment,
    Conflict,
    Decision,
    Dossier,
    Edition,
    JurorProfile,
    ResultSnapshot,
    Round,
    ScoreSheet,
    User,
    db,
)
from trophies.services import accounts
from trophies.services import demo_content as content
from trophies.services.demo import DEMO_ACCOUNTS

TABLES = (User, Edition, Dossier, Attachment, Assignment, ScoreSheet, Conflict, Decision)


def _counts() -> dict[str, int]:
    return {t.__tablename__: db.session.scalar(select(func.count()).select_from(t))
            for t in TABLES}


def test_the_demo_builds_three_editions_and_running_it_again_adds_nothing(runner):
    first = runner.invoke(args=["trophies", "demo", "--seed", "7"])
    assert first.exit_code == 0, first.output
    for role, (email, password) in DEMO_ACCOUNTS.items():
        assert email in first.output and password in first.output, role
    before = _counts()
    second = runner.invoke(args=["trophies", "demo", "--seed", "7"])
    assert second.exit_code == 0, second.output
    assert "nothing new" in second.output
    db.session.expire_all()
    assert _counts() == before

    listed = runner.invoke(args=["trophies", "editions", "--json"])
    editions = {e["phase"]: e for e in json.loads(listed.output)}
    assert set(editions) == {"open", "judging", "published"}
    judging = editions["judging"]
    assert judging["dossiers"] >= 60 and judging["jurors"] == 12
    assert 0 < judging["submitted_sheets"] < judging["sheets"]
    assert editions["published"]["sheets"] == editions["published"]["submitted_sheets"]


def test_every_demo_login_works(app, runner):
    runner.invoke(args=["trophies", "demo"])
    for role, (email, password) in DEMO_ACCOUNTS.items():
        user = accounts.authenticate(email, password)
        assert user is not None, role
    assert accounts.authenticate(DEMO_ACCOUNTS["admin"][0], "wrong password!") is None


def test_the_judging_edition_respects_the_jury_rules(runner):
    runner.invoke(args=["trophies", "demo"])
    edition = db.session.scalar(select(Edition).where(Edition.phase == Phase.JUDGING))
    round_1 = db.session.scalar(select(Round).where(Round.edition_id == edition.id,
                                                   Round.number == 1))
    assignments = db.session.scalars(select(Assignment).where(
        Assignment.round_id == round_1.id)).all()
    eligible = db.session.scalars(select(Dossier.id).where(
        Dossier.edition_id == edition.id, Dossier.status == DossierStatus.ELIGIBLE)).all()
    per_dossier = Counter(a.dossier_id for a in assignments)
    assert set(per_dossier) == set(eligible)
    assert set(per_dossier.values()) == {round_1.jurors_per_dossier}
    conflicts = {(c.juror_id, c.dossier_id) for c in db.session.scalars(
        select(Conflict).where(Conflict.edition_id == edition.id))}
    assert len(conflicts) >= 4
    assert not conflicts & {(a.juror_id, a.dossier_id) for a in assignments}
    confirmed = db.session.scalar(select(func.count()).select_from(Conflict).where(
        Conflict.edition_id == edition.id, Conflict.status == ConflictStatus.CONFIRMED))
    assert confirmed >= 4
    organisation = {p.user_id: p.organisation_key for p in db.session.scalars(
        select(JurorProfile).where(JurorProfile.edition_id == edition.id))}
    by_dossier: dict[int, list[str]] = {}
    for a in assignments:
        by_dossier.setdefault(a.dossier_id, []).append(organisation[a.juror_id])
    assert all(len(orgs) == len(set(orgs)) for orgs in by_dossier.values())
    statuses = Counter(db.session.scalars(select(ScoreSheet.status).join(Assignment).where(
        Assignment.round_id == round_1.id)))
    assert statuses[SheetStatus.SUBMITTED] and statuses[SheetStatus.DRAFT]
    assert len(assignments) > sum(statuses.values())  # some sheets not started yet


def test_pitch_decks_are_real_pdfs_stored_under_random_names_with_their_hash(app, runner):
    runner.invoke(args=["trophies", "demo"])
    uploads = Path(app.config["UPLOAD_FOLDER"])
    attachments = db.session.scalars(select(Attachment)).all()
    submitted = db.session.scalar(select(func.count()).select_from(Dossier).where(
        Dossier.status != DossierStatus.DRAFT))
    assert len(attachments) == submitted
    names = set()
    for attachment in attachments[:20]:
        data = (uploads / attachment.stored_name).read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
        assert hashlib.sha256(data).hexdigest() == attachment.sha256
        assert attachment.stored_name not in attachment.original_name
        names.add(attachment.stored_name)
    assert len(names) == min(20, len(attachments))


def test_the_published_edition_has_its_winners_and_a_frozen_snapshot(runner):
    runner.invoke(args=["trophies", "demo"])
    edition = db.session.scalar(select(Edition).where(Edition.phase == Phase.PUBLISHED))
    decisions = db.session.scalars(select(Decision).where(
        Decision.edition_id == edition.id)).all()
    kinds = Counter(d.kind for d in decisions)
    assert kinds["laureate"] == 4 and kinds["runner_up"] == 4 and kinds["mention"] == 1
    laureates = db.session.scalar(select(func.count()).select_from(Dossier).where(
        Dossier.edition_id == edition.id, Dossier.status == DossierStatus.LAUREATE))
    assert laureates == 4
    snapshot = db.session.scalar(select(ResultSnapshot).where(
        ResultSnapshot.edition_id == edition.id))
    canonical = json.dumps(snapshot.payload, sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False)
    assert hashlib.sha256(canonical.encode()).hexdigest() == snapshot.digest


def test_the_demo_content_is_decided_by_the_seed(runner):
    assert content.startups(11) == content.startups(11)
    assert [s.company_name for s in content.startups(11)] != [
        s.company_name for s in content.startups(12)]
    runner.invoke(args=["trophies", "demo", "--seed", "11"])
    judging = db.session.scalar(select(Edition).where(Edition.phase == Phase.JUDGING))
    built = db.session.scalars(select(Dossier.company_name).where(
        Dossier.edition_id == judging.id).order_by(Dossier.reference)).all()
    assert built == [s.company_name for s in content.startups(11, count=72)]
