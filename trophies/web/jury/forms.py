"""Web layer: the juror's forms (shape only; the rules live in services.jury).

The per-dossier inputs (conflict checkboxes, preference radios) are read from the request by
the parsers below: only ids of the listed dossiers and known levels get through.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from trophies.domain.vocabulary import PreferenceLevel


class ConfidentialityForm(FlaskForm):
    accept = BooleanField(
        _l("I have read the confidentiality statement and I accept it."),
        validators=[DataRequired(_l("Tick the box to accept the statement."))])


class DeclarationForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (optional, seen only by the organizers)"),
        validators=[Optional(), Length(max=2000)],
        description=_l("For example: former employer, shareholder, family tie, advisor."),
        render_kw={"rows": 3})


class PreferencesForm(FlaskForm):
    """Only the CSRF token: the radios (pref-<dossier id>) are read by `preference_levels`."""


def chosen_ids(form: MultiDict, allowed: Iterable[int], name: str = "dossier") -> list[int]:
    """The ticked dossier ids among `allowed` (anything else posted is ignored)."""
    allowed = set(allowed)
    return sorted({int(v) for v in form.getlist(name) if v.isdigit() and int(v) in allowed})


def preference_levels(form: MultiDict, allowed: Iterable[int]) -> dict[int, PreferenceLevel]:
    """{dossier id: level} from the pref-<id> radios of the listed dossiers; unknown values
    fall back to CAN."""
    levels = {}
    for dossier_id in allowed:
        value = form.get(f"pref-{dossier_id}", PreferenceLevel.CAN.value)
        try:
            levels[dossier_id] = PreferenceLevel(value)
        except ValueError:
            levels[dossier_id] = PreferenceLevel.CAN
    return levels
