"""Web layer: public pages (home, an edition's page) and every user's dashboard."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, send_file
from flask_login import current_user, login_required
from sqlalchemy import select

from trophies import permissions
from trophies.domain.phases import is_public
from trophies.domain.vocabulary import Phase
from trophies.models import Edition, db
from trophies.services import dashboard as dashboard_service
from trophies.services import editions, files

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    open_editions = editions.list_editions(phases={Phase.OPEN})
    published = editions.list_editions(phases={Phase.PUBLISHED})
    return render_template("public/home.html", open_editions=open_editions, published=published)


@bp.get("/editions/<slug>")
def edition(slug: str):
    item = db.session.scalar(select(Edition).where(Edition.slug == slug))
    if item is None or not is_public(Phase(item.phase)):
        abort(404)
    return render_template("public/edition.html", edition=item)


@bp.get("/editions/<slug>/rules.pdf")
def rules_pdf(slug: str):
    """The edition's rules PDF, for anyone who may see the edition (public ones, organizers)."""
    item = db.session.scalar(select(Edition).where(Edition.slug == slug))
    if item is None or not (is_public(Phase(item.phase))
                            or permissions.can_manage_edition(current_user, item)):
        abort(404)
    path = files.rules_pdf_path(item)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="application/pdf", as_attachment=True,
                         download_name=f"reglement-{item.slug}.pdf")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.get("/dashboard")
@login_required
def dashboard():
    boards = dashboard_service.dashboard_for(current_user)
    return render_template("public/dashboard.html", boards=boards)


from trophies.web.public import palmares as _palmares  # noqa: E402,F401  (its routes)
