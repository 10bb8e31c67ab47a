"""Documents, results stage: the confidential results report of one round, for the organizers
and the jury chair: a cover (snapshot and its digest, or "not frozen"), the method in plain
words, per category the ranking table and the distribution of the scores, the jurors' marking
statistics. Reads through services.results and services.deliberation; words and numbers come
from the results page's helpers (trophies.web.admin.results) so both say the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from trophies import documents
from trophies.domain.vocabulary import DossierStatus
from trophies.models import Edition, ResultSnapshot, Round, db
from trophies.services import deliberation
from trophies.services import results as service
from trophies.web.admin import results as page

#: Largest size (mm, width x height) of a chart under its table on a landscape page, and on a
#: portrait page of its own; a chart never splits across pages (design.md §6). Its text scales
#: with it (110 mm: 10 pt), so a tall chart narrower than WIDE_MIN_WIDTH (8 pt) under a table
#: moves to a page of its own.
WIDE_CHART = (110.0, 150.0)
TALL_CHART = (110.0, 225.0)
WIDE_MIN_WIDTH = 90.0
_VIEWBOX = re.compile(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"')


@dataclass(frozen=True)
class Frozen:
    """What the cover says about the snapshot: the latest one if it is about this round."""

    snapshot: ResultSnapshot | None     # the edition's latest snapshot, whatever its round
    round_number: int | None            # the round it is about
    current: bool                       # it is about this round: the report prints its digest
    matches: bool                       # a recomputation from the marks gives its digest


def round_of(edition: Edition, number: int | None) -> Round:
    """The round asked for, else the one the deliberation is about (the last with a
    submitted sheet). Raises DocumentUnavailable: unknown_round, no_results."""
    if number is None:
        round_ = service.results_round(edition)
    else:
        round_ = db.session.scalar(select(Round).where(Round.edition_id == edition.id,
                                                       Round.number == number))
        if round_ is None:
            raise documents.DocumentUnavailable("unknown_round", _("No such round."))
    if round_ is None or not service.count_submitted(round_):
        raise documents.DocumentUnavailable(
            "no_results",
            _("No score sheet is submitted in this round yet: there is nothing to rank."))
    return round_


def frozen_state(edition: Edition, round_: Round) -> Frozen:
    """The latest snapshot and whether the figures recomputed now still give its digest (so a
    printed digest always covers the printed figures, or the cover says it does not)."""
    snapshot = deliberation.latest_snapshot(edition)
    if snapshot is None:
        return Frozen(None, None, False, False)
    frozen_round = db.session.get(Round, snapshot.round_id) if snapshot.round_id else None
    current = frozen_round is not None and frozen_round.id == round_.id
    matches = current and snapshot.digest == service.digest_of(
        service.payload_of(edition, round_))
    return Frozen(snapshot, frozen_round.number if frozen_round else None, current, matches)


def chart_layout(chart: Markup) -> tuple[int, bool]:
    """The width (mm, a multiple of 10 from 60 to 110: pdf-results.css has a class for each)
    of an SVG chart, from its viewBox, and whether it goes on a portrait page of its own."""
    found = _VIEWBOX.search(str(chart))
    ratio = float(found.group(1)) / float(found.group(2)) if found else 2.0
    width = min(WIDE_CHART[0], WIDE_CHART[1] * ratio)
    tall = width < WIDE_MIN_WIDTH
    if tall:
        width = min(TALL_CHART[0], TALL_CHART[1] * ratio)
    return max(60, int(width // 10 * 10)), tall


def _day(value: datetime | None, zone: str, lang: str) -> str:
    """A date (no time) in the edition's time zone, long form of `lang`."""
    if value is None:
        return ""
    return babel_dates.format_date(value.astimezone(ZoneInfo(zone)).date(), "long",
                                   locale=lang)


def status_labels() -> dict[str, str]:
    """A dossier's status in words (the words of templates/_dossier_status.html)."""
    return {DossierStatus.ELIGIBLE: _("Eligible"), DossierStatus.SHORTLISTED: _("Shortlisted"),
            DossierStatus.LAUREATE: _("Laureate"), DossierStatus.INELIGIBLE: _("Not eligible"),
            DossierStatus.WITHDRAWN: _("Withdrawn"), DossierStatus.SUBMITTED: _("Submitted"),
            DossierStatus.DRAFT: _("Draft")}


def _charts(report: service.RoundReport, lang: str) -> dict[int, tuple[Markup, int, bool]]:
    query = page.Query(category_id=None, sort="rank", descending=False, cut=1, cut_given=False)
    out = {}
    for category in report.categories:
        chart = documents.in_our_font(page.distribution_chart(
            category, query, category.category.localized("name", lang)))
        out[category.category.id] = (chart, *chart_layout(chart))
    return out


def build(edition: Edition, lang: str, *, round_number: int | None = None,
          now: datetime | None = None) -> documents.Doc:
    """The results report of round `round_number` (default: the round the deliberation is
    about) in `lang`. Raises DocumentUnavailable: unknown_round, no_results (no submitted
    sheet, or none on a dossier still in play)."""
    lang = documents.language_of(edition, lang)
    round_ = round_of(edition, round_number)
    report = service.round_report(round_)
    if not report.categories:
        raise documents.DocumentUnavailable(
            "no_results",
            _("No score sheet is submitted in this round yet: there is nothing to rank."))
    frozen = frozen_state(edition, round_)
    digest = frozen.snapshot.digest if frozen.current and frozen.snapshot else None
    zone = edition.timezone
    with documents.in_language(lang):
        edition_name = edition.localized("name", lang)
        names = page.criterion_names(report.criteria)
        title = _("Results report — %(edition)s", edition=edition_name)
        html = documents.render_html(
            "pdf/results.html", edition=edition, lang=lang, title=title, digest=digest,
            now=now, report=report, round=round_, frozen=frozen, edition_name=edition_name,
            round_name=round_.localized("name", lang), names=names,
            category_names={c.category.id: c.category.localized("name", lang)
                            for c in report.categories},
            charts=_charts(report, lang), platform=current_app.config["PLATFORM_NAME"],
            tie_rules=[page.rule_text(r, names) for r in report.result.policy.tie_break],
            reliability=page.reliability_text(report.result.icc_mean, report.result.k),
            references={line.dossier.id: line.dossier.reference
                        for c in report.categories for line in c.lines},
            day=lambda value: _day(value, zone, lang),
            tie_rule=lambda rule: page.rule_text(rule, names), decimal=page.decimal,
            percent=page.percent, interval=page.interval, decision_label=page.decision_label,
            statuses=status_labels())
        filename = documents.slug_filename(_("Results"), edition.slug,
                                           _("Round %(number)d", number=round_.number))
    dossiers = sum(len(c.lines) for c in report.categories)
    return documents.Doc(
        kind="results", filename=filename, title=title, lang=lang, html=html,
        # ~7 ms per unit; a ranking row (18 cells) costs about three (bench/pdf_report.py).
        rows=3 * dossiers + len(report.jurors) + len(report.criteria),
        meta={"round": round_.number, "dossiers": dossiers, "jurors": len(report.jurors),
              "sheets": report.result.sheets, "categories": len(report.categories),
              "digest": digest, "frozen": frozen.current})
