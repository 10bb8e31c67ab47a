"""Web layer, organizer area: a round's assignment (preview, run, adjust, publish, CSV).

Registered on the `admin` blueprint (its before_request requires an organizer); another
edition's organizer gets 404. Rules live in services.assignment*.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from trophies.domain.assignment import Infeasible
from trophies.domain.errors import DomainError
from trophies.models import Assignment, Dossier, Round, User, db
from trophies.services import assignment as service
from trophies.services import assignment_csv, assignment_stats, assignment_texts
from trophies.web.admin.views import _managed_round, bp
from trophies.web.formatting import phase_label

BASE = "/editions/<slug>/rounds/<int:number>/assignment"
MAX_IMPORT_BYTES = 5 * 1024 * 1024


class RunForm(FlaskForm):
    seed = IntegerField(_l("Seed"), validators=[
        InputRequired(_l("Enter a whole number.")),
        NumberRange(0, 2**31 - 1, _l("Enter a whole number from 0 to 2147483647."))],
        description=_l("The same seed on the same data gives the same plan."))


def _assignment(round_: Round) -> Assignment:
    item = db.session.get(Assignment, request.form.get("assignment", 0, type=int))
    if item is None or item.round_id != round_.id:
        abort(404)
    return item


def _juror() -> User:
    return db.session.get(User, request.form.get("juror", 0, type=int)) or abort(404)


def _back(round_: Round, anchor: str | None = None):
    return redirect(url_for("admin.assignment", slug=round_.edition.slug, number=round_.number,
                            _anchor=anchor))


def _refused(round_: Round, error: DomainError, anchor: str | None = None):
    """Undo the attempt, say why it was refused, back to the page."""
    db.session.rollback()
    flash(problem(error), "error")
    return _back(round_, anchor)


def problem(error: DomainError) -> str:
    """The translated explanation of a refusal."""
    if isinstance(error, service.AssignmentClosed):
        return _("Assignments can change only during the “%(screening)s” and “%(judging)s” "
                 "phases (the edition is in “%(phase)s”).",
                 screening=phase_label("screening"), judging=phase_label("judging"),
                 phase=phase_label(error.details["phase"]))
    texts = {
        "assignment_no_jurors": _("No juror has accepted the invitation yet."),
        "assignment_conflict": _("This juror has a confirmed conflict of interest with this "
                                 "application."),
        "assignment_duplicate": _("This juror is already assigned to this application."),
        "assignment_juror_unavailable": _("This juror has not accepted the invitation or has "
                                          "withdrawn."),
        "assignment_dossier_not_in_play": _("This application is not in play in this round."),
        "assignment_sheet_started": _("The juror has started the score sheet: the pair can no "
                                      "longer change."),
    }
    return texts.get(error.code, _("This change is not possible."))


def _warn(warnings: list[str]) -> None:
    if "over_capacity" in warnings:
        flash(_("Done, but the juror is now over capacity."), "warning")
    if "organisation_cap" in warnings:
        flash(_("Done, but this application now has more jurors of one organization than the "
                "edition allows."), "warning")


def _page(round_: Round, *, form: RunForm | None = None, failure=None, errors=None,
          status: int = 200):
    edition = round_.edition
    data = assignment_stats.preview(round_)
    if form is None:
        form = RunForm(formdata=None, seed=(data.last_run or {}).get("seed", 1))
    return render_template(
        "admin/assignment.html", edition=edition, round=round_, preview=data, form=form,
        failure=failure, import_errors=errors, is_open=edition.phase in service.OPEN_PHASES,
        categories={c.id: c for c in edition.categories},
        warning_text=assignment_texts.warning_text,
        closed_text=problem(service.AssignmentClosed(phase=str(edition.phase)))), status


@bp.get(BASE)
def assignment(slug: str, number: int):
    """The preview: figures, warnings, loads, every dossier with its jurors; the actions."""
    return _page(_managed_round(slug, number))


@bp.post(BASE + "/run")
def assignment_run(slug: str, number: int):
    round_ = _managed_round(slug, number)
    form = RunForm()
    if not form.validate():
        return _page(round_, form=form, status=400)
    try:
        result = service.run_assignment(round_, seed=form.seed.data, actor=current_user)
    except Infeasible as error:
        db.session.rollback()
        failure = assignment_texts.explain(error, assignment_stats.load_state(round_))
        return _page(round_, form=form, failure=failure, status=422)
    except DomainError as error:
        return _refused(round_, error)
    db.session.commit()
    flash(ngettext("Assignment computed: %(num)d pair, not published yet.",
                   "Assignment computed: %(num)d pairs, not published yet.",
                   len(result.pairs)), "success")
    return _back(round_)


@bp.post(BASE + "/publish")
def assignment_publish(slug: str, number: int):
    round_ = _managed_round(slug, number)
    try:
        published = service.publish(round_, actor=current_user)
    except DomainError as error:
        return _refused(round_, error)
    db.session.commit()
    flash(ngettext("%(num)d assignment published; the jurors concerned are notified.",
                   "%(num)d assignments published; the jurors concerned are notified.",
                   published), "success")
    return _back(round_)


def _adjusted(round_: Round, change, anchor: str):
    """Run `change()` (a service call); commit and flash its warnings, or roll back."""
    try:
        warnings = change() or []
    except DomainError as error:
        return _refused(round_, error, anchor)
    db.session.commit()
    flash(_("Assignment updated (not published yet)."), "success")
    _warn(warnings)
    return _back(round_, anchor)


@bp.post(BASE + "/add")
def assignment_add(slug: str, number: int):
    round_ = _managed_round(slug, number)
    dossier = db.session.get(Dossier, request.form.get("dossier", 0, type=int))
    if dossier is None or dossier.edition_id != round_.edition_id:
        abort(404)
    juror = _juror()
    return _adjusted(round_, lambda: service.add_juror(round_, dossier, juror,
                                                       actor=current_user),
                     f"dossier-{dossier.id}")


@bp.post(BASE + "/remove")
def assignment_remove(slug: str, number: int):
    round_ = _managed_round(slug, number)
    item = _assignment(round_)
    return _adjusted(round_, lambda: service.remove_assignment(item, actor=current_user),
                     f"dossier-{item.dossier_id}")


@bp.post(BASE + "/swap")
def assignment_swap(slug: str, number: int):
    round_ = _managed_round(slug, number)
    item, juror = _assignment(round_), _juror()
    return _adjusted(round_, lambda: service.swap_juror(item, juror, actor=current_user),
                     f"dossier-{item.dossier_id}")


@bp.post(BASE + "/pin")
def assignment_pin(slug: str, number: int):
    round_ = _managed_round(slug, number)
    item = _assignment(round_)
    pinned = request.form.get("pinned") == "1"
    return _adjusted(round_, lambda: service.set_pinned(item, pinned, actor=current_user),
                     f"dossier-{item.dossier_id}")


@bp.get(BASE + ".csv")
def assignment_export(slug: str, number: int):
    round_ = _managed_round(slug, number)
    exported = assignment_csv.export_csv(round_, language=str(get_locale() or "fr"),
                                         actor=current_user)
    db.session.commit()
    response = Response(exported.content, content_type=exported.mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=exported.filename)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post(BASE + "/import")
def assignment_import(slug: str, number: int):
    round_ = _managed_round(slug, number)
    upload = request.files.get("file")
    data = upload.stream.read(MAX_IMPORT_BYTES + 1) if upload and upload.filename else b""
    try:
        if len(data) > MAX_IMPORT_BYTES:
            raise assignment_csv.ImportRejected([assignment_csv.LineError(0, "unreadable")])
        count = assignment_csv.import_csv(round_, data, actor=current_user)
    except assignment_csv.ImportRejected as error:
        db.session.rollback()
        return _page(round_, errors=[assignment_csv.line_error_text(e) for e in error.errors],
                     status=400)
    except DomainError as error:
        return _refused(round_, error)
    db.session.commit()
    flash(ngettext("%(num)d pair imported (not published yet).",
                   "%(num)d pairs imported (not published yet).", count), "success")
    return _back(round_)
