"""Web layer: the juror's area - their editions, the confidentiality statement, conflict
declarations, preferences, the assigned dossiers read-only.

Anyone who is not an active juror of the edition gets 404, and so does a juror on a dossier
they must not read (unassigned, unpublished, in conflict): they must not learn it exists.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from trophies import permissions
from trophies.domain.vocabulary import PreferenceLevel
from trophies.models import Edition, JurorProfile, db
from trophies.services import conflicts as conflict_service
from trophies.services import jury, jury_board
from trophies.web.jury import forms

bp = Blueprint("jury", __name__)


@bp.get("/")
@login_required
def assignments():
    return render_template("jury/assignments.html", lines=jury.overview(current_user))


def _juror_edition(slug: str) -> tuple[Edition, JurorProfile]:
    """The edition and the current user's profile there, or 404 unless an active juror."""
    edition, profile = jury.edition_and_profile(current_user, slug)
    if edition is None or not permissions.is_active_juror(current_user, edition,
                                                          juror_profile=profile):
        abort(404)
    return edition, profile


def _language() -> str:
    return str(get_locale() or "fr")


@bp.get("/<slug>/")
@login_required
def edition(slug: str):
    """The juror's home for an edition: the checklist, then the published assignments."""
    item, profile = _juror_edition(slug)
    return render_template("jury/edition.html", edition=item, home=jury.home(profile),
                           query=request.args.get("q", "").strip()[:100])


@bp.app_template_test("jury_match")
def jury_match(item: jury_board.BoardItem, query: str, is_blind: bool) -> bool:
    """The dashboard's search box (no query: everything)."""
    return not query or jury_board.matches(item, query, is_blind=is_blind)


@bp.route("/<slug>/confidentiality", methods=["GET", "POST"])
@login_required
def confidentiality(slug: str):
    """The confidentiality statement; accepting it (a required checkbox) is audited."""
    item, profile = _juror_edition(slug)
    form = forms.ConfidentialityForm()
    if profile.confidentiality_accepted_at is None and form.validate_on_submit():
        jury.accept_confidentiality(profile, actor=current_user)
        db.session.commit()
        flash(_("Thank you: the statement is accepted."), "success")
        return redirect(url_for("jury.edition", slug=slug))
    statement = getattr(item, f"confidentiality_{_language()}", "") or item.confidentiality_fr
    return render_template("jury/confidentiality.html", edition=item, profile=profile,
                           form=form, statement=statement.strip()), 400 if form.errors else 200


DECLARATION_ERRORS = {
    jury.EmptyDeclaration: _l("Tick the applications you have a conflict of interest with, "
                              "or choose “I have no conflict of interest”."),
    jury.ContradictoryDeclaration: _l("You ticked applications and chose “I have no conflict "
                                      "of interest”: untick them, or declare the ticked "
                                      "conflicts."),
    conflict_service.ConflictsClosed: _l("The results are frozen: conflicts of interest can no "
                                         "longer change. Contact the organizers."),
}


@bp.route("/<slug>/conflicts", methods=["GET", "POST"])
@login_required
def conflicts(slug: str):
    """The list of the dossiers in judging (reference, company, project; titles only in a blind
    edition): tick the conflicts, or say there is none. Binding: confirmed at once."""
    item, profile = _juror_edition(slug)
    if not permissions.has_accepted_confidentiality(profile):
        return redirect(url_for("jury.confidentiality", slug=slug))
    rows = jury.declaration_rows(profile)
    form, error, ticked = forms.DeclarationForm(), None, []
    if form.validate_on_submit():
        ticked = forms.chosen_ids(request.form, [r.dossier.id for r in rows if not r.conflict])
        try:
            added = jury.declare_conflicts(profile, ticked, reason=form.reason.data or "",
                                           no_conflict=request.form.get("answer") == "none",
                                           actor=current_user)
        except tuple(DECLARATION_ERRORS) as failure:
            db.session.rollback()
            error = str(DECLARATION_ERRORS[type(failure)])
        else:
            db.session.commit()
            flash(_("Your declaration is recorded.") if added else
                  _("Your declaration is recorded: no conflict of interest."), "success")
            return redirect(url_for("jury.edition", slug=slug))
    status = 400 if error or form.errors else 200
    return render_template("jury/conflicts.html", edition=item, rows=rows, form=form,
                           error=error, ticked=set(ticked)), status


@bp.route("/<slug>/preferences", methods=["GET", "POST"])
@login_required
def preferences(slug: str):
    """Want / can / prefer not per dossier, when the edition collects preferences."""
    item, profile = _juror_edition(slug)
    if not item.has_preferences:
        abort(404)
    if not permissions.has_accepted_confidentiality(profile):
        return redirect(url_for("jury.confidentiality", slug=slug))
    rows = jury.preference_rows(profile)
    form = forms.PreferencesForm()
    if form.validate_on_submit():
        levels = forms.preference_levels(request.form, [r.dossier.id for r in rows])
        jury.save_preferences(profile, levels, actor=current_user)
        db.session.commit()
        flash(_("Your preferences are saved."), "success")
        return redirect(url_for("jury.edition", slug=slug))
    return render_template("jury/preferences.html", edition=item, rows=rows, form=form,
                           levels=list(PreferenceLevel))


from trophies.web.jury import documents as _documents  # noqa: E402,F401
from trophies.web.jury import sheets as _sheets  # noqa: E402,F401
