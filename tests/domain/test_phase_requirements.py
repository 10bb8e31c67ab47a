"""What each phase change needs, explained rather than silently refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from trophies.domain.phases import EditionFacts, Requirement, missing_for
from trophies.domain.vocabulary import Phase

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
READY = EditionFacts(categories=4, first_round_criteria=6, jurors_per_dossier=3,
                     call_opens_at=NOW, call_closes_at=NOW + timedelta(days=60),
                     undecided_dossiers=0, eligible_dossiers=10, jurors=12)


def facts(**changes) -> EditionFacts:
    return EditionFacts(**{**READY.__dict__, **changes})


def test_opening_the_call_needs_a_category_a_criterion_and_future_dates():
    assert missing_for(Phase.DRAFT, Phase.OPEN, READY, now=NOW) == []
    empty = facts(categories=0, first_round_criteria=0, call_opens_at=None)
    assert missing_for(Phase.DRAFT, Phase.OPEN, empty, now=NOW) == [
        Requirement.CATEGORY, Requirement.CRITERION, Requirement.CALL_DATES]
    past = facts(call_closes_at=NOW - timedelta(seconds=1))
    assert missing_for(Phase.DRAFT, Phase.OPEN, past, now=NOW) == [
        Requirement.CALL_CLOSES_IN_FUTURE]


def test_screening_starts_only_after_the_deadline():
    assert missing_for(Phase.OPEN, Phase.SCREENING, READY, now=NOW) == [
        Requirement.CALL_STILL_OPEN]
    later = NOW + timedelta(days=61)
    assert missing_for(Phase.OPEN, Phase.SCREENING, READY, now=later) == []


def test_judging_needs_every_eligibility_decided_and_enough_jurors():
    assert missing_for(Phase.SCREENING, Phase.JUDGING, READY, now=NOW) == []
    blocked = facts(undecided_dossiers=2, eligible_dossiers=0, jurors=2)
    assert missing_for(Phase.SCREENING, Phase.JUDGING, blocked, now=NOW) == [
        Requirement.UNDECIDED_DOSSIERS, Requirement.ELIGIBLE_DOSSIER, Requirement.ENOUGH_JURORS]


def test_going_back_needs_a_reason():
    assert missing_for(Phase.JUDGING, Phase.SCREENING, READY, now=NOW) == [Requirement.REASON]
    assert missing_for(Phase.JUDGING, Phase.SCREENING, READY, now=NOW,
                       reason="Un dossier oublié") == []
