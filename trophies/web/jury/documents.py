"""Web layer, the juror's area: their own book — the applications assigned to them in their
latest round, with the applications' PDF files — as one PDF (routes on the `jury` blueprint).

Only an active juror of the edition who accepted the confidentiality statement, and only their
own book (the subject is always the current user); others get 404 as on the jury pages. A
long book is generated in the background (documents.job pages). Every download is audited.
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user, login_required

from trophies import permissions
from trophies.documents import DocumentUnavailable, registry
from trophies.models import db
from trophies.web.documents import requested_lang, send_document, start_job
from trophies.web.jury.views import _juror_edition, bp


@bp.get("/<slug>/book.pdf")
@login_required
def book(slug: str):
    edition, profile = _juror_edition(slug)
    if not permissions.has_accepted_confidentiality(profile):
        return redirect(url_for("jury.confidentiality", slug=slug))
    subject = str(current_user.id)
    try:
        doc = registry.build(edition, "book", requested_lang(), subject)
    except DocumentUnavailable as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
        return redirect(url_for("jury.edition", slug=slug))
    return send_document(edition, doc, subject=subject,
                         job_url=url_for("jury.book_job", slug=slug),
                         back_url=url_for("jury.edition", slug=slug))


@bp.post("/<slug>/book/jobs")
@login_required
def book_job(slug: str):
    """Generate the juror's own book in the background; to the job's page."""
    edition, profile = _juror_edition(slug)
    if not permissions.has_accepted_confidentiality(profile):
        return redirect(url_for("jury.confidentiality", slug=slug))
    return start_job(edition, "book", requested_lang(), str(current_user.id))
