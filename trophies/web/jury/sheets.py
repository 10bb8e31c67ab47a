"""Web layer: the juror's score sheet on one assigned dossier of one round - the dossier and
the form on one page, save (with or without JavaScript), recap and submit, recuse.

Every route answers 404 unless the user is an active juror of the edition with a published
assignment of that dossier in that round and no conflict with it. A stale version answers 409
with the typed marks kept; nothing is ever overwritten silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from trophies import permissions
from trophies.domain import scoring as domain
from trophies.models import (
    Assignment,
    Criterion,
    Dossier,
    Edition,
    JurorProfile,
    Round,
    ScoreSheet,
    db,
    utcnow,
)
from trophies.services import dossiers as dossier_service
from trophies.services import jury, jury_board, scoring, scoring_control
from trophies.web.jury.sheet_form import (
    RecuseForm,
    SheetForm,
    message,
    read_sheet,
    read_version,
    sheet_fields,
)
from trophies.web.jury.views import _juror_edition, _language, bp
from trophies.web.recovery import recover_form

BASE = "/<slug>/rounds/<int:number>/dossiers/<reference>"


@dataclass
class Place:
    """Everything a sheet route works on, loaded and authorized."""

    edition: Edition
    profile: JurorProfile
    round: Round
    dossier: Dossier
    assignment: Assignment
    standing: jury.Standing
    criteria: list[Criterion]
    scales: list[domain.Scale]

    def url(self, endpoint: str = "jury.sheet", **values) -> str:
        return url_for(endpoint, slug=self.edition.slug, number=self.round.number,
                       reference=self.dossier.reference, **values)


def _cleared(edition: Edition, profile: JurorProfile, reference: str, *, content: bool = True
             ) -> tuple[Dossier, jury.Standing]:
    """The dossier (with its answers and files when `content`) and the juror's standing on
    it, or 404 - or the statement page when only the statement is missing."""
    dossier = dossier_service.get_dossier(edition, reference, content=content) or abort(404)
    standing = jury.standing(current_user, dossier, profile)
    if not permissions.can_view_dossier_as_juror(current_user, dossier, **standing.as_kwargs()):
        if not permissions.has_accepted_confidentiality(profile) and (
                permissions.is_assigned_without_conflict(
                    current_user, dossier, assignments=standing.assignments,
                    conflicts=standing.conflicts)):
            abort(redirect(url_for("jury.confidentiality", slug=edition.slug)))
        abort(404)
    return dossier, standing


def _place(slug: str, number: int, reference: str, *, content: bool = True) -> Place:
    """Load and authorize, or 404: the round must give the dossier to the juror. Without
    `content`, the dossier's answers and files are not loaded (a post needs none)."""
    edition, profile = _juror_edition(slug)
    dossier, standing = _cleared(edition, profile, reference, content=content)
    # The round comes with the juror's assignment in it (no assignment: nothing to score).
    assignment = next((a for a in standing.assignments
                       if a.round.number == number and a.published_at is not None), None)
    if assignment is None:
        abort(404)
    round_ = assignment.round
    criteria = scoring.criteria_of(round_, levels=content)
    return Place(edition, profile, round_, dossier, assignment, standing, criteria,
                 scoring.scales_of(criteria))


def _render(place: Place, *, typed: MultiDict | None = None,
            problems: dict[int, domain.Problem] | None = None, status: int = 200,
            stale: ScoreSheet | None = None, is_stale: bool = False, recovered: bool = False):
    sheet = scoring.sheet_of(place.assignment)
    writable = scoring.is_writable(place.assignment, sheet)
    if not writable:  # what was typed (a kept form) never passes for the sheet's marks
        typed, recovered = None, False
    fields = sheet_fields(place.criteria, place.scales, sheet, language=_language(),
                          typed=typed, problems=problems)
    boards = {b.round.id: b for b in jury_board.board(place.profile)}
    board = boards.get(place.round.id)
    version = read_version(typed) if typed is not None else None
    if version is None or is_stale:
        version = sheet.version if sheet is not None else 0
    saved = sheet_fields(place.criteria, place.scales, stale, language=_language()) \
        if is_stale else None
    stale_diff = [(mine, theirs) for mine, theirs in zip(fields.fields, saved.fields, strict=True)
                  if (mine.value, mine.comment) != (theirs.value, theirs.comment)] if saved else []
    return render_template(
        "jury/sheet.html", edition=place.edition, round=place.round, dossier=place.dossier,
        view=jury.juror_view(place.dossier, place.standing, language=_language()),
        sheet=sheet, fields=fields, version=version, form=SheetForm(), board=board,
        next_item=board.next_after(place.dossier.id) if board else None,
        writable=writable,
        saved_total=scoring.total_of(sheet, place.scales),
        peer_totals=scoring.peer_totals(place.assignment, sheet, place.scales),
        is_stale=is_stale, stale_diff=stale_diff, recovered=recovered,
        url=place.url()), status


@bp.get("/<slug>/dossiers/<reference>")
@login_required
def dossier(slug: str, reference: str):
    """The dossier's sheet in the latest round that gives it to the juror."""
    edition, profile = _juror_edition(slug)
    _dossier, standing = _cleared(edition, profile, reference)
    rounds = sorted(a.round.number for a in standing.assignments if a.published_at is not None)
    return redirect(url_for("jury.sheet", slug=slug, number=rounds[-1], reference=reference))


@bp.get(BASE)
@login_required
def sheet(slug: str, number: int, reference: str):
    place = _place(slug, number, reference)
    kept = recover_form(request.path)
    return _render(place, typed=kept, recovered=kept is not None)


def _wants_json() -> bool:
    return request.headers.get("X-Autosave") == "1"


def _saved_at() -> str:
    return format_time(utcnow(), "short")


def _closed(place: Place):
    if _wants_json():
        return {"error": "closed"}, 409
    flash(_("This score sheet can no longer be changed."), "error")
    return redirect(place.url())


def _refused(place: Place, problems: dict[int, domain.Problem]):
    if _wants_json():
        scales = {s.criterion_id: s for s in place.scales}
        return {"error": "invalid", "problems": {
            str(cid): message(problem, scales.get(cid)) for cid, problem in problems.items()}}, 400
    return _render(place, typed=request.form, problems=problems, status=400)


@bp.post(BASE)
@login_required
def sheet_save(slug: str, number: int, reference: str):
    """Save the draft (action save, next, submit; autosave answers JSON)."""
    place = _place(slug, number, reference, content=False)
    assignment_id = place.assignment.id
    version = read_version(request.form)
    if version is None:
        abort(400)
    data, problems = read_sheet(place.scales, request.form)
    if problems:
        if not scoring.is_writable(place.assignment, scoring.sheet_of(place.assignment)):
            return _closed(place)
        return _refused(_place(slug, number, reference), problems)
    try:
        saved = scoring.save_draft(place.assignment, data, version=version, actor=current_user,
                                   scales=place.scales)
    except scoring.StaleSheet as stale:
        db.session.rollback()
        if stale.sheet is None and db.session.scalar(
                select(Assignment.id).where(Assignment.id == assignment_id)) is None:
            # recused (or removed by an organizer) in another tab meanwhile
            if _wants_json():
                return {"error": "closed"}, 409
            flash(_("This score sheet can no longer be changed."), "error")
            return redirect(url_for("jury.edition", slug=slug))
        if _wants_json():
            return {"error": "stale",
                    "version": stale.sheet.version if stale.sheet is not None else 0}, 409
        return _render(_place(slug, number, reference), typed=request.form, status=409,
                       stale=stale.sheet, is_stale=True)
    except scoring.InvalidMarks as invalid:
        db.session.rollback()
        return _refused(_place(slug, number, reference), invalid.problems)
    except (scoring.ScoringClosed, scoring.SheetSubmitted):
        db.session.rollback()
        return _closed(place)
    # Read before the commit expires them: the answer needs no further query.
    answer = {"version": saved.version, "saved_at": _saved_at()}
    db.session.commit()
    total = domain.display_score(domain.sheet_total(place.scales, data.entries))
    if _wants_json():
        return {**answer, "total": str(total) if total is not None else None}
    action = request.form.get("action")
    if action == "submit":
        missing = domain.submission_problems(
            place.scales, data.entries, general_comment=data.general_comment,
            comment_required=place.edition.is_general_comment_required)
        if missing:
            return _render(_place(slug, number, reference), problems=missing, status=400)
        return redirect(place.url("jury.sheet_recap"))
    flash(_("Saved at %(time)s.", time=answer["saved_at"]), "success")
    if action == "next":
        board = next((b for b in jury_board.board(place.profile)
                      if b.round.id == place.round.id), None)
        following = board.next_after(place.dossier.id) if board else None
        if following is not None:
            return redirect(url_for("jury.sheet", slug=slug, number=number,
                                    reference=following.dossier.reference))
        return redirect(url_for("jury.edition", slug=slug))
    return redirect(place.url() + "#evaluation")


@bp.route(BASE + "/recap", methods=["GET", "POST"])
@login_required
def sheet_recap(slug: str, number: int, reference: str):
    """Every mark, comment and the total, then "confirm": the sheet becomes read-only."""
    place = _place(slug, number, reference)
    sheet_ = scoring.sheet_of(place.assignment)
    if sheet_ is not None and sheet_.status == "submitted":
        flash(_("This score sheet is already submitted."), "info")
        return redirect(place.url())
    if not scoring.is_writable(place.assignment, sheet_):
        flash(_("This score sheet can no longer be changed."), "error")
        return redirect(place.url())
    form = SheetForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            _sheet, _new = scoring.submit_sheet(place.assignment, None,
                                                version=read_version(request.form) or -1,
                                                actor=current_user)
        except scoring.StaleSheet:
            db.session.rollback()
            flash(_("This score sheet was changed in another window or tab in the meantime. "
                    "Check it below before submitting."), "warning")
            return redirect(place.url("jury.sheet_recap"))
        except scoring.IncompleteSheet as incomplete:
            db.session.rollback()
            return _render(place, problems=incomplete.problems, status=400)
        except (scoring.ScoringClosed, scoring.SheetSubmitted):
            db.session.rollback()
            flash(_("This score sheet can no longer be changed."), "error")
            return redirect(place.url())
        db.session.commit()
        flash(_("Your evaluation is submitted. Thank you!"), "success")
        return redirect(place.url())
    entries = scoring.entries_of(sheet_)
    problems = domain.submission_problems(
        place.scales, entries, general_comment=sheet_.general_comment if sheet_ else "",
        comment_required=place.edition.is_general_comment_required)
    if sheet_ is None or problems:
        return _render(place, problems=problems, status=400)
    return render_template(
        "jury/recap.html", edition=place.edition, round=place.round, dossier=place.dossier,
        sheet=sheet_, form=form,
        fields=sheet_fields(place.criteria, place.scales, sheet_, language=_language()),
        total=scoring.total_of(sheet_, place.scales), url=place.url())


@bp.route(BASE + "/recuse", methods=["GET", "POST"])
@login_required
def recuse(slug: str, number: int, reference: str):
    """Declare a conflict of interest on an assigned dossier: the sheet is voided, the slot
    given to another juror, the organizers told."""
    place = _place(slug, number, reference)
    form = RecuseForm()
    is_open = scoring.is_scoring_open(place.round)
    if is_open and form.validate_on_submit():
        try:
            scoring_control.recuse(place.assignment, reason=form.reason.data or "",
                                   actor=current_user)
        except (scoring.ScoringClosed, scoring_control.ReasonRequired):
            db.session.rollback()
            abort(409)
        db.session.commit()
        flash(_("Your conflict of interest is recorded: this application is no longer on "
                "your list, and the organizers have been told."), "success")
        return redirect(url_for("jury.edition", slug=slug))
    return render_template("jury/recuse.html", edition=place.edition, round=place.round,
                           dossier=place.dossier, form=form, is_open=is_open,
                           url=place.url()), 400 if form.errors else 200
