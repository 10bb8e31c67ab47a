"""The results report's PDF (trophies/documents/results.py) against raw WeasyPrint rendering
the same HTML, in the same run (issue 7: our own overhead <= 30 %).

Builds, through the app factory in a throwaway SQLite instance under /tmp, an edition in
deliberation then frozen: D dossiers (default 500) in C categories (4), J jurors (40), 3
submitted sheets a dossier, 6 criteria on real scales (0-5, 0-10 with N/A, 1-7, 0-4, 0-20 by
5, 0-10), marks drawn around a latent quality with juror severities; a laureate and a
runner-up per category. Then, --repeat times (5), interleaved so the machine's noise spreads
over all of them:
- (a) our path: documents.results.build + documents.produce (gc paused, PDF/UA-1, the
  static-only URL fetcher);
- (b) build only: the HTML (loading, computing, the snapshot's check, charts, Jinja);
- (c) raw WeasyPrint on (b)'s HTML: HTML(string=html, base_url=pdf.BASE_URL).write_pdf(),
  default fetcher, gc running, no PDF/UA;
- (d) raw WeasyPrint with our options: pdf_variant="pdf/ua-1" (still default fetcher and gc);
- (e) as (d) with Python's garbage collector paused, as trophies.pdf does: what is left
  between (a) and (e) is our own code (build, fetcher, page count).
Each step starts after gc.collect(). Prints the medians of wall and CPU time (CPU time is
less disturbed by the other work of a shared machine), pages, pages/s and our overhead
(a)/(c) - 1, (a)/(d) - 1, (a)/(e) - 1; --pdf PATH keeps one PDF to look at
(pdftoppm -png -r 70 PATH /tmp/x/p).

Usage: .venv/bin/python bench/pdf_report.py [--dossiers 500] [--categories 4] [--jurors 40]
                                           [--repeat 5] [--lang fr] [--pdf /tmp/report.pdf]
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import weasyprint  # noqa: E402

from trophies import create_app, documents, pdf  # noqa: E402
from trophies.documents import results  # noqa: E402

K = 3
#: key, weight, min, max, step, N/A allowed
CRITERIA = [("impact", 3, 0, 5, 1, False), ("innovation", 2, 0, 10, 1, True),
            ("equipe", 2, 1, 7, 1, False), ("marche", 1, 0, 4, 1, False),
            ("modele", 2, 0, 20, 5, False), ("ethique", 1, 0, 10, 1, False)]
NAMES = ["Impact sur la santé publique", "Innovation technologique", "Équipe et gouvernance",
         "Marché et concurrence", "Modèle économique", "Éthique et données"]
WORDS = ("télésuivi", "parcours", "soins", "patients", "prévention", "hôpital", "données",
         "ville", "santé", "mentale", "plateforme", "coordination", "dépistage", "domicile")


def row(**values):
    """A row for a bulk insert, written with keywords like the model's constructor."""
    return values


def build_edition(n_dossiers: int, n_categories: int, n_jurors: int, seed: int = 2026) -> str:
    """The edition, by bulk inserts; frozen with its decisions. Returns its slug."""
    from sqlalchemy import insert, select

    from trophies.domain.vocabulary import DecisionKind, DossierStatus, Phase, Role, SheetStatus
    from trophies.models import (
        Assignment,
        Category,
        Criterion,
        Dossier,
        Edition,
        JurorProfile,
        Mark,
        Membership,
        Round,
        ScoreSheet,
        User,
        db,
    )
    from trophies.services import deliberation
    from trophies.services import results as results_service

    rng = random.Random(seed)
    now = datetime.now(UTC)
    opens = now - timedelta(days=120)

    def add(model, rows: list[dict]) -> None:
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(model.__table__), rows[start:start + 5000])

    add(Edition, [row(id=1, slug="banc-pdf", phase=Phase.DELIBERATION,
                       name_fr="Trophées du banc d’essai PDF", name_en="PDF bench trophies",
                       call_opens_at=opens, call_closes_at=opens + timedelta(days=45),
                       judging_deadline_at=now - timedelta(days=10),
                       publication_at=now + timedelta(days=20), created_at=opens,
                       updated_at=opens, tie_break=[{"rule": "criterion", "key": "impact"}])])
    add(Category, [row(id=c, edition_id=1, position=c, name_fr=f"Prix {c} — santé numérique",
                        name_en=f"Prize {c} — digital health") for c in range(1, n_categories + 1)])
    add(Round, [row(id=1, edition_id=1, number=1, name_fr="Sélection", name_en="Selection",
                     jurors_per_dossier=K, starts_at=opens + timedelta(days=50),
                     ends_at=now - timedelta(days=10), closed_at=now - timedelta(days=9))])
    add(Criterion, [row(id=i, round_id=1, position=i, key=key, name_fr=NAMES[i - 1],
                         name_en=NAMES[i - 1], weight=weight, scale_min=low, scale_max=high,
                         scale_step=step, allows_na=na)
                    for i, (key, weight, low, high, step, na) in enumerate(CRITERIA, start=1)])
    users = [row(id=1, email="organisatrice@banc.example.org", full_name="Organisatrice")]
    memberships = [row(user_id=1, edition_id=1, role=Role.ORGANIZER)]
    first = ("Anne", "Bruno", "Chloé", "Denis", "Emma", "Farid", "Hélène", "Isabelle", "Julien",
             "Karim", "Léa", "Marc", "Nadia", "Olivier")
    last = ("Martin", "Bernard", "Le Bihan", "Durand", "Benali", "Rousseau", "Kerjean", "Morel")
    for j in range(n_jurors):
        users.append(row(id=2 + j, email=f"jure{j:03d}@banc.example.org",
                          full_name=f"{first[j % len(first)]} {last[j % len(last)]} {j:02d}"))
        memberships.append(row(user_id=2 + j, edition_id=1, role=Role.JUROR))
    add(User, users)
    add(Membership, memberships)
    add(JurorProfile, [row(id=j + 1, edition_id=1, user_id=2 + j, accepted_at=opens)
                       for j in range(n_jurors)])
    candidates, dossiers = [], []
    first_candidate = 2 + n_jurors
    for d in range(n_dossiers):
        uid = first_candidate + d
        candidates.append(row(id=uid, email=f"candidat{d:04d}@banc.example.org",
                               full_name=f"Fondatrice {d:04d}"))
        title = " ".join(rng.sample(WORDS, rng.randint(2, 6))).capitalize()
        dossiers.append(row(id=d + 1, edition_id=1, category_id=1 + d % n_categories,
                             candidate_id=uid, reference=f"BP26-{d + 1:04d}",
                             company_name=f"Start-up {d + 1:04d} Santé", project_title=title,
                             status=DossierStatus.ELIGIBLE, submitted_at=opens,
                             created_at=opens, updated_at=opens))
    add(User, candidates)
    add(Dossier, dossiers)
    severity = [rng.gauss(0, 6) for _ in range(n_jurors)]
    assignments, sheets, marks = [], [], []
    for d in range(n_dossiers):
        quality = rng.gauss(55, 12)
        for juror in rng.sample(range(n_jurors), K):
            aid = len(assignments) + 1
            assignments.append(row(id=aid, round_id=1, dossier_id=d + 1, juror_id=2 + juror,
                                    published_at=opens + timedelta(days=50)))
            sheets.append(row(id=aid, assignment_id=aid, status=SheetStatus.SUBMITTED,
                               submitted_at=now - timedelta(days=12)))
            latent = quality + severity[juror] + rng.gauss(0, 12)
            for cid, (_key, _w, low, high, step, na) in enumerate(CRITERIA, start=1):
                if na and rng.random() < 0.03:
                    marks.append(row(sheet_id=aid, criterion_id=cid, value=None, is_na=True))
                    continue
                x = (latent + rng.gauss(0, 6)) / 100 * (high - low) / step
                value = low + step * min((high - low) // step, max(0, round(x)))
                marks.append(row(sheet_id=aid, criterion_id=cid, value=value, is_na=False))
    add(Assignment, assignments)
    add(ScoreSheet, sheets)
    add(Mark, marks)
    db.session.commit()

    edition = db.session.get(Edition, 1)
    report = results_service.round_report(db.session.get(Round, 1))
    organizer = db.session.get(User, 1)
    for category in report.categories:
        lines = [line.dossier.id for line in category.lines[:2]]
        deliberation.save_decisions(edition, category.category, [
            deliberation.DecisionInput(DecisionKind.LAUREATE, lines[0]),
            deliberation.DecisionInput(DecisionKind.RUNNER_UP, lines[1])], actor=organizer)
    deliberation.freeze(edition, actor=organizer)
    db.session.commit()
    assert db.session.scalar(select(Edition.phase).where(Edition.id == 1)) == Phase.FROZEN
    return edition.slug


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=500)
    parser.add_argument("--categories", type=int, default=4)
    parser.add_argument("--jurors", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lang", default="fr")
    parser.add_argument("--pdf", default="")
    options = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="trophies-bench-pdf-"))
    try:
        app = create_app({"ENVIRONMENT": "testing", "SECRET_KEY": "x" * 40,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}",
                          "RATELIMIT_ENABLED": False}, instance_path=str(tmp))
        with app.app_context():
            run(options)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(options: argparse.Namespace) -> None:
    from sqlalchemy import select

    from trophies.models import Edition, db

    db.create_all()
    start = time.perf_counter()
    slug = build_edition(options.dossiers, options.categories, options.jurors)
    edition = db.session.scalar(select(Edition).where(Edition.slug == slug))
    print(f"{options.dossiers} dossiers in {options.categories} categories, {options.jurors} "
          f"jurors, {K} sheets each, {len(CRITERIA)} criteria; built and frozen in "
          f"{time.perf_counter() - start:.1f} s; median of {options.repeat} runs, lang "
          f"{options.lang}")
    keys = "abcde"
    timings: dict[str, list[float]] = {k: [] for k in keys}
    cpu: dict[str, list[float]] = {k: [] for k in keys}
    pages: dict[str, int] = {}
    html, doc, rendered = "", None, None

    def clock(key: str, function):
        # Every step starts from a collected heap: a previous step's garbage (a WeasyPrint
        # document holds every box of 40 pages) must not slow the next one's collections.
        gc.collect()
        wall, process = time.perf_counter(), time.process_time()
        value = function()
        timings[key].append(time.perf_counter() - wall)
        cpu[key].append(time.process_time() - process)
        return value

    def ours():
        built = results.build(edition, options.lang)
        return built, documents.produce(built)

    def raw(variant: dict, paused: bool = False):
        if paused:
            gc.disable()
        try:
            document = weasyprint.HTML(string=html, base_url=pdf.BASE_URL).render(**variant)
            document.write_pdf(**variant)
        finally:
            gc.enable()
        return len(document.pages)

    ua = {"pdf_variant": pdf.VARIANT}
    for _ in range(options.repeat):
        doc, rendered = clock("a", ours)
        pages["a"] = rendered.pages
        assert rendered.refused == ()
        db.session.expire_all()        # the next build reads the database again
        html = clock("b", lambda: results.build(edition, options.lang).html)
        db.session.expire_all()
        pages["c"] = clock("c", lambda: raw({}))
        pages["d"] = clock("d", lambda: raw(ua))
        pages["e"] = clock("e", lambda: raw(ua, paused=True))
    if options.pdf and rendered:
        Path(options.pdf).write_bytes(rendered.pdf)
    a, b, c, d, e = (median(timings[k]) for k in keys)
    print(f"HTML: {len(html) / 1e3:.0f} kB, {doc.rows if doc else 0} rows; {pages['a']} pages")
    labels = {"a": "(a) ours: build + produce", "b": "(b) build only (HTML)",
              "c": "(c) raw WeasyPrint, defaults", "d": "(d) raw WeasyPrint, pdf/ua-1",
              "e": "(e) raw, pdf/ua-1, gc paused"}
    print(f"{'':<32} {'median s':>9} {'best s':>7} {'CPU s':>7} {'pages':>6} {'pages/s':>8}")
    for key, label in labels.items():
        samples = timings[key]
        count = "" if key == "b" else pages[key]
        rate = "" if key == "b" else f"{pages[key] / median(samples):.1f}"
        print(f"{label:<32} {median(samples):>9.2f} {min(samples):>7.2f} "
              f"{median(cpu[key]):>7.2f} {count:>6} {rate:>8}")
    print(f"our overhead: (a)/(c) - 1 = {a / c - 1:+.1%}; (a)/(d) - 1 = {a / d - 1:+.1%}; "
          f"(a)/(e) - 1 = {a / e - 1:+.1%}; build share {b / a:.1%}")
    ca, cc, cd, ce = (median(cpu[k]) for k in "acde")
    print(f"same in CPU time: {ca / cc - 1:+.1%}, {ca / cd - 1:+.1%}, {ca / ce - 1:+.1%}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
