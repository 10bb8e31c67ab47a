"""Web layer, organizer area: an edition's conflicts of interest - detected suggestions to
confirm or dismiss, confirmed ones (liftable with a reason), conflicts added by hand.

Registered on the `admin` blueprint, whose before_request already requires an organizer;
another edition's organizer gets 404 on everything here.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from trophies.domain.errors import DomainError
from trophies.models import db
from trophies.services import conflicts
from trophies.web.admin.views import _managed_edition, bp

ERRORS = {
    "conflicts_closed": _l("The results are frozen: conflicts of interest can no longer change."),
    "reason_required": _l("Give the reason why this confirmed conflict is lifted."),
    "already_confirmed": _l("This conflict of interest is already confirmed."),
    "not_in_edition": _l("Choose a juror and an application of this edition."),
}


class AddConflictForm(FlaskForm):
    juror = SelectField(_l("Juror"), coerce=int,
                        validators=[DataRequired(_l("Choose a juror."))])
    dossier = SelectField(_l("Application"), coerce=int,
                          validators=[DataRequired(_l("Choose an application."))])
    reason = TextAreaField(_l("Reason"),
                           validators=[Optional(), Length(max=conflicts.MAX_REASON_LENGTH)],
                           render_kw={"rows": 2})

    def offer(self, overview: conflicts.ConflictsOverview) -> None:
        self.juror.choices = [SelectChoice(0, _("Choose a juror"))] + [
            SelectChoice(p.user_id, p.user.full_name + (f" ({p.organisation})"
                                                        if p.organisation else ""))
            for p in overview.jurors]
        self.dossier.choices = [SelectChoice(0, _("Choose an application"))] + [
            SelectChoice(d.id, f"{d.reference} — {d.company_name} — {d.project_title}")
            for d in overview.dossiers]


def _page(edition, *, form=None, error=None, status=200):
    overview = conflicts.overview(edition)
    form = form or AddConflictForm(formdata=None)
    form.offer(overview)
    return render_template("admin/conflicts.html", edition=edition, overview=overview,
                           form=form, error=error, is_open=conflicts.is_open(edition)), status


def _refused(edition, failure: DomainError, *, form=None, status=409):
    """Nothing changed: the page again, with the reason."""
    db.session.rollback()
    error = str(ERRORS.get(failure.code, _l("This change is not possible.")))
    return _page(edition, form=form, error=error, status=status)


@bp.get("/editions/<slug>/conflicts", endpoint="conflicts")
def conflicts_page(slug: str):
    return _page(_managed_edition(slug))


@bp.post("/editions/<slug>/conflicts/detect")
def conflicts_detect(slug: str):
    """Run the detection rules now; new suggestions only (dismissed ones stay dismissed)."""
    edition = _managed_edition(slug)
    try:
        created = conflicts.detect_conflicts(edition, actor=current_user)
    except DomainError as failure:
        return _refused(edition, failure)
    db.session.commit()
    flash(ngettext("%(num)d new suggestion.", "%(num)d new suggestions.", created)
          if created else _("No new suggestion."), "success")
    return redirect(url_for("admin.conflicts", slug=slug, _anchor="suggested-title"))


@bp.post("/editions/<slug>/conflicts/add")
def conflict_add(slug: str):
    """Record a conflict by hand: confirmed at once, the juror's assignments of it removed."""
    edition = _managed_edition(slug)
    form = AddConflictForm()
    form.offer(conflicts.overview(edition))
    if not form.validate_on_submit():
        return _page(edition, form=form, status=400)
    try:
        _conflict, removed = conflicts.add_conflict(
            edition, juror_id=form.juror.data, dossier_id=form.dossier.data,
            reason=form.reason.data or "", actor=current_user)
    except DomainError as failure:
        return _refused(edition, failure, form=form)
    db.session.commit()
    _flash_confirmed(removed)
    return redirect(url_for("admin.conflicts", slug=slug, _anchor="confirmed-title"))


def _flash_confirmed(removed: int) -> None:
    flash(_("The conflict of interest is confirmed.") + (" " + ngettext(
        "%(num)d assignment of the juror to this application was removed.",
        "%(num)d assignments of the juror to this application were removed.", removed)
        if removed else ""), "success")


@bp.post("/editions/<slug>/conflicts/<int:conflict_id>/confirm")
def conflict_confirm(slug: str, conflict_id: int):
    edition = _managed_edition(slug)
    conflict = conflicts.get_conflict(edition, conflict_id) or abort(404)
    try:
        removed = conflicts.confirm_conflict(conflict, actor=current_user)
    except DomainError as failure:
        return _refused(edition, failure)
    db.session.commit()
    _flash_confirmed(removed)
    return redirect(url_for("admin.conflicts", slug=slug, _anchor="suggested-title"))


@bp.post("/editions/<slug>/conflicts/<int:conflict_id>/dismiss")
def conflict_dismiss(slug: str, conflict_id: int):
    """Dismiss a suggestion, or lift a confirmed conflict with a written reason."""
    edition = _managed_edition(slug)
    conflict = conflicts.get_conflict(edition, conflict_id) or abort(404)
    try:
        conflicts.dismiss_conflict(conflict, actor=current_user,
                                   reason=request.form.get("reason", ""))
    except DomainError as failure:
        return _refused(edition, failure, status=400)
    db.session.commit()
    flash(_("The conflict of interest is dismissed."), "success")
    return redirect(url_for("admin.conflicts", slug=slug, _anchor="suggested-title"))
