"""Scoring stage, the juror's view of their work: published assignments per round, grouped by
category in a per-juror shuffled order, with each sheet's state and the round's deadline.
Imports models, the scoring domain and services.scoring.

One query loads everything, whatever the number of dossiers: the dashboard, the "next
dossier" link and the sheet page's position all come from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from trophies.domain import scoring as domain
from trophies.domain.text import fold
from trophies.domain.vocabulary import ConflictStatus, SheetStatus
from trophies.models import (
    Assignment,
    Category,
    Conflict,
    Dossier,
    JurorProfile,
    Round,
    ScoreSheet,
    db,
)
from trophies.services import conflicts
from trophies.services.scoring import deadline_of, is_scoring_open


@dataclass(frozen=True)
class BoardItem:
    assignment: Assignment
    dossier: Dossier
    status: SheetStatus | None        # None: not started
    updated_at: datetime | None       # the sheet's last save

    @property
    def is_finished(self) -> bool:
        return self.status is SheetStatus.SUBMITTED


@dataclass
class RoundBoard:
    """One round of the juror's work: items by category (category order), each category's
    items in the juror's shuffled order; `items` is that whole order."""

    round: Round
    deadline: datetime | None
    is_open: bool
    items: list[BoardItem] = field(default_factory=list)
    categories: list[tuple[Category, list[BoardItem]]] = field(default_factory=list)

    @property
    def submitted(self) -> int:
        return sum(1 for i in self.items if i.status is SheetStatus.SUBMITTED)

    @property
    def drafts(self) -> int:
        return sum(1 for i in self.items if i.status is SheetStatus.DRAFT)

    @property
    def not_started(self) -> int:
        return sum(1 for i in self.items if i.status is None)

    def next_after(self, dossier_id: int) -> BoardItem | None:
        """The next unfinished dossier after `dossier_id` in the juror's order (wrapping
        round), else None when every other sheet is submitted."""
        ids = [i.dossier.id for i in self.items]
        start = ids.index(dossier_id) + 1 if dossier_id in ids else 0
        for item in self.items[start:] + self.items[:start]:
            if item.dossier.id != dossier_id and not item.is_finished:
                return item
        return None


def assigned_items(profile: JurorProfile) -> list[tuple[Round, BoardItem]]:
    """The juror's published assignments in the profile's edition that they may read (no
    confirmed conflict, dossier still in the competition), with each sheet's status. One
    query. Voided sheets count as not started."""
    confirmed = select(Conflict.id).where(
        Conflict.juror_id == Assignment.juror_id, Conflict.dossier_id == Assignment.dossier_id,
        Conflict.status == ConflictStatus.CONFIRMED)
    rows = db.session.execute(
        select(Assignment, ScoreSheet.status, ScoreSheet.updated_at)
        .join(Round, Round.id == Assignment.round_id)
        .join(Dossier, Dossier.id == Assignment.dossier_id)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Round.edition_id == profile.edition_id, Assignment.juror_id == profile.user_id,
               Assignment.published_at.is_not(None), ~confirmed.exists(),
               Dossier.status.in_(conflicts.JUDGED_STATUSES))
        .options(joinedload(Assignment.round),
                 joinedload(Assignment.dossier).joinedload(Dossier.category)))
    items = []
    for assignment, status, updated_at in rows:
        state = SheetStatus(status) if status else None
        if state is SheetStatus.VOIDED:
            state, updated_at = None, None
        items.append((assignment.round,
                      BoardItem(assignment, assignment.dossier, state, updated_at)))
    return items


def matches(item: BoardItem, query: str, *, is_blind: bool) -> bool:
    """The search box: every word of `query` in the reference, project title, category or
    (outside blind editions) company name; case and accents ignored."""
    dossier = item.dossier
    haystack = " ".join([dossier.reference, dossier.project_title, dossier.category.name_fr,
                         dossier.category.name_en, "" if is_blind else dossier.company_name])
    folded = fold(haystack)
    return all(word in folded for word in fold(query).split())


def board(profile: JurorProfile) -> list[RoundBoard]:
    """The juror's rounds in order, each with its items grouped by category and shuffled per
    juror (domain.juror_order: stable between visits, different between jurors)."""
    by_round: dict[int, RoundBoard] = {}
    for round_, item in assigned_items(profile):
        entry = by_round.get(round_.id)
        if entry is None:
            entry = by_round[round_.id] = RoundBoard(round_, deadline_of(round_),
                                                     is_scoring_open(round_))
        entry.items.append(item)
    boards = sorted(by_round.values(), key=lambda b: b.round.number)
    for entry in boards:
        order = {d: i for i, d in enumerate(domain.juror_order(
            profile.user_id, entry.round.id, [i.dossier.id for i in entry.items]))}
        groups: dict[int, tuple[Category, list[BoardItem]]] = {}
        for item in sorted(entry.items, key=lambda i: (i.dossier.category.position,
                                                       i.dossier.category_id,
                                                       order[i.dossier.id])):
            groups.setdefault(item.dossier.category_id, (item.dossier.category, []))[1].append(
                item)
        entry.categories = list(groups.values())
        entry.items = [item for _category, items in entry.categories for item in items]
    return boards
