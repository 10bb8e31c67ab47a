"""Eligibility stage: the edition's automatic checks, evaluated on a dossier's answers;
standard library only. They only suggest: the organizer decides."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class RuleKind(StrEnum):
    PRESENT = "present"    # the answer must not be empty
    BETWEEN = "between"    # a whole number within [min, max] (either bound optional)


@dataclass(frozen=True)
class EligibilityRule:
    question: str
    kind: RuleKind
    minimum: int | None = None
    maximum: int | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EligibilityRule:
        """From the edition's JSON ({"question", "rule", "min", "max"}); ValueError if bad."""
        return cls(str(data["question"]), RuleKind(data["rule"]), data.get("min"),
                   data.get("max"))


@dataclass(frozen=True)
class Failure:
    rule: EligibilityRule
    value: str


def evaluate(rules: list[EligibilityRule], answers: dict[str, str]) -> list[Failure]:
    """The rules a dossier fails (empty list: nothing against it), in the rules' order."""
    failures = []
    for rule in rules:
        value = (answers.get(rule.question) or "").strip()
        if rule.kind is RuleKind.PRESENT:
            ok = bool(value)
        else:
            try:
                number = int(value)
            except ValueError:
                ok = False
            else:
                ok = ((rule.minimum is None or number >= rule.minimum)
                      and (rule.maximum is None or number <= rule.maximum))
        if not ok:
            failures.append(Failure(rule, value))
    return failures
