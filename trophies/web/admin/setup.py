"""Web layer: organizers set up an edition (settings, categories, rounds and criteria,
questions). Views on the `admin` blueprint; rules live in services.setup."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trophies.domain.errors import DomainError
from trophies.models import Category, Criterion, Round, db
from trophies.services import questions, setup
from trophies.web.admin.setup_forms import (
    CategoryForm,
    CriterionForm,
    EditionForm,
    NewRoundForm,
    RoundForm,
    level_key,
    levels_from,
    scale_values,
    to_local,
    to_utc,
)
from trophies.web.admin.views import _edition_round, _managed_edition, bp


def _refused_labels() -> dict[str, str]:
    return {"weight": _("a criterion's weight"), "scale_min": _("a criterion's scale"),
            "scale_max": _("a criterion's scale"), "scale_step": _("a criterion's scale"),
            "allows_na": _("whether “not applicable” is allowed"),
            "criteria": _("the list of criteria"),
            "jurors_per_dossier": _("the number of jurors per application")}


def _field_messages() -> dict[str, str]:
    return {
        "call_closes_at": _("The call must close after it opens."),
        "ends_at": _("The round must end after it starts."),
        "scale_max": _("The highest mark must be above the lowest."),
        "scale_step": _("The step must divide the range from the lowest to the highest mark."),
        "name_fr": _("Another item already has this French name."),
        "max_value": _("The largest number must not be below the smallest."),
        "choices": _("Give at least two choices, each with a French label."),
        "file_types": _("Choose at least one file type."),
        "max_file_mb": _("Give the largest file size."),
        "key": _("Use lowercase letters, digits, hyphens and underscores (at most 40)."),
        "timezone": _("Choose a known time zone."),
    }


def problem(error: DomainError) -> str:
    """The translated explanation of a refusal."""
    if isinstance(error, setup.JudgingStarted):
        labels = _refused_labels()
        what = ", ".join(dict.fromkeys(labels.get(r, r) for r in error.details["refused"]))
        return _("Judging has started, so %(what)s cannot change: marks already given would "
                 "no longer count the same way. Names, descriptions and level texts can still "
                 "be corrected. To change it, go back to the “Eligibility screening” phase on "
                 "the edition page (the reason is recorded in the audit log).", what=what)
    if isinstance(error, questions.CallClosed):
        return _("The call has closed and applications exist: questions can no longer be "
                 "changed, moved or removed.")
    if isinstance(error, setup.CategoryInUse):
        return _("Applications use this category, so it cannot be removed.")
    if isinstance(error, questions.KeyTaken):
        return _("Another question already uses this key.")
    field = {"max_file_bytes": "max_file_mb"}.get(str(error.details.get("field")),
                                                 str(error.details.get("field")))
    return _field_messages().get(field, _("Check this value."))


def _fail(error: DomainError, form=None) -> str | None:
    """Roll back; attach the message to the form field it names, else return it."""
    db.session.rollback()
    message = problem(error)
    name = {"max_file_bytes": "max_file_mb"}.get(str(error.details.get("field")),
                                                str(error.details.get("field")))
    if form is not None and name in form._fields:
        form._fields[name].errors = [*form._fields[name].errors, message]
        return None
    return message


def _status(error: DomainError) -> int:
    return 409 if isinstance(error, setup.JudgingStarted | questions.CallClosed
                             | setup.CategoryInUse) else 400


def _saved(endpoint: str, **values):
    db.session.commit()
    flash(_("Changes saved."), "success")
    return redirect(url_for(endpoint, **values))


def _owned(item, edition_id: int):
    if item is None or item.edition_id != edition_id:
        abort(404)
    return item


# --- edition -------------------------------------------------------------------------------


@bp.route("/editions/<slug>/setup", methods=["GET", "POST"])
def setup_edition(slug: str):
    """The edition's texts, dates (typed in its time zone) and settings, in one form."""
    edition = _managed_edition(slug)
    form = EditionForm(obj=None if request.method == "POST" else edition)
    form.ensure_zone(edition.timezone)
    if request.method == "GET":
        for name in form.DATES:
            form[name].data = to_local(getattr(edition, name), edition.timezone)
        return render_template("admin/setup_edition.html", edition=edition, form=form)
    error = None
    if form.validate_on_submit():
        try:
            setup.update_edition(edition, actor=current_user, **form.values())
        except DomainError as failure:
            error = _fail(failure, form)
        else:
            return _saved("admin.setup_edition", slug=slug)
    return render_template("admin/setup_edition.html", edition=edition, form=form,
                           error=error), 400


# --- categories ----------------------------------------------------------------------------


def _categories_page(edition, new_form, *, edited=None, error=None, status=200):
    forms = {c.id: CategoryForm(prefix=f"c{c.id}", obj=c, formdata=None)
             for c in edition.categories}
    if edited is not None:
        forms[edited[0]] = edited[1]
    return render_template("admin/setup_categories.html", edition=edition, form=new_form,
                           forms=forms, error=error), status


@bp.route("/editions/<slug>/setup/categories", methods=["GET", "POST"])
def setup_categories(slug: str):
    """The categories, each editable in place, and a form to add one."""
    edition = _managed_edition(slug)
    form = CategoryForm(prefix="new")
    if request.method == "GET":
        return _categories_page(edition, form)
    error = None
    if form.validate_on_submit():
        try:
            setup.add_category(edition, actor=current_user, **_data(form))
        except DomainError as failure:
            error = _fail(failure, form)
        else:
            return _saved("admin.setup_categories", slug=slug)
    return _categories_page(edition, form, error=error, status=400)


def _data(form) -> dict:
    return {name: f.data or "" for name, f in form._fields.items() if name != "csrf_token"}


@bp.post("/editions/<slug>/setup/categories/<int:category_id>")
def setup_category_update(slug: str, category_id: int):
    edition = _managed_edition(slug)
    category = _owned(db.session.get(Category, category_id), edition.id)
    form = CategoryForm(prefix=f"c{category.id}")
    error = None
    if form.validate_on_submit():
        try:
            setup.update_category(category, actor=current_user, **_data(form))
        except DomainError as failure:
            error = _fail(failure, form)
        else:
            return _saved("admin.setup_categories", slug=slug)
    return _categories_page(edition, CategoryForm(prefix="new", formdata=None),
                            edited=(category_id, form), error=error, status=400)


@bp.post("/editions/<slug>/setup/categories/<int:category_id>/remove")
def setup_category_remove(slug: str, category_id: int):
    edition = _managed_edition(slug)
    category = _owned(db.session.get(Category, category_id), edition.id)
    try:
        setup.remove_category(category, actor=current_user)
    except DomainError as failure:
        return _categories_page(edition, CategoryForm(prefix="new", formdata=None),
                                error=_fail(failure), status=_status(failure))
    return _saved("admin.setup_categories", slug=slug)


# --- rounds and criteria (setup_criteria.py would be the next split) -----------------------


def _criterion(round_: Round, criterion_id: int) -> Criterion:
    criterion = db.session.get(Criterion, criterion_id)
    if criterion is None or criterion.round_id != round_.id:
        abort(404)
    return criterion


def _round_form(edition, round_) -> RoundForm:
    """The round's saved values, dates shown in the edition's time zone."""
    form = RoundForm(obj=round_, formdata=None)
    form.starts_at.data = to_local(round_.starts_at, edition.timezone)
    form.ends_at.data = to_local(round_.ends_at, edition.timezone)
    return form


def _round_page(edition, round_, form, criterion_form, *, error=None, status=200):
    return render_template(
        "admin/setup_round.html", edition=edition, round=round_, form=form,
        criterion_form=criterion_form, new_levels=scale_values(0, 5, 1), level_key=level_key,
        judging=setup.judging_started(edition), error=error), status


@bp.route("/editions/<slug>/setup/rounds/<int:number>", methods=["GET", "POST"])
def setup_round(slug: str, number: int):
    """A round's names, dates and jurors per application, with its criteria."""
    edition = _managed_edition(slug)
    round_ = _edition_round(edition, number)
    new_criterion = CriterionForm(prefix="new", formdata=None)
    if request.method == "GET":
        return _round_page(edition, round_, _round_form(edition, round_), new_criterion)
    form, error = RoundForm(), None
    if form.validate_on_submit():
        values = _data(form) | {"jurors_per_dossier": form.jurors_per_dossier.data,
                                "starts_at": to_utc(form.starts_at.data, edition.timezone),
                                "ends_at": to_utc(form.ends_at.data, edition.timezone)}
        try:
            setup.update_round(round_, actor=current_user, **values)
        except DomainError as failure:
            error = _fail(failure, form)
        else:
            return _saved("admin.setup_round", slug=slug, number=number)
    return _round_page(edition, round_, form, new_criterion, error=error,
                       status=409 if error else 400)


@bp.route("/editions/<slug>/setup/rounds/new", methods=["GET", "POST"])
def setup_round_add(slug: str):
    edition = _managed_edition(slug)
    form = NewRoundForm(formdata=None if request.method == "GET" else request.form,
                        data={"jurors_per_dossier": 3})
    if request.method == "GET":
        return render_template("admin/setup_round_new.html", edition=edition, form=form)
    error = None
    if form.validate_on_submit():
        try:
            round_ = setup.add_round(edition, actor=current_user, name_fr=form.name_fr.data,
                                     name_en=form.name_en.data or "",
                                     jurors_per_dossier=form.jurors_per_dossier.data)
        except DomainError as failure:
            error = _fail(failure, form)
        else:
            return _saved("admin.setup_round", slug=slug, number=round_.number)
    return render_template("admin/setup_round_new.html", edition=edition, form=form,
                           error=error), 400


def _criterion_values(form, prefix: str) -> dict:
    values = _data(form) | {n: form[n].data for n in ("weight", "scale_min", "scale_max",
                                                      "scale_step", "allows_na")}
    scale = scale_values(form.scale_min.data, form.scale_max.data, form.scale_step.data)
    values["levels"] = levels_from(request.form, scale, prefix)
    return values


@bp.post("/editions/<slug>/setup/rounds/<int:number>/criteria")
def setup_criterion_add(slug: str, number: int):
    edition = _managed_edition(slug)
    round_ = _edition_round(edition, number)
    form, error = CriterionForm(prefix="new"), None
    if form.validate_on_submit():
        values = _criterion_values(form, "new-")
        try:
            setup.add_criterion(round_, actor=current_user, **values)
        except DomainError as failure:
            error = _fail(failure, form)
        else:
            return _saved("admin.setup_round", slug=slug, number=number)
    return _round_page(edition, round_, _round_form(edition, round_), form,
                       error=error, status=409 if error else 400)


@bp.route("/editions/<slug>/setup/rounds/<int:number>/criteria/<int:criterion_id>",
          methods=["GET", "POST"])
def setup_criterion(slug: str, number: int, criterion_id: int):
    """One criterion with a text per mark of its scale (level descriptors)."""
    edition = _managed_edition(slug)
    round_ = _edition_round(edition, number)
    criterion = _criterion(round_, criterion_id)
    form, error = CriterionForm(obj=criterion if request.method == "GET" else None), None
    levels = {lv.value: lv for lv in criterion.levels}
    if request.method == "POST" and form.validate_on_submit():
        try:
            setup.update_criterion(criterion, actor=current_user,
                                   **_criterion_values(form, ""))
        except DomainError as failure:
            error = _fail(failure, form)
        else:
            return _saved("admin.setup_round", slug=slug, number=number)
        levels = {lv.value: lv for lv in criterion.levels}
    status = 200 if request.method == "GET" else 409 if error else 400
    return render_template(
        "admin/setup_criterion.html", edition=edition, round=round_, criterion=criterion,
        form=form, levels=levels, level_key=level_key, posted=request.form, error=error,
        values=scale_values(criterion.scale_min, criterion.scale_max, criterion.scale_step),
        judging=setup.judging_started(edition)), status


@bp.post("/editions/<slug>/setup/rounds/<int:number>/criteria/<int:criterion_id>/remove")
def setup_criterion_remove(slug: str, number: int, criterion_id: int):
    edition = _managed_edition(slug)
    round_ = _edition_round(edition, number)
    criterion = _criterion(round_, criterion_id)
    try:
        setup.remove_criterion(criterion, actor=current_user)
    except DomainError as failure:
        return _round_page(edition, round_, _round_form(edition, round_),
                           CriterionForm(prefix="new", formdata=None),
                           error=_fail(failure), status=_status(failure))
    return _saved("admin.setup_round", slug=slug, number=number)



# --- questions -----------------------------------------------------------------------------


from trophies.web.admin import setup_questions as _questions  # noqa: E402,F401
