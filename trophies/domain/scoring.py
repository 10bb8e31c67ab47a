"""Scoring stage: a score sheet's marks checked against each criterion's scale, the sheet's
weighted total, and the order in which a juror sees their dossiers. Standard library only.

Arithmetic is exact (`fractions.Fraction`), so equal totals compare equal; rounding happens
only for display, by `display_score` (one rule: half away from zero, one decimal).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

#: The longest comment on one criterion, and the longest general comment (characters).
MAX_COMMENT = 5000
MAX_GENERAL_COMMENT = 10000
#: A scale with more values than this is entered as a number field rather than radio buttons.
MAX_RADIO_VALUES = 11


@dataclass(frozen=True)
class Scale:
    """One criterion as scoring sees it: id, integer weight, scale min..max by step, N/A."""

    criterion_id: int
    weight: int
    minimum: int
    maximum: int
    step: int = 1
    allows_na: bool = False

    @property
    def values(self) -> range:
        return range(self.minimum, self.maximum + 1, self.step)

    @property
    def is_long(self) -> bool:
        """Too many values for radio buttons: a number field instead."""
        return len(self.values) > MAX_RADIO_VALUES


@dataclass(frozen=True)
class Entry:
    """What a juror put on one criterion: a value, N/A, or nothing yet; and a comment."""

    value: int | None = None
    is_na: bool = False
    comment: str = ""

    @property
    def is_blank(self) -> bool:
        return self.value is None and not self.is_na


class Problem(StrEnum):
    """Why a mark is refused, or why a sheet cannot be submitted."""

    NOT_A_NUMBER = "not_a_number"
    OUT_OF_SCALE = "out_of_scale"
    OFF_STEP = "off_step"
    NA_NOT_ALLOWED = "na_not_allowed"
    COMMENT_TOO_LONG = "comment_too_long"
    MISSING = "missing"                    # submission only: no mark and no allowed N/A
    GENERAL_COMMENT_MISSING = "general_comment_missing"
    GENERAL_COMMENT_TOO_LONG = "general_comment_too_long"


#: The key of the general comment in a problems mapping (criterion ids are positive).
GENERAL = 0

#: An integer as a juror types it: ASCII digits, an optional sign (int() alone also takes
#: "1_0" as 10 and other scripts' digits).
_INTEGER = re.compile(r"[+-]?[0-9]{1,9}")


def parse_entry(scale: Scale, raw: str | None, *, na: bool = False,
                comment: str = "") -> Entry | Problem:
    """The entry a form field holds: `raw` is "" (nothing), "na", or an integer in text;
    `na` is the separate N/A box of a number field. Returns the checked Entry or the Problem.
    N/A wins over a value only when the criterion allows it."""
    text = (raw or "").strip()
    comment = comment.replace("\r\n", "\n").strip()
    if len(comment) > MAX_COMMENT:
        return Problem.COMMENT_TOO_LONG
    if na or text.lower() == "na":
        return Entry(None, True, comment) if scale.allows_na else Problem.NA_NOT_ALLOWED
    if not text:
        return Entry(None, False, comment)
    if not _INTEGER.fullmatch(text):
        return Problem.NOT_A_NUMBER
    value = int(text)
    problem = check_value(scale, value)
    return problem if problem is not None else Entry(value, False, comment)


def check_value(scale: Scale, value: int) -> Problem | None:
    """None when `value` is on the scale, else the Problem."""
    if not scale.minimum <= value <= scale.maximum:
        return Problem.OUT_OF_SCALE
    if (value - scale.minimum) % scale.step:
        return Problem.OFF_STEP
    return None


def submission_problems(scales: Sequence[Scale], entries: Mapping[int, Entry], *,
                        general_comment: str, comment_required: bool) -> dict[int, Problem]:
    """What stops a sheet from being submitted, by criterion id (GENERAL for the general
    comment); empty when it can be. Every criterion needs a value on its scale, or N/A where
    it allows it; the general comment is needed when the edition requires one."""
    problems: dict[int, Problem] = {}
    for scale in scales:
        entry = entries.get(scale.criterion_id, Entry())
        if entry.is_blank:
            problems[scale.criterion_id] = Problem.MISSING
        elif entry.is_na and not scale.allows_na:
            problems[scale.criterion_id] = Problem.NA_NOT_ALLOWED
        elif entry.value is not None and (problem := check_value(scale, entry.value)):
            problems[scale.criterion_id] = problem
    if len(general_comment) > MAX_GENERAL_COMMENT:
        problems[GENERAL] = Problem.GENERAL_COMMENT_TOO_LONG
    elif comment_required and not general_comment.strip():
        problems[GENERAL] = Problem.GENERAL_COMMENT_MISSING
    return problems


def sheet_total(scales: Iterable[Scale], entries: Mapping[int, Entry]) -> Fraction | None:
    """The weighted mean of the marks, each rescaled to 0-100 on its scale, over the criteria
    that have a value (N/A and blanks are left out, never counted as 0). None when no
    criterion has a value. Exact: equal inputs give equal Fractions."""
    numerator, weights = Fraction(0), 0
    for scale in scales:
        entry = entries.get(scale.criterion_id)
        if entry is None or entry.value is None:
            continue
        numerator += scale.weight * Fraction(100 * (entry.value - scale.minimum),
                                             scale.maximum - scale.minimum)
        weights += scale.weight
    return numerator / weights if weights else None


def display_score(value: Fraction | None, places: int = 1) -> Decimal | None:
    """The one display rounding rule: `places` decimals, halves away from zero."""
    if value is None:
        return None
    # In exact arithmetic: a Decimal division keeps 28 digits and can round 62.2499...9
    # (30 nines) up to a half before the display rounding sees it.
    scaled = abs(value) * 10**places
    whole = int(scaled) + (scaled - int(scaled) >= Fraction(1, 2))
    return Decimal(whole if value >= 0 else -whole).scaleb(-places)


def juror_order(juror_id: int, round_id: int, dossier_ids: Iterable[int]) -> list[int]:
    """The dossiers in the order this juror sees them in this round: shuffled against order
    bias (jurors grow harsher or milder along a list), different for each juror, yet the same
    on every visit and whatever order the ids come in (a hash, no stored state)."""
    def key(dossier_id: int) -> tuple[bytes, int]:
        text = f"{juror_id}:{round_id}:{dossier_id}".encode()
        return hashlib.sha256(text).digest(), dossier_id
    return sorted(set(dossier_ids), key=key)
