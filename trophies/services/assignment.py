"""Assignment stage, write side: build a round's problem from the database, solve it, write the
plan; adjust by hand (add, remove, swap, pin) and publish to the jurors.

Imports models, SQLAlchemy, services (audit, mail, assignment_stats) and trophies.domain.
Services flush, never commit. What a run may change: only the round's assignments that are
unpublished, unpinned and without a score sheet; every other one is a pin for the solver.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from time import perf_counter
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import joinedload

from trophies.domain import assignment as solver
from trophies.domain.errors import DomainError
from trophies.domain.vocabulary import (
    AssignmentSource,
    ConflictStatus,
    Phase,
    PreferenceLevel,
)
from trophies.models import (
    Assignment,
    Conflict,
    Dossier,
    Edition,
    JurorPreference,
    JurorProfile,
    Round,
    ScoreSheet,
    User,
    db,
    utcnow,
)
from trophies.services import audit, mail
from trophies.services.assignment_stats import (
    RoundState,
    Summary,
    balanced_capacity,
    load_state,
    statuses_in_play,
    summarise,
)

# --- the affinity scale (the one place that sets it) ------------------------------------------
#: Added to a pair when the juror's expertise includes the dossier's category.
EXPERTISE_BONUS = 10
#: Added to a pair for the juror's stated preference, when the edition collects them. A "want"
#: is worth a little more than half an expertise match and "prefer not" costs as much: the
#: solver honours wishes when it can, but a juror who knows the field still comes first.
PREFERENCE_AFFINITY = {
    PreferenceLevel.WANT: 6,
    PreferenceLevel.CAN: 0,
    PreferenceLevel.PREFER_NOT: -6,
}
#: The phases in which organizers run, adjust and publish an assignment.
OPEN_PHASES = (Phase.SCREENING, Phase.JUDGING)


class AssignmentClosed(DomainError):
    """The edition's phase does not allow changing assignments (details: phase)."""

    code = "assignment_closed"


class NoJurors(DomainError):
    """Dossiers to assign but no juror has accepted the invitation."""

    code = "assignment_no_jurors"


class ConflictOfInterest(DomainError):
    code = "assignment_conflict"


class AlreadyAssigned(DomainError):
    code = "assignment_duplicate"


class JurorUnavailable(DomainError):
    """Not a juror of the edition, not yet accepted, or withdrawn."""

    code = "assignment_juror_unavailable"


class DossierNotInPlay(DomainError):
    code = "assignment_dossier_not_in_play"


class SheetStarted(DomainError):
    """The juror has started the score sheet: the pair never moves."""

    code = "assignment_sheet_started"


def check_open(edition: Edition) -> None:
    """Raise AssignmentClosed outside the screening and judging phases."""
    if edition.phase not in OPEN_PHASES:
        raise AssignmentClosed(phase=str(edition.phase))


# --- the problem ------------------------------------------------------------------------------


def _preferences(state: RoundState) -> dict[tuple[int, int], int]:
    if not state.edition.has_preferences:
        return {}
    rows = db.session.execute(
        select(JurorPreference.dossier_id, JurorPreference.juror_id, JurorPreference.level)
        .where(JurorPreference.edition_id == state.edition.id))
    return {(d, j): PREFERENCE_AFFINITY[PreferenceLevel(level)] for d, j, level in rows
            if state.counts((d, j)) and PREFERENCE_AFFINITY[PreferenceLevel(level)]}


def build_problem(state: RoundState, *, seed: int,
                  affinity: dict[tuple[int, int], int] | None = None
                  ) -> solver.AssignmentProblem:
    """The solver's input for the round: every dossier in play wants k jurors (or as many as
    its pins if more), pins are the kept pairs, capacities are raised to the pins a juror
    already holds so that a kept pair never makes the instance infeasible."""
    pins = state.pins()
    pinned_per_dossier: dict[int, int] = {}
    pinned_per_juror: dict[int, int] = {}
    for d, j in pins:
        pinned_per_dossier[d] = pinned_per_dossier.get(d, 0) + 1
        pinned_per_juror[j] = pinned_per_juror.get(j, 0) + 1
    dossiers = [solver.DossierSlot(d, info.category_id,
                                   max(state.k, pinned_per_dossier.get(d, 0)))
                for d, info in state.dossiers.items()]
    default = balanced_capacity(sum(s.demand for s in dossiers), len(state.active))
    jurors = []
    for j, profile in state.active.items():
        capacity = profile.capacity
        held = pinned_per_juror.get(j, 0)
        if held > (default if capacity is None else capacity):
            capacity = held
        jurors.append(solver.JurorSlot(j, capacity, profile.organisation_key,
                                       state.expertise[j]))
    forbidden = frozenset(p for p in state.forbidden if state.counts(p))
    return solver.AssignmentProblem(
        dossiers=dossiers, jurors=jurors, forbidden=forbidden, pinned=frozenset(pins),
        affinity=dict(affinity or {}), expertise_bonus=EXPERTISE_BONUS,
        max_per_organisation=state.edition.max_jurors_per_organisation, seed=seed)


@dataclass(frozen=True)
class JurorLoad:
    email: str
    name: str
    load: int
    capacity: int


@dataclass(frozen=True)
class RunResult:
    seed: int
    objective: int
    bound: float
    k: int
    dossiers: int
    jurors: int
    duration_ms: int
    pairs: tuple[tuple[str, str], ...]        # (dossier reference, juror e-mail), sorted
    loads: tuple[JurorLoad, ...]
    kept: int                                 # pairs the run did not move
    created: int
    removed: int
    dry_run: bool
    summary: Summary

    @property
    def is_optimal(self) -> bool:
        """The objective reaches the LP bound: no plan can do better."""
        return abs(self.objective - self.bound) < 1e-6


def run_assignment(round_: Round, *, seed: int, actor: User | None, dry_run: bool = False,
                   now: datetime | None = None) -> RunResult:
    """Solve the round and replace its unpublished, unpinned, unstarted assignments with the
    plan (source "solver", unpublished); store Round.assignment_run; audit "assignment.run".

    With `dry_run` nothing is written. Raises AssignmentClosed (phase), NoJurors, or the
    solver's Infeasible (which names the dossiers short of jurors); then nothing changed.
    """
    edition = round_.edition
    check_open(edition)
    state = load_state(round_)
    if state.dossiers and not state.active:
        raise NoJurors()
    problem = build_problem(state, seed=seed, affinity=_preferences(state))
    started = perf_counter()
    plan = solver.solve(problem)
    duration_ms = round((perf_counter() - started) * 1000)
    planned = set(plan.pairs)
    kept_pairs, replaced, new_pairs = _changes(state, planned)
    unpublished = sum(1 for r in state.rows if r.is_kept and not r.is_published) + len(new_pairs)
    summary = summarise(state, planned | kept_pairs, unpublished=unpublished)
    users = {j: p.user for j, p in state.active.items()}
    result = RunResult(
        seed=seed, objective=plan.objective, bound=plan.bound, k=state.k,
        dossiers=len(state.dossiers), jurors=len(state.active), duration_ms=duration_ms,
        pairs=tuple(sorted((state.dossiers[d].reference, users[j].email) for d, j in planned)),
        loads=tuple(JurorLoad(users[j].email, users[j].full_name, plan.loads[j],
                              plan.capacities[j]) for j in users),
        kept=len(planned & kept_pairs), created=len(new_pairs), removed=len(replaced),
        dry_run=dry_run, summary=summary)
    if dry_run:
        return result
    now = now or utcnow()
    replace_pairs(state, planned, source=AssignmentSource.SOLVER, now=now)
    figures = {"seed": seed, "objective": plan.objective, "bound": plan.bound,
               "optimal": result.is_optimal, "dossiers": result.dossiers,
               "jurors": result.jurors, "k": state.k, "pairs": len(planned),
               "created": result.created, "removed": result.removed, "kept": result.kept,
               "duration_ms": duration_ms}
    round_.assignment_run = {**figures, "at": now.isoformat(timespec="seconds")}
    audit.record("assignment.run", actor=actor, edition=edition, obj=round_, **figures)
    db.session.flush()
    return result


def _changes(state: RoundState, pairs: set[tuple[int, int]]
             ) -> tuple[set[tuple[int, int]], list[int], list[tuple[int, int]]]:
    """What replacing the round's assignments by `pairs` does: the kept pairs, the ids of the
    replaced assignments (unpublished, unpinned, unstarted), the new pairs (sorted)."""
    kept = {(r.dossier_id, r.juror_id) for r in state.rows if r.is_kept}
    replaced = [r.id for r in state.rows if not r.is_kept]
    return kept, replaced, sorted(pairs - kept)


def replace_pairs(state: RoundState, pairs: set[tuple[int, int]], *,
                  source: AssignmentSource, now: datetime) -> tuple[int, int]:
    """Delete the round's replaceable assignments (unpublished, unpinned, unstarted) and add
    those of `pairs` that are not kept, unpublished, with `source`; (removed, created)."""
    _kept, replaced, new_pairs = _changes(state, pairs)
    for i in range(0, len(replaced), 500):
        db.session.execute(delete(Assignment).where(Assignment.id.in_(replaced[i:i + 500])))
    if new_pairs:
        db.session.execute(insert(Assignment), [
            {"round_id": state.round.id, "dossier_id": d, "juror_id": j, "is_pinned": False,
             "source": source, "created_at": now, "published_at": None} for d, j in new_pairs])
    db.session.flush()
    return len(replaced), len(new_pairs)


# --- adjusting by hand ------------------------------------------------------------------------


def _pair_data(assignment_or_dossier: Any, juror: User) -> dict[str, Any]:
    dossier = getattr(assignment_or_dossier, "dossier", assignment_or_dossier)
    return {"dossier_id": dossier.id, "reference": dossier.reference, "juror_id": juror.id,
            "juror": juror.email}


def _check_addable(round_: Round, dossier: Dossier, juror: User) -> JurorProfile:
    """The juror's profile if `juror` may take `dossier` in `round_`, else the DomainError."""
    if dossier.edition_id != round_.edition_id or dossier.status not in statuses_in_play(round_):
        raise DossierNotInPlay(reference=dossier.reference)
    profile = db.session.scalar(select(JurorProfile).where(
        JurorProfile.edition_id == round_.edition_id, JurorProfile.user_id == juror.id))
    if profile is None or profile.accepted_at is None or profile.withdrawn_at is not None:
        raise JurorUnavailable(juror=juror.email)
    if db.session.scalar(select(Conflict.id).where(
            Conflict.juror_id == juror.id, Conflict.dossier_id == dossier.id,
            Conflict.status == ConflictStatus.CONFIRMED)) is not None:
        raise ConflictOfInterest(reference=dossier.reference, juror=juror.email)
    if db.session.scalar(select(Assignment.id).where(
            Assignment.round_id == round_.id, Assignment.dossier_id == dossier.id,
            Assignment.juror_id == juror.id)) is not None:
        raise AlreadyAssigned(reference=dossier.reference, juror=juror.email)
    return profile


def _soft_warnings(round_: Round, dossier: Dossier, profile: JurorProfile) -> list[str]:
    """"over_capacity" and/or "organisation_cap" once the pair is added (warned, allowed)."""
    warnings = []
    load = db.session.scalar(select(func.count()).select_from(Assignment).where(
        Assignment.round_id == round_.id, Assignment.juror_id == profile.user_id))
    capacity = profile.capacity
    if capacity is None:
        dossiers = db.session.scalar(select(func.count()).select_from(Dossier).where(
            Dossier.edition_id == round_.edition_id,
            Dossier.status.in_(statuses_in_play(round_))))
        jurors = db.session.scalar(select(func.count()).select_from(JurorProfile).where(
            JurorProfile.edition_id == round_.edition_id, JurorProfile.accepted_at.is_not(None),
            JurorProfile.withdrawn_at.is_(None)))
        capacity = balanced_capacity(round_.jurors_per_dossier * dossiers, jurors)
    if load > capacity:
        warnings.append("over_capacity")
    if profile.organisation_key:
        same = db.session.scalar(
            select(func.count()).select_from(Assignment)
            .join(JurorProfile, (JurorProfile.user_id == Assignment.juror_id)
                  & (JurorProfile.edition_id == round_.edition_id))
            .where(Assignment.round_id == round_.id, Assignment.dossier_id == dossier.id,
                   JurorProfile.organisation_key == profile.organisation_key))
        if same > round_.edition.max_jurors_per_organisation:
            warnings.append("organisation_cap")
    return warnings


def _has_sheet(assignment: Assignment) -> bool:
    return db.session.scalar(select(ScoreSheet.id).where(
        ScoreSheet.assignment_id == assignment.id)) is not None


def add_juror(round_: Round, dossier: Dossier, juror: User, *, actor: User | None
              ) -> list[str]:
    """Give `dossier` to `juror` in `round_` (source "manual", pinned, unpublished); audited.

    Refuses (DomainError) a closed phase, a dossier not in play, a juror not available, a
    confirmed conflict, a duplicate. Returns the soft warnings ("over_capacity",
    "organisation_cap"): the pair is added all the same.
    """
    check_open(round_.edition)
    profile = _check_addable(round_, dossier, juror)
    db.session.add(Assignment(round_id=round_.id, dossier_id=dossier.id, juror_id=juror.id,
                              is_pinned=True, source=AssignmentSource.MANUAL))
    db.session.flush()
    warnings = _soft_warnings(round_, dossier, profile)
    audit.record("assignment.added", actor=actor, edition=round_.edition, obj=round_,
                 **_pair_data(dossier, juror), warnings=warnings)
    return warnings


def remove_assignment(assignment: Assignment, *, actor: User | None) -> None:
    """Delete the pair unless its score sheet exists (SheetStarted); audited."""
    round_ = assignment.round
    check_open(round_.edition)
    if _has_sheet(assignment):
        raise SheetStarted(reference=assignment.dossier.reference)
    audit.record("assignment.removed", actor=actor, edition=round_.edition, obj=round_,
                 **_pair_data(assignment, assignment.juror),
                 was_published=assignment.published_at is not None)
    db.session.delete(assignment)
    db.session.flush()


def swap_juror(assignment: Assignment, juror: User, *, actor: User | None) -> list[str]:
    """Replace the assignment's juror by `juror` on the same dossier, atomically, with the
    checks of remove_assignment and add_juror; returns add_juror's soft warnings."""
    round_, dossier, previous = assignment.round, assignment.dossier, assignment.juror
    check_open(round_.edition)
    if _has_sheet(assignment):
        raise SheetStarted(reference=dossier.reference)
    profile = _check_addable(round_, dossier, juror)
    db.session.delete(assignment)
    db.session.flush()
    db.session.add(Assignment(round_id=round_.id, dossier_id=dossier.id, juror_id=juror.id,
                              is_pinned=True, source=AssignmentSource.MANUAL))
    db.session.flush()
    warnings = _soft_warnings(round_, dossier, profile)
    audit.record("assignment.swapped", actor=actor, edition=round_.edition, obj=round_,
                 **_pair_data(dossier, juror), previous_juror_id=previous.id,
                 previous_juror=previous.email, warnings=warnings)
    return warnings


def set_pinned(assignment: Assignment, pinned: bool, *, actor: User | None) -> None:
    """Pin (a run keeps it) or unpin the pair; audited when it changes."""
    round_ = assignment.round
    check_open(round_.edition)
    if assignment.is_pinned == pinned:
        return
    assignment.is_pinned = pinned
    audit.record("assignment.pinned" if pinned else "assignment.unpinned", actor=actor,
                 edition=round_.edition, obj=round_, **_pair_data(assignment, assignment.juror))
    db.session.flush()


# --- publication ------------------------------------------------------------------------------


def publish(round_: Round, *, actor: User | None, now: datetime | None = None) -> int:
    """Publish every unpublished assignment of the round; each juror concerned gets one
    e-mail in their language listing their newly published dossiers (only their number until
    the juror has accepted the confidentiality statement); audited
    ("assignment.published"). Returns how many pairs were published (0: nothing sent)."""
    edition = round_.edition
    check_open(edition)
    now = now or utcnow()
    assignments = db.session.scalars(
        select(Assignment).where(Assignment.round_id == round_.id,
                                 Assignment.published_at.is_(None))
        .options(joinedload(Assignment.dossier), joinedload(Assignment.juror))
        .order_by(Assignment.id)).all()
    by_juror: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        assignment.published_at = now
        by_juror.setdefault(assignment.juror_id, []).append(assignment)
    link = mail.absolute_url("jury.edition", slug=edition.slug) if by_juror else ""
    # Nothing about a dossier, not even its name, reaches a juror before the statement.
    cleared = set(db.session.scalars(select(JurorProfile.user_id).where(
        JurorProfile.edition_id == edition.id, JurorProfile.user_id.in_(by_juror),
        JurorProfile.confidentiality_accepted_at.is_not(None)))) if by_juror else set()
    for juror_id, items in by_juror.items():
        juror = items[0].juror
        dossiers = sorted((a.dossier for a in items), key=lambda d: d.reference)
        mail.queue_for(juror, "assignments_published", edition=edition, round=round_,
                       dossiers=dossiers, blind=edition.is_blind, link=link,
                       cleared=juror_id in cleared)
    if assignments:
        audit.record("assignment.published", actor=actor, edition=edition, obj=round_,
                     count=len(assignments), jurors=len(by_juror))
    db.session.flush()
    return len(assignments)
