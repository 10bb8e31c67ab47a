"""Results stage, reading: a round's submitted score sheets loaded in a constant number of
queries and handed to the pure computation (`domain.results`, `domain.ranking`); the report the
organizer's pages show, a dossier's sheets, and the canonical payload that a frozen snapshot
stores and its digest covers. Imports models, the domain and the scoring service; writes
nothing.

Which sheets count: submitted sheets of the round's published assignments, on dossiers still in
play for the round (eligible, shortlisted or laureate; shortlisted or laureate after round 1),
without a confirmed conflict. Drafts and voided sheets never count.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import and_, exists, func, select

from trophies.domain import ranking
from trophies.domain import results as domain
from trophies.domain.scoring import Entry, Scale, sheet_total
from trophies.domain.vocabulary import ConflictStatus, DecisionKind, SheetStatus
from trophies.models import (
    Assignment,
    Category,
    Conflict,
    Criterion,
    Decision,
    Dossier,
    Edition,
    JurorProfile,
    Mark,
    Round,
    ScoreSheet,
    User,
    db,
)
from trophies.services.assignment_stats import statuses_in_play
from trophies.services.scoring import criteria_of, entries_of, scales_of

#: The payload's format; a change to what it holds or how it is written needs a new value.
SCHEMA = "trophies.results/1"
#: Posterior draws for the rank intervals (design.md §5).
RESAMPLES = 2000


# --- which round, which policy ---------------------------------------------------------------


def _submitted_in(round_id: Any):
    """SQL condition: the round has at least one submitted sheet."""
    return exists(select(ScoreSheet.id).join(Assignment, ScoreSheet.assignment_id == Assignment.id)
                  .where(Assignment.round_id == round_id,
                         ScoreSheet.status == SheetStatus.SUBMITTED))


def results_round(edition: Edition) -> Round | None:
    """The round the deliberation is about: the last round with a submitted sheet."""
    return db.session.scalar(
        select(Round).where(Round.edition_id == edition.id, _submitted_in(Round.id))
        .order_by(Round.number.desc()).limit(1))


def next_round(round_: Round) -> Round | None:
    return db.session.scalar(select(Round).where(Round.edition_id == round_.edition_id,
                                                 Round.number == round_.number + 1))


def seed_of(round_: Round) -> int:
    """The seed of the posterior draws: the round's assignment seed when there is one, else a
    number derived from the edition and the round (stable, recorded in the payload)."""
    run = round_.assignment_run or {}
    if isinstance(run.get("seed"), int):
        return int(run["seed"])
    text = f"{round_.edition.slug}:{round_.number}".encode()
    return int.from_bytes(hashlib.sha256(text).digest()[:4], "big")


def policy_of(round_: Round, criteria: list[Criterion] | None = None) -> domain.Policy:
    """The edition's declared aggregation and tie-break rules, with the fixed method settings."""
    criteria = criteria if criteria is not None else criteria_of(round_, levels=False)
    rules = ranking.parse_rules(round_.edition.tie_break or [],
                                {c.key: c.id for c in criteria if c.key})
    return domain.Policy(aggregation=str(round_.edition.aggregation), tie_break=tuple(rules),
                         resamples=RESAMPLES, seed=seed_of(round_))


# --- loading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundData:
    """Everything the computation of one round reads, as loaded."""

    round: Round
    criteria: tuple[Criterion, ...]
    dossiers: tuple[Dossier, ...]            # in play and assigned in the round, by reference
    sheets: tuple[domain.SheetInput, ...]    # submitted, by sheet id
    pending: int    # published pairs still expected (not voided, juror not withdrawn), unsubmitted


def _conflicted(round_: Round):
    return exists(select(Conflict.id).where(
        Conflict.edition_id == round_.edition_id, Conflict.juror_id == Assignment.juror_id,
        Conflict.dossier_id == Assignment.dossier_id,
        Conflict.status == ConflictStatus.CONFIRMED))


def load_round(round_: Round) -> RoundData:
    """The round's criteria, dossiers and submitted marks (four queries, any size)."""
    criteria = tuple(criteria_of(round_, levels=False))
    in_play = statuses_in_play(round_)
    dossiers = tuple(db.session.scalars(
        select(Dossier).where(
            Dossier.edition_id == round_.edition_id, Dossier.status.in_(in_play),
            exists(select(Assignment.id).where(Assignment.round_id == round_.id,
                                               Assignment.dossier_id == Dossier.id,
                                               Assignment.published_at.is_not(None))))
        .order_by(Dossier.reference)))
    counted = and_(Assignment.round_id == round_.id, Assignment.published_at.is_not(None),
                   ~_conflicted(round_), Dossier.status.in_(in_play))
    rows = db.session.execute(
        select(ScoreSheet.id, Assignment.dossier_id, Assignment.juror_id, ScoreSheet.status,
               Mark.criterion_id, Mark.value, Mark.is_na, JurorProfile.withdrawn_at)
        .select_from(Assignment).join(Dossier, Assignment.dossier_id == Dossier.id)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .outerjoin(Mark, Mark.sheet_id == ScoreSheet.id)
        .outerjoin(JurorProfile, and_(JurorProfile.user_id == Assignment.juror_id,
                                      JurorProfile.edition_id == round_.edition_id))
        .where(counted)).all()
    marks: dict[int, dict[int, int | None]] = defaultdict(dict)
    owners: dict[int, tuple[int, int]] = {}
    pairs: set[tuple[int, int]] = set()
    done: set[tuple[int, int]] = set()
    for sheet_id, dossier_id, juror_id, status, criterion_id, value, is_na, withdrawn_at in rows:
        if status != SheetStatus.SUBMITTED:
            # still expected, as on the progress page: not voided, juror still on the jury
            if status != SheetStatus.VOIDED and withdrawn_at is None:
                pairs.add((dossier_id, juror_id))
            continue
        pairs.add((dossier_id, juror_id))
        done.add((dossier_id, juror_id))
        owners[sheet_id] = (dossier_id, juror_id)
        if criterion_id is not None:
            marks[sheet_id][criterion_id] = None if is_na else value
    sheets = tuple(domain.SheetInput(sheet_id, *owners[sheet_id], dict(marks[sheet_id]))
                   for sheet_id in sorted(owners))
    return RoundData(round_, criteria, dossiers, sheets, len(pairs - done))


def compute(data: RoundData, policy: domain.Policy | None = None) -> domain.RoundResult:
    """The domain computation over loaded data."""
    policy = policy or policy_of(data.round, list(data.criteria))
    return domain.compute([domain.DossierInput(d.id, d.category_id) for d in data.dossiers],
                          data.sheets, _scales(data), policy)


def _scales(data: RoundData) -> list[Scale]:
    return scales_of(list(data.criteria))


def sheet_totals(data: RoundData) -> dict[int, Fraction | None]:
    """Each submitted sheet's exact total (domain.scoring.sheet_total), by sheet id."""
    scales = _scales(data)
    return {s.sheet_id: sheet_total(scales, {cid: Entry(value, value is None)
                                             for cid, value in s.marks.items()})
            for s in data.sheets}


def criterion_averages(sheets: list[domain.SheetInput], criteria: list[Criterion]
                       ) -> dict[int, dict[int, Fraction]]:
    """dossier id -> criterion id -> average of the marks rescaled to 0-100, over the sheets
    that marked it (N/A left out, never counted as 0)."""
    spans = {c.id: (c.scale_min, c.scale_max - c.scale_min) for c in criteria}
    sums: dict[int, dict[int, list[Fraction]]] = defaultdict(lambda: defaultdict(list))
    for sheet in sheets:
        for cid, value in sheet.marks.items():
            if value is not None and cid in spans:
                low, span = spans[cid]
                sums[sheet.dossier_id][cid].append(Fraction(100 * (value - low), span))
    return {d: {c: sum(v, Fraction(0)) / len(v) for c, v in by.items()}
            for d, by in sums.items()}


# --- the organizer's report ------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One dossier's row in a category table."""

    dossier: Dossier
    result: domain.DossierResult
    close_call: bool
    decisions: tuple[Decision, ...]


@dataclass(frozen=True)
class CategoryReport:
    category: Category
    result: domain.CategoryResult
    lines: tuple[Line, ...]
    cut: int


@dataclass(frozen=True)
class JurorLine:
    user: User
    result: domain.JurorResult


@dataclass(frozen=True)
class RoundReport:
    edition: Edition
    round: Round
    criteria: tuple[Criterion, ...]
    result: domain.RoundResult
    categories: tuple[CategoryReport, ...]
    jurors: tuple[JurorLine, ...]
    pending: int
    next_round: Round | None
    is_deliberated: bool

    @property
    def lines(self) -> dict[int, Line]:
        return {line.dossier.id: line for c in self.categories for line in c.lines}


def decisions_by_dossier(edition: Edition) -> dict[int, tuple[Decision, ...]]:
    grouped: dict[int, list[Decision]] = defaultdict(list)
    for decision in db.session.scalars(select(Decision).where(Decision.edition_id == edition.id)
                                       .order_by(Decision.kind, Decision.position)):
        grouped[decision.dossier_id].append(decision)
    return {key: tuple(value) for key, value in grouped.items()}


def round_report(round_: Round, *, cut: int = 1, category_id: int | None = None,
                 data: RoundData | None = None) -> RoundReport:
    """The whole report of a round (the computation runs on the whole round: offsets are
    fitted over every category; `category_id` only filters what is shown)."""
    data = data or load_round(round_)
    result = compute(data)
    edition = round_.edition
    dossiers = {d.id: d for d in data.dossiers}
    decisions = decisions_by_dossier(edition)
    categories = db.session.scalars(select(Category).where(Category.edition_id == edition.id)
                                    .order_by(Category.position, Category.id)).all()
    by_id = {c.category_id: c for c in result.categories}
    reports = []
    for category in categories:
        if category_id is not None and category.id != category_id:
            continue
        outcome = by_id.get(category.id)
        if outcome is None or not outcome.dossiers:
            continue
        close = domain.close_calls(outcome, cut)
        lines = tuple(Line(dossiers[r.dossier_id], r, r.dossier_id in close,
                           decisions.get(r.dossier_id, ())) for r in outcome.dossiers)
        reports.append(CategoryReport(category, outcome, lines, cut))
    users = {u.id: u for u in db.session.scalars(
        select(User).where(User.id.in_([j.juror_id for j in result.jurors])))}
    jurors = tuple(sorted((JurorLine(users[j.juror_id], j) for j in result.jurors),
                          key=lambda line: (line.user.full_name.casefold(), line.user.id)))
    deliberated = results_round(edition)
    return RoundReport(edition, round_, data.criteria, result, tuple(reports), jurors,
                       data.pending, next_round(round_),
                       deliberated is not None and deliberated.id == round_.id)


# --- one dossier's sheets ----------------------------------------------------------------------


@dataclass(frozen=True)
class SheetDetail:
    sheet_id: int
    juror: User
    status: str
    submitted_at: Any
    total: Fraction | None
    marks: tuple[tuple[Criterion, int | None, bool, str], ...]
    general_comment: str


@dataclass(frozen=True)
class DossierDetail:
    dossier: Dossier
    round: Round
    line: Line | None
    category_average: dict[int, Fraction]
    sheets: tuple[SheetDetail, ...]
    criteria: tuple[Criterion, ...]


def dossier_detail(round_: Round, dossier: Dossier) -> DossierDetail:
    """Every sheet of `dossier` in the round (drafts too, marked as such) with the juror's
    name, marks and comments; its line of the report; the category's average per criterion."""
    report = round_report(round_, category_id=dossier.category_id)
    line = report.lines.get(dossier.id)
    criteria = report.criteria
    scales = scales_of(list(criteria))
    category_average: dict[int, Fraction] = {}
    if report.categories:
        sums: dict[int, list[Fraction]] = defaultdict(list)
        for other in report.categories[0].lines:
            for criterion_id, value in other.result.criteria.items():
                sums[criterion_id].append(value)
        category_average = {key: sum(v, Fraction(0)) / len(v) for key, v in sums.items()}
    rows = db.session.execute(
        select(ScoreSheet, User).join(Assignment, ScoreSheet.assignment_id == Assignment.id)
        .join(User, Assignment.juror_id == User.id)
        .where(Assignment.round_id == round_.id, Assignment.dossier_id == dossier.id)
        .order_by(User.full_name, User.id)).all()
    by_criterion = {c.id: c for c in criteria}
    sheets = []
    for sheet, juror in rows:
        entries = entries_of(sheet)
        marks = tuple((by_criterion[cid], entries[cid].value, entries[cid].is_na,
                       entries[cid].comment)
                      for cid in by_criterion if cid in entries)
        sheets.append(SheetDetail(sheet.id, juror, str(sheet.status), sheet.submitted_at,
                                  sheet_total(scales, entries), marks, sheet.general_comment))
    return DossierDetail(dossier, round_, line, category_average, tuple(sheets), criteria)


# --- the canonical payload -------------------------------------------------------------------


def _fraction(value: Fraction | None) -> str | None:
    return None if value is None else f"{value.numerator}/{value.denominator}"


def _float(value: float | None, places: int = 6) -> float | None:
    """`value` rounded to `places` decimals; never -0.0 (PostgreSQL's JSONB stores numbers as
    numeric, which has no negative zero: a stored -0.0 would come back 0.0 and break the
    digest) and never NaN or infinity (not JSON): None instead."""
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), places) + 0.0


def canonical(payload: dict[str, Any]) -> bytes:
    """The bytes the digest covers: sorted keys, no spaces, UTF-8."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()


def digest_of(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(payload)).hexdigest()


def _rule(rule: ranking.TieBreak | None, keys: dict[int, str]) -> dict[str, Any] | None:
    if rule is None:
        return None
    out: dict[str, Any] = {"rule": str(rule.rule)}
    if rule.criterion_id is not None:
        out["key"] = keys.get(rule.criterion_id, str(rule.criterion_id))
    return out


def payload_of(edition: Edition, round_: Round) -> dict[str, Any]:
    """What a snapshot freezes: the inputs (every submitted mark, the criteria with weights and
    scales, the policy), the outputs (per dossier: sheets' totals, raw and corrected scores,
    interval, rank, flags; per juror: offset) and the decisions and jury. Plain JSON; exact
    scores as "numerator/denominator"; floats rounded to 6 decimals."""
    data = load_round(round_)
    policy = policy_of(round_, list(data.criteria))
    result = compute(data, policy)
    keys = {c.id: c.key or str(c.id) for c in data.criteria}
    references = {d.id: d.reference for d in data.dossiers}
    categories = {c.id: c.name_fr for c in edition.categories}
    jurors = {u.id: u for u in db.session.scalars(
        select(User).where(User.id.in_({s.juror_id for s in data.sheets})))}
    sheets = [{
        "sheet": sheet.sheet_id, "dossier": references[sheet.dossier_id],
        "juror": sheet.juror_id,
        "marks": {keys[cid]: ("na" if value is None else value)
                  for cid, value in sorted(sheet.marks.items()) if cid in keys},
    } for sheet in data.sheets]
    dossiers = []
    for category in result.categories:
        for line in category.dossiers:
            dossiers.append({
                "reference": references[line.dossier_id],
                "category": categories.get(line.category_id, str(line.category_id)),
                "sheets": line.sheets,
                "totals": [_fraction(t) for t in line.totals],
                "mean": _fraction(line.mean), "median": _fraction(line.median),
                "score": _fraction(line.score),
                "criteria": {keys[cid]: _fraction(v) for cid, v in sorted(line.criteria.items())
                             if cid in keys},
                "sd": _float(line.sd), "spread": _fraction(line.spread),
                "disagreement": line.disagreement,
                "corrected": _float(line.corrected), "corrected_rank": line.corrected_rank,
                "rank": line.rank, "tied": line.tied,
                "broken_by": _rule(line.broken_by, keys),
                "interval": list(line.interval) if line.interval else None,
                "p_first": _float(line.p_first, 4), "in_top_set": line.in_top_set,
                "component": line.component,
            })
    dossiers.sort(key=lambda d: (d["category"], d["rank"] is None, d["rank"] or 0,
                                 d["reference"]))
    decisions = [{
        "kind": str(d.kind), "position": d.position,
        "category": categories.get(d.category_id) if d.category_id else None,
        "category_id": d.category_id,
        "dossier": d.dossier.reference, "company": d.dossier.company_name,
        "project": d.dossier.project_title, "title_fr": d.title_fr, "title_en": d.title_en,
        "justification": d.justification,
    } for d in db.session.scalars(select(Decision).where(Decision.edition_id == edition.id))]
    decisions.sort(key=lambda d: (d["category"] or "", _KIND_ORDER[d["kind"]], d["position"],
                                  d["dossier"]))
    return {
        "schema": SCHEMA,
        "edition": edition.slug,
        "round": round_.number,
        "policy": {
            "aggregation": policy.aggregation,
            "tie_break": [_rule(r, keys) for r in policy.tie_break],
            "ridge": policy.ridge, "min_sheets": policy.min_sheets,
            "resamples": policy.resamples, "level": policy.level, "seed": policy.seed,
            "disagreement": policy.disagreement, "scale": "0-100",
        },
        "criteria": [{"key": keys[c.id], "name": c.name_fr, "weight": c.weight,
                      "min": c.scale_min, "max": c.scale_max, "step": c.scale_step,
                      "allows_na": c.allows_na} for c in data.criteria],
        "sheets": sheets,
        "dossiers": dossiers,
        "jurors": [{"id": j.juror_id, "name": jurors[j.juror_id].full_name
                    if j.juror_id in jurors else "", "sheets": j.sheets,
                    "offset": _float(j.offset), "held": j.held, "component": j.component}
                   for j in result.jurors],
        "reliability": {"icc_single": _float(result.icc_single),
                        "icc_mean": _float(result.icc_mean), "k": _float(result.k),
                        "residual_sd": _float(result.residual_sd),
                        "components": result.components},
        "decisions": decisions,
    }


_KIND_ORDER = {DecisionKind.LAUREATE.value: 0, DecisionKind.RUNNER_UP.value: 1,
               DecisionKind.MENTION.value: 2, DecisionKind.COUP_DE_COEUR.value: 3}


def count_submitted(round_: Round) -> int:
    return db.session.scalar(
        select(func.count(ScoreSheet.id)).join(Assignment, ScoreSheet.assignment_id
                                               == Assignment.id)
        .where(Assignment.round_id == round_.id, ScoreSheet.status == SheetStatus.SUBMITTED)) or 0
