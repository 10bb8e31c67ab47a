"""Web layer: a candidate's PDFs, the submission receipt and the jury's feedback (routes on the
`candidate` blueprint, which requires a login).

The same doors as the pages: the dossier's candidate and its accepted co-founders (as the
candidate's dossier view and feedback page); anyone else, and a document that does not exist
(a dossier not submitted, feedback not given or not published yet), gets 404. Neither document
is confidential: downloads are not audited.
"""

from __future__ import annotations

from flask import abort, url_for

from trophies.documents import DocumentUnavailable, registry
from trophies.models import Dossier, db
from trophies.services import palmares
from trophies.web.candidate.feedback import _readable_dossier
from trophies.web.candidate.views import bp
from trophies.web.documents import requested_lang, send_document


def _send(dossier: Dossier, kind: str):
    try:
        doc = registry.build(dossier.edition, kind, requested_lang(), dossier.reference)
    except DocumentUnavailable:
        db.session.rollback()
        abort(404)
    return send_document(dossier.edition, doc, subject=dossier.reference, job_url=None,
                         back_url=url_for("candidate.dossier", reference=dossier.reference))


@bp.get("/dossiers/<reference>/receipt.pdf")
def receipt_pdf(reference: str):
    """The receipt of the submitted dossier (?lang=fr|en; the reader's language by default)."""
    return _send(_readable_dossier(reference), "receipt")


@bp.get("/dossiers/<reference>/feedback.pdf")
def feedback_pdf(reference: str):
    """The feedback page as a PDF, once the results are published (a scheduled publication
    whose time has come is made first, as on the page)."""
    dossier = _readable_dossier(reference)
    palmares.publish_if_due(dossier.edition)
    db.session.commit()
    return _send(dossier, "feedback")
