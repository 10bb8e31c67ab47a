"""Web layer, organizer area: an edition's jurors - the list with the invitation form, the bulk
import, one juror's details, resending the invitation, removal.

Registered on the `admin` blueprint, whose before_request already requires an organizer.
Another edition's organizer gets 404 everywhere here (they must not learn what exists).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from trophies.domain.vocabulary import Language
from trophies.models import Edition, JurorProfile, db
from trophies.services import jurors as juror_service
from trophies.services.jurors import (
    ImportRejected,
    InvalidJurorDetails,
    InvitationAccepted,
    InviteResult,
    JurorWithdrawn,
    LineError,
    Outcome,
)
from trophies.services.jurors_csv import MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, read_upload
from trophies.web.admin.jurors_forms import (
    ImportJurorsForm,
    InviteJurorForm,
    JurorDetailsForm,
    RemoveJurorForm,
)
from trophies.web.admin.views import _managed_edition, bp


def _language() -> str:
    return str(get_locale() or "fr")


def _profile(edition: Edition, profile_id: int) -> JurorProfile:
    return juror_service.get_profile(edition, profile_id) or abort(404)


def _invalid(form, error: InvalidJurorDetails) -> None:
    db.session.rollback()
    field = form._fields.get(str(error.details.get("field")), form.organisation)
    field.errors = [*field.errors, _("Check this value.")]


# --- the list and the invitation form -------------------------------------------------------


def _invited_message(result: InviteResult) -> str:
    user = result.profile.user
    return {
        Outcome.INVITED: _("Invitation sent to %(name)s (%(email)s).", name=user.full_name,
                           email=user.email),
        Outcome.REINVITED: _("%(name)s is back on the jury: a new invitation has been sent.",
                             name=user.full_name),
        Outcome.UPDATED: _("%(name)s is already on the jury, so no invitation was sent; their "
                           "details have been updated.", name=user.full_name),
        Outcome.UNCHANGED: _("%(name)s is already on the jury with these details: nothing was "
                             "sent or changed.", name=user.full_name),
    }[result.outcome]


@bp.route("/editions/<slug>/jurors", methods=["GET", "POST"])
def jurors(slug: str):
    """The jury: who is invited, who accepted, their load per round; invite one juror."""
    edition = _managed_edition(slug)
    form = InviteJurorForm()
    form.offer(edition, _language())
    if form.validate_on_submit():
        try:
            result = juror_service.invite_juror(
                edition, email=form.email.data, full_name=form.full_name.data,
                language=form.language.data, actor=current_user,
                organisation=form.organisation.data or "", expertise=form.chosen(edition),
                capacity=form.capacity.data)
        except InvalidJurorDetails as error:
            _invalid(form, error)
        else:
            db.session.commit()
            flash(_invited_message(result), "success")
            return redirect(url_for("admin.jurors", slug=slug))
    return render_template("admin/jurors.html", edition=edition, form=form,
                           listing=juror_service.list_jurors(edition),
                           ), 400 if request.method == "POST" else 200


# --- bulk import ----------------------------------------------------------------------------


def line_message(error: LineError) -> str:
    """The translated explanation of one import problem."""
    where = {"line": error.line, "value": error.value}
    messages = {
        "too_large": _("The file is larger than 1 MB: split it."),
        "encoding": _("The file cannot be read: save it as “CSV UTF-8”."),
        "too_many_rows": _("The file has more than %(max)d jurors: split it.",
                           max=MAX_IMPORT_ROWS),
        "empty": _("The file is empty: it needs a header row, then one juror per line."),
        "no_rows": _("The file has a header row but no juror."),
        "nothing": _("Paste the CSV text or choose a file."),
        "malformed": _("Line %(line)d cannot be read: check its quotation marks.", **where),
        "missing_email_column": _("Line 1: no e-mail column (name it “email” or “courriel”)."),
        "duplicate_column": _("Line 1: the column “%(value)s” appears twice.", **where),
        "missing_email": _("Line %(line)d: the e-mail address is missing.", **where),
        "invalid_email": _("Line %(line)d: “%(value)s” is not a valid e-mail address.",
                           **where),
        "duplicate_email": _("Line %(line)d: %(value)s is already on an earlier line.",
                             **where),
        "unknown_category": _("Line %(line)d: no category is called “%(value)s”.", **where),
        "bad_capacity": _("Line %(line)d: the capacity “%(value)s” is not a whole number from "
                          "0 to 1,000.", **where),
        "bad_language": _("Line %(line)d: the language “%(value)s” is neither fr nor en.",
                          **where),
        "name_too_long": _("Line %(line)d: the name is longer than 200 characters.", **where),
        "organisation_too_long": _("Line %(line)d: the organization is longer than 200 "
                                   "characters.", **where),
        "name_required": _("Line %(line)d: %(value)s has no account yet, so give their name.",
                           **where),
    }
    return messages.get(error.code, _("Line %(line)d: check this line.", **where))


def _import_text(form: ImportJurorsForm) -> str:
    upload = form.file.data
    if upload is not None and getattr(upload, "filename", ""):
        with upload.stream:
            return read_upload(upload.stream.read(MAX_IMPORT_BYTES + 1))
    if (form.text.data or "").strip():
        return form.text.data
    raise ImportRejected([LineError(0, "nothing")])


@bp.route("/editions/<slug>/jurors/import", methods=["GET", "POST"])
def jurors_import(slug: str):
    """Invite or update many jurors from CSV text or a file; nothing is imported while any
    line has a problem, and every problem is listed by line."""
    edition = _managed_edition(slug)
    form, problems = ImportJurorsForm(), []
    if form.validate_on_submit():
        try:
            report = juror_service.import_jurors(edition, _import_text(form), actor=current_user,
                                                 default_language=Language(form.language.data))
        except ImportRejected as rejection:
            db.session.rollback()
            problems = [line_message(e) for e in rejection.errors]
        else:
            db.session.commit()
            flash(_("Import done — invited: %(invited)d, invited again: %(reinvited)d, "
                    "updated: %(updated)d, unchanged: %(unchanged)d.", invited=report.invited,
                    reinvited=report.reinvited, updated=report.updated,
                    unchanged=report.unchanged), "success")
            if report.ignored_columns:
                flash(_("Columns left aside: %(columns)s.",
                        columns=", ".join(report.ignored_columns)), "info")
            return redirect(url_for("admin.jurors", slug=slug))
    return render_template("admin/jurors_import.html", edition=edition, form=form,
                           problems=problems), 400 if request.method == "POST" else 200


# --- one juror ------------------------------------------------------------------------------


def _juror_page(edition: Edition, profile: JurorProfile, *, form=None, remove_form=None,
                status: int = 200):
    if form is None:
        form = JurorDetailsForm(formdata=None, data={
            "organisation": profile.organisation, "capacity": profile.capacity,
            "expertise": [c.id for c in profile.expertise]})
        form.offer(edition, _language())
    return render_template(
        "admin/juror.html", edition=edition, profile=profile, form=form,
        remove_form=remove_form or RemoveJurorForm(formdata=None, prefix="remove"),
        stage=juror_service.stage_of(profile),
        tally=juror_service.assignment_tally(profile)), status


@bp.route("/editions/<slug>/jurors/<int:profile_id>", methods=["GET", "POST"])
def juror(slug: str, profile_id: int):
    """One juror: their progress, their details (organisation, expertise, capacity) to edit,
    and the removal form."""
    edition = _managed_edition(slug)
    profile = _profile(edition, profile_id)
    if request.method == "GET":
        return _juror_page(edition, profile)
    form = JurorDetailsForm()
    form.offer(edition, _language())
    if form.validate_on_submit():
        try:
            juror_service.update_juror(profile, actor=current_user,
                                       organisation=form.organisation.data or "",
                                       expertise=form.chosen(edition),
                                       capacity=form.capacity.data)
        except InvalidJurorDetails as error:
            _invalid(form, error)
        else:
            db.session.commit()
            flash(_("Changes saved."), "success")
            return redirect(url_for("admin.jurors", slug=slug))
    return _juror_page(edition, profile, form=form, status=400)


@bp.post("/editions/<slug>/jurors/<int:profile_id>/resend")
def juror_resend(slug: str, profile_id: int):
    """Mail a new invitation link (the previous ones stop working); a removed juror is
    invited again. Refused once the juror has accepted."""
    edition = _managed_edition(slug)
    profile = _profile(edition, profile_id)
    try:
        juror_service.resend_invitation(profile, actor=current_user)
    except InvitationAccepted:
        db.session.rollback()
        flash(_("%(name)s has already accepted the invitation: there is nothing to resend.",
                name=profile.user.full_name), "error")
    else:
        db.session.commit()
        flash(_("A new invitation has been sent to %(email)s.", email=profile.user.email),
              "success")
    return redirect(url_for("admin.jurors", slug=slug))


@bp.post("/editions/<slug>/jurors/<int:profile_id>/remove")
def juror_remove(slug: str, profile_id: int):
    """Take the juror off the jury once the organizer ticks the confirmation: unstarted
    assignments are freed for re-assignment, started score sheets are kept."""
    edition = _managed_edition(slug)
    profile = _profile(edition, profile_id)
    form = RemoveJurorForm(prefix="remove")
    if not form.validate_on_submit():
        return _juror_page(edition, profile, remove_form=form, status=400)
    try:
        freed = juror_service.remove_juror(profile, actor=current_user, notify=form.notify.data)
    except JurorWithdrawn:
        db.session.rollback()
        flash(_("This juror is no longer on the jury."), "error")
        return redirect(url_for("admin.jurors", slug=slug))
    db.session.commit()
    flash(ngettext("%(name)s has left the jury; %(num)d unstarted assignment is freed for "
                   "re-assignment.", "%(name)s has left the jury; %(num)d unstarted "
                   "assignments are freed for re-assignment.", freed,
                   name=profile.user.full_name), "success")
    return redirect(url_for("admin.jurors", slug=slug))
