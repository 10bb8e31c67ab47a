"""Web layer, organizer area: a round's results (ranking tables per category, charts, juror
statistics), one dossier's sheets with the jurors' names, and the shortlist into the next round.

Registered on the `admin` blueprint (its before_request requires an organizer); another
edition's organizer gets 404. The computation lives in services.results (reads) and
services.deliberation (the shortlist, audited); this module only parses, sorts what is shown
and formats numbers for the reader's locale.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, format_percent, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import BooleanField, IntegerField, RadioField, SelectChoice
from wtforms.validators import DataRequired, NumberRange, Optional

from trophies.domain.errors import DomainError
from trophies.domain.ranking import TieBreak, TieRule
from trophies.domain.vocabulary import DecisionKind, DossierStatus, Phase
from trophies.models import Criterion, Round, db
from trophies.services import deliberation
from trophies.services import dossiers as dossier_service
from trophies.services import results as service
from trophies.web import charts
from trophies.web.admin.views import _managed_round, bp
from trophies.web.formatting import decimal_separator, phase_label

BASE = "/editions/<slug>/rounds/<int:number>"
#: Largest cut line / shortlist size accepted in the query string and the form.
MAX_CUT = 999
#: Sort keys of the ranking tables besides "criterion-<id>"; value: sorted descending first.
SORTS: dict[str, bool] = {"rank": False, "score": True, "corrected": True, "sd": True,
                          "spread": True, "sheets": True, "reference": False}
#: The phases in which the shortlist may change (the service has the last word).
SHORTLIST_PHASES = (Phase.JUDGING, Phase.DELIBERATION)
#: A criterion name longer than this is abbreviated in the table headers.
LONG_NAME = 14


class ShortlistForm(FlaskForm):
    mode = RadioField(_l("Who goes through"), choices=[
        SelectChoice("top", _l("The first N applications of each category, by official rank "
                               "(ties at the cut go through)")),
        SelectChoice("manual", _l("The applications ticked in the tables above"))],
        default="top",
        validators=[DataRequired(_l("Choose how to shortlist."))])
    n = IntegerField(_l("N: applications per category"), default=3,
                     validators=[Optional(), NumberRange(1, MAX_CUT)])
    notify = BooleanField(_l("E-mail the shortlisted candidates (in their language)"))
    confirm = BooleanField(
        _l("I confirm: the applications of this round that are not chosen leave the shortlist"),
        validators=[DataRequired(_l("Tick the box to confirm."))])


# --- parsing and sorting --------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """The page's query string, whitelisted; what is unknown falls back to the default."""

    category_id: int | None
    sort: str
    descending: bool
    cut: int
    cut_given: bool

    def args(self) -> dict[str, Any]:
        """The non-default arguments, for links that keep them."""
        values = {"category": self.category_id,
                  "sort": None if self.sort == "rank" else self.sort,
                  "dir": ("desc" if self.descending else "asc")
                  if self.descending != SORTS.get(self.sort, True) else None,
                  "cut": self.cut if self.cut_given else None}
        return {key: value for key, value in values.items() if value is not None}


def parse_filters(args, category_ids: set[int]) -> tuple[int | None, int, bool]:
    """The category shown (None: all), the cut line and whether the cut was asked for."""
    category = args.get("category", type=int)
    cut = args.get("cut", type=int)
    given = cut is not None and 1 <= cut <= MAX_CUT
    return (category if category in category_ids else None,
            cut if given and cut is not None else 1, given)


def parse_query(args, category_ids: set[int], criterion_ids: set[int]) -> Query:
    category, cut, given = parse_filters(args, category_ids)
    sort = args.get("sort", "rank")
    if sort not in SORTS and not (sort.startswith("criterion-") and sort[10:].isdigit()
                                  and int(sort[10:]) in criterion_ids):
        sort = "rank"
    direction = args.get("dir", "")
    descending = direction == "desc" if direction in ("asc", "desc") else default_descending(sort)
    return Query(category, sort, descending, cut, given)


def default_descending(sort: str) -> bool:
    """Scores and spreads read best or largest first; ranks and references from the top."""
    return SORTS.get(sort, True)


def _sort_value(sort: str) -> Callable[[service.Line], Any]:
    if sort.startswith("criterion-"):
        criterion_id = int(sort[10:])
        return lambda line: line.result.criteria.get(criterion_id)
    if sort == "reference":
        return lambda line: line.dossier.reference
    return lambda line: getattr(line.result, sort)


def sort_lines(lines: Sequence[service.Line], sort: str,
               descending: bool) -> list[service.Line]:
    """`lines` (in official rank order) sorted by `sort`; equal values keep the official order
    and lines without a value come last either way."""
    value = _sort_value(sort)
    present = [line for line in lines if value(line) is not None]
    missing = [line for line in lines if value(line) is None]
    present.sort(key=value, reverse=descending)  # stable: equal values keep the rank order
    return present + missing


# --- numbers and words for the templates ------------------------------------------------------


def decimal(value: float | Fraction | None, places: int = 1, *, signed: bool = False) -> str:
    """A number with `places` decimals in the reader's locale; "—" for none."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * places if places else "")
    if signed:
        pattern = f"+{pattern};-{pattern}"
    return format_decimal(float(value), format=pattern)


def percent(value: float | None) -> str:
    """A probability as a whole percentage ("62 %"), "< 1 %" when small but not zero."""
    if value is None:
        return "—"
    if 0 < value < 0.005:
        return _("< %(percent)s", percent=format_percent(0.01))
    return format_percent(value)


def interval(value: tuple[int, int] | None) -> str:
    if value is None:
        return "—"
    low, high = value
    return str(low) if low == high else f"{low}–{high}"


def short_name(name: str) -> str | None:
    """A long criterion name cut after whole words ("Impact sur…"); None if short enough."""
    if len(name) <= LONG_NAME:
        return None
    words, kept = name.split(), []
    for word in words:
        kept.append(word)
        if len(" ".join(kept)) >= 8:
            break
    shown = " ".join(kept)[:LONG_NAME].rstrip(" ,;:-–")
    return shown + "…"


def rule_text(rule: TieBreak, names: dict[int, str]) -> str:
    if rule.rule is TieRule.CRITERION:
        return _("the higher average on “%(criterion)s”",
                 criterion=names.get(rule.criterion_id or 0, "?"))
    if rule.rule is TieRule.MEDIAN:
        return _("the higher median of the sheet totals")
    return _("the higher mean of the sheet totals")


def decision_label(kind: str, position: int) -> str:
    labels = {DecisionKind.LAUREATE: _("Laureate"), DecisionKind.RUNNER_UP: _("Runner-up"),
              DecisionKind.MENTION: _("Special mention"),
              DecisionKind.COUP_DE_COEUR: _("Coup de cœur")}
    label = labels.get(DecisionKind(kind), str(kind))
    if kind == DecisionKind.RUNNER_UP and position > 1:
        return _("%(label)s no. %(position)d", label=label, position=position)
    return label


def reliability_text(icc_mean: float | None, k: float | None) -> str:
    """What the reliability of the mean of k sheets implies, in one sentence."""
    if icc_mean is None or k is None:
        return _("There are too few sheets to measure how much the jurors agree.")
    shown = format_decimal(k, format="#,##0.#")
    if icc_mean < 0.5:
        return _("With k = %(k)s the ranking of close applications is uncertain: the jurors "
                 "agree little, and more sheets per finalist (another round) would help more "
                 "than any correction.", k=shown)
    if icc_mean < 0.7:
        return _("With k = %(k)s the ranking of close applications is uncertain: treat "
                 "differences of a few points with caution.", k=shown)
    return _("With k = %(k)s the jurors agree well overall, yet applications a few points "
             "apart may still swap: see the probabilities per category.", k=shown)


def criterion_names(criteria: Sequence[Criterion]) -> dict[int, str]:
    language = str(get_locale() or "fr")
    return {c.id: c.localized("name", language) for c in criteria}


# --- the results page -----------------------------------------------------------------------


def _cut_score(report: service.CategoryReport, cut: int) -> float | None:
    scored = [line for line in report.lines if line.result.score is not None]
    return float(scored[cut - 1].result.score) if len(scored) >= cut else None


def distribution_chart(category: service.CategoryReport, query: Query, name: str) -> Markup:
    points = [charts.Point(line.dossier.reference, float(line.result.score),
                           highlight=line.close_call)
              for line in category.lines if line.result.score is not None]
    cut = _cut_score(category, query.cut) if query.cut_given else None
    return charts.distribution(
        points, title=_("Scores in “%(category)s”", category=name),
        description=_("One dot per application on a scale of 0 to 100, a diamond when it is "
                      "too close to call. The same figures are in the table above."),
        id_prefix=f"dist-{category.category.id}", cut=cut,
        cut_label=_("Cut: first %(num)d", num=query.cut) if cut is not None else "",
        decimal_separator=decimal_separator(),
        highlight_label=_("Too close to call"))


def _page(round_: Round, *, form: ShortlistForm | None = None, picked: set[int] | None = None,
          error: str | None = None, status: int = 200):
    edition = round_.edition
    language = str(get_locale() or "fr")
    categories = list(edition.categories)
    category_id, cut, _given = parse_filters(request.args, {c.id for c in categories})
    report = service.round_report(round_, cut=cut, category_id=category_id)
    query = parse_query(request.args, {c.id for c in categories},
                        {c.id for c in report.criteria})
    names = criterion_names(report.criteria)
    current = query.args()

    def page_url(**changes: Any) -> str:
        """This page's URL with `changes` applied (None removes an argument)."""
        merged = {k: v for k, v in {**current, **changes}.items() if v is not None}
        return url_for("admin.results", slug=edition.slug, number=round_.number, **merged)

    def sort_url(key: str) -> str:
        descending = (not query.descending) if query.sort == key else default_descending(key)
        return page_url(sort=None if key == "rank" else key,
                        dir=None if descending == default_descending(key)
                        else ("desc" if descending else "asc"))

    tables = [(c, sort_lines(c.lines, query.sort, query.descending)) for c in report.categories]
    chart_of = {c.category.id: distribution_chart(c, query, c.category.localized("name",
                                                                                  language))
                for c in report.categories}
    blocked = shortlist_blocked(round_)
    return render_template(
        "admin/results.html", edition=edition, round=round_, report=report, query=query,
        tables=tables, charts=chart_of, names=names,
        short_names={cid: short_name(name) for cid, name in names.items()},
        references={line.dossier.id: line.dossier.reference
                    for c in report.categories for line in c.lines},
        tie_rules=[rule_text(r, names) for r in report.result.policy.tie_break],
        reliability=reliability_text(report.result.icc_mean, report.result.k),
        all_categories=categories, page_url=page_url, sort_url=sort_url,
        can_shortlist=report.next_round is not None and blocked is None, blocked=blocked,
        form=form or ShortlistForm(formdata=None), error=error,
        picked=picked if picked is not None else {
            line.dossier.id for c in report.categories for line in c.lines
            if line.dossier.status == DossierStatus.SHORTLISTED},
        tie_rule=lambda rule: rule_text(rule, names), decimal=decimal, percent=percent,
        interval=interval, decision_label=decision_label), status


@bp.get(BASE + "/results")
def results(slug: str, number: int):
    """The round's ranking per category, its reliability, charts and juror statistics."""
    return _page(_managed_round(slug, number))


def shortlist_blocked(round_: Round) -> str | None:
    """Why the shortlist form is disabled, when the page can tell; None: let the service say."""
    if round_.edition.phase not in SHORTLIST_PHASES:
        return _("The shortlist can change only while the edition is in the “%(judging)s” or "
                 "“%(deliberation)s” phase; it is in the “%(phase)s” phase.",
                 judging=phase_label(Phase.JUDGING), deliberation=phase_label(Phase.DELIBERATION),
                 phase=phase_label(round_.edition.phase))
    if round_.closed_at is None:
        return _("Close the round first (scoring progress page): the shortlist is made from "
                 "final results.")
    return None


def shortlist_problem(round_: Round, error: DomainError) -> tuple[str, int]:
    """The translated explanation of a refused shortlist, and its status code."""
    if isinstance(error, deliberation.InvalidDecision):
        return _("Only applications ranked in this round can be shortlisted."), 400
    reason = error.args[0] if error.args else ""
    if reason == "next round published":
        return _("The next round’s assignment is published: the shortlist can no longer "
                 "change."), 409
    if reason == "no next round":
        return _("Only the first round’s results can be shortlisted for a next round."), 409
    return shortlist_blocked(round_) or _("The shortlist cannot change now."), 409


@bp.post(BASE + "/shortlist")
def results_shortlist(slug: str, number: int):
    """Shortlist the first N of each category (ties at the cut included) or the ticked
    applications for the next round; the others of the round leave the shortlist."""
    round_ = _managed_round(slug, number)
    form = ShortlistForm()
    picked = {int(i) for i in request.form.getlist("dossier") if i.isdigit()}
    valid = form.validate()
    if valid and form.mode.data == "top" and form.n.data is None:
        form.n.errors = [_("Give a number from 1 to %(max)d.", max=MAX_CUT)]
        valid = False
    if valid and form.mode.data == "manual" and not picked:
        return _page(round_, form=form, picked=picked, status=400,
                     error=_("Tick at least one application in the tables."))
    if not valid:
        return _page(round_, form=form, picked=picked, status=400)
    if form.mode.data == "top":
        report = service.round_report(round_, cut=form.n.data)
        picked = {i for ids in deliberation.top_n(report, form.n.data).values() for i in ids}
    try:
        count = deliberation.shortlist(round_, picked, notify=bool(form.notify.data),
                                       actor=current_user._get_current_object())
    except DomainError as error:
        db.session.rollback()
        message, status = shortlist_problem(round_, error)
        return _page(round_, form=form, picked=picked, error=message, status=status)
    following = service.next_round(round_)
    db.session.commit()
    flash(ngettext("%(num)d application shortlisted for round %(round)d.",
                   "%(num)d applications shortlisted for round %(round)d.", count,
                   round=following.number if following else round_.number + 1), "success")
    if form.notify.data and count:
        flash(_("The shortlisted candidates will be told by e-mail."), "success")
    return redirect(url_for("admin.results", slug=slug, number=number,
                            _anchor="shortlist-title"))


# --- one dossier ----------------------------------------------------------------------------


@bp.get(BASE + "/results/dossiers/<reference>")
def results_dossier(slug: str, number: int, reference: str):
    """Every sheet of one application in the round with the juror's name, marks, levels and
    comments; its line of the ranking and its criterion profile against the category."""
    round_ = _managed_round(slug, number)
    dossier = dossier_service.get_dossier(round_.edition, reference, content=False) \
        or abort(404)
    detail = service.dossier_detail(round_, dossier)
    if detail.line is None and not detail.sheets:
        abort(404)  # not judged in this round
    language = str(get_locale() or "fr")
    names = criterion_names(detail.criteria)
    levels = {c.id: {level.value: level.localized("label", language) for level in c.levels}
              for c in detail.criteria}
    line = detail.line
    bars = [charts.Bar(names[c.id],
                       float(line.result.criteria[c.id])
                       if line and c.id in line.result.criteria else None,
                       float(detail.category_average[c.id])
                       if c.id in detail.category_average else None)
            for c in detail.criteria]
    category = dossier.category.localized("name", language)
    profile = charts.profile(
        bars, title=_("Criterion profile of %(reference)s", reference=dossier.reference),
        description=_("The application’s average per criterion (0 to 100) beside the average "
                      "of the applications of “%(category)s”. The same figures are in the "
                      "table below.", category=category),
        id_prefix="profile-chart", value_label=dossier.reference,
        reference_label=_("Category average"), decimal_separator=decimal_separator())
    return render_template(
        "admin/results_dossier.html", edition=round_.edition, round=round_, detail=detail,
        dossier=dossier, line=line, names=names, levels=levels, profile=profile,
        category=category, level=service.policy_of(round_, list(detail.criteria)).level,
        decimal=decimal, percent=percent, interval=interval,
        decision_label=decision_label)
