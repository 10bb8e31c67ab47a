"""Pipeline phases: the pure transition table of an edition; standard library only.

Only `services.editions.change_phase` moves an edition, after `check_transition` agrees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from trophies.domain.vocabulary import Phase

#: Allowed moves. Forward along the pipeline; a few deliberate steps back (reopen).
TRANSITIONS: dict[Phase, frozenset[Phase]] = {
    Phase.DRAFT: frozenset({Phase.OPEN, Phase.ARCHIVED}),
    Phase.OPEN: frozenset({Phase.SCREENING, Phase.DRAFT}),
    Phase.SCREENING: frozenset({Phase.JUDGING, Phase.OPEN}),
    Phase.JUDGING: frozenset({Phase.DELIBERATION, Phase.SCREENING}),
    Phase.DELIBERATION: frozenset({Phase.FROZEN, Phase.JUDGING}),
    Phase.FROZEN: frozenset({Phase.PUBLISHED, Phase.DELIBERATION}),
    Phase.PUBLISHED: frozenset({Phase.ARCHIVED}),
    Phase.ARCHIVED: frozenset(),
}

#: Phases in pipeline order, for display and comparisons.
ORDER: tuple[Phase, ...] = (
    Phase.DRAFT, Phase.OPEN, Phase.SCREENING, Phase.JUDGING,
    Phase.DELIBERATION, Phase.FROZEN, Phase.PUBLISHED, Phase.ARCHIVED,
)


class TransitionError(ValueError):
    """The move is not in the table."""


def can_move(current: Phase, target: Phase) -> bool:
    """True when `target` is reachable from `current` in one step."""
    return target in TRANSITIONS[current]


def check_transition(current: Phase, target: Phase) -> None:
    """Raise TransitionError unless `current -> target` is in TRANSITIONS."""
    if not can_move(current, target):
        raise TransitionError(f"{current.value} -> {target.value} is not allowed")


def is_at_least(current: Phase, reference: Phase) -> bool:
    """True when `current` comes at or after `reference` in the pipeline."""
    return ORDER.index(current) >= ORDER.index(reference)


def accepts_submissions(phase: Phase) -> bool:
    return phase is Phase.OPEN


def scoring_open(phase: Phase) -> bool:
    """Score sheets may change only while judging; leaving the phase closes every sheet."""
    return phase is Phase.JUDGING


def is_public(phase: Phase) -> bool:
    """The edition appears on public pages (call open, or winners published)."""
    return phase in {Phase.OPEN, Phase.PUBLISHED, Phase.ARCHIVED}


# --- what a move needs ---------------------------------------------------------------------


class Requirement(StrEnum):
    """A condition a phase change needs, named so the interface can explain it."""

    CATEGORY = "category"                  # at least one category
    CRITERION = "criterion"                # a first round with at least one criterion
    CALL_DATES = "call_dates"              # call opening and closing dates set
    CALL_CLOSES_IN_FUTURE = "call_closes_in_future"
    CALL_STILL_OPEN = "call_still_open"    # the deadline has not passed yet
    UNDECIDED_DOSSIERS = "undecided_dossiers"  # submitted dossiers without an eligibility decision
    ELIGIBLE_DOSSIER = "eligible_dossier"  # at least one eligible dossier
    ENOUGH_JURORS = "enough_jurors"        # at least k jurors for the first round
    REASON = "reason"                      # going back needs a written reason


@dataclass(frozen=True)
class EditionFacts:
    """What the checks look at, gathered by the service in a few queries."""

    categories: int
    first_round_criteria: int
    jurors_per_dossier: int
    call_opens_at: datetime | None
    call_closes_at: datetime | None
    undecided_dossiers: int
    eligible_dossiers: int
    jurors: int


def is_backwards(current: Phase, target: Phase) -> bool:
    return target is not Phase.ARCHIVED and ORDER.index(target) < ORDER.index(current)


def missing_for(current: Phase, target: Phase, facts: EditionFacts, *, now: datetime,
                reason: str = "") -> list[Requirement]:
    """Everything `current -> target` still needs (empty: the move may happen).

    The transition table itself is checked by `check_transition`; going back (reopening)
    always needs a reason, for the audit log.
    """
    missing: list[Requirement] = []
    if is_backwards(current, target) and not reason.strip():
        missing.append(Requirement.REASON)
    if target is Phase.OPEN and current is Phase.DRAFT:
        if facts.categories < 1:
            missing.append(Requirement.CATEGORY)
        if facts.first_round_criteria < 1:
            missing.append(Requirement.CRITERION)
        if facts.call_opens_at is None or facts.call_closes_at is None:
            missing.append(Requirement.CALL_DATES)
        elif facts.call_closes_at <= now:
            missing.append(Requirement.CALL_CLOSES_IN_FUTURE)
    if (target is Phase.SCREENING and current is Phase.OPEN
            and facts.call_closes_at is not None and facts.call_closes_at > now):
        missing.append(Requirement.CALL_STILL_OPEN)
    if target is Phase.JUDGING and current is Phase.SCREENING:
        if facts.undecided_dossiers:
            missing.append(Requirement.UNDECIDED_DOSSIERS)
        if facts.eligible_dossiers < 1:
            missing.append(Requirement.ELIGIBLE_DOSSIER)
        if facts.jurors < facts.jurors_per_dossier:
            missing.append(Requirement.ENOUGH_JURORS)
    return missing
