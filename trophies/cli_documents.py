"""`flask --app wsgi trophies pdf EDITION --doc KIND [--for ID] -o FILE`: the PDF documents
from the command line (one file, or one per juror / dossier into a directory)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from trophies.cli import _edition_or_fail, trophies_cli
from trophies.documents import KINDS
from trophies.models import db


def _write(edition, kind: str, lang: str | None, subject: str, target: Path) -> tuple[int, int]:
    """Build, render and write one document; audited when confidential. (pages, bytes)"""
    from trophies import documents
    from trophies.documents import registry
    from trophies.services import audit, document_jobs

    doc = registry.build(edition, kind, lang, subject)
    rendered = documents.produce(doc)
    if rendered.refused:  # never expected: our templates only link static files
        raise click.ClickException(f"refused URLs while rendering: {rendered.refused[:3]}")
    if doc.confidential:  # recorded before the file exists, never after
        audit.record("document.generated", actor=None, edition=edition, kind=kind,
                     lang=doc.lang, subject=subject, pages=rendered.pages, via="cli",
                     digest=doc.meta.get("digest"))
        db.session.commit()
    document_jobs.write_atomically(target, rendered.pdf)
    return rendered.pages, len(rendered.pdf)


@trophies_cli.command("pdf")
@click.argument("edition_slug", metavar="EDITION")
@click.option("--doc", "kind", type=click.Choice(KINDS), required=True,
              help="Which document.")
@click.option("--for", "subject", default="", metavar="ID",
              help="results: a round number; certificates: one dossier's reference; "
                   "feedback, receipt: a dossier reference; book: a juror's e-mail or id. "
                   "Without it, feedback, receipt and book are made for everyone, one file "
                   "each, into the directory given by -o.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default=None,
              help="Language (default: the edition's).")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="The PDF file to write (a directory when several files are made).")
def pdf(edition_slug: str, kind: str, subject: str, lang: str | None, output: Path) -> None:
    """Generate a PDF document of an edition (WeasyPrint, tagged PDF/UA-1, A4)."""
    from trophies.documents import DocumentUnavailable, registry

    edition = _edition_or_fail(edition_slug)
    started = time.perf_counter()
    try:
        if kind in registry.NEEDS_SUBJECT and not subject.strip():
            subjects = registry.subjects(edition, kind)
            if not subjects:
                raise click.ClickException(f"no {kind} to make for {edition.slug}")
            output.mkdir(parents=True, exist_ok=True)
            pages = size = 0
            skipped: list[str] = []
            with click.progressbar(subjects, label=f"{kind} ×{len(subjects)}",
                                   file=sys.stderr,
                                   show_pos=True, show_eta=True) as bar:
                for item in bar:
                    name = f"{kind}-{item.replace('@', '-at-')}.pdf"
                    try:
                        p, s = _write(edition, kind, lang, item, output / name)
                    except DocumentUnavailable as refusal:
                        skipped.append(f"{item}: {refusal.message}")
                        continue
                    pages, size = pages + p, size + s
            db.session.commit()
            made = len(subjects) - len(skipped)
            click.echo(f"{made} files, {pages} pages, {size / 1024:.0f} KB in {output} "
                       f"({time.perf_counter() - started:.1f} s)")
            for line in skipped:
                click.echo(f"  skipped {line}", err=True)
            return
        if output.is_dir():
            raise click.ClickException(f"{output} is a directory: give a file name")
        pages, size = _write(edition, kind, lang, subject, output)
        db.session.commit()
    except DocumentUnavailable as refusal:
        raise click.ClickException(refusal.message) from None
    click.echo(f"{output}: {pages} pages, {size / 1024:.0f} KB "
               f"({time.perf_counter() - started:.1f} s)")
