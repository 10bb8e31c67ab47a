"""Web layer: dates and numbers formatted for the reader's locale and the edition's time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from babel.numbers import get_decimal_symbol
from flask import Flask
from flask_babel import format_date, format_decimal, get_locale, get_timezone
from flask_babel import gettext as _
from markupsafe import Markup

from trophies.domain.scoring import MAX_COMMENT, MAX_GENERAL_COMMENT, display_score
from trophies.domain.vocabulary import Phase


def datetime_filter(value: datetime | None, zone: str | None = None, fmt: str = "medium") -> str:
    """A date-time to the minute, in `zone` (the edition's, then named) or the reader's zone.

    "10 novembre 2026 à 12:00 (Europe/Paris)" / "November 10, 2026 at 12:00 (Europe/Paris)".
    """
    if value is None:
        return ""
    tz = ZoneInfo(zone) if zone else get_timezone()
    local = value.astimezone(tz)
    locale = str(get_locale() or "fr")
    text = _("%(date)s at %(time)s",
             date=babel_dates.format_date(local.date(), format=fmt, locale=locale),
             time=babel_dates.format_time(local, format="short", tzinfo=tz, locale=locale))
    return f"{text} ({zone})" if zone else text


def date_filter(value: datetime | None, fmt: str = "long") -> str:
    return format_date(value, fmt) if value is not None else ""


def number_filter(value: float | int | None) -> str:
    return format_decimal(value) if value is not None else ""


def score_filter(value: Fraction | None) -> str:
    """A score for display: domain.scoring.display_score (one decimal, halves away from
    zero) in the reader's locale ("72,5" / "72.5"); "—" for none."""
    shown = display_score(value)
    return format_decimal(shown, format="#,##0.0") if shown is not None else "—"


def mark_label(value: str) -> str:
    """A mark as the form holds it ("", "na", "3") in words."""
    if value == "na":
        return _("Not applicable")
    return value or "—"


def days_left(deadline: datetime | None, now: datetime | None = None) -> int | None:
    """Calendar days from today to the deadline's day, in the reader's time zone (0: today,
    negative: passed); None without a deadline."""
    if deadline is None:
        return None
    tz = get_timezone()
    today = (now or datetime.now(UTC)).astimezone(tz).date()
    return (deadline.astimezone(tz).date() - today).days


def decimal_separator() -> str:
    return get_decimal_symbol(locale=str(get_locale() or "fr"))


def phase_label(phase: Phase | str) -> str:
    labels = {
        Phase.DRAFT: _("In preparation"),
        Phase.OPEN: _("Call for applications open"),
        Phase.SCREENING: _("Eligibility screening"),
        Phase.JUDGING: _("Judging"),
        Phase.DELIBERATION: _("Deliberation"),
        Phase.FROZEN: _("Results frozen"),
        Phase.PUBLISHED: _("Winners published"),
        Phase.ARCHIVED: _("Archived"),
    }
    return labels[Phase(phase)]


def nl2p(text: str) -> Markup:
    """Paragraphs from plain text; every piece is escaped."""
    paragraphs = [p.strip() for p in (text or "").split("\n\n") if p.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(p) for p in paragraphs)


def register_filters(app: Flask) -> None:
    app.jinja_env.filters.update(
        datetime=datetime_filter, date=date_filter, number=number_filter, nl2p=nl2p,
        score=score_filter, mark_label=mark_label, days_left=days_left,
    )
    app.jinja_env.globals.update(phase_label=phase_label,
                                 decimal_separator=decimal_separator,
                                 max_comment=MAX_COMMENT,
                                 max_general_comment=MAX_GENERAL_COMMENT)
