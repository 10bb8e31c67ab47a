"""Web layer, organizer area: a round's scoring progress (per juror, dossier and category),
reminders, reading and reopening a sheet, closing and reopening the round.

Registered on the `admin` blueprint (its before_request requires an organizer); another
edition's organizer gets 404. Rules live in services.progress, services.scoring and
services.reminders.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Length

from trophies.domain.errors import DomainError
from trophies.domain.scoring import display_score
from trophies.domain.vocabulary import Phase
from trophies.models import Round, db
from trophies.services import progress as service
from trophies.services import reminders, scoring, scoring_control
from trophies.web.admin.views import _managed_round, bp
from trophies.web.formatting import phase_label

BASE = "/editions/<slug>/rounds/<int:number>"
#: The filters the page keeps across its forms (GET arguments, or hidden fields of a POST).
FILTERS = ("category", "status", "q")


class CloseRoundForm(FlaskForm):
    confirm = BooleanField(
        _l("I confirm that the round should close"),
        validators=[DataRequired(_l("Tick the box to confirm."))])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason (sent to the juror and kept in the audit log)"), validators=[
        DataRequired(_l("Give a reason.")),
        Length(max=scoring_control.MAX_REASON)])


class RoundReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason (kept in the audit log)"), validators=[
        DataRequired(_l("Give a reason.")),
        Length(max=scoring_control.MAX_REASON)])


def _filters(source) -> dict[str, str]:
    """The page's filters found in `source` (request.args or request.form), non-empty only."""
    return {key: source.get(key, "")[:service.MAX_QUERY] for key in FILTERS
            if source.get(key, "").strip()}


def _back(round_: Round, anchor: str | None = None):
    return redirect(url_for("admin.progress", slug=round_.edition.slug, number=round_.number,
                            _anchor=anchor, **_filters(request.form)))


def problem(error: DomainError) -> str:
    """The translated explanation of a refusal."""
    if isinstance(error, scoring.ScoringClosed):
        return _("Score sheets can change only while the edition is in the “%(phase)s” phase "
                 "and the round is open.", phase=phase_label(Phase.JUDGING))
    texts = {
        "round_closed": _("This round is already closed."),
        "round_open": _("This round is open already."),
        "not_submitted": _("This score sheet is not submitted: there is nothing to reopen."),
        "reason_required": _("Give a reason."),
    }
    return texts.get(error.code, _("This change is not possible."))


def _page(round_: Round, *, close_form=None, reopen_form=None, status: int = 200):
    args = request.args
    data = service.round_progress(
        round_, category_id=args.get("category", type=int), juror_status=args.get("status"),
        query=args.get("q", ""))
    return render_template(
        "admin/progress.html", edition=round_.edition, round=round_, progress=data,
        close_form=close_form or CloseRoundForm(formdata=None),
        reopen_form=reopen_form or RoundReasonForm(formdata=None),
        filters=_filters(args)), status


@bp.get(BASE + "/progress")
def progress(slug: str, number: int):
    """Where the jurors are: totals, per juror, per application, per category; reminders;
    closing the round."""
    return _page(_managed_round(slug, number))


@bp.post(BASE + "/reminders")
def progress_remind(slug: str, number: int):
    """Remind one juror (`juror_id`) or every juror with unfinished sheets, at once."""
    round_ = _managed_round(slug, number)
    raw = request.form.get("juror_id", "").strip()
    if raw and not raw.isdigit():
        abort(400)
    try:
        sent = reminders.send_now(round_, actor=current_user,
                                  juror_id=int(raw) if raw else None)
    except DomainError as error:
        db.session.rollback()
        flash(problem(error), "error")
        return _back(round_)
    db.session.commit()
    if sent:
        flash(ngettext("Reminder sent to %(num)d juror.", "Reminder sent to %(num)d jurors.",
                       sent), "success")
    else:
        flash(_("No reminder sent: nobody has unfinished score sheets, or they were reminded "
                "a moment ago."), "info")
    return _back(round_, "jurors-title")


@bp.post(BASE + "/close")
def round_close(slug: str, number: int):
    """Close the round once the organizer has confirmed; the last open round moves the
    edition to deliberation."""
    round_ = _managed_round(slug, number)
    form = CloseRoundForm()
    if not form.validate():
        return _page(round_, close_form=form, status=400)
    try:
        moved = scoring_control.close_round(round_, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(problem(error), "error")
        return _back(round_)
    db.session.commit()
    flash(_("Round %(number)d is closed: its score sheets are read-only.",
            number=round_.number), "success")
    if moved:
        flash(_("No round is open any more: the edition moved to the “%(phase)s” phase.",
                phase=phase_label(Phase.DELIBERATION)), "success")
    return _back(round_)


@bp.post(BASE + "/reopen")
def round_reopen(slug: str, number: int):
    """Open a closed round again, with a reason."""
    round_ = _managed_round(slug, number)
    form = RoundReasonForm()
    if not form.validate():
        return _page(round_, reopen_form=form, status=400)
    try:
        scoring_control.reopen_round(round_, reason=form.reason.data, actor=current_user)
    except scoring_control.ReasonRequired:
        db.session.rollback()
        form.reason.errors = [_("Give a reason.")]
        return _page(round_, reopen_form=form, status=400)
    except DomainError as error:
        db.session.rollback()
        flash(problem(error), "error")
        return _back(round_)
    db.session.commit()
    flash(_("Round %(number)d is open again.", number=round_.number), "success")
    return _back(round_)


# --- one sheet ------------------------------------------------------------------------------


def _sheet_page(round_: Round, sheet_id: int, *, form=None, error: str | None = None,
                status: int = 200):
    view = scoring_control.sheet_view(round_, sheet_id) or abort(404)
    return render_template(
        "admin/sheet.html", edition=round_.edition, round=round_, view=view,
        score=display_score(view.total), form=form or ReasonForm(formdata=None),
        error=error), status


@bp.get(BASE + "/sheets/<int:sheet_id>")
def sheet(slug: str, number: int, sheet_id: int):
    """A juror's sheet, read-only: marks, levels, comments, total, reopenings."""
    return _sheet_page(_managed_round(slug, number), sheet_id)


@bp.post(BASE + "/sheets/<int:sheet_id>/reopen")
def sheet_reopen(slug: str, number: int, sheet_id: int):
    """Give a submitted sheet back to its juror as a draft, with a reason (mailed)."""
    round_ = _managed_round(slug, number)
    view = scoring_control.sheet_view(round_, sheet_id) or abort(404)
    form = ReasonForm()
    if not form.validate():
        return _sheet_page(round_, sheet_id, form=form, status=400)
    try:
        scoring_control.reopen_sheet(view.sheet, reason=form.reason.data, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        if isinstance(error, scoring_control.ReasonRequired):
            form.reason.errors = [problem(error)]
        return _sheet_page(round_, sheet_id, form=form, error=problem(error), status=400)
    db.session.commit()
    flash(_("The score sheet is reopened: %(name)s was told by e-mail.",
            name=view.assignment.juror.full_name), "success")
    return redirect(url_for("admin.sheet", slug=slug, number=number, sheet_id=sheet_id))
