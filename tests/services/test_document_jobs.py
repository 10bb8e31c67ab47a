"""Background PDF jobs: a job is claimed once, builds and renders its document, writes the file
atomically and records pages, size and name; a refused document or a crash fails it with a
short message; progress follows WeasyPrint's pages laid out (only the job's own thread, at most
one update per 0.5 s, 10 % to 90 %, 100 % at the end); a job queued or running for more than
15 minutes counts as interrupted; jobs and files older than 7 days go when a new job comes;
and one job really runs in a thread (start) on SQLite and PostgreSQL.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update

from tests.helpers import count
from tests.pdf_support import pdf_info, pdf_tools, words  # noqa: F401
from tests.services.test_results_service import build_jury, conflict, ranked
from trophies import documents, pdf
from trophies.models import DocumentJob, db, utcnow
from trophies.services import document_jobs as jobs

PROGRESS = logging.getLogger("weasyprint.progress")


def run_now(app, job_id: str) -> None:
    """run() in its own application context (its own session), as the thread does."""
    with app.app_context():
        jobs.run(job_id)


def stored(job_id: str) -> DocumentJob:
    db.session.expire_all()
    return db.session.get(DocumentJob, job_id)


def results_job(w, **options) -> DocumentJob:
    job = jobs.create(w.jury.edition, "results", "fr", "1", actor=w.jury.organizer, **options)
    db.session.commit()
    return job


def test_a_job_renders_its_document_to_a_file_and_records_pages_size_and_name(
        app, pdf_tools):  # noqa: F811
    w = ranked()
    job = results_job(w)
    assert job.status == "queued" and job.progress == 0 and len(job.id) == 43
    run_now(app, job.id)
    done = stored(job.id)
    assert (done.status, done.progress, done.message) == ("done", 100, "")
    path = jobs.file_path(done)
    data = path.read_bytes()
    assert path.parent == Path(app.instance_path) / "documents"
    assert done.size == len(data) and done.pages == int(pdf_info(data)["Pages"])
    assert done.filename.endswith(".pdf") and done.filename.startswith("resultats")
    assert done.started_at is not None and done.finished_at >= done.started_at
    text = words(data)
    assert "Télésuivi frugal" in text and "Messagerie chiffrée" in text
    assert "digest" in jobs.meta_of(done)
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []


def test_a_job_is_run_once_even_if_started_twice(app, monkeypatch):
    w = ranked()
    job = results_job(w)
    db.session.execute(update(DocumentJob).where(DocumentJob.id == job.id)
                       .values(status="running", started_at=utcnow()))
    db.session.commit()
    monkeypatch.setattr(documents, "produce", lambda doc: pytest.fail("rendered twice"))
    run_now(app, job.id)
    assert stored(job.id).status == "running"


def test_a_refused_document_fails_the_job_with_its_reason(app):
    jury = build_jury()  # no sheet at all: no results
    db.session.commit()
    job = jobs.create(jury.edition, "results", "en", "1", actor=jury.organizer)
    db.session.commit()
    run_now(app, job.id)
    failed = stored(job.id)
    assert failed.status == "failed"
    assert failed.message == ("No score sheet is submitted in this round yet: there is "
                              "nothing to rank.")
    assert not jobs.file_path(failed).exists()


def test_a_crash_fails_the_job_with_a_short_message_and_the_traceback_in_the_log(
        app, monkeypatch, caplog):
    w = ranked()
    job = results_job(w)

    def broken(doc):
        raise RuntimeError("pango exploded")

    monkeypatch.setattr(documents, "produce", broken)
    with caplog.at_level(logging.ERROR, logger="trophies.services.document_jobs"):
        run_now(app, job.id)
    failed = stored(job.id)
    assert (failed.status, failed.message) == ("failed", "generation failed")
    assert "pango exploded" in caplog.text and "Traceback" in caplog.text
    assert not jobs.file_path(failed).exists()


def fake_render(pages: int, *, elsewhere: int = 0):
    """A produce() that logs WeasyPrint's layout steps (and, first, `elsewhere` pages from
    another thread, as a second job rendering in the same process would)."""
    def produce(doc):
        if elsewhere:
            other = threading.Thread(target=lambda: [
                PROGRESS.info("Step 5 - Creating layout - Page %d", n)
                for n in range(1, elsewhere + 1)])
            other.start()
            other.join()
        PROGRESS.info("Step 4 - Creating formatting structure")
        for n in range(1, pages + 1):
            PROGRESS.info("Step 5 - Creating layout - Page %d", n)
        PROGRESS.info("Step 5 - Creating layout - Page %d (up-to-date)", 1)
        return pdf.Rendered(b"%PDF-1.7 fake", pages, (), ())
    return produce


@pytest.fixture
def recorded(monkeypatch):
    """Every progress value written to the database, in order."""
    values: list[int] = []
    original = jobs.set_progress

    def spy(job_id, percent):
        values.append(percent)
        original(job_id, percent)

    monkeypatch.setattr(jobs, "set_progress", spy)
    return values


def test_progress_goes_from_10_to_90_by_pages_laid_out_then_100(app, monkeypatch, recorded):
    w = ranked()
    job = results_job(w)
    monkeypatch.setattr(jobs, "THROTTLE_SECONDS", 0)
    monkeypatch.setattr(documents, "ROWS_PER_PAGE", 1)  # the estimate: as many pages as rows
    rows = 0

    def build(*args, **kwargs):
        nonlocal rows
        doc = original_build(*args, **kwargs)
        rows = doc.rows
        return doc

    original_build = jobs.registry.build
    monkeypatch.setattr(jobs.registry, "build", build)
    monkeypatch.setattr(documents, "produce", fake_render(8, elsewhere=50))
    run_now(app, job.id)
    assert rows > 8
    # 10 after the build; then one update per new page: 10 + 80 * pages / rows
    assert recorded == [10] + [10 + int(80 * n / rows) for n in range(1, 9)
                               if int(80 * n / rows) > int(80 * (n - 1) / rows)]
    assert max(recorded) < 90  # the other thread's 50 pages did not count
    assert stored(job.id).progress == 100


def test_progress_is_written_at_most_every_half_second_and_never_past_90(
        app, monkeypatch, recorded):
    w = ranked()
    job = results_job(w)
    job.status = "running"
    db.session.commit()
    clock = SimpleNamespace(now=100.0)
    monkeypatch.setattr(jobs, "time", SimpleNamespace(monotonic=lambda: clock.now))
    with jobs.ProgressHandler(job.id, estimate=4):
        for page, at in ((1, 100.0), (2, 100.2), (3, 100.6), (4, 100.7), (5, 101.5),
                         (6, 102.5)):
            clock.now = at
            PROGRESS.info("Step 5 - Creating layout - Page %d", page)
    PROGRESS.info("Step 5 - Creating layout - Page %d", 99)  # detached: nothing more
    assert recorded == [30, 70, 90]
    assert stored(job.id).progress == 90


def test_a_job_queued_or_running_for_more_than_15_minutes_was_interrupted(app):
    w = ranked()
    running, queued, recent = results_job(w), results_job(w), None
    assert running.id == queued.id  # the same request while the first is active: one job
    queued = jobs.create(w.jury.edition, "results", "en", "1", actor=w.jury.organizer)
    recent = jobs.create(w.jury.edition, "minutes", "fr", "", actor=w.jury.organizer)
    long_ago = utcnow() - timedelta(minutes=16)
    running.status, running.started_at = "running", long_ago
    queued.created_at = long_ago
    recent.status, recent.started_at = "running", utcnow() - timedelta(minutes=14)
    db.session.commit()
    assert jobs.find(running.id).status == "failed"
    assert jobs.find(queued.id).message == "interrupted"
    assert jobs.find(recent.id).status == "running"
    db.session.commit()
    assert stored(running.id).message == "interrupted"
    assert jobs.find("not-an-id") is None and jobs.find("x" * 43) is None
    # an interrupted job no longer stands in the way of a new identical request
    again = jobs.create(w.jury.edition, "results", "fr", "1", actor=w.jury.organizer)
    assert again.id != running.id and again.status == "queued"


def test_jobs_and_files_older_than_7_days_go_when_a_new_job_is_created(app):
    w = ranked()
    old, young = results_job(w), jobs.create(w.jury.edition, "minutes", "fr", "",
                                              actor=w.jury.organizer)
    old.created_at = utcnow() - timedelta(days=8)
    young.created_at = utcnow() - timedelta(days=6)
    db.session.commit()
    for job in (old, young):
        jobs.write_atomically(jobs.file_path(job), b"%PDF-1.7")
    stray = jobs.folder() / "leftover.tmp"
    stray.write_bytes(b"x")
    eight_days_ago = time.time() - 8 * 86400
    os.utime(stray, (eight_days_ago, eight_days_ago))
    cache = jobs.folder() / "cache"
    cache.mkdir()
    (cache / "palmares.pdf").write_bytes(b"%PDF")
    old_id, old_path = old.id, jobs.file_path(old)
    jobs.create(w.jury.edition, "palmares", "fr", "", actor=w.jury.organizer)
    db.session.commit()
    assert not old_path.exists() and not stray.exists()
    assert jobs.file_path(young).exists() and (cache / "palmares.pdf").exists()
    assert stored(old_id) is None
    assert count(DocumentJob) == 2


def test_the_books_listed_count_the_jurors_readable_dossiers_of_their_latest_round(app):
    w = ranked()
    jury = w.jury
    conflict(jury, jury.jurors[1], w.e4)
    db.session.commit()
    sizes = {user.full_name: (number, size) for user, number, size in jobs.book_sizes(
        jury.edition)}
    assert sizes == {"Alice Martin": (1, 6), "Bruno Petit": (1, 5), "Chloé Durand": (1, 6)}


def test_start_runs_the_job_in_a_daemon_thread(app, pdf_tools):  # noqa: F811
    w = ranked()
    job = results_job(w)
    thread = jobs.start(app, job.id)
    assert thread.daemon
    thread.join(timeout=60)
    assert not thread.is_alive()
    done = stored(job.id)
    assert done.status == "done" and done.progress == 100
    assert jobs.file_path(done).read_bytes().startswith(b"%PDF")
    assert db.session.scalar(select(DocumentJob.pages).where(DocumentJob.id == job.id)) >= 1
