"""Web layer: the organizers' and administrators' area."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trophies import permissions
from trophies.models import AuditEvent, Edition, OutboxMessage, db
from trophies.services import editions

bp = Blueprint("admin", __name__)


@bp.before_request
@login_required
def require_organizer_area():
    if not permissions.can_access_admin(current_user):
        abort(403)


@bp.get("/")
def index():
    items = [e for e in editions.list_editions()
             if permissions.can_manage_edition(current_user, e)]
    counts = editions.counts_by_edition([e.id for e in items])
    return render_template("admin/index.html", editions=items, counts=counts)


@bp.get("/editions/<slug>")
def edition(slug: str):
    item = db.session.scalar(select(Edition).where(Edition.slug == slug))
    if item is None or not permissions.can_manage_edition(current_user, item):
        abort(404)
    counts = editions.counts_by_edition([item.id])[item.id]
    return render_template("admin/edition.html", edition=item, counts=counts)


@bp.get("/mail")
def outbox():
    if not permissions.can_view_outbox(current_user):
        abort(403)
    page = db.paginate(select(OutboxMessage).order_by(OutboxMessage.id.desc()),
                       page=request.args.get("page", 1, type=int), per_page=25)
    return render_template("admin/outbox.html", page=page)


@bp.get("/mail/<int:message_id>")
def outbox_message(message_id: int):
    if not permissions.can_view_outbox(current_user):
        abort(403)
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    return render_template("admin/outbox_message.html", message=message)


@bp.get("/audit")
def audit_log():
    if not permissions.can_view_audit_log(current_user):
        abort(403)
    page = db.paginate(select(AuditEvent).options(selectinload(AuditEvent.actor))
                       .order_by(AuditEvent.id.desc()),
                       page=request.args.get("page", 1, type=int), per_page=50)
    return render_template("admin/audit.html", page=page)
