"""Pipeline phases: the pure transition table of an edition; standard library only.

Only `services.editions.change_phase` moves an edition, after `check_transition` agrees.
"""

from __future__ import annotations

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
