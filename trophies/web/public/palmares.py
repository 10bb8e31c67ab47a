"""Web layer: the public palmarès of a published edition: the page, the JSON feed and the
laureates' logos (routes on the `public` blueprint).

Nothing here exists before publication: each route asks services.palmares, which answers
None for an edition that is not published (and publishes a scheduled one whose time has
come), and the route answers 404. The feed's schema is documented in docs/palmares-feed.md.
"""

from __future__ import annotations

from flask import abort, current_app, jsonify, render_template, send_file
from flask_babel import get_locale
from sqlalchemy import select

from trophies.documents import DocumentUnavailable
from trophies.domain.filetypes import mime_type, sniff
from trophies.extensions import limiter
from trophies.models import Edition, db
from trophies.services import deliberation, files
from trophies.services import palmares as palmares_service
from trophies.web.documents import cached_pdf, pdf_response, requested_lang
from trophies.web.public.views import bp

#: The feed may be cached by organizers' sites and proxies for five minutes.
FEED_MAX_AGE = 300
#: Logos change only with an amendment, which names other dossiers (other URLs).
LOGO_MAX_AGE = 3600
#: A logo is an image shown in our pages only: never run, sniffed or framed.
LOGO_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}
LOGO_KINDS = ("png", "jpeg")
#: The palmarès PDF changes only with a new snapshot (another cache entry).
PDF_MAX_AGE = 300


def _edition(slug: str) -> Edition | None:
    return db.session.scalar(select(Edition).where(Edition.slug == slug))


@bp.get("/editions/<slug>/palmares")
def palmares(slug: str):
    """The winners of a published edition in the reader's language; 404 before that."""
    edition = _edition(slug)
    result = (palmares_service.palmares(edition, str(get_locale() or "fr"))
              if edition is not None else None)
    db.session.commit()  # a scheduled publication whose time has come was just made
    if result is None:
        abort(404)
    return render_template("public/palmares.html", palmares=result, edition=result.edition)


@bp.get("/editions/<slug>/palmares.json")
def palmares_feed(slug: str):
    """The feed "trophies.palmares/1" (docs/palmares-feed.md), readable from any origin.

    Before publication, or for an unknown edition (indistinguishable on purpose): 404 with
    the body {"error": "not_published"}.
    """
    edition = _edition(slug)
    body = palmares_service.feed(edition) if edition is not None else None
    db.session.commit()  # a scheduled publication whose time has come was just made
    if body is None:
        response = jsonify({"error": "not_published"})
        response.status_code = 404
        response.headers["Cache-Control"] = "no-cache"
    else:
        response = jsonify(body)
        response.headers["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/editions/<slug>/palmares/logos/<reference>")
def palmares_logo(slug: str, reference: str):
    """The logo of a laureate or of a mention of a published edition, as PNG or JPEG only."""
    edition = _edition(slug)
    attachment = palmares_service.logo(edition, reference) if edition is not None else None
    db.session.commit()  # as above
    if attachment is None:
        abort(404)
    try:
        path = files.path_of(attachment)
        with path.open("rb") as handle:
            kind = sniff(handle.read(16))
    except (files.UnsafeStoredName, OSError):
        current_app.logger.error("logo %s of %s cannot be read", attachment.id, reference)
        abort(404)
    if kind not in LOGO_KINDS:
        abort(404)
    response = send_file(path, mimetype=mime_type(kind), as_attachment=False,
                         download_name=f"{reference}-logo.{'jpg' if kind == 'jpeg' else kind}",
                         conditional=True, etag=True, max_age=LOGO_MAX_AGE)
    response.headers.update(LOGO_HEADERS)
    return response


@bp.get("/editions/<slug>/palmares.pdf")
@limiter.limit(lambda: current_app.config["PALMARES_PDF_LIMITS"])
def palmares_pdf(slug: str):
    """The published palmarès as a PDF (?lang=fr|en, the reader's language by default); 404
    before publication. Rendered once per snapshot and language, then served from the cache
    (trophies.web.documents.cached_pdf); rate-limited, as a render costs about a second."""
    edition = _edition(slug)
    if edition is not None:
        palmares_service.publish_if_due(edition)
    db.session.commit()  # a scheduled publication whose time has come was just made
    snapshot = (deliberation.latest_snapshot(edition)
                if edition is not None and palmares_service.is_published(edition) else None)
    if edition is None or snapshot is None:
        abort(404)
    try:
        data, filename = cached_pdf(edition, "palmares", snapshot.digest, requested_lang())
    except DocumentUnavailable:
        abort(404)
    return pdf_response(data, filename, cache_control=f"public, max-age={PDF_MAX_AGE}")
