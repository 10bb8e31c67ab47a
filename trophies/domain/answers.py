"""Submission stage: application answers checked against their questions; standard library only.

Limits (length, bounds, choices, URL shape) hold for drafts and submissions alike; required
answers are demanded only to submit. Lengths count characters after line endings are folded to
"\n", as the browser's counter shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlsplit

from trophies.domain.vocabulary import QuestionKind


class AnswerProblem(StrEnum):
    REQUIRED = "required"
    TOO_LONG = "too_long"
    NOT_A_NUMBER = "not_a_number"
    TOO_SMALL = "too_small"
    TOO_LARGE = "too_large"
    INVALID_CHOICE = "invalid_choice"
    INVALID_URL = "invalid_url"


#: Short answers without an explicit limit still have one.
DEFAULT_SHORT_LIMIT = 300
DEFAULT_LONG_LIMIT = 5000
URL_LIMIT = 300


@dataclass(frozen=True)
class QuestionRule:
    key: str
    kind: QuestionKind
    required: bool = False
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    choices: tuple[str, ...] = field(default_factory=tuple)


def fold_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def normalise(rule: QuestionRule, raw: str | list[str]) -> str:
    """The stored form of an answer: trimmed text, choices as comma-joined codes in the
    question's order, yes/no as "yes"/"no"."""
    if rule.kind is QuestionKind.MULTIPLE_CHOICE:
        picked = set(raw if isinstance(raw, list) else [p for p in raw.split(",") if p])
        known = [c for c in rule.choices if c in picked]
        unknown = sorted(picked - set(rule.choices))
        return ",".join(known + unknown)
    value = raw[0] if isinstance(raw, list) and raw else raw if isinstance(raw, str) else ""
    value = fold_newlines(value).strip()
    if rule.kind is QuestionKind.YES_NO:
        return value if value in ("yes", "no") else ""
    return value


def limit_of(rule: QuestionRule) -> int | None:
    if rule.max_length:
        return rule.max_length
    defaults = {QuestionKind.SHORT_TEXT: DEFAULT_SHORT_LIMIT,
                QuestionKind.LONG_TEXT: DEFAULT_LONG_LIMIT, QuestionKind.URL: URL_LIMIT}
    return defaults.get(rule.kind)


def check(rule: QuestionRule, value: str, *, to_submit: bool) -> AnswerProblem | None:
    """The problem with a normalised answer, or None. Empty answers pass unless `to_submit`
    and the question is required."""
    if not value:
        return AnswerProblem.REQUIRED if to_submit and rule.required else None
    limit = limit_of(rule)
    if limit is not None and len(value) > limit:
        return AnswerProblem.TOO_LONG
    if rule.kind is QuestionKind.NUMBER:
        try:
            number = int(value)
        except ValueError:
            return AnswerProblem.NOT_A_NUMBER
        if rule.min_value is not None and number < rule.min_value:
            return AnswerProblem.TOO_SMALL
        if rule.max_value is not None and number > rule.max_value:
            return AnswerProblem.TOO_LARGE
    if rule.kind is QuestionKind.SINGLE_CHOICE and value not in rule.choices:
        return AnswerProblem.INVALID_CHOICE
    if rule.kind is QuestionKind.MULTIPLE_CHOICE and not set(value.split(",")) <= set(
            rule.choices):
        return AnswerProblem.INVALID_CHOICE
    if rule.kind is QuestionKind.URL:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
            return AnswerProblem.INVALID_URL
    return None


def check_all(rules: list[QuestionRule], answers: dict[str, str], *, files: set[str],
              to_submit: bool) -> dict[str, AnswerProblem]:
    """Every problem by question key. A file question is answered when its key is in `files`."""
    problems: dict[str, AnswerProblem] = {}
    for rule in rules:
        if rule.kind is QuestionKind.FILE:
            if to_submit and rule.required and rule.key not in files:
                problems[rule.key] = AnswerProblem.REQUIRED
            continue
        problem = check(rule, answers.get(rule.key, ""), to_submit=to_submit)
        if problem is not None:
            problems[rule.key] = problem
    return problems
