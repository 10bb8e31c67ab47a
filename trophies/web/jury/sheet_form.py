"""Web layer: the score sheet form - read the posted marks (mark-<id>, na-<id>, comment-<id>,
general_comment, version) and build what the template shows, with the typed values kept.

Only the round's criteria are read; any other posted field is ignored. The shape is checked
here (domain.parse_entry); the rules (scale, completeness, phase) are the service's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from trophies.domain import scoring as domain
from trophies.models import Criterion, ScoreSheet
from trophies.services.scoring import SheetInput, entries_of


class SheetForm(FlaskForm):
    """Only the CSRF token: the marks are read by `read_sheet`."""


class RecuseForm(FlaskForm):
    reason = TextAreaField(
        _l("Why are you in a conflict of interest with this application?"),
        validators=[DataRequired(_l("Give the reason: the organizers need it.")),
                    Length(max=2000)],
        description=_l("For example: former employer, shareholder, family tie, advisor. Only "
                       "the organizers read it."),
        render_kw={"rows": 4})


MESSAGES = {
    domain.Problem.NOT_A_NUMBER: _l("Enter a whole number."),
    domain.Problem.OUT_OF_SCALE: _l("Enter a mark between %(min)s and %(max)s."),
    domain.Problem.OFF_STEP: _l("Enter a mark between %(min)s and %(max)s, in steps of "
                                "%(step)s."),
    domain.Problem.NA_NOT_ALLOWED: _l("This criterion cannot be marked “not applicable”."),
    domain.Problem.COMMENT_TOO_LONG: _l("The comment is too long (%(limit)s characters at "
                                        "most)."),
    domain.Problem.MISSING: _l("Choose a mark."),
    domain.Problem.GENERAL_COMMENT_MISSING: _l("Write a general comment: this edition "
                                               "requires one."),
    domain.Problem.GENERAL_COMMENT_TOO_LONG: _l("The general comment is too long (%(limit)s "
                                                "characters at most)."),
}
MISSING_OR_NA = _l("Choose a mark, or “not applicable”.")


def message(problem: domain.Problem, scale: domain.Scale | None) -> str:
    """The problem in the reader's language, with the scale's figures."""
    if problem is domain.Problem.MISSING and scale is not None and scale.allows_na:
        return str(MISSING_OR_NA)
    limit = domain.MAX_GENERAL_COMMENT if scale is None else domain.MAX_COMMENT
    figures = ({"min": scale.minimum, "max": scale.maximum, "step": scale.step}
               if scale is not None else {})
    return str(MESSAGES[problem]) % {**figures, "limit": limit}


def read_version(form: Mapping[str, str]) -> int | None:
    text = (form.get("version") or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def read_sheet(scales: list[domain.Scale], form: MultiDict
               ) -> tuple[SheetInput, dict[int, domain.Problem]]:
    """The entries posted for `scales` and the shape problems (an entry with a problem is
    left blank in the input; the typed text stays in `form` for the page)."""
    entries: dict[int, domain.Entry] = {}
    problems: dict[int, domain.Problem] = {}
    for scale in scales:
        cid = scale.criterion_id
        result = domain.parse_entry(scale, form.get(f"mark-{cid}"),
                                    na=form.get(f"na-{cid}") == "1",
                                    comment=form.get(f"comment-{cid}", ""))
        if isinstance(result, domain.Problem):
            problems[cid] = result
        else:
            entries[cid] = result
    general = (form.get("general_comment") or "").replace("\r\n", "\n").strip()
    if len(general) > domain.MAX_GENERAL_COMMENT:
        problems[domain.GENERAL] = domain.Problem.GENERAL_COMMENT_TOO_LONG
    return SheetInput(entries, general), problems


@dataclass(frozen=True)
class CriterionField:
    """One criterion of the form as the template draws it."""

    criterion: Criterion
    name: str
    scale: domain.Scale
    levels: dict[int, str]
    value: str             # "" (nothing), "na", or the mark as text
    comment: str
    error: str | None

    @property
    def id(self) -> int:
        return self.criterion.id


@dataclass(frozen=True)
class SheetFields:
    fields: list[CriterionField]
    general_comment: str
    general_error: str | None
    total: Fraction | None

    @property
    def errors(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary, in the form's order."""
        found = [(f"criterion-{f.id}", _("%(label)s: %(error)s", label=f.name, error=f.error))
                 for f in self.fields if f.error]
        if self.general_error:
            found.append(("general_comment", self.general_error))
        return found


def _value_text(entry: domain.Entry | None) -> str:
    if entry is None or entry.is_blank:
        return ""
    return "na" if entry.is_na else str(entry.value)


def sheet_fields(criteria: list[Criterion], scales: list[domain.Scale],
                 sheet: ScoreSheet | None, *, language: str, typed: MultiDict | None = None,
                 problems: Mapping[int, domain.Problem] | None = None) -> SheetFields:
    """The form's content: what was typed (`typed`, after a refused post or a recovered
    form) or else the saved sheet; each criterion's error message."""
    problems = problems or {}
    saved = entries_of(sheet)
    fields = []
    for criterion, scale in zip(criteria, scales, strict=True):
        if typed is not None:
            value = "na" if typed.get(f"na-{criterion.id}") == "1" else (
                typed.get(f"mark-{criterion.id}") or "").strip()
            comment = typed.get(f"comment-{criterion.id}", "")
        else:
            entry = saved.get(criterion.id)
            value, comment = _value_text(entry), entry.comment if entry else ""
        problem = problems.get(criterion.id)
        levels = {level.value: level.localized("label", language) for level in criterion.levels}
        fields.append(CriterionField(criterion, criterion.localized("name", language), scale,
                                     levels, value, comment,
                                     message(problem, scale) if problem else None))
    general = (typed.get("general_comment", "") if typed is not None
               else (sheet.general_comment if sheet else ""))
    problem = problems.get(domain.GENERAL)
    entries = {f.id: domain.Entry(int(f.value), False) for f in fields
               if f.value.lstrip("-").isdigit()}
    return SheetFields(fields, general, message(problem, None) if problem else None,
                       domain.sheet_total(scales, entries))

