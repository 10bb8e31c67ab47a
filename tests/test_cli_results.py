"""CLI: `flask trophies results EDITION [--round N] [--json] [--verify]` prints the whole
computation and its digest so anyone can re-check a verdict, and recomputes a frozen snapshot
from the raw marks; `flask trophies publish-due [--now ISO8601]` publishes what is due."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from tests.helpers import messages
from tests.services.test_deliberation import decide, frozen, tamper_mark
from tests.services.test_results_service import build_jury, ranked
from trophies.domain.vocabulary import DossierStatus, Phase
from trophies.models import Edition, db, utcnow
from trophies.services import deliberation
from trophies.services import results as results_service


def results(runner, *args: str):
    return runner.invoke(args=["trophies", "results", *args])


def test_results_json_prints_the_payload_and_a_digest_anyone_can_recompute(runner):
    w = ranked()
    decide(w)
    edition, round_ = w.jury.edition, w.jury.round
    answer = results(runner, edition.slug, "--json")
    assert answer.exit_code == 0, answer.output
    document = json.loads(answer.stdout)
    assert document["frozen"] is None
    assert document["digest"] == results_service.digest_of(document["payload"])
    assert document["digest"] == results_service.digest_of(
        results_service.payload_of(edition, round_))
    payload = document["payload"]
    assert payload["edition"] == edition.slug and payload["round"] == 1
    scores = {d["reference"]: (d["score"], d["rank"], d["totals"]) for d in payload["dossiers"]}
    assert scores[w.e3.reference] == ("170/3", 3, ["170/3"] * 3)
    assert scores[w.e1.reference][:2] == ("100/1", 1)
    assert len(payload["sheets"]) == 18

    snapshot = deliberation.freeze(edition, actor=w.jury.organizer)
    db.session.commit()
    document = json.loads(results(runner, edition.slug, "--json").stdout)
    assert document["digest"] == snapshot.digest == document["frozen"]["digest"]
    assert document["frozen"]["sequence"] == 1


def test_results_prints_a_readable_ranking_with_the_digest(runner):
    w = ranked()
    answer = results(runner, w.jury.edition.slug)
    assert answer.exit_code == 0, answer.output
    lines = answer.output.splitlines()
    digest = results_service.digest_of(results_service.payload_of(w.jury.edition, w.jury.round))
    assert lines[-1] == f"digest {digest}"
    e3 = next(line for line in lines if w.e3.reference in line)
    assert e3.split()[:3] == ["3", w.e3.reference, "56.7"]
    assert lines.index("Équité") < lines.index(e3)


def test_results_reads_the_round_asked_for(runner):
    jury = build_jury(phase=Phase.DELIBERATION)
    first, second = jury.dossier(), jury.dossier()
    jury.scored(first, (5, 10), (5, 10), (5, 10))
    jury.scored(second, (2, 4), (2, 4), (2, 4))
    final = jury.second_round()
    second.status = DossierStatus.SHORTLISTED
    jury.sheet(second, jury.jurors[3], marks={final.criteria[0].id: 4}, round_=final)
    db.session.commit()
    slug = jury.edition.slug

    def payload(*args: str) -> dict:
        answer = results(runner, slug, "--json", *args)
        assert answer.exit_code == 0, answer.output
        return json.loads(answer.stdout)["payload"]

    latest = payload()
    assert latest["round"] == 2 and [d["reference"] for d in latest["dossiers"]] == [
        second.reference]
    earlier = payload("--round", "1")
    assert earlier["round"] == 1
    assert [d["reference"] for d in earlier["dossiers"]] == [first.reference, second.reference]
    assert payload("--round", "2") == latest
    missing = results(runner, slug, "--round", "3")
    assert missing.exit_code != 0 and "no such round" in missing.output
    unknown = results(runner, "nope")
    assert unknown.exit_code != 0 and "no edition 'nope'" in unknown.output


def test_verify_exits_0_when_the_snapshot_matches_and_1_with_the_differences(runner):
    w = frozen()
    slug = w.jury.edition.slug
    answer = results(runner, slug, "--verify")
    assert answer.exit_code == 0, answer.output
    snapshot = deliberation.latest_snapshot(w.jury.edition)
    assert f"snapshot 1  {snapshot.digest}" in answer.output
    assert answer.output.strip().endswith(
        "OK: the snapshot matches a recomputation from the raw marks")

    sheet_id = tamper_mark(w.jury, w.e4, 5)
    answer = results(runner, slug, "--verify")
    assert answer.exit_code == 1, answer.output
    assert f"  sheets[{sheet_id}].marks.impact: 1 → 5" in answer.output.splitlines()
    assert answer.output.strip().endswith("MISMATCH")
    as_json = results(runner, slug, "--verify", "--json")
    assert as_json.exit_code == 1
    document = json.loads(as_json.stdout)
    assert document["matches"] is False and document["stored_payload_matches_digest"] is True
    assert document["stored_digest"] == snapshot.digest != document["recomputed_digest"]
    assert f"sheets[{sheet_id}].marks.impact: 1 → 5" in document["differences"]


def test_verify_without_a_frozen_snapshot_fails_with_a_message(runner):
    w = ranked()
    answer = results(runner, w.jury.edition.slug, "--verify")
    assert answer.exit_code == 1 and "has no frozen snapshot to verify" in answer.output


def test_the_demos_published_verdict_verifies(runner):
    built = runner.invoke(args=["trophies", "demo"])
    assert built.exit_code == 0, built.output
    slug = f"trophees-esante-{utcnow().year - 1}"
    edition = db.session.scalar(select(Edition).where(Edition.slug == slug))
    assert edition is not None and edition.phase is Phase.PUBLISHED
    answer = results(runner, slug, "--verify")
    assert answer.exit_code == 0, answer.output
    assert "OK: the snapshot matches" in answer.output
    document = json.loads(results(runner, slug, "--json").stdout)
    assert document["digest"] == document["frozen"]["digest"]


def test_publish_due_publishes_a_scheduled_edition_when_its_time_comes(runner):
    w = frozen()
    edition = w.jury.edition
    at = (utcnow() + timedelta(days=1)).replace(microsecond=0)
    deliberation.publish(edition, actor=w.jury.organizer, at=at)
    db.session.commit()
    early = runner.invoke(args=["trophies", "publish-due",
                                "--now", (at - timedelta(minutes=1)).isoformat()])
    assert early.exit_code == 0 and early.output.strip() == "0 editions published"
    db.session.expire_all()
    assert edition.phase is Phase.FROZEN and not messages()
    due = runner.invoke(args=["trophies", "publish-due",
                              "--now", (at + timedelta(minutes=1)).isoformat()])
    assert due.exit_code == 0, due.output
    assert due.output.splitlines() == [f"published {edition.slug}", "1 edition published"]
    db.session.expire_all()
    assert edition.phase is Phase.PUBLISHED
    assert edition.published_at == at + timedelta(minutes=1)
    assert len(messages(template="results_published")) == 6
    again = runner.invoke(args=["trophies", "publish-due"])
    assert again.output.strip() == "0 editions published"
    assert len(messages(template="results_published")) == 6
