"""Web layer: the organizers' pages for an edition's application questions."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from trophies.domain.errors import DomainError
from trophies.models import Question, db
from trophies.services import questions
from trophies.web.admin.setup import _fail, _owned, _saved, _status
from trophies.web.admin.setup_forms import (
    KIND_LABELS,
    QuestionForm,
)
from trophies.web.admin.views import _managed_edition, bp

MB = 1024 * 1024


def _question(edition, question_id: int) -> Question:
    return _owned(db.session.get(Question, question_id), edition.id)


def _question_values(form, existing: list | None = None) -> dict:
    mb = form.max_file_mb.data
    return {"key": form.key.data or "", "kind": form.kind.data, "label_fr": form.label_fr.data,
            "label_en": form.label_en.data or "", "help_fr": form.help_fr.data or "",
            "help_en": form.help_en.data or "", "is_required": form.is_required.data,
            "max_length": form.max_length.data, "min_value": form.min_value.data,
            "max_value": form.max_value.data, "file_types": form.file_types.data or [],
            "choices": questions.parse_choices(form.choices.data or "", existing),
            "max_file_bytes": mb * MB if mb else None}


def _questions_page(edition, form, *, error=None, status=200):
    return render_template("admin/setup_questions.html", edition=edition, form=form,
                           kinds=KIND_LABELS, locked=questions.questions_locked(edition),
                           error=error), status


@bp.route("/editions/<slug>/setup/questions", methods=["GET", "POST"])
def setup_questions(slug: str):
    """The application form's questions in order, with a form to add one."""
    edition = _managed_edition(slug)
    form = QuestionForm(prefix="new")
    if request.method == "GET":
        return _questions_page(edition, form)
    error = None
    if form.validate_on_submit():
        try:
            questions.add_question(edition, actor=current_user, **_question_values(form))
        except DomainError as failure:
            error = _fail(failure, form)
        else:
            return _saved("admin.setup_questions", slug=slug)
    return _questions_page(edition, form, error=error, status=400)


@bp.route("/editions/<slug>/setup/questions/<int:question_id>", methods=["GET", "POST"])
def setup_question(slug: str, question_id: int):
    edition = _managed_edition(slug)
    question = _question(edition, question_id)
    form, error = QuestionForm(obj=question if request.method == "GET" else None), None
    if request.method == "GET":
        form.choices.data = questions.choices_text(question.choices)
        form.max_file_mb.data = (question.max_file_bytes // MB or 1
                                 if question.max_file_bytes else None)
    elif form.validate_on_submit():
        try:
            questions.update_question(question, actor=current_user,
                                  **_question_values(form, question.choices))
        except DomainError as failure:
            error = _fail(failure, form)
        else:
            return _saved("admin.setup_questions", slug=slug)
    status = 200 if request.method == "GET" else 409 if error else 400
    return render_template("admin/setup_question.html", edition=edition, question=question,
                           form=form, error=error), status


@bp.post("/editions/<slug>/setup/questions/<int:question_id>/remove")
def setup_question_remove(slug: str, question_id: int):
    edition = _managed_edition(slug)
    question = _question(edition, question_id)
    try:
        questions.remove_question(question, actor=current_user)
    except DomainError as failure:
        return _questions_page(edition, QuestionForm(prefix="new", formdata=None),
                               error=_fail(failure), status=_status(failure))
    return _saved("admin.setup_questions", slug=slug)


@bp.post("/editions/<slug>/setup/questions/<int:question_id>/move")
def setup_question_move(slug: str, question_id: int):
    edition = _managed_edition(slug)
    question = _question(edition, question_id)
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if offset is None:
        abort(400)
    try:
        questions.move_question(question, actor=current_user, offset=offset)
    except DomainError as failure:
        return _questions_page(edition, QuestionForm(prefix="new", formdata=None),
                               error=_fail(failure), status=_status(failure))
    return _saved("admin.setup_questions", slug=slug)
