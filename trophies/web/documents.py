"""Web layer: PDF documents, shared by the organizer, juror, candidate and public views (who may
have which document is checked there): the PDF response, the audit of confidential downloads,
the page that offers a long document in the background, and the background job pages
(blueprint `documents`, /documents/jobs/<id>: only the user who asked for the job, and only
while they may still read that document; 404 for everyone else).
"""

from __future__ import annotations

import json
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from trophies import documents, permissions
from trophies.documents import Doc, registry
from trophies.models import DocumentJob, Edition, User, db
from trophies.services import audit, jury, jury_board
from trophies.services import document_jobs as jobs
from trophies.web.files import DOWNLOAD_HEADERS

bp = Blueprint("documents", __name__)

KIND_LABELS = {
    "results": _l("Results report"),
    "minutes": _l("Minutes of the deliberation"),
    "palmares": _l("Palmarès"),
    "certificates": _l("Certificates"),
    "feedback": _l("Feedback to the candidate"),
    "book": _l("Juror’s book"),
    "receipt": _l("Submission receipt"),
}
STATUS_LABELS = {
    jobs.QUEUED: _l("Waiting to start"),
    jobs.RUNNING: _l("Being generated"),
    jobs.DONE: _l("Ready"),
    jobs.FAILED: _l("Failed"),
}
#: Failure messages the service stores in English (the builders' refusals come translated).
FAILURE_LABELS = {
    jobs.INTERRUPTED: _l("The generation was interrupted (the server restarted). Try again."),
    jobs.GENERATION_FAILED: _l("The generation failed. Try again; if it fails again, tell the "
                               "platform's administrators."),
}
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


def requested_lang() -> str:
    """The `lang` asked for (query string or form) if we have it, else the reader's locale."""
    lang = request.values.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        return lang
    return str(get_locale() or "fr")


def requested_subject() -> str:
    """The `for` argument: whom or what the document is about (see documents.registry)."""
    return request.values.get("for", "").strip()[:80]


def pdf_response(data: bytes, filename: str, *, cache_control: str = "no-store") -> Response:
    """A PDF to save, never shown in our origin nor sniffed (security.md, downloads)."""
    response = Response(data, mimetype="application/pdf")
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers.update(DOWNLOAD_HEADERS)
    response.headers["Cache-Control"] = cache_control
    return response


def record_download(edition: Edition, *, kind: str, lang: str, subject: str, pages: int | None,
                    digest: str | None, job_id: str | None = None) -> None:
    """Audit a download of a confidential document (design.md: "confidential downloads")."""
    data: dict[str, Any] = {"kind": kind, "lang": lang, "subject": subject, "pages": pages,
                            "digest": digest}
    if job_id is not None:
        data["job"] = job_id
    audit.record("document.downloaded", actor=current_user._get_current_object(),
                 edition=edition, **data)


def send_document(edition: Edition, doc: Doc, *, subject: str, job_url: str | None,
                  back_url: str) -> Response | tuple[str, int]:
    """`doc` as a PDF at once when it is short (Doc.rows <= PDF_INLINE_ROWS); otherwise the
    page that offers to generate it in the background (POST `job_url`). Confidential
    documents are audited. Commits."""
    if job_url is not None and doc.rows > current_app.config["PDF_INLINE_ROWS"]:
        db.session.commit()
        return render_template("documents/large.html", edition=edition, doc=doc,
                               subject=subject, job_url=job_url, back_url=back_url,
                               kind_label=KIND_LABELS[doc.kind]), 200
    rendered = documents.produce(doc)
    if rendered.refused:  # never expected (our templates link static files only); not fetched
        current_app.logger.warning("%s: refused URLs %s", doc.kind, rendered.refused[:3])
    if doc.confidential:
        record_download(edition, kind=doc.kind, lang=doc.lang, subject=subject,
                        pages=rendered.pages, digest=doc.meta.get("digest"))
    db.session.commit()
    return pdf_response(rendered.pdf, doc.filename)


def start_job(edition: Edition, kind: str, lang: str, subject: str) -> Response:
    """Queue the document, start it in this process, and go to its page. Commits."""
    job = jobs.create(edition, kind, lang, subject, actor=current_user._get_current_object())
    db.session.commit()
    if job.status == jobs.QUEUED:
        jobs.start(current_app._get_current_object(), job.id)
    return redirect(url_for("documents.job", job_id=job.id))


def subject_label(kind: str, subject: str) -> str:
    """Whom or what a document is for, in words ("" when it is the whole edition)."""
    if not subject:
        return ""
    if kind == "results":
        return _("round %(number)s", number=subject)
    if kind == "book" and subject.isdigit():
        user = db.session.get(User, int(subject))
        return user.full_name if user is not None else subject
    return subject


# --- the job pages ----------------------------------------------------------------------------


def _may_still_read(job: DocumentJob) -> bool:
    """The requester may still have this document: organizers of the edition; a juror their
    own book while they are an active juror who accepted the confidentiality statement."""
    if permissions.can_manage_edition(current_user, job.edition):
        return True
    if job.kind != "book" or job.subject != str(current_user.id):
        return False
    profile = jury.profile_of(current_user, job.edition)
    if not (permissions.is_active_juror(current_user, job.edition, juror_profile=profile)
            and permissions.has_accepted_confidentiality(profile)):
        return False
    if job.status != jobs.DONE:
        return True
    # A stored book is served only while every dossier in it is still the juror's to read (a
    # conflict confirmed or an assignment removed since it was made withdraws it).
    readable = {i.dossier.reference for b in jury_board.board(profile) for i in b.items}
    shown = jobs.meta_of(job).get("dossiers")
    return shown is not None and set(shown) <= readable


def _own_job(job_id: str) -> DocumentJob:
    job = jobs.find(job_id)
    if job is None or job.requested_by_id != current_user.id or not _may_still_read(job):
        abort(404)
    return job


def back_url(job: DocumentJob) -> str:
    if permissions.can_manage_edition(current_user, job.edition):
        return url_for("admin.documents", slug=job.edition.slug, lang=job.lang)
    return url_for("jury.edition", slug=job.edition.slug)


@bp.get("/jobs/<job_id>")
@login_required
def job(job_id: str):
    """The job's status and progress; the page reloads itself every 2 s (the Refresh header:
    no script) while the job waits or runs, unless the reader turned that off (?auto=0)."""
    item = _own_job(job_id)
    db.session.commit()  # a job found interrupted has just been marked failed
    auto = request.args.get("auto") != "0"
    active = item.status in jobs.ACTIVE
    response = make_response(render_template(
        "documents/job.html", job=item, edition=item.edition, active=active, auto=auto,
        kind_label=KIND_LABELS.get(item.kind, item.kind),
        subject=subject_label(item.kind, item.subject),
        status_label=STATUS_LABELS[item.status],
        failure=FAILURE_LABELS.get(item.message, item.message),
        back_url=back_url(item), language=LANGUAGE_NAMES.get(item.lang, item.lang)))
    if active and auto:
        response.headers["Refresh"] = "2"
    return response


@bp.get("/jobs/<job_id>/file")
@login_required
def job_file(job_id: str):
    """The generated PDF, for the requester only; confidential documents are audited."""
    item = _own_job(job_id)
    path = jobs.file_path(item)
    if item.status != jobs.DONE or not path.is_file():
        db.session.commit()
        if item.status == jobs.DONE:
            flash(_("The file is no longer kept: generate the document again."), "error")
            return redirect(url_for("documents.job", job_id=item.id))
        abort(404)
    if item.kind in documents.CONFIDENTIAL:
        record_download(item.edition, kind=item.kind, lang=item.lang, subject=item.subject,
                        pages=item.pages, digest=jobs.meta_of(item).get("digest"),
                        job_id=item.id)
    db.session.commit()
    response = send_file(path, mimetype="application/pdf", as_attachment=True,
                         download_name=item.filename or "document.pdf", conditional=False,
                         etag=False, last_modified=None, max_age=0)
    response.headers.update(DOWNLOAD_HEADERS)
    return response


@bp.post("/jobs/<job_id>/retry")
@login_required
def job_retry(job_id: str):
    """A failed job again, as a new job with the same document, language and subject."""
    item = _own_job(job_id)
    if item.status != jobs.FAILED:
        db.session.commit()
        return redirect(url_for("documents.job", job_id=item.id))
    return start_job(item.edition, item.kind, item.lang, item.subject)


# --- the public palmarès PDF, rendered once per snapshot and language --------------------------


def cached_pdf(edition: Edition, kind: str, digest: str, lang: str) -> tuple[bytes, str]:
    """The PDF of a document that depends only on the edition's snapshot `digest` and `lang`
    (the published palmarès), rendered once and then read from
    DOCUMENTS_FOLDER/cache/<kind>-<edition id>-<digest>-<lang>.pdf (with its file name in a
    .json beside it); files of the edition's older snapshots are removed. Returns (bytes,
    file name). Raises DocumentUnavailable from the builder."""
    cache = jobs.folder() / "cache"
    if not (digest.isalnum() and lang.isalpha() and kind.isalpha()):
        raise ValueError("unexpected cache key")
    # The publication instant is printed too: a republication without a new freeze is another
    # document.
    published = int(edition.published_at.timestamp()) if edition.published_at else 0
    stem = f"{kind}-{edition.id}-{digest}-{published}-{lang}"
    pdf_path, name_path = cache / f"{stem}.pdf", cache / f"{stem}.json"
    try:
        filename = json.loads(name_path.read_text("utf-8"))["filename"]
        return pdf_path.read_bytes(), str(filename)
    except (OSError, ValueError, KeyError, TypeError):
        pass
    doc = registry.build(edition, kind, lang)
    rendered = documents.produce(doc)
    jobs.write_atomically(name_path, json.dumps({"filename": doc.filename}).encode("utf-8"))
    jobs.write_atomically(pdf_path, rendered.pdf)
    for old in cache.glob(f"{kind}-{edition.id}-*-{lang}.*"):
        if old.stem != stem:
            old.unlink(missing_ok=True)
    return rendered.pdf, doc.filename
