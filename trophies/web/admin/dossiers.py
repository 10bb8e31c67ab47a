"""Web layer, organizer area: an edition's dossiers (list, one dossier, downloads).

Registered on the `admin` blueprint, whose before_request already requires an organizer.
Another edition's organizer gets 404 everywhere here (they must not learn what exists).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, abort, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from trophies.models import Edition, db
from trophies.services import dossiers as dossier_service
from trophies.services import exports
from trophies.web.admin.views import _managed_edition, bp


def _list_args(edition: Edition) -> dict[str, Any]:
    """The list's query string, whitelisted; what is unknown falls back to the default."""
    args = request.args
    category_ids = {c.id for c in edition.categories}
    category = args.get("category", type=int)
    status = args.get("status", "")
    sort = args.get("sort", "reference")
    per_page = args.get("per_page", 25, type=int)
    return {
        "search": args.get("q", "").strip()[: dossier_service.MAX_SEARCH_LENGTH],
        "category_id": category if category in category_ids else None,
        "status": status if status in dossier_service.LISTED_STATUSES else None,
        "sort": sort if sort in dossier_service.SORT_KEYS else "reference",
        "descending": args.get("order") == "desc",
        "page": max(args.get("page", 1, type=int) or 1, 1),
        "per_page": per_page if per_page in dossier_service.PER_PAGE_CHOICES else 25,
    }


def _query_string(query: dict[str, Any]) -> dict[str, Any]:
    """The non-default parts of `query` as URL arguments (short, shareable links)."""
    values = {
        "q": query["search"] or None,
        "category": query["category_id"],
        "status": query["status"],
        "sort": None if query["sort"] == "reference" else query["sort"],
        "order": "desc" if query["descending"] else None,
        "per_page": None if query["per_page"] == 25 else query["per_page"],
        "page": None if query["page"] == 1 else query["page"],
    }
    return {k: v for k, v in values.items() if v is not None}


@bp.get("/editions/<slug>/dossiers")
def dossiers(slug: str):
    edition = _managed_edition(slug)
    query = _list_args(edition)
    page = dossier_service.list_dossiers(edition, **query)
    current = _query_string({**query, "page": page.page})

    def list_url(**changes: Any) -> str:
        """This list's URL with `changes` applied (None removes an argument)."""
        merged = {k: v for k, v in {**current, **changes}.items() if v is not None}
        return url_for("admin.dossiers", slug=edition.slug, **merged)

    return render_template(
        "admin/dossiers.html", edition=edition, page=page, query=query,
        counts=dossier_service.counts(edition), list_url=list_url,
        statuses=dossier_service.LISTED_STATUSES, status_label=dossier_service.status_label,
        per_page_choices=dossier_service.PER_PAGE_CHOICES,
        zone=ZoneInfo(edition.timezone), filtered=bool(
            query["search"] or query["category_id"] or query["status"]))


@bp.get("/editions/<slug>/dossiers/<reference>")
def dossier(slug: str, reference: str):
    edition = _managed_edition(slug)
    item = dossier_service.get_dossier(edition, reference) or abort(404)
    language = str(get_locale() or "fr")
    lines = dossier_service.answer_lines(item, dossier_service.questions_of(edition),
                                         language=language)
    return render_template("admin/dossier.html", edition=edition, dossier=item, lines=lines)


@bp.get("/editions/<slug>/dossiers.<fmt>")
def export_dossiers(slug: str, fmt: str):
    edition = _managed_edition(slug)
    if fmt not in exports.FORMATS:
        abort(404)
    exported = exports.export_dossiers(edition, fmt, language=str(get_locale() or "fr"),
                                       actor=current_user._get_current_object())
    db.session.commit()
    response = Response(exported.content, content_type=exported.mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=exported.filename)
    response.headers["Cache-Control"] = "no-store"
    return response
