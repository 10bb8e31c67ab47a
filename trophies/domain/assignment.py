"""Assignment stage: k distinct jurors per dossier, optimal, conflict-free (design.md section 5).

INTERFACE CONTRACT (the implementation is in progress; services code against these names).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from trophies.domain.errors import DomainError


@dataclass(frozen=True)
class DossierSlot:
    """A dossier to cover: `demand` jurors in all (pinned pairs count towards it)."""

    id: int
    category_id: int | None
    demand: int


@dataclass(frozen=True)
class JurorSlot:
    """A juror: `capacity` assignments at most in the round (None: the balanced default,
    ceil(total demand / number of jurors)); `organisation` is the normalised key ("" = none,
    never capped); `expertise` the category ids the juror knows."""

    id: int
    capacity: int | None = None
    organisation: str = ""
    expertise: frozenset[int] = frozenset()


@dataclass(frozen=True)
class AssignmentProblem:
    dossiers: Sequence[DossierSlot]
    jurors: Sequence[JurorSlot]
    #: (dossier id, juror id) pairs that must never be assigned (confirmed conflicts).
    forbidden: frozenset[tuple[int, int]] = frozenset()
    #: (dossier id, juror id) pairs that must be kept (pinned by hand, started sheets, ...).
    pinned: frozenset[tuple[int, int]] = frozenset()
    #: Extra affinity per (dossier id, juror id), e.g. from preferences; integers.
    affinity: Mapping[tuple[int, int], int] = field(default_factory=dict)
    #: Affinity added when the juror's expertise includes the dossier's category.
    expertise_bonus: int = 10
    #: At most this many jurors of one organisation on a dossier.
    max_per_organisation: int = 1
    seed: int = 0


@dataclass(frozen=True)
class Shortfall:
    """Why a dossier cannot get its jurors. `cause` is one of "conflicts" (fewer allowed
    jurors than needed), "organisation_cap" (too few distinct organisations), "pins" (its
    pinned pairs break a rule) or "capacity" (the jurors it could get are needed elsewhere:
    `group` lists the dossiers that compete for them)."""

    dossier_id: int
    missing: int
    cause: str
    group: tuple[int, ...] = ()


class Infeasible(DomainError):
    code = "assignment_infeasible"

    def __init__(self, shortfalls: Sequence[Shortfall]) -> None:
        super().__init__("assignment is infeasible", shortfalls=tuple(shortfalls))
        self.shortfalls = tuple(shortfalls)


@dataclass(frozen=True)
class AssignmentPlan:
    #: Every (dossier id, juror id) pair, sorted; pinned pairs included.
    pairs: tuple[tuple[int, int], ...]
    #: Load per juror id (every juror of the problem, zeros included).
    loads: Mapping[int, int]
    #: Total affinity of the plan (integer).
    objective: int
    #: The optimum of the linear relaxation, proved by a dual solution (equal to objective).
    bound: float
    #: Effective capacity per juror id (the balanced default filled in).
    capacities: Mapping[int, int]


def solve(problem: AssignmentProblem) -> AssignmentPlan:
    """The optimal plan, or Infeasible naming the dossiers that cannot get their jurors."""
    raise NotImplementedError
