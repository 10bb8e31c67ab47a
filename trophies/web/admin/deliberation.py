"""Web layer, organizer area: the deliberation (per category the laureate, runners-up and
special mentions, and the edition-wide Coup de cœur), freezing the verdict, amendments after
it, the snapshot history and its verification, and the publication, now or scheduled.

Registered on the `admin` blueprint (its before_request requires an organizer); another
edition's organizer gets 404. Rules live in services.deliberation, figures in services.results.
"""

from __future__ import annotations

from collections import defaultdict

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.routing import BuildError

from trophies.domain.errors import DomainError, PhaseError
from trophies.domain.vocabulary import DecisionKind, Phase
from trophies.models import Category, Decision, Edition, User, db, utcnow
from trophies.services import deliberation as service
from trophies.services import results
from trophies.web.admin.deliberation_forms import DecisionSheet, FreezeForm, PublishForm
from trophies.web.admin.views import _managed_edition, bp
from trophies.web.formatting import datetime_filter, phase_label

#: Phases in which decisions can be recorded; in the last two a change is an amendment.
EDITABLE = (Phase.DELIBERATION, Phase.FROZEN, Phase.PUBLISHED)
AMENDING = (Phase.FROZEN, Phase.PUBLISHED)
#: Phases in which the page shows the ranking and the decisions.
SHOWS_RESULTS = (*EDITABLE, Phase.ARCHIVED)
#: The order decisions are listed in.
KIND_ORDER = {DecisionKind.LAUREATE: 0, DecisionKind.RUNNER_UP: 1, DecisionKind.MENTION: 2,
              DecisionKind.COUP_DE_COEUR: 3}


def problem(error: DomainError, edition: Edition) -> str:
    """The translated explanation of a refusal."""
    if isinstance(error, PhaseError):
        return _("The edition cannot change phase now: see what is missing on the edition "
                 "page.")
    texts = {
        "not_deliberating": _("This is not possible in the “%(phase)s” phase.",
                              phase=phase_label(edition.phase)),
        "no_results": _("No score sheet has been submitted yet: there is nothing to "
                        "deliberate on."),
        "no_decision": _("Record at least one decision before freezing the verdict."),
        "publish_in_past": _("Choose a moment in the future."),
        "amend_reason_required": _("Give the reason for the amendment."),
    }
    return texts.get(error.code, _("This change is not possible."))


def invalid_decision(error: service.InvalidDecision, sheet: DecisionSheet) -> None:
    """Tie the service's refusal to the form: the slot named, or the whole form."""
    what = str(error)
    if what == "dossier":
        slot = next((s for s in sheet.slots
                     if s.dossier_id == error.details.get("dossier_id")), None)
        message = (_("This application is not among those ranked in this category.")
                   if sheet.category_id is not None
                   else _("This application was not judged in the round."))
        if slot is not None:
            slot.errors["dossier"] = message
            return
        sheet.error = message
    elif what == "mention title":
        sheet.error = _("Give each mention a title in French.")
    elif what in ("one dossier, two places", "two decisions for one place"):
        sheet.error = _("An application can hold only one place: laureate or one runner-up "
                        "place.")
    elif what == "duplicate":
        sheet.error = _("The same application is chosen twice for the same kind of decision.")
    else:
        sheet.error = _("These decisions are not possible.")


def _url(endpoint: str, **values) -> str | None:
    """url_for, or None while the page it points to does not exist."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def _people(ids: set[int | None]) -> dict[int, str]:
    """Full names of the users who decided or froze, by id (one query)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = db.session.execute(select(User.id, User.full_name).where(User.id.in_(wanted)))
    return dict(rows.all())


def _page(edition: Edition, *, sheet: DecisionSheet | None = None, freeze_form=None,
          publish_form=None, status: int = 200):
    phase = Phase(edition.phase)
    round_ = results.results_round(edition) if phase in SHOWS_RESULTS else None
    report = results.round_report(round_) if round_ is not None else None
    decisions = sorted(service.decisions_of(edition) if report is not None else [],
                       key=lambda d: (KIND_ORDER[DecisionKind(d.kind)], d.position, d.id))
    grouped: dict[int | None, list[Decision]] = defaultdict(list)
    for decision in decisions:
        grouped[decision.category_id].append(decision)
    sections = {c.category.id: c for c in report.categories} if report is not None else {}
    departing = {d.id for d in decisions if d.category_id in sections and service.departs(
        service.DecisionInput(DecisionKind(d.kind), d.dossier_id, d.position),
        sections[d.category_id])}
    sheets: dict[int | None, DecisionSheet] = {}
    if report is not None:
        for section in report.categories:
            key = section.category.id
            form = sheet if sheet is not None and sheet.category_id == key else \
                DecisionSheet.from_decisions(key, grouped.get(key, []))
            for entry in form.entries():
                slot = form.slot_for(entry)
                if slot is not None and service.departs(entry, section):
                    slot.departs = True
                    if form is sheet and not entry.justification:
                        # refused for another reason: say at once what else is missing
                        form.mark_departures([entry])
            sheets[key] = form
        sheets[None] = (sheet if sheet is not None and sheet.category_id is None
                        else DecisionSheet.from_decisions(None, grouped.get(None, [])))
    history = service.snapshots(edition)
    latest = history[0] if history else None
    people = _people({d.decided_by_id for d in decisions}
                     | {latest.created_by_id if latest else None})
    return render_template(
        "admin/deliberation.html", edition=edition, phase=phase, round=round_, report=report,
        sheets=sheets, decisions=dict(grouped), departing=departing, people=people,
        lines=report.lines if report is not None else {}, latest=latest,
        snapshot_count=len(history), failed=sheet if sheet and sheet.has_errors else None,
        freeze_form=freeze_form or FreezeForm(formdata=None),
        publish_form=publish_form or PublishForm(formdata=None, zone=edition.timezone),
        editable=phase in EDITABLE and report is not None, amending=phase in AMENDING,
        results_url=_url("admin.results", slug=edition.slug, number=round_.number)
        if round_ is not None else None,
        palmares_url=_url("public.palmares", slug=edition.slug)), status


def _back(edition: Edition, anchor: str | None = None):
    return redirect(url_for("admin.deliberation", slug=edition.slug, _anchor=anchor))


@bp.get("/editions/<slug>/deliberation")
def deliberation(slug: str):
    """The ranked finalists per category, the jury's decisions and their forms, freezing,
    the latest snapshot and the publication."""
    return _page(_managed_edition(slug))


def _save(edition: Edition, category: Category | None, sheet: DecisionSheet):
    if not sheet.check(amending=Phase(edition.phase) in AMENDING):
        return _page(edition, sheet=sheet, status=400)
    try:
        snapshot = service.save_decisions(edition, category, sheet.entries(),
                                          actor=current_user, reason=sheet.reason,
                                          now=utcnow())
    except service.JustificationRequired as error:
        db.session.rollback()
        sheet.mark_departures(error.departures)
        return _page(edition, sheet=sheet, status=400)
    except service.ReasonRequired:
        db.session.rollback()
        sheet.reason_error = _("Give the reason for the amendment.")
        return _page(edition, sheet=sheet, status=400)
    except service.InvalidDecision as error:
        db.session.rollback()
        invalid_decision(error, sheet)
        return _page(edition, sheet=sheet, status=400)
    except DomainError as error:
        db.session.rollback()
        flash(problem(error, edition), "error")
        return _back(edition)
    db.session.commit()
    language = str(get_locale() or "fr")
    name = category.localized("name", language) if category else _("Coup de cœur du jury")
    anchor = f"category-{category.id}" if category else "coup-de-coeur"
    if snapshot is not None:
        flash(_("The decisions for “%(name)s” are amended: snapshot %(sequence)d was made "
                "(digest %(digest)s…).", name=name, sequence=snapshot.sequence,
                digest=snapshot.digest[:12]), "success")
    else:
        flash(_("The decisions for “%(name)s” are recorded.", name=name), "success")
    return _back(edition, anchor)


@bp.post("/editions/<slug>/deliberation/categories/<int:category_id>")
def deliberation_save(slug: str, category_id: int):
    """Replace a category's decisions with the form's (an amendment once frozen)."""
    edition = _managed_edition(slug)
    category = db.session.scalar(select(Category).where(
        Category.id == category_id, Category.edition_id == edition.id)) or abort(404)
    return _save(edition, category, DecisionSheet.from_form(category.id, request.form))


@bp.post("/editions/<slug>/deliberation/coup-de-coeur")
def deliberation_coup_de_coeur(slug: str):
    """Record (or clear) the edition-wide Coup de cœur du jury."""
    edition = _managed_edition(slug)
    return _save(edition, None, DecisionSheet.from_form(None, request.form))


@bp.post("/editions/<slug>/freeze")
def freeze(slug: str):
    """Freeze the verdict once confirmed: phase frozen and snapshot 1 with its digest."""
    edition = _managed_edition(slug)
    form = FreezeForm()
    if not form.validate():
        return _page(edition, freeze_form=form, status=400)
    try:
        snapshot = service.freeze(edition, actor=current_user, now=utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(problem(error, edition), "error")
        return _back(edition, "freeze-title")
    db.session.commit()
    flash(_("The verdict is frozen: snapshot %(sequence)d, digest %(digest)s.",
            sequence=snapshot.sequence, digest=snapshot.digest), "success")
    return _back(edition, "snapshot-title")


@bp.post("/editions/<slug>/publish")
def publish(slug: str):
    """Publish the frozen verdict now, or schedule it (a time in the edition's zone)."""
    edition = _managed_edition(slug)
    now = utcnow()
    form = PublishForm(zone=edition.timezone, now=now)
    if not form.validate():
        return _page(edition, publish_form=form, status=400)
    try:
        published = service.publish(edition, actor=current_user, now=now, at=form.when())
    except service.PublishInPast:
        db.session.rollback()
        form.at.errors = [_("Choose a moment in the future.")]
        return _page(edition, publish_form=form, status=400)
    except DomainError as error:
        db.session.rollback()
        flash(problem(error, edition), "error")
        return _back(edition, "publication-title")
    db.session.commit()
    if published:
        flash(_("The results are published: the palmarès is public and every candidate "
                "was sent an e-mail."), "success")
    else:
        flash(_("The publication is scheduled for %(date)s.",
                date=datetime_filter(edition.publish_at, edition.timezone)), "success")
    return _back(edition, "publication-title")


@bp.post("/editions/<slug>/publish/cancel")
def publish_cancel(slug: str):
    """Cancel a scheduled publication."""
    edition = _managed_edition(slug)
    try:
        service.cancel_schedule(edition, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(problem(error, edition), "error")
        return _back(edition, "publication-title")
    db.session.commit()
    flash(_("The scheduled publication is cancelled: nothing will be published until you "
            "decide."), "success")
    return _back(edition, "publication-title")


def _history(edition: Edition, *, checked: bool):
    items = service.snapshots(edition)
    verification = service.verify(edition) if checked else None
    return render_template(
        "admin/snapshots.html", edition=edition, snapshots=items, checked=checked,
        verification=verification,
        people=_people({s.created_by_id for s in items}))


@bp.get("/editions/<slug>/snapshots")
def snapshots(slug: str):
    """Every frozen snapshot, newest first, with its digest, author and reason."""
    return _history(_managed_edition(slug), checked=False)


@bp.get("/editions/<slug>/snapshots/verify")
def snapshots_verify(slug: str):
    """Recompute the latest snapshot from the raw marks and compare."""
    return _history(_managed_edition(slug), checked=True)
