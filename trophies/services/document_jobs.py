"""Documents stage: PDFs too long to render during a request, generated in a background thread.

Several processes serve the requests, so every piece of state lives in the database (one
DocumentJob row per request for a document) and in the documents folder
(DOCUMENTS_FOLDER, by default instance/documents/<job id>.pdf, with <job id>.json beside it
for what the audit needs), never in memory. Imports models, trophies.documents and
services.conflicts; flushes, never commits, except `run`, which owns its session (the
thread's app context) and commits each step.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import secrets
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.orm import selectinload

from trophies import documents
from trophies.documents import KINDS, DocumentUnavailable, registry
from trophies.domain.vocabulary import ConflictStatus
from trophies.models import (
    Assignment,
    Conflict,
    DocumentJob,
    Dossier,
    Edition,
    Round,
    User,
    db,
    utcnow,
)
from trophies.services.conflicts import JUDGED_STATUSES

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ACTIVE = (QUEUED, RUNNING)
#: A job still queued or running after this long died with its process: it counts as failed.
STALE_AFTER = timedelta(minutes=15)
#: Jobs (rows and files) older than this are removed when a new job is created.
KEEP_FOR = timedelta(days=7)
#: At most one progress update in the database per this many seconds.
THROTTLE_SECONDS = 0.5
#: Stored in `message` (English msgids: the web translates them when it shows them).
INTERRUPTED = "interrupted"
GENERATION_FAILED = "generation failed"
JOB_ID = re.compile(r"^[A-Za-z0-9_-]{43}$")
_PAGE = re.compile(r"^Step 5 - Creating layout - Page (\d+)$")
PROGRESS_LOGGER = "weasyprint.progress"


# --- files ------------------------------------------------------------------------------------


def folder() -> Path:
    return Path(current_app.config["DOCUMENTS_FOLDER"])


def file_path(job: DocumentJob) -> Path:
    """Where the job's PDF is (or will be). Raises ValueError for an id that is not ours."""
    if not JOB_ID.match(job.id):
        raise ValueError("not a document job id")
    return folder() / f"{job.id}.pdf"


def _meta_path(job_id: str) -> Path:
    return folder() / f"{job_id}.json"


def meta_of(job: DocumentJob) -> dict[str, Any]:
    """What the builder said of the document beside its bytes (e.g. the snapshot "digest")."""
    try:
        data = json.loads(_meta_path(job.id).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_atomically(path: Path, data: bytes) -> None:
    """`path` appears whole or not at all (a temporary file, fsynced, then os.replace)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


# --- jobs -------------------------------------------------------------------------------------


def create(edition: Edition, kind: str, lang: str, subject: str, *, actor: User,
           now: datetime | None = None) -> DocumentJob:
    """A queued job for the document `kind` of `edition` for `subject` in `lang` (see
    documents.registry for what `subject` means), requested by `actor`. An identical job of
    the same user still queued or running is returned instead of a second one. Jobs older
    than KEEP_FOR are removed first (rows and files). Flushes; the caller commits, then calls
    `start`. Raises ValueError for an unknown kind."""
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    now = now or utcnow()
    purge(now)
    lang = documents.language_of(edition, lang)
    subject = subject.strip()[:80]
    same = db.session.scalars(select(DocumentJob).where(
        DocumentJob.requested_by_id == actor.id, DocumentJob.edition_id == edition.id,
        DocumentJob.kind == kind, DocumentJob.lang == lang, DocumentJob.subject == subject,
        DocumentJob.status.in_(ACTIVE))).all()
    for job in same:
        if current(job, now).status in ACTIVE:
            return job
    job = DocumentJob(id=secrets.token_urlsafe(32), edition_id=edition.id, kind=kind,
                      lang=lang, subject=subject, requested_by_id=actor.id, status=QUEUED,
                      progress=0, message="", filename="", created_at=now)
    db.session.add(job)
    db.session.flush()
    return job


def current(job: DocumentJob, now: datetime | None = None) -> DocumentJob:
    """`job` as it stands: queued or running for more than STALE_AFTER means its process died,
    so it is marked failed ("interrupted"). Flushes; the caller commits."""
    now = now or utcnow()
    since = job.started_at or job.created_at
    if job.status in ACTIVE and since is not None and since < now - STALE_AFTER:
        job.status, job.message, job.finished_at = FAILED, INTERRUPTED, now
        db.session.flush()
    return job


def find(job_id: str, now: datetime | None = None) -> DocumentJob | None:
    """The job of that id (its current state), or None."""
    if not JOB_ID.match(job_id or ""):
        return None
    job = db.session.get(DocumentJob, job_id)
    return current(job, now) if job is not None else None


def recent(edition: Edition, *, limit: int = 20,
           now: datetime | None = None) -> list[DocumentJob]:
    """The edition's latest jobs, newest first, with who asked for them."""
    jobs = db.session.scalars(
        select(DocumentJob).where(DocumentJob.edition_id == edition.id)
        .options(selectinload(DocumentJob.requested_by))
        .order_by(DocumentJob.created_at.desc(), DocumentJob.id).limit(limit)).all()
    return [current(job, now) for job in jobs]


def purge(now: datetime | None = None) -> int:
    """Remove the jobs created more than KEEP_FOR ago, their files, and any stray file of the
    documents folder as old (the cache/ subfolder is not touched). Returns the rows removed."""
    cutoff = (now or utcnow()) - KEEP_FOR
    old = list(db.session.scalars(select(DocumentJob.id).where(DocumentJob.created_at < cutoff)))
    for job_id in old:
        if JOB_ID.match(job_id):
            (folder() / f"{job_id}.pdf").unlink(missing_ok=True)
            _meta_path(job_id).unlink(missing_ok=True)
    if old:
        db.session.execute(delete(DocumentJob).where(DocumentJob.id.in_(old)))
    base = folder()
    if base.is_dir():
        for path in base.iterdir():
            try:
                if path.is_file() and path.stat().st_mtime < cutoff.timestamp():
                    path.unlink(missing_ok=True)
            except OSError:
                continue
    return len(old)


# --- generation -------------------------------------------------------------------------------


def start(app: Flask, job_id: str) -> threading.Thread:
    """Run the (committed) job in a daemon thread of this process, in its own app context."""
    thread = threading.Thread(target=_work, args=(app, job_id), daemon=True,
                              name=f"document-job-{job_id[:8]}")
    thread.start()
    return thread


def _work(app: Flask, job_id: str) -> None:
    with app.app_context():
        try:
            run(job_id)
        except Exception:  # run() records its failures; this is the last resort
            log.exception("document job %s crashed", job_id[:8])


def run(job_id: str) -> None:
    """Generate the job's PDF: claim it (queued -> running; a job already claimed elsewhere is
    left alone), build the Doc (registry.build), render it (documents.produce) while the
    progress follows the pages laid out, write the file atomically, then mark it done with
    its pages, size and file name — or failed with a short message (the document's refusal,
    or "generation failed" with the traceback in the log). Commits after each step."""
    claimed = db.session.execute(
        update(DocumentJob).where(DocumentJob.id == job_id, DocumentJob.status == QUEUED)
        .values(status=RUNNING, started_at=utcnow(), progress=0)).rowcount
    db.session.commit()
    if not claimed:
        return
    job = db.session.get(DocumentJob, job_id)
    if job is None:
        return
    try:
        with documents.in_language(job.lang):
            doc = registry.build(job.edition, job.kind, job.lang, job.subject)
    except DocumentUnavailable as refusal:
        db.session.rollback()
        _finish(job_id, status=FAILED, message=refusal.message[:300])
        return
    except Exception:
        db.session.rollback()
        log.exception("document job %s (%s) failed while building", job_id[:8], job.kind)
        _finish(job_id, status=FAILED, message=GENERATION_FAILED)
        return
    set_progress(job_id, 10)
    try:
        pages = max(1, math.ceil(doc.rows / documents.ROWS_PER_PAGE))  # laid out by WeasyPrint
        with ProgressHandler(job_id, estimate=pages):
            rendered = documents.produce(doc)
        if rendered.refused:  # never expected: our templates link static files only
            log.warning("document job %s: refused URLs %s", job_id[:8], rendered.refused[:3])
        write_atomically(_meta_path(job_id), json.dumps(
            {"digest": doc.meta.get("digest"), "title": doc.title,
             "dossiers": doc.meta.get("dossiers")}).encode("utf-8"))
        write_atomically(folder() / f"{job_id}.pdf", rendered.pdf)
    except Exception:
        db.session.rollback()
        log.exception("document job %s (%s) failed while rendering", job_id[:8], doc.kind)
        _finish(job_id, status=FAILED, message=GENERATION_FAILED)
        return
    _finish(job_id, status=DONE, progress=100, pages=rendered.pages, size=len(rendered.pdf),
            filename=doc.filename[:160])


def _finish(job_id: str, **values: Any) -> None:
    """Only a job still running finishes: one already counted as interrupted (`current`) and
    perhaps retried stays failed."""
    db.session.execute(update(DocumentJob).where(DocumentJob.id == job_id,
                                                 DocumentJob.status == RUNNING)
                       .values(finished_at=utcnow(), **values))
    db.session.commit()


def set_progress(job_id: str, percent: int) -> None:
    """Raise the job's progress to `percent` (never lowers it) and commit."""
    db.session.execute(update(DocumentJob).where(DocumentJob.id == job_id,
                                                 DocumentJob.status == RUNNING,
                                                 DocumentJob.progress < percent)
                       .values(progress=percent))
    db.session.commit()


class ProgressHandler(logging.Handler):
    """While rendering, WeasyPrint logs "Step 5 - Creating layout - Page N" on the logger
    weasyprint.progress. Attached for one render, this handler reads only the records of the
    thread that created it (other jobs may render at the same time in this process) and moves
    the job from 10 % to at most 90 % as pages are laid out against `estimate`; at most one
    database update per THROTTLE_SECONDS."""

    def __init__(self, job_id: str, *, estimate: int) -> None:
        super().__init__(logging.INFO)
        self.job_id = job_id
        self.estimate = max(1, estimate)
        self.ident = threading.get_ident()
        self.pages = 0
        self.percent = 10
        self.written_at = 0.0

    def percent_for(self, pages: int) -> int:
        return 10 + int(80 * min(1.0, pages / self.estimate))

    def emit(self, record: logging.LogRecord) -> None:
        if threading.get_ident() != self.ident:
            return
        match = _PAGE.match(record.getMessage())
        if match is None:
            return
        self.pages = max(self.pages, int(match.group(1)))
        percent, now = self.percent_for(self.pages), time.monotonic()
        if percent <= self.percent or now - self.written_at < THROTTLE_SECONDS:
            return
        self.percent, self.written_at = percent, now
        try:
            set_progress(self.job_id, percent)
        except Exception:  # progress is a courtesy: never fail the render for it
            db.session.rollback()
            log.warning("document job %s: progress not recorded", self.job_id[:8])

    def __enter__(self) -> ProgressHandler:
        logger = logging.getLogger(PROGRESS_LOGGER)
        if not logger.isEnabledFor(logging.INFO):  # trophies.pdf sets INFO, kept out of the log
            logger.setLevel(logging.INFO)
        logger.addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger(PROGRESS_LOGGER).removeHandler(self)


# --- what the Documents page lists ------------------------------------------------------------


def book_sizes(edition: Edition) -> list[tuple[User, int, int]]:
    """(juror, round number, dossiers) for each juror documents.book.subjects names: the book
    it prints by default covers their latest round with published assignments, dossiers in
    confirmed conflict or out of the competition left out. By juror name."""
    from trophies.documents import book

    jurors = book.subjects(edition)
    in_conflict = exists().where(Conflict.juror_id == Assignment.juror_id,
                                 Conflict.dossier_id == Assignment.dossier_id,
                                 Conflict.status == ConflictStatus.CONFIRMED)
    rows = db.session.execute(
        select(Assignment.juror_id, Round.number, func.count(Assignment.id))
        .join(Round, Assignment.round_id == Round.id)
        .join(Dossier, Assignment.dossier_id == Dossier.id)
        .where(Round.edition_id == edition.id, Assignment.published_at.is_not(None),
               Assignment.juror_id.in_([u.id for u in jurors]),
               Dossier.status.in_(JUDGED_STATUSES), ~in_conflict)
        .group_by(Assignment.juror_id, Round.number)).all()
    latest: dict[int, tuple[int, int]] = {}
    for juror_id, number, count in rows:
        if number >= latest.get(juror_id, (0, 0))[0]:
            latest[juror_id] = (number, count)
    return [(u, *latest[u.id]) for u in jurors if u.id in latest]
