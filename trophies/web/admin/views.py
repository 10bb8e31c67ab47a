"""Web layer: the organizers' and administrators' area."""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trophies import permissions
from trophies.domain.errors import PhaseError
from trophies.domain.phases import is_backwards
from trophies.domain.vocabulary import Phase
from trophies.models import AuditEvent, Dossier, Edition, OutboxMessage, Round, db, utcnow
from trophies.services import archives, audit, editions, eligibility, files
from trophies.web.candidate.messages import problem_message
from trophies.web.formatting import phase_label

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
    item = _managed_edition(slug)
    return _edition_page(item)


def _managed_edition(slug: str) -> Edition:
    item = db.session.scalar(select(Edition).where(Edition.slug == slug))
    if item is None or not permissions.can_manage_edition(current_user, item):
        abort(404)
    return item


def _edition_round(edition: Edition, number: int) -> Round:
    """Round `number` of `edition`, or 404."""
    return db.session.scalar(select(Round).where(Round.edition_id == edition.id,
                                                 Round.number == number)) or abort(404)


def _managed_round(slug: str, number: int) -> Round:
    """Round `number` of an edition the user manages, or 404."""
    return _edition_round(_managed_edition(slug), number)


def _edition_page(item: Edition, *, failed=None, status: int = 200,
                  duplicate_error: str | None = None):
    counts = editions.counts_by_edition([item.id])[item.id]
    # Freezing and publishing need the snapshot and the e-mails: the deliberation page does it.
    moves = [move for move in editions.phase_moves(item, now=utcnow())
             if move[0] not in VERDICT_PHASES]
    suggestion = {"new_slug": next_year(item.slug), "name_fr": next_year(item.name_fr),
                  "name_en": next_year(item.name_en)}
    return render_template("admin/edition.html", edition=item, counts=counts, moves=moves,
                           failed=failed, is_backwards=is_backwards, suggestion=suggestion,
                           duplicate_error=duplicate_error), status


#: Phases reached only through the deliberation service (snapshot, publication e-mails).
VERDICT_PHASES = frozenset({Phase.FROZEN, Phase.PUBLISHED})


@bp.post("/editions/<slug>/phase")
def change_phase(slug: str):
    """Move the edition to another phase; what is missing is explained, going back needs a
    written reason; audited."""
    item = _managed_edition(slug)
    try:
        target = Phase(request.form.get("target", ""))
    except ValueError:
        abort(400)
    if target in VERDICT_PHASES:
        flash(_("Freeze and publish the verdict from the deliberation page."), "error")
        return redirect(url_for("admin.deliberation", slug=slug))
    try:
        editions.change_phase(item, target, actor=current_user, now=utcnow(),
                              reason=request.form.get("reason", "")[:2000])
    except PhaseError as error:
        db.session.rollback()
        return _edition_page(item, failed=(target, error.details.get("missing", [])),
                             status=409)
    db.session.commit()
    flash(_("The edition is now in the “%(phase)s” phase.", phase=phase_label(target)),
          "success")
    return redirect(url_for("admin.edition", slug=slug))


SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def next_year(text: str) -> str:
    """"trophees-esante-2026" -> "trophees-esante-2027" (the last four-digit year, plus one)."""
    years = list(re.finditer(r"(?<!\d)(20\d\d)(?!\d)", text))
    if not years:
        return text
    last = years[-1]
    return text[:last.start()] + str(int(last.group(1)) + 1) + text[last.end():]


@bp.post("/editions/<slug>/duplicate")
def duplicate(slug: str):
    """Copy the edition's set-up into a new draft edition (no dossiers); audited."""
    source = _managed_edition(slug)
    new_slug = request.form.get("new_slug", "").strip().lower()
    name_fr = request.form.get("name_fr", "").strip()[:200]
    name_en = request.form.get("name_en", "").strip()[:200]
    if not SLUG.match(new_slug) or len(new_slug) > 80 or not name_fr:
        return _edition_page(source, status=400, duplicate_error=_(
            "Give a French name and an address made of lowercase letters, digits and hyphens."))
    try:
        copy = editions.duplicate_edition(source, slug=new_slug, name_fr=name_fr,
                                          name_en=name_en or name_fr, actor=current_user)
    except editions.SlugTaken:
        db.session.rollback()
        return _edition_page(source, status=400,
                             duplicate_error=_("This address is already used by an edition."))
    db.session.commit()
    flash(_("The new edition is ready as a draft: set its dates, then open the call."),
          "success")
    return redirect(url_for("admin.edition", slug=copy.slug))


@bp.get("/editions/<slug>/files.zip")
def files_zip(slug: str):
    """Every file of the edition's applications, by category and application (confidential)."""
    item = _managed_edition(slug)
    archive, _count = archives.files_archive(item, language=str(get_locale() or "fr"),
                                             actor=current_user)
    db.session.commit()
    response = send_file(archive, mimetype="application/zip", as_attachment=True,
                         download_name=f"{item.slug}-fichiers.zip")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/editions/<slug>/screening", methods=["GET", "POST"])
def screening(slug: str):
    """Eligibility decisions, one by one or in bulk, with the automatic checks' suggestions."""
    item = _managed_edition(slug)
    error, reason = None, ""
    if request.method == "POST":
        ids = [int(i) for i in request.form.getlist("dossier") if i.isdigit()]
        reason = request.form.get("reason", "")[:2000]
        chosen = db.session.scalars(select(Dossier).where(
            Dossier.edition_id == item.id, Dossier.id.in_(ids))
            .options(selectinload(Dossier.candidate))).all()
        try:
            changed = eligibility.decide(
                item, list(chosen), eligible=request.form.get("decision") == "eligible",
                reason=reason, actor=current_user, now=utcnow()) if chosen else 0
        except eligibility.ReasonRequired:
            error = _("Give the reason why the applications are not eligible.")
        except eligibility.EligibilityClosed:
            error = _("Eligibility can no longer change: judging has started.")
        else:
            if not chosen:
                error = _("Select at least one application.")
            else:
                db.session.commit()
                flash(ngettext("%(num)d decision recorded.", "%(num)d decisions recorded.",
                               changed), "success")
                return redirect(url_for("admin.screening", slug=slug))
        db.session.rollback()
    labels = {q.key: q.localized("label", str(get_locale() or "fr")) for q in item.questions}
    return render_template(
        "admin/screening.html", edition=item, rows=eligibility.screening_rows(item),
        rules=eligibility.rules_of(item), question_labels=labels, error=error, reason=reason,
        open_for_decisions=item.phase in eligibility.DECISION_PHASES), 400 if error else 200


@bp.post("/editions/<slug>/screening/rules")
def screening_rules(slug: str):
    """Add (action=add) or remove (action=remove, index) an automatic eligibility check."""
    item = _managed_edition(slug)
    try:
        if request.form.get("action") == "remove":
            eligibility.remove_rule(item, request.form.get("index", -1, type=int),
                                    actor=current_user)
        else:
            eligibility.add_rule(
                item, question_key=request.form.get("question", ""),
                kind=request.form.get("rule", ""),
                minimum=request.form.get("min", None, type=int),
                maximum=request.form.get("max", None, type=int), actor=current_user)
    except eligibility.InvalidRule:
        db.session.rollback()
        flash(_("This check cannot be added: choose a question, and for bounds a number "
                "question with a smallest and/or largest value."), "error")
    else:
        db.session.commit()
        flash(_("The automatic checks have been updated."), "success")
    return redirect(url_for("admin.screening", slug=slug, _anchor="checks-title"))


@bp.post("/editions/<slug>/setup/rules-pdf")
def rules_pdf(slug: str):
    """Upload (or, with action=remove, remove) the edition's rules as a PDF; audited."""
    item = _managed_edition(slug)
    if request.form.get("action") == "remove":
        files.remove_rules_pdf(item)
        audit.record("setup.rules_pdf_removed", actor=current_user, edition=item, obj=item)
        db.session.commit()
        flash(_("The rules PDF has been removed."), "success")
        return redirect(url_for("admin.setup_edition", slug=slug, _anchor="rules-pdf"))
    upload = request.files.get("rules_pdf")
    data = b""
    if upload is not None and upload.filename:
        with upload.stream:
            data = upload.stream.read()
    try:
        files.store_rules_pdf(item, data)
    except files.FileRejected as rejection:
        db.session.rollback()
        flash(problem_message(f"file_{rejection.details.get('reason', 'malformed')}"), "error")
    else:
        audit.record("setup.rules_pdf_uploaded", actor=current_user, edition=item, obj=item,
                     sha256=item.rules_pdf_sha256)
        db.session.commit()
        flash(_("The rules PDF has been saved."), "success")
    return redirect(url_for("admin.setup_edition", slug=slug, _anchor="rules-pdf"))


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


from trophies.web.admin import assignment as _assignment  # noqa: E402,F401
from trophies.web.admin import conflicts as _conflicts  # noqa: E402,F401
from trophies.web.admin import deliberation as _deliberation  # noqa: E402,F401
from trophies.web.admin import documents as _documents  # noqa: E402,F401
from trophies.web.admin import dossiers as _dossiers  # noqa: E402,F401
from trophies.web.admin import jurors as _jurors  # noqa: E402,F401
from trophies.web.admin import progress as _progress  # noqa: E402,F401
from trophies.web.admin import results as _results  # noqa: E402,F401
from trophies.web.admin import setup as _setup  # noqa: E402,F401
