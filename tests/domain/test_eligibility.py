"""Automatic eligibility checks: suggestions computed from the answers."""

from __future__ import annotations

import pytest

from trophies.domain.eligibility import EligibilityRule, RuleKind, evaluate

AGE = EligibilityRule("annee_creation", RuleKind.BETWEEN, 2016, 2026)
DECK = EligibilityRule("probleme", RuleKind.PRESENT)


def test_a_number_outside_its_bounds_or_not_a_number_fails():
    assert evaluate([AGE], {"annee_creation": "2019"}) == []
    assert [f.value for f in evaluate([AGE], {"annee_creation": "2009"})] == ["2009"]
    assert len(evaluate([AGE], {"annee_creation": "deux mille"})) == 1
    assert len(evaluate([AGE], {})) == 1


def test_a_required_answer_must_be_present():
    assert evaluate([DECK], {"probleme": "  "})[0].rule is DECK
    assert evaluate([DECK, AGE], {"probleme": "x", "annee_creation": "2020"}) == []


def test_rules_are_read_from_the_editions_json():
    rule = EligibilityRule.from_json({"question": "salaries", "rule": "between", "max": 250})
    assert rule == EligibilityRule("salaries", RuleKind.BETWEEN, None, 250)
    with pytest.raises(ValueError):
        EligibilityRule.from_json({"question": "x", "rule": "unknown"})
