"""Scoring stage, the organizer's follow-up: how far the jurors of a round are, per juror,
per dossier and per category, in a constant number of queries (Core selects returning
tuples). Imports models, the domain and the scoring service; reads only.

Which pairs count (the same rule as the reminders): published assignments of the round whose
sheet is not voided, on dossiers jurors may read (not in permissions.NOT_FOR_JURORS), without a
confirmed conflict. A pair is unfinished while it has no sheet or a draft one. A withdrawn
juror can no longer finish anything: their submitted sheets still count, their unfinished
pairs are left out everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import and_, or_, select

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
    User,
    db,
)
from trophies.permissions import NOT_FOR_JURORS
from trophies.services import reminders
from trophies.services.assignment_stats import statuses_in_play
from trophies.services.scoring import (
    deadline_of,
    is_scoring_open,
)

MAX_QUERY = 200


class JurorStatus(StrEnum):
    """The juror filter: LATE has unfinished sheets, DONE has submitted them all, IDLE has
    not started any (an idle juror is late too)."""

    LATE = "late"
    DONE = "done"
    IDLE = "idle"


@dataclass(frozen=True)
class Counts:
    """Pairs that count, and how many of them are submitted or in draft."""

    assigned: int = 0
    submitted: int = 0
    drafts: int = 0

    @property
    def not_started(self) -> int:
        return self.assigned - self.submitted - self.drafts

    @property
    def unfinished(self) -> int:
        return self.assigned - self.submitted

    @property
    def percent(self) -> int:
        """Percent submitted, rounded down (100 only when everything is in); 0 when empty."""
        return 100 * self.submitted // self.assigned if self.assigned else 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.assigned + other.assigned, self.submitted + other.submitted,
                      self.drafts + other.drafts)


@dataclass(frozen=True)
class Pair:
    """One counted pair of the round: who, which dossier, its sheet (None: not started)."""

    assignment_id: int
    dossier_id: int
    juror_id: int
    sheet_id: int | None
    status: SheetStatus | None
    updated_at: datetime | None

    @property
    def counts(self) -> Counts:
        return Counts(1, int(self.status is SheetStatus.SUBMITTED),
                      int(self.status is SheetStatus.DRAFT))


@dataclass(frozen=True)
class SheetLink:
    """A juror of a dossier row, with the sheet to link to."""

    juror_id: int
    juror_name: str
    sheet_id: int | None
    status: SheetStatus | None


@dataclass(frozen=True)
class JurorRow:
    juror_id: int
    name: str
    email: str
    counts: Counts
    last_activity: datetime | None
    last_reminder: datetime | None
    is_withdrawn: bool
    #: The juror would get a reminder now (services.reminders.pending_by_juror).
    can_remind: bool = False

    @property
    def is_late(self) -> bool:
        return self.counts.unfinished > 0

    @property
    def is_done(self) -> bool:
        return self.counts.assigned > 0 and self.counts.unfinished == 0

    @property
    def is_idle(self) -> bool:
        return self.counts.assigned > 0 and self.counts.submitted + self.counts.drafts == 0

    def has_status(self, status: JurorStatus | None) -> bool:
        return status is None or {JurorStatus.LATE: self.is_late, JurorStatus.DONE: self.is_done,
                                   JurorStatus.IDLE: self.is_idle}[status]


@dataclass(frozen=True)
class DossierRow:
    dossier_id: int
    reference: str
    project_title: str
    company_name: str
    category_id: int
    k: int
    counts: Counts
    jurors: tuple[SheetLink, ...]


@dataclass(frozen=True)
class CategoryRow:
    category: Category
    dossiers: int
    counts: Counts


@dataclass(frozen=True)
class RoundProgress:
    """What the progress page shows. `totals` and `late_jurors` (those a reminder would reach
    now) describe the whole round whatever the filters, since reminding and closing act on
    the whole round; the three lists are filtered."""

    round: Round
    deadline: datetime | None
    is_closed: bool
    is_scoring_open: bool
    totals: Counts
    late_jurors: int
    jurors: tuple[JurorRow, ...]
    dossiers: tuple[DossierRow, ...]
    categories: tuple[CategoryRow, ...]
    all_categories: tuple[Category, ...]
    category_id: int | None = None
    juror_status: JurorStatus | None = None
    query: str = ""
    filtered: bool = False


# --- loading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Juror:
    name: str
    email: str
    is_withdrawn: bool


@dataclass(frozen=True)
class _Dossier:
    reference: str
    project_title: str
    company_name: str
    category_id: int

    @property
    def folded(self) -> str:
        return fold(f"{self.reference} {self.project_title} {self.company_name}")


def _pairs(round_: Round) -> tuple[list[Pair], dict[int, _Juror]]:
    """The round's pairs that count, with their jurors (one query)."""
    conflicted = select(Conflict.id).where(
        Conflict.juror_id == Assignment.juror_id, Conflict.dossier_id == Assignment.dossier_id,
        Conflict.status == ConflictStatus.CONFIRMED).exists()
    rows = db.session.execute(
        select(Assignment.id, Assignment.dossier_id, Assignment.juror_id, ScoreSheet.id,
               ScoreSheet.status, ScoreSheet.updated_at, User.full_name, User.email,
               JurorProfile.withdrawn_at)
        .select_from(Assignment)
        .join(Dossier, Dossier.id == Assignment.dossier_id)
        .join(User, User.id == Assignment.juror_id)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .outerjoin(JurorProfile, and_(JurorProfile.user_id == Assignment.juror_id,
                                      JurorProfile.edition_id == Dossier.edition_id))
        .where(Assignment.round_id == round_.id, Assignment.published_at.is_not(None),
               Dossier.status.not_in(sorted(NOT_FOR_JURORS)), ~conflicted,
               or_(ScoreSheet.status.is_(None), ScoreSheet.status != SheetStatus.VOIDED))
        .order_by(Assignment.id))
    pairs, jurors = [], {}
    for (assignment_id, dossier_id, juror_id, sheet_id, status, updated_at, name, email,
         withdrawn_at) in rows:
        status = SheetStatus(status) if status is not None else None
        if withdrawn_at is not None and status is not SheetStatus.SUBMITTED:
            continue
        pairs.append(Pair(assignment_id, dossier_id, juror_id, sheet_id, status,
                          updated_at if sheet_id is not None else None))
        jurors[juror_id] = _Juror(name, email, withdrawn_at is not None)
    return pairs, jurors


def _dossiers(round_: Round) -> dict[int, _Dossier]:
    """The dossiers in play in the round, and those it assigned (one query)."""
    assigned = select(Assignment.dossier_id).where(Assignment.round_id == round_.id,
                                                   Assignment.published_at.is_not(None))
    rows = db.session.execute(
        select(Dossier.id, Dossier.reference, Dossier.project_title, Dossier.company_name,
               Dossier.category_id)
        .where(Dossier.edition_id == round_.edition_id,
               Dossier.status.not_in(sorted(NOT_FOR_JURORS)),
               or_(Dossier.status.in_(statuses_in_play(round_)), Dossier.id.in_(assigned)))
        .order_by(Dossier.reference))
    return {row[0]: _Dossier(*row[1:]) for row in rows}


def _categories(round_: Round) -> tuple[Category, ...]:
    return tuple(db.session.scalars(select(Category).where(
        Category.edition_id == round_.edition_id).order_by(Category.position, Category.id)))


def _total(pairs: Iterable[Pair]) -> Counts:
    total = Counts()
    for pair in pairs:
        total += pair.counts
    return total


# --- the page -------------------------------------------------------------------------------


def round_progress(round_: Round, *, category_id: int | None = None,
                   juror_status: JurorStatus | str | None = None,
                   query: str = "") -> RoundProgress:
    """The round's progress, in six queries whatever its size.

    Filters: `category_id` keeps the pairs of that category's dossiers (the juror, dossier and
    category lists are computed on them); `juror_status` keeps the jurors in that state (on
    those pairs) and the dossiers one of them scores; `query` keeps, ignoring case and
    accents, the jurors whose name or e-mail matches or who score a matching dossier, and the
    dossiers whose reference, project or company matches or that a matching juror scores.
    An unknown status or category means no filter. Raises nothing."""
    status = JurorStatus(juror_status) if juror_status in set(JurorStatus) else None
    words = fold(query[:MAX_QUERY]).split()
    pairs, juror_info = _pairs(round_)
    dossier_info = _dossiers(round_)
    reminded = reminders.last_reminders(round_)
    pending = reminders.pending_by_juror(round_)
    categories = _categories(round_)
    if category_id not in {c.id for c in categories}:
        category_id = None

    pairs = [p for p in pairs if p.dossier_id in dossier_info]
    totals = _total(pairs)

    scoped = [p for p in pairs
              if category_id is None or dossier_info[p.dossier_id].category_id == category_id]
    by_juror: dict[int, list[Pair]] = {}
    by_dossier: dict[int, list[Pair]] = {}
    for pair in scoped:
        by_juror.setdefault(pair.juror_id, []).append(pair)
        by_dossier.setdefault(pair.dossier_id, []).append(pair)

    jurors = {j: _juror_row(j, juror_info[j], items, reminded.get(j), j in pending)
              for j, items in by_juror.items()}
    dossier_ids = [d for d, info in dossier_info.items()
                   if category_id is None or info.category_id == category_id]

    shown_jurors, shown_dossiers = _shown(jurors, dossier_ids, by_juror, by_dossier,
                                          juror_info, dossier_info, status, words)
    juror_rows = sorted((jurors[j] for j in shown_jurors),
                        key=lambda r: (r.name.casefold(), r.email))
    dossier_rows = tuple(_dossier_row(d, dossier_info[d], by_dossier.get(d, []), juror_info,
                                      round_.jurors_per_dossier)
                         for d in dossier_ids if d in shown_dossiers)
    category_rows = tuple(
        CategoryRow(c, sum(1 for r in dossier_rows if r.category_id == c.id),
                    _total(p for r in dossier_rows if r.category_id == c.id
                           for p in by_dossier.get(r.dossier_id, ())))
        for c in categories if category_id is None or c.id == category_id)
    return RoundProgress(
        round=round_, deadline=deadline_of(round_), is_closed=round_.closed_at is not None,
        is_scoring_open=is_scoring_open(round_), totals=totals, late_jurors=len(pending),
        jurors=tuple(juror_rows), dossiers=dossier_rows, categories=category_rows,
        all_categories=categories, category_id=category_id, juror_status=status,
        query=query[:MAX_QUERY],
        filtered=category_id is not None or status is not None or bool(words))


def _shown(jurors: dict[int, JurorRow], dossier_ids: list[int],
           by_juror: dict[int, list[Pair]], by_dossier: dict[int, list[Pair]],
           juror_info: dict[int, _Juror], dossier_info: dict[int, _Dossier],
           status: JurorStatus | None, words: list[str]) -> tuple[set[int], set[int]]:
    """(juror ids, dossier ids) left by the state filter and the search words."""
    shown_jurors = {j for j, row in jurors.items() if row.has_status(status)}
    shown_dossiers = set(dossier_ids)
    if status is not None:
        shown_dossiers = {d for d in shown_dossiers
                          if any(p.juror_id in shown_jurors for p in by_dossier.get(d, ()))}
    if not words:
        return shown_jurors, shown_dossiers

    def matches(text: str) -> bool:
        return all(word in text for word in words)

    juror_hits = {j for j in shown_jurors
                  if matches(fold(f"{juror_info[j].name} {juror_info[j].email}"))}
    dossier_hits = {d for d in shown_dossiers if matches(dossier_info[d].folded)}
    return ({j for j in shown_jurors
             if j in juror_hits or any(p.dossier_id in dossier_hits for p in by_juror[j])},
            {d for d in shown_dossiers
             if d in dossier_hits or any(p.juror_id in juror_hits for p in by_dossier.get(d, ()))})


def _juror_row(juror_id: int, info: _Juror, pairs: list[Pair],
               last_reminder: datetime | None, can_remind: bool) -> JurorRow:
    activity = [p.updated_at for p in pairs if p.updated_at is not None]
    return JurorRow(juror_id, info.name, info.email, _total(pairs),
                    max(activity) if activity else None, last_reminder, info.is_withdrawn,
                    can_remind)


def _dossier_row(dossier_id: int, info: _Dossier, pairs: list[Pair],
                 jurors: dict[int, _Juror], k: int) -> DossierRow:
    links = sorted((SheetLink(p.juror_id, jurors[p.juror_id].name, p.sheet_id, p.status)
                    for p in pairs), key=lambda s: (s.juror_name.casefold(), s.juror_id))
    return DossierRow(dossier_id, info.reference, info.project_title, info.company_name,
                      info.category_id, k, _total(pairs), tuple(links))
