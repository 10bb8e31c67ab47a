"""Web layer: downloads of dossier attachments through an authorized view (never static/).

Anyone not allowed gets 404; downloads by organizers and jurors are audited.
"""

from __future__ import annotations

from pathlib import PurePath

from flask import Blueprint, abort, current_app, send_file
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from trophies import permissions
from trophies.models import Attachment, Dossier, Question, db
from trophies.services import audit, files, jury

bp = Blueprint("files", __name__)

#: A downloaded file is never rendered in our origin, sniffed, or kept in a cache.
DOWNLOAD_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


@bp.get("/<int:attachment_id>")
@login_required
def download(attachment_id: int):
    attachment = db.session.scalar(
        select(Attachment).where(Attachment.id == attachment_id)
        .options(joinedload(Attachment.dossier).joinedload(Dossier.edition))
    )
    if attachment is None:
        abort(404)
    dossier = attachment.dossier
    trusted = (dossier.candidate_id == current_user.id
               or permissions.can_manage_edition(current_user, dossier.edition))
    standing = {} if trusted else _juror_standing(attachment)
    if not permissions.can_download_attachment(current_user, attachment, **standing):
        abort(404)
    try:
        path = files.path_of(attachment)
    except files.UnsafeStoredName:
        current_app.logger.error("attachment %s has an unsafe stored name", attachment.id)
        abort(404)
    if not path.is_file():
        current_app.logger.error("attachment %s: file missing on disk", attachment.id)
        abort(404)
    if dossier.candidate_id != current_user.id:
        audit.record("attachment.downloaded", actor=current_user, edition=dossier.edition,
                     obj=attachment, dossier_id=dossier.id)
        db.session.commit()
    name = attachment.original_name
    if not trusted and dossier.edition.is_blind:  # the file's name may say who applied
        name = f"{dossier.reference}-{attachment.id}{PurePath(name).suffix.lower()}"
    response = send_file(path, mimetype=attachment.content_type, as_attachment=True,
                         download_name=name, conditional=False,
                         etag=False, last_modified=None, max_age=0)
    response.headers.update(DOWNLOAD_HEADERS)
    return response


def _juror_standing(attachment: Attachment) -> dict:
    """What can_download_attachment needs to judge a juror, loaded here (predicates never
    query): the user's standing on the dossier (jury.standing) and the question."""
    dossier = attachment.dossier
    profile = jury.profile_of(current_user, dossier.edition)
    return {
        **jury.standing(current_user, dossier, profile).as_kwargs(),
        "question": (db.session.get(Question, attachment.question_id)
                     if attachment.question_id is not None else None),
    }
