"""`flask --app wsgi trophies ...`: thin wrappers over services; one commit per command."""

from __future__ import annotations

import json
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from trophies.models import db

trophies_cli = AppGroup("trophies", help="Trophies administration commands.")


@trophies_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default="", help="Full name (defaults to the e-mail's local part).")
def create_admin(email: str, name: str) -> None:
    """Create a platform administrator and print a one-time password (shown once)."""
    from trophies.services import accounts

    user, password = accounts.create_admin(email, full_name=name)
    db.session.commit()
    click.echo(f"Administrator: {user.email}")
    click.echo(f"One-time password (change it at the first login): {password}")


@trophies_cli.command("send-mail")
@click.option("--limit", default=500, show_default=True, help="Messages at most in this run.")
def send_mail(limit: int) -> None:
    """Deliver the outbox over SMTP (TROPHIES_MAIL_*), with retries and backoff."""
    from trophies.services import mail

    report = mail.deliver_pending(limit=limit)
    db.session.commit()
    where = "SMTP" if current_app.config["MAIL_SERVER"] else "log (no SMTP configured)"
    click.echo(f"{report.sent} sent, {report.logged} logged, {report.retried} to retry, "
               f"{report.failed} failed ({where})")


@trophies_cli.command("demo")
@click.option("--seed", default=2026, show_default=True, help="Seed of the generated content.")
def demo(seed: int) -> None:
    """Build the demo competition (idempotent) and print how to log in."""
    from trophies.services import demo as demo_service

    summary = demo_service.build_demo(seed=seed, progress=lambda m: click.echo(m, err=True))
    db.session.commit()
    click.echo(demo_service.describe(summary, base_url=current_app.config["BASE_URL"]))


@trophies_cli.command("editions")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_editions(as_json: bool) -> None:
    """List editions with their phase and counts of dossiers, jurors and score sheets."""
    from trophies.services import editions

    items = editions.list_editions()
    counts = editions.counts_by_edition([e.id for e in items])
    rows = [
        {
            "slug": e.slug,
            "name": e.name_fr,
            "name_en": e.name_en,
            "phase": str(e.phase),
            "dossiers": counts[e.id].dossiers,
            "jurors": counts[e.id].jurors,
            "sheets": counts[e.id].sheets,
            "submitted_sheets": counts[e.id].submitted_sheets,
        }
        for e in items
    ]
    if as_json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        click.echo()
        return
    for row in rows:
        click.echo(f"{row['slug']:<32} {row['phase']:<13} {row['dossiers']:>4} dossiers "
                   f"{row['jurors']:>3} jurors {row['sheets']:>4} sheets  {row['name']}")


@trophies_cli.command("export")
@click.argument("edition_slug", metavar="EDITION")
@click.option("--what", type=click.Choice(["dossiers"]), default="dossiers", show_default=True,
              help="What to export.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv",
              show_default=True, help="File format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="File to write (default: standard output; required for xlsx).")
@click.option("--language", type=click.Choice(["fr", "en"]), default="fr", show_default=True,
              help="Language of the headers and translated values.")
def export(edition_slug: str, what: str, fmt: str, output: str | None, language: str) -> None:
    """Export an edition's dossiers (drafts excluded); the download is audited."""
    from pathlib import Path

    from sqlalchemy import select

    from trophies.models import Edition
    from trophies.services import exports

    if fmt == "xlsx" and output is None:
        raise click.UsageError("xlsx is a binary format: write it to a file with -o FILE")
    edition = db.session.scalar(select(Edition).where(Edition.slug == edition_slug))
    if edition is None:
        raise click.ClickException(
            f"no edition {edition_slug!r} (`flask trophies editions` lists them)")
    exported = exports.export_dossiers(edition, fmt, language=language, actor=None)
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(exported.content)
        sys.stdout.buffer.flush()
    else:
        Path(output).write_bytes(exported.content)
    db.session.commit()
    where = output or "standard output"
    click.echo(f"{exported.count} {what} of {edition.slug} written to {where} ({fmt})", err=True)


@trophies_cli.command("assign")
@click.argument("edition_slug", metavar="EDITION")
@click.option("--round", "number", type=int, required=True, help="Round number (1, 2, …).")
@click.option("--seed", type=int, default=None,
              help="Seed of the plan (default: the last run's, else 1).")
@click.option("--dry-run", is_flag=True, help="Compute and print, change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def assign(edition_slug: str, number: int, seed: int | None, dry_run: bool,
           as_json: bool) -> None:
    """Assign the round's applications to jurors (optimal plan, not yet published)."""
    from flask_babel import force_locale
    from sqlalchemy import select

    from trophies.domain.assignment import Infeasible
    from trophies.models import Edition, Round
    from trophies.services import assignment, assignment_stats, assignment_texts

    edition = db.session.scalar(select(Edition).where(Edition.slug == edition_slug))
    if edition is None:
        raise click.ClickException(
            f"no edition {edition_slug!r} (`flask trophies editions` lists them)")
    round_ = db.session.scalar(select(Round).where(Round.edition_id == edition.id,
                                                   Round.number == number))
    if round_ is None:
        raise click.ClickException(f"{edition.slug} has no round {number}")
    if seed is None:
        seed = int((round_.assignment_run or {}).get("seed", 1))
    with force_locale("en"):
        try:
            result = assignment.run_assignment(round_, seed=seed, actor=None, dry_run=dry_run)
        except Infeasible as error:
            db.session.rollback()
            click.echo("Infeasible: no assignment respects every rule; nothing changed.",
                       err=True)
            for item in assignment_texts.explain(error, assignment_stats.load_state(round_)):
                click.echo(f"  {item.text}", err=True)
            sys.exit(1)
        except assignment.AssignmentClosed as error:
            raise click.ClickException(
                f"{edition.slug} is in the {error.details['phase']} phase: assignments change "
                "only during screening and judging") from error
        except assignment.NoJurors as error:
            raise click.ClickException("no juror has accepted the invitation yet") from error
        warnings = [assignment_texts.warning_text(w) for w in result.summary.warnings]
    if not dry_run:
        db.session.commit()
    if as_json:
        json.dump(_assign_document(edition.slug, number, result, warnings), sys.stdout,
                  ensure_ascii=False, indent=2)
        click.echo()
        return
    s = result.summary
    click.echo(f"{edition.slug} round {number}{' (dry run: nothing written)' if dry_run else ''}")
    click.echo(f"  dossiers {result.dossiers}, jurors {result.jurors}, k {result.k}, "
               f"seed {result.seed}")
    click.echo(f"  objective {result.objective}, LP bound {result.bound:g}, optimal "
               f"{'yes' if result.is_optimal else 'no'} ({result.duration_ms} ms)")
    click.echo(f"  load min {s.load_min} / mean {s.load_mean:.1f} / max {s.load_max}; "
               f"{len(result.pairs)} pairs: {result.created} new, {result.kept} kept, "
               f"{result.removed} replaced")
    for text in warnings:
        click.echo(f"  warning: {text}")


def _assign_document(slug: str, number: int, result, warnings: list[str]) -> dict:
    return {
        "edition": slug, "round": number, "seed": result.seed, "dry_run": result.dry_run,
        "objective": result.objective, "bound": result.bound, "optimal": result.is_optimal,
        "dossiers": result.dossiers, "jurors": result.jurors, "k": result.k,
        "duration_ms": result.duration_ms,
        "pairs": [{"dossier": ref, "juror": email} for ref, email in result.pairs],
        "loads": [{"juror": j.email, "name": j.name, "load": j.load, "capacity": j.capacity}
                  for j in result.loads],
        "warnings": warnings,
    }


def _instant(text: str | None):
    """--now: an ISO 8601 instant (UTC when it has no offset); None: the current time."""
    from datetime import UTC, datetime

    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError as error:
        raise click.BadParameter(f"not an ISO 8601 date-time: {text!r}",
                                 param_hint="--now") from error
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@trophies_cli.command("remind")
@click.option("--now", "now_text", default=None, metavar="ISO8601",
              help="Act as if it were this instant (UTC unless an offset is given).")
@click.option("--dry-run", is_flag=True, help="Print the reminders due, send nothing.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def remind(now_text: str | None, dry_run: bool, as_json: bool) -> None:
    """E-mail jurors with unfinished score sheets before each round's deadline (run it from
    cron, e.g. every hour: each reminder goes once; `send-mail` delivers them)."""
    from trophies.models import utcnow
    from trophies.services import reminders

    now = _instant(now_text) or utcnow()
    sent = reminders.send_due(now=now, dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    if as_json:
        json.dump({"now": now.isoformat(), "dry_run": dry_run, "total": len(sent),
                   "reminders": [item.as_dict() for item in sent]},
                  sys.stdout, ensure_ascii=False, indent=2)
        click.echo()
        return
    for item in sent:
        click.echo(f"{item.edition_slug}  round {item.round_number}  {item.email}  {item.key}  "
                   f"{item.pending} pending")
    verb = "would be sent (dry run: nothing written)" if dry_run else "sent"
    click.echo(f"{len(sent)} reminder{'s' if len(sent) != 1 else ''} {verb}")


def _edition_or_fail(slug: str):
    from sqlalchemy import select

    from trophies.models import Edition

    edition = db.session.scalar(select(Edition).where(Edition.slug == slug))
    if edition is None:
        raise click.ClickException(f"no edition {slug!r} (`flask trophies editions` lists them)")
    return edition


@trophies_cli.command("results")
@click.argument("edition_slug", metavar="EDITION")
@click.option("--round", "number", type=int, default=None,
              help="Round number (default: the frozen snapshot's round, else the last round "
                   "with a submitted sheet).")
@click.option("--json", "as_json", is_flag=True,
              help="Print the whole computation (inputs, outputs, decisions) and its digest.")
@click.option("--verify", is_flag=True,
              help="Recompute from the raw marks and compare with the latest frozen snapshot "
                   "(exit status 1 when they differ).")
def results(edition_slug: str, number: int | None, as_json: bool, verify: bool) -> None:
    """Compute an edition's results exactly as the results page and the snapshot do, so that
    anyone can re-check the verdict."""
    from sqlalchemy import select

    from trophies.models import Round
    from trophies.services import deliberation
    from trophies.services import results as results_service

    edition = _edition_or_fail(edition_slug)
    snapshot = deliberation.latest_snapshot(edition)
    if verify:
        check = deliberation.verify(edition)
        if check is None:
            raise click.ClickException(f"{edition.slug} has no frozen snapshot to verify")
        document = {"edition": edition.slug, "sequence": check.snapshot.sequence,
                    "stored_digest": check.snapshot.digest,
                    "stored_payload_matches_digest": check.stored_ok,
                    "recomputed_digest": check.recomputed_digest, "matches": check.matches,
                    "differences": check.differences}
        if as_json:
            json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
            click.echo()
        else:
            click.echo(f"snapshot {check.snapshot.sequence}  {check.snapshot.digest}")
            click.echo(f"recomputed   {check.recomputed_digest}")
            if not check.stored_ok:
                click.echo("the stored payload does not match its stored digest")
            for line in check.differences:
                click.echo(f"  {line}")
            click.echo("OK: the snapshot matches a recomputation from the raw marks"
                       if check.matches else "MISMATCH")
        if not check.matches:
            sys.exit(1)
        return
    if number is None:
        round_ = (db.session.get(Round, snapshot.round_id) if snapshot and snapshot.round_id
                  else results_service.results_round(edition))
    else:
        round_ = db.session.scalar(select(Round).where(Round.edition_id == edition.id,
                                                       Round.number == number))
    if round_ is None:
        raise click.ClickException("no such round, or no round has a submitted sheet yet")
    payload = results_service.payload_of(edition, round_)
    digest = results_service.digest_of(payload)
    if as_json:
        json.dump({"digest": digest, "algorithm": "sha256 over the canonical JSON of payload "
                   "(sorted keys, no spaces, UTF-8)",
                   "frozen": {"sequence": snapshot.sequence, "digest": snapshot.digest,
                              "round": snapshot.payload.get("round")} if snapshot else None,
                   "payload": payload}, sys.stdout, ensure_ascii=False, indent=2)
        click.echo()
        return
    click.echo(f"{edition.slug}, round {round_.number} — {payload['policy']['aggregation']}")
    current = None
    for item in payload["dossiers"]:
        if item["category"] != current:
            current = item["category"]
            click.echo(f"\n{current}")
        score = item["score"]
        shown = "—" if score is None else f"{_fraction_text(score):>6}"
        interval = item["interval"] and f"{item['interval'][0]}–{item['interval'][1]}"
        flags = " ".join(f for f, on in (("tied", item["tied"]),
                                         ("disagreement", item["disagreement"])) if on)
        click.echo(f"  {item['rank'] or '-':>3}  {item['reference']:<12} {shown}  "
                   f"corrected {item['corrected'] if item['corrected'] is not None else '—'}  "
                   f"interval {interval or '—'}  {flags}")
    click.echo(f"\ndigest {digest}")


def _fraction_text(text: str) -> str:
    from fractions import Fraction

    from trophies.domain.scoring import display_score

    return str(display_score(Fraction(text)))


@trophies_cli.command("publish-due")
@click.option("--now", "now_text", default=None, metavar="ISO8601",
              help="Act as if it were this instant (UTC unless an offset is given).")
def publish_due(now_text: str | None) -> None:
    """Publish the frozen editions whose scheduled publication time has come (run it from
    cron every few minutes; the public pages also publish a due edition when visited)."""
    from trophies.models import utcnow
    from trophies.services import deliberation

    done = deliberation.publish_due(_instant(now_text) or utcnow())
    db.session.commit()
    for edition in done:
        click.echo(f"published {edition.slug}")
    click.echo(f"{len(done)} edition{'s' if len(done) != 1 else ''} published")


# The PDF command lives in its own module; importing it registers it on trophies_cli.
from trophies import cli_documents  # noqa: E402, F401
