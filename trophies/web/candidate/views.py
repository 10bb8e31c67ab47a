"""Web layer: the candidate's area: open calls, starting, editing, submitting a dossier."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_time, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from trophies.domain.errors import InvalidToken
from trophies.domain.vocabulary import QuestionKind
from trophies.models import Dossier, DossierMember, Edition, db, utcnow
from trophies.services import palmares, submissions
from trophies.web.candidate.messages import field_labels, problem_messages
from trophies.web.formatting import datetime_filter
from trophies.web.recovery import recover_form

bp = Blueprint("candidate", __name__)


@bp.before_request
@login_required
def require_login():
    return None


def _own_dossier(reference: str) -> Dossier:
    """A dossier the current user may edit (its candidate or an accepted co-founder), or 404
    (never 403: others' dossiers do not exist here)."""
    dossier = db.session.scalar(
        select(Dossier).where(Dossier.reference == reference)
        .options(selectinload(Dossier.answers), selectinload(Dossier.attachments),
                 selectinload(Dossier.members),
                 selectinload(Dossier.edition).selectinload(Edition.questions)))
    if dossier is None or not dossier.can_edit(current_user.id):
        abort(404)
    return dossier


@bp.get("/")
def dossiers():
    joined = select(DossierMember.dossier_id).where(DossierMember.user_id == current_user.id,
                                                    DossierMember.accepted_at.is_not(None))
    items = db.session.scalars(
        select(Dossier).where(or_(Dossier.candidate_id == current_user.id,
                                  Dossier.id.in_(joined)))
        .options(selectinload(Dossier.edition), selectinload(Dossier.category))
        .order_by(Dossier.created_at.desc())
    ).all()
    return render_template("candidate/dossiers.html", dossiers=items,
                           open_editions=submissions.open_editions_for(utcnow()))


@bp.route("/apply/<slug>", methods=["GET", "POST"])
def apply(slug: str):
    edition = db.session.scalar(select(Edition).where(Edition.slug == slug))
    if edition is None or not submissions.call_is_open(edition, utcnow()):
        abort(404)
    values, problems = request.form, {}
    if request.method == "POST":
        try:
            dossier = submissions.start_dossier(
                edition, current_user, category_id=request.form.get("category_id", type=int) or 0,
                company_name=request.form.get("company_name", ""),
                project_title=request.form.get("project_title", ""), now=utcnow())
        except submissions.InvalidAnswers as error:
            db.session.rollback()
            problems = error.details["problems"]
        else:
            db.session.commit()
            flash(_("Your draft is created. Complete it, then submit it before the deadline."),
                  "success")
            return redirect(url_for("candidate.dossier", reference=dossier.reference))
    return render_template("candidate/apply.html", edition=edition, values=values,
                           labels=field_labels(edition, _lang()),
                           messages=problem_messages(problems)), 400 if problems else 200


def _lang() -> str:
    return str(get_locale() or "fr")


def _page_context(dossier: Dossier) -> dict:
    return {"dossier": dossier, "edition": dossier.edition, "identity": submissions.IDENTITY,
            "labels": field_labels(dossier.edition, _lang()),
            "answers": submissions.answers_of(dossier), "files": submissions.files_of(dossier)}


def _posted_answers(dossier: Dossier) -> tuple[dict, dict, dict]:
    identity = {f.key: request.form.get(f.key, "") for f in submissions.IDENTITY}
    answers: dict[str, str | list[str]] = {}
    uploads: dict[str, tuple[str, bytes]] = {}
    for question in dossier.edition.questions:
        if question.kind == QuestionKind.FILE:
            upload = request.files.get(question.key)
            if upload is not None and upload.filename:
                with upload.stream:
                    uploads[question.key] = (upload.filename, upload.stream.read())
        elif question.kind == QuestionKind.MULTIPLE_CHOICE:
            answers[question.key] = request.form.getlist(question.key)
        else:
            answers[question.key] = request.form.get(question.key, "")
    return identity, answers, uploads


def _render_form(dossier: Dossier, *, values=None, problems=None, status=200, conflict=False):
    if values is None:
        values = {f.key: getattr(dossier, f.key) or "" for f in submissions.IDENTITY}
        values.update(submissions.answers_of(dossier))
    return render_template(
        "candidate/dossier_form.html", values=values, messages=problem_messages(problems or {}),
        conflict=conflict, **_page_context(dossier)), status


@bp.get("/dossiers/<reference>")
def dossier(reference: str):
    item = _own_dossier(reference)
    if not submissions.is_editable(item, utcnow()):
        published = palmares.is_published(item.edition)
        return render_template("candidate/dossier_view.html", **_page_context(item),
                               published=published,
                               has_feedback=published and palmares.has_feedback(item))
    kept = recover_form(request.path)
    if kept is not None:
        flash(_("Your session had expired: what you typed is back in the form. Save it now."),
              "warning")
        values = {key: kept.getlist(key) if len(kept.getlist(key)) > 1 else kept.get(key)
                  for key in kept}
        return _render_form(item, values=values)
    return _render_form(item)


@bp.post("/dossiers/<reference>")
def save(reference: str):
    """Save draft (or changes to a submitted dossier); JSON for the page's autosave."""
    item = _own_dossier(reference)
    identity, answers, uploads = _posted_answers(item)
    kept = {**identity, **answers}
    autosave = request.headers.get("X-Autosave") == "1"
    if request.form.get("version", type=int) != item.version:
        return ({"error": "conflict"}, 409) if autosave else _render_form(
            item, values=kept, status=409, conflict=True)
    try:
        submissions.save_dossier(item, actor=current_user, identity=identity, answers=answers,
                                 uploads=uploads, now=utcnow())
        db.session.commit()
    except submissions.SubmissionClosed:
        db.session.rollback()
        if autosave:
            return {"error": "closed"}, 409
        flash(_closed_message(item), "error")
        return redirect(url_for("candidate.dossier", reference=reference))
    except submissions.InvalidAnswers as error:
        db.session.rollback()
        if autosave:
            return {"error": "invalid", "problems": error.details["problems"]}, 400
        return _render_form(_own_dossier(reference), values=kept,
                            problems=error.details["problems"], status=400)
    except StaleDataError:
        db.session.rollback()
        return ({"error": "conflict"}, 409) if autosave else _render_form(
            _own_dossier(reference), values=kept, status=409, conflict=True)
    if autosave:
        return {"saved_at": _time_now(), "version": item.version}
    if request.form.get("action") == "review":
        return redirect(url_for("candidate.review", reference=reference))
    flash(_("Saved at %(time)s.", time=_time_now()), "success")
    return redirect(url_for("candidate.dossier", reference=reference))


def _time_now() -> str:
    return format_time(utcnow(), "short")


@bp.get("/dossiers/<reference>/review")
def review(reference: str):
    item = _own_dossier(reference)
    problems = submissions.problems_of(item, to_submit=True)
    return render_template("candidate/review.html", messages=problem_messages(problems),
                           editable=submissions.is_editable(item, utcnow()),
                           **_page_context(item))


@bp.post("/dossiers/<reference>/submit")
def submit(reference: str):
    item = _own_dossier(reference)
    try:
        submissions.submit_dossier(item, actor=current_user, now=utcnow())
    except submissions.IncompleteDossier:
        db.session.rollback()
        flash(_("Your application is not complete yet: see what is missing below."), "error")
        return redirect(url_for("candidate.review", reference=reference))
    except submissions.SubmissionClosed:
        db.session.rollback()
        flash(_closed_message(item), "error")
        return redirect(url_for("candidate.dossier", reference=reference))
    db.session.commit()
    return render_template("candidate/submitted.html", dossier=item)


@bp.post("/dossiers/<reference>/withdraw")
def withdraw(reference: str):
    item = _own_dossier(reference)
    if item.candidate_id != current_user.id:
        abort(403)  # co-founders edit; withdrawing is the creator's decision
    try:
        submissions.withdraw_dossier(item, actor=current_user, now=utcnow())
    except submissions.SubmissionClosed:
        db.session.rollback()
        abort(409)
    db.session.commit()
    flash(_("Your application has been withdrawn."), "success")
    return redirect(url_for("candidate.dossiers"))


@bp.post("/dossiers/<reference>/team")
def invite_member(reference: str):
    """The candidate invites a co-founder by e-mail."""
    item = _own_dossier(reference)
    email = request.form.get("email", "").strip()
    try:
        validate_email(email, check_deliverability=False)  # as every e-mail field of the forms
    except EmailNotValidError:
        flash(_("Enter a valid e-mail address, like name@example.org."), "error")
        return redirect(url_for("candidate.dossier", reference=reference, _anchor="team"))
    try:
        submissions.invite_member(item, email=email, actor=current_user, now=utcnow())
    except submissions.TeamError as error:
        db.session.rollback()
        flash(_team_message(error.details.get("reason", "")), "error")
    except submissions.SubmissionClosed:
        db.session.rollback()
        flash(_closed_message(item), "error")
    else:
        db.session.commit()
        flash(_("Invitation sent to %(email)s.", email=email), "success")
    return redirect(url_for("candidate.dossier", reference=reference, _anchor="team"))


@bp.post("/dossiers/<reference>/team/<int:member_id>/remove")
def remove_member(reference: str, member_id: int):
    item = _own_dossier(reference)
    try:
        submissions.remove_member(item, member_id, actor=current_user)
    except submissions.TeamError as error:
        db.session.rollback()
        flash(_team_message(error.details.get("reason", "")), "error")
    else:
        db.session.commit()
        flash(_("The team has been updated."), "success")
    return redirect(url_for("candidate.dossier", reference=reference, _anchor="team"))


@bp.route("/team/<token>", methods=["GET", "POST"])
def join_team(token: str):
    """A co-founder opens the invitation (logged in with the invited address) and accepts."""
    try:
        member = submissions.pending_membership(token, now=utcnow())
    except InvalidToken:
        return render_template("auth/invalid_link.html"), 400
    if current_user.email != member.email:
        return render_template("candidate/join_team.html", member=member, wrong_account=True)
    if request.method == "POST":
        submissions.join_team(token, user=current_user, now=utcnow())
        db.session.commit()
        flash(_("You have joined the application team."), "success")
        return redirect(url_for("candidate.dossier", reference=member.dossier.reference))
    return render_template("candidate/join_team.html", member=member, wrong_account=False)


def _team_message(reason: str) -> str:
    return {
        "already_member": _("This person is already in the team."),
        "team_full": _("The team is full."),
        "not_owner": _("Only the person who created the application manages its team."),
    }.get(reason, _("The team could not be changed."))


def _closed_message(dossier: Dossier) -> str:
    """Why nothing changed, with the deadline in the edition's time zone."""
    closes = dossier.edition.call_closes_at
    message = _("The call for applications is closed: this application can no longer be changed.")
    if closes is not None:
        message += " " + _("Deadline: %(date)s",
                           date=datetime_filter(closes, dossier.edition.timezone, "long"))
    return message


from trophies.web.candidate import documents as _documents  # noqa: E402,F401
from trophies.web.candidate import feedback as _feedback  # noqa: E402,F401  (its routes)
