"""Assignment stage, read side: a round's state loaded in a constant number of queries, the
preview figures (coverage, loads, expertise, connectivity) and warnings (their sentences are
in assignment_texts). Imports models and SQLAlchemy.

Who and what is "in play" for a round:
- dossiers: round 1 takes every dossier that passed screening (eligible, and those later
  shortlisted or laureate); a later round takes the shortlisted ones (and laureates);
- jurors: the edition's juror profiles that accepted the invitation and are not withdrawn.
Coverage, loads and warnings count only pairs between the two; other pairs that must stay
(a withdrawn juror's started sheet, say) are kept in the database and reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from math import ceil
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from trophies.domain.vocabulary import ConflictStatus, DossierStatus
from trophies.models import (
    Assignment,
    Conflict,
    Dossier,
    Edition,
    JurorProfile,
    Round,
    ScoreSheet,
    db,
)

FIRST_ROUND_STATUSES = (DossierStatus.ELIGIBLE, DossierStatus.SHORTLISTED, DossierStatus.LAUREATE)
LATER_ROUND_STATUSES = (DossierStatus.SHORTLISTED, DossierStatus.LAUREATE)


def statuses_in_play(round_: Round) -> tuple[DossierStatus, ...]:
    return FIRST_ROUND_STATUSES if round_.number == 1 else LATER_ROUND_STATUSES


def balanced_capacity(total_demand: int, jurors: int) -> int:
    """The default capacity: ceil(k * D / J) (the solver's default)."""
    return ceil(total_demand / jurors) if jurors else 0


@dataclass(frozen=True)
class DossierInfo:
    id: int
    reference: str
    category_id: int
    company: str
    project: str


@dataclass(frozen=True)
class Row:
    """An assignment of the round as stored."""

    id: int
    dossier_id: int
    juror_id: int
    is_pinned: bool
    source: str
    published_at: datetime | None
    sheet_status: str | None

    @property
    def is_started(self) -> bool:
        return self.sheet_status is not None

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_kept(self) -> bool:
        """A run never moves it: pinned, published or with a score sheet."""
        return self.is_pinned or self.is_published or self.is_started


@dataclass
class RoundState:
    round: Round
    edition: Edition
    k: int
    dossiers: dict[int, DossierInfo]          # in play, by reference
    profiles: list[JurorProfile]              # every juror profile of the edition, by name
    active: dict[int, JurorProfile]           # user id -> accepted, not withdrawn
    forbidden: set[tuple[int, int]]           # (dossier id, juror id): confirmed conflicts
    rows: list[Row]
    expertise: dict[int, frozenset[int]] = field(default_factory=dict)  # user id -> categories

    def counts(self, pair: tuple[int, int]) -> bool:
        """The pair is between a dossier in play and an active juror."""
        return pair[0] in self.dossiers and pair[1] in self.active

    def pins(self) -> set[tuple[int, int]]:
        """Kept pairs the solver must respect (those breaking a rule are left aside)."""
        return {(r.dossier_id, r.juror_id) for r in self.rows if r.is_kept
                and self.counts((r.dossier_id, r.juror_id))
                and (r.dossier_id, r.juror_id) not in self.forbidden}

    def capacity(self, juror_id: int) -> int:
        """The juror's effective capacity: their own, or the balanced default."""
        own = self.active[juror_id].capacity
        if own is not None:
            return own
        return balanced_capacity(self.k * len(self.dossiers), len(self.active))


def _dossier_infos():
    """The query of DossierInfo's columns, in its field order."""
    return select(Dossier.id, Dossier.reference, Dossier.category_id, Dossier.company_name,
                  Dossier.project_title)


def load_state(round_: Round) -> RoundState:
    """The round as the solver and the preview see it, in five queries."""
    edition = round_.edition
    dossiers = {values[0]: DossierInfo(*values) for values in db.session.execute(
        _dossier_infos().where(Dossier.edition_id == edition.id,
                               Dossier.status.in_(statuses_in_play(round_)))
        .order_by(Dossier.reference))}
    profiles = sorted(db.session.scalars(
        select(JurorProfile).where(JurorProfile.edition_id == edition.id)
        .options(joinedload(JurorProfile.user), selectinload(JurorProfile.expertise))).unique(),
        key=lambda p: (p.user.full_name.casefold(), p.user.email))
    active = {p.user_id: p for p in profiles
              if p.accepted_at is not None and p.withdrawn_at is None}
    forbidden = {(d, j) for d, j in db.session.execute(
        select(Conflict.dossier_id, Conflict.juror_id).where(
            Conflict.edition_id == edition.id, Conflict.status == ConflictStatus.CONFIRMED))}
    rows = [Row(*values) for values in db.session.execute(
        select(Assignment.id, Assignment.dossier_id, Assignment.juror_id, Assignment.is_pinned,
               Assignment.source, Assignment.published_at, ScoreSheet.status)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Assignment.round_id == round_.id).order_by(Assignment.id))]
    expertise = {p.user_id: frozenset(c.id for c in p.expertise) for p in profiles}
    return RoundState(round_, edition, round_.jurors_per_dossier, dossiers, profiles, active,
                      forbidden, rows, expertise)


# --- figures and warnings --------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentWarning:
    """Something the organizer should look at before publishing (see warning_text)."""

    code: str
    count: int = 0
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Summary:
    k: int
    dossiers: int
    jurors: int
    exact: int
    below: tuple[str, ...]           # references of dossiers with fewer than k jurors
    above: tuple[str, ...]
    loads: dict[int, int]            # active juror id -> load
    capacities: dict[int, int]
    load_min: int
    load_mean: float
    load_max: int
    in_expertise: int                # pairs where the juror knows the dossier's category
    pairs: int
    components: int
    warnings: tuple[AssignmentWarning, ...]

    @property
    def expertise_share(self) -> float | None:
        return self.in_expertise / self.pairs if self.pairs else None


def count_components(pairs: set[tuple[int, int]]) -> int:
    """Connected components of the juror-dossier graph (only nodes with a pair count)."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(node: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for dossier_id, juror_id in pairs:
        a, b = find(("d", dossier_id)), find(("j", juror_id))
        if a != b:
            parent[a] = b
    return len({find(node) for node in list(parent)})


def summarise(state: RoundState, pairs: set[tuple[int, int]], *, unpublished: int = 0
              ) -> Summary:
    """Figures and warnings for `pairs` (the current or the planned assignment)."""
    counted = {p for p in pairs if state.counts(p)}
    per_dossier = dict.fromkeys(state.dossiers, 0)
    loads = dict.fromkeys(state.active, 0)
    organisations: dict[tuple[int, str], int] = {}
    in_expertise = 0
    for dossier_id, juror_id in counted:
        per_dossier[dossier_id] += 1
        loads[juror_id] += 1
        profile = state.active[juror_id]
        if profile.organisation_key:
            key = (dossier_id, profile.organisation_key)
            organisations[key] = organisations.get(key, 0) + 1
        if state.dossiers[dossier_id].category_id in state.expertise[juror_id]:
            in_expertise += 1
    ref = {d: info.reference for d, info in state.dossiers.items()}
    below = tuple(ref[d] for d, n in per_dossier.items() if n < state.k)
    above = tuple(ref[d] for d, n in per_dossier.items() if n > state.k)
    capacities = {j: state.capacity(j) for j in state.active}
    name = {j: p.user.full_name for j, p in state.active.items()}
    warnings = []

    def warn(code: str, names: list[str] | tuple[str, ...], count: int | None = None) -> None:
        if names or count:
            number = len(names) if count is None else count
            warnings.append(AssignmentWarning(code, number, tuple(names)))

    warn("not_accepted", [p.user.full_name for p in state.profiles
                          if p.accepted_at is None and p.withdrawn_at is None])
    warn("no_expertise", [name[j] for j, p in state.active.items() if not p.expertise])
    warn("over_capacity", [name[j] for j in state.active if loads[j] > capacities[j]])
    cap = state.edition.max_jurors_per_organisation
    warn("organisation_cap", sorted({ref[d] for (d, _o), n in organisations.items() if n > cap}))
    warn("conflicts", sorted({ref.get(d, str(d)) for d, j in pairs if (d, j) in state.forbidden}))
    warn("inactive", [], count=sum(1 for r in state.rows if r.is_kept
                                   and r.dossier_id in state.dossiers
                                   and r.juror_id not in state.active))
    warn("below_k", below)
    components = count_components(counted)
    if components > 1:
        warnings.append(AssignmentWarning("components", components))
    warn("unpublished", [], count=unpublished)
    values = list(loads.values()) or [0]
    return Summary(
        k=state.k, dossiers=len(state.dossiers), jurors=len(state.active),
        exact=sum(1 for n in per_dossier.values() if n == state.k), below=below, above=above,
        loads=loads, capacities=capacities, load_min=min(values),
        load_mean=sum(values) / len(values), load_max=max(values), in_expertise=in_expertise,
        pairs=len(counted), components=components, warnings=tuple(warnings))


# --- the organizer's page --------------------------------------------------------------------


@dataclass(frozen=True)
class PairView:
    row: Row
    profile: JurorProfile | None
    in_expertise: bool
    is_conflict: bool


@dataclass(frozen=True)
class DossierView:
    info: DossierInfo
    pairs: tuple[PairView, ...]
    allowed: tuple[JurorProfile, ...]       # may be added: active, not there, no conflict
    in_play: bool

    @property
    def counted(self) -> int:
        return sum(1 for p in self.pairs if p.profile is not None
                   and p.profile.withdrawn_at is None and p.profile.accepted_at is not None)


@dataclass(frozen=True)
class JurorView:
    profile: JurorProfile
    load: int
    capacity: int

    @property
    def is_over(self) -> bool:
        return self.load > self.capacity


@dataclass(frozen=True)
class Preview:
    state: RoundState
    summary: Summary
    dossiers: tuple[DossierView, ...]
    jurors: tuple[JurorView, ...]
    unpublished: int
    published: int
    last_run: dict[str, Any] | None

    @property
    def last_run_at(self) -> datetime | None:
        at = (self.last_run or {}).get("at")
        return datetime.fromisoformat(at) if at else None


def preview(round_: Round) -> Preview:
    """Everything the assignment page shows, in a constant number of queries."""
    state = load_state(round_)
    unpublished = sum(1 for r in state.rows if not r.is_published)
    summary = summarise(state, {(r.dossier_id, r.juror_id) for r in state.rows},
                        unpublished=unpublished)
    by_user = {p.user_id: p for p in state.profiles}
    by_dossier: dict[int, list[Row]] = {}
    for row in state.rows:
        by_dossier.setdefault(row.dossier_id, []).append(row)
    infos = dict(state.dossiers)
    outside = [d for d in by_dossier if d not in infos]
    if outside:
        for values in db.session.execute(_dossier_infos().where(Dossier.id.in_(outside))):
            infos[values[0]] = DossierInfo(*values)
    views = []
    for dossier_id, info in sorted(infos.items(), key=lambda item: item[1].reference):
        rows = by_dossier.get(dossier_id, [])
        pairs = []
        for row in rows:
            profile = by_user.get(row.juror_id)
            expertise = info.category_id in state.expertise.get(row.juror_id, ())
            pairs.append(PairView(row, profile, expertise,
                                  (dossier_id, row.juror_id) in state.forbidden))
        taken = {r.juror_id for r in rows}
        allowed = tuple(p for j, p in state.active.items()
                        if j not in taken and (dossier_id, j) not in state.forbidden)
        pairs.sort(key=lambda p: (p.profile.user.full_name.casefold() if p.profile else ""))
        views.append(DossierView(info, tuple(pairs), allowed if dossier_id in state.dossiers
                                 else (), dossier_id in state.dossiers))
    jurors = tuple(JurorView(p, summary.loads[j], summary.capacities[j])
                   for j, p in state.active.items())
    return Preview(state, summary, tuple(views), jurors, unpublished,
                   len(state.rows) - unpublished, round_.assignment_run)
