"""CLI: `flask trophies assign EDITION --round N [--seed S] [--dry-run] [--json]`."""

from __future__ import annotations

import json
from collections import Counter

from tests.helpers import count
from tests.services.test_assignment_service import add_juror, build_round, confirm_conflict
from trophies.domain.vocabulary import Phase
from trophies.models import Assignment, AuditEvent, Round, db


def test_assign_prints_a_summary_and_commits_the_plan(runner):
    jury = build_round(dossiers=6, jurors=4, k=2, slug="trophees-cli")
    add_juror(jury.edition, accepted=False, name="Juré en attente")
    db.session.commit()
    result = runner.invoke(args=["trophies", "assign", "trophees-cli", "--round", "1",
                                 "--seed", "5"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "dossiers 6, jurors 4, k 2, seed 5" in out
    assert "optimal yes" in out and "LP bound" in out and "load min 3 / mean 3.0 / max 3" in out
    assert "warning:" in out and "Juré en attente" in out
    db.session.expire_all()
    assert count(Assignment) == 12
    assert db.session.get(Round, jury.round.id).assignment_run["seed"] == 5


def test_assign_json_lists_every_pair_each_load_the_objective_and_the_bound(runner):
    jury = build_round(dossiers=5, jurors=3, k=2, slug="trophees-json")
    result = runner.invoke(args=["trophies", "assign", "trophees-json", "--round", "1",
                                 "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert {"pairs", "loads", "objective", "bound", "seed", "optimal"} <= set(document)
    assert document["seed"] == 1 and document["objective"] == document["bound"]
    references = Counter(p["dossier"] for p in document["pairs"])
    assert references == dict.fromkeys((d.reference for d in jury.dossiers), 2)
    emails = {j.email for j in jury.jurors}
    assert {p["juror"] for p in document["pairs"]} <= emails
    loads = {entry["juror"]: entry for entry in document["loads"]}
    assert set(loads) == emails
    assert sum(e["load"] for e in loads.values()) == 10
    assert all(e["capacity"] == 4 and e["load"] <= 4 for e in loads.values())
    for email, entry in loads.items():
        assert entry["load"] == sum(1 for p in document["pairs"] if p["juror"] == email)


def test_assign_dry_run_writes_nothing(runner):
    build_round(dossiers=4, jurors=3, k=2, slug="trophees-dry")
    result = runner.invoke(args=["trophies", "assign", "trophees-dry", "--round", "1",
                                 "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["pairs"]) == 8
    db.session.expire_all()
    assert count(Assignment) == 0 and count(AuditEvent) == 0


def test_an_infeasible_assignment_explains_itself_on_stderr_and_exits_with_1(runner):
    jury = build_round(dossiers=3, jurors=3, k=2, slug="trophees-impossible")
    blocked = jury.dossiers[1]
    for juror in jury.jurors[:2]:
        confirm_conflict(juror, blocked)
    db.session.commit()
    result = runner.invoke(args=["trophies", "assign", "trophees-impossible", "--round", "1"])
    assert result.exit_code == 1
    assert blocked.reference in result.stderr and "conflict" in result.stderr
    assert result.stdout == ""
    db.session.expire_all()
    assert count(Assignment) == 0


def test_assign_names_an_unknown_edition_or_round_and_a_closed_phase(runner):
    build_round(dossiers=1, jurors=1, k=1, slug="trophees-known")
    build_round(dossiers=1, jurors=1, k=1, slug="trophees-open", phase=Phase.OPEN)
    closed = runner.invoke(args=["trophies", "assign", "trophees-open", "--round", "1"])
    assert closed.exit_code != 0 and "is in the open phase" in closed.output
    unknown = runner.invoke(args=["trophies", "assign", "nope", "--round", "1"])
    assert unknown.exit_code != 0 and "no edition 'nope'" in unknown.output
    no_round = runner.invoke(args=["trophies", "assign", "trophees-known", "--round", "7"])
    assert no_round.exit_code != 0 and "has no round 7" in no_round.output
