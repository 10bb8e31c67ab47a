"""Document: the procès-verbal of the jury's deliberation (organizers only, confidential).

Once the verdict is frozen the latest snapshot is authoritative (scores, ranks, decisions,
justifications, number of sheets, method); before, the decisions as currently recorded are
printed under a "Draft — results not frozen" marker and no digest. The meeting's own facts
(date, place, chair, attendance, notes) come from services.minutes. Imports models, the domain
and the services; writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from trophies import documents
from trophies.documents import Doc, DocumentUnavailable
from trophies.documents.palmares import award_label
from trophies.domain.phases import is_at_least
from trophies.domain.text import fold
from trophies.domain.vocabulary import ConflictStatus, DecisionKind, Phase, SheetStatus
from trophies.models import (
    Assignment,
    Category,
    Conflict,
    Dossier,
    Edition,
    JurorProfile,
    ResultSnapshot,
    Round,
    ScoreSheet,
    User,
    db,
)
from trophies.services import deliberation, minutes
from trophies.services import results as results_service
from trophies.services.deliberation import DecisionInput
from trophies.services.scoring import criteria_of


@dataclass(frozen=True)
class DecisionRow:
    label: str
    reference: str
    company: str
    project: str
    score: Fraction | None
    rank: int | None
    tied: bool
    departs: bool
    justification: str
    category: str  # the dossier's category, shown for an edition-wide award ("" otherwise)


@dataclass(frozen=True)
class Section:
    name: str
    rows: tuple[DecisionRow, ...]


@dataclass(frozen=True)
class RoundMethod:
    number: int
    name: str
    criteria: tuple[tuple[str, int], ...]  # (name, weight)
    sheets: int
    is_deliberated: bool


@dataclass(frozen=True)
class ConflictRow:
    juror: str
    reference: str
    company: str
    scored: bool


@dataclass(frozen=True)
class Attendee:
    name: str
    organisation: str


def _fraction(text: str | None) -> Fraction | None:
    return Fraction(text) if text else None


def _departs(item: dict[str, Any], lines: list[dict[str, Any]]) -> bool:
    """deliberation.departs, on the payload's lines of the decision's category."""
    place = deliberation.place_of(DecisionInput(DecisionKind(item["kind"]), 0,
                                                int(item["position"])))
    if place is None:
        return False
    line = next((x for x in lines if x["reference"] == item["dossier"]), None)
    if line is None or line.get("rank") is None:
        return True
    rank = int(line["rank"])
    sharing = sum(1 for x in lines if x.get("rank") == rank)
    return not rank <= place < rank + sharing


def _sections(edition: Edition, payload: dict[str, Any], lang: str) -> list[Section]:
    """The decisions by category (in the edition's order), then the edition-wide Coup de
    cœur, each with its dossier's score and rank from the same payload."""
    lines = {d["reference"]: d for d in payload.get("dossiers", [])}
    by_category: dict[str | None, list[dict[str, Any]]] = {}
    for line in payload.get("dossiers", []):
        by_category.setdefault(line.get("category"), []).append(line)
    decisions = payload.get("decisions", [])
    categories = db.session.scalars(select(Category).where(Category.edition_id == edition.id)
                                    .order_by(Category.position, Category.id)).all()
    order = {c.id: i for i, c in enumerate(categories)}
    names = {c.id: c.localized("name", lang) for c in categories}
    by_french_name = {c.name_fr: c.localized("name", lang) for c in categories}
    runners = {}
    for item in decisions:
        if item["kind"] == DecisionKind.RUNNER_UP:
            runners[item.get("category_id")] = runners.get(item.get("category_id"), 0) + 1
    grouped: dict[Any, list[DecisionRow]] = {}
    kind_order = {k: i for i, k in enumerate(("laureate", "runner_up", "mention",
                                              "coup_de_coeur"))}
    for item in sorted(decisions, key=lambda d: (
            d.get("category_id") is None, order.get(d.get("category_id"), 999),
            kind_order.get(d["kind"], 9), int(d["position"]), d["dossier"])):
        line = lines.get(item["dossier"], {})
        category_id = item.get("category_id")
        departs = (category_id is not None
                   and _departs(item, by_category.get(item.get("category"), [])))
        title = item.get(f"title_{lang}") or item.get("title_fr") or ""
        grouped.setdefault(category_id, []).append(DecisionRow(
            award_label(item["kind"], int(item["position"]), title,
                        numbered=runners.get(category_id, 0) > 1),
            item["dossier"], item.get("company") or "", item.get("project") or "",
            _fraction(line.get("score")), line.get("rank"), bool(line.get("tied")),
            departs, (item.get("justification") or "").strip(),
            "" if category_id is not None
            else by_french_name.get(line.get("category"), line.get("category") or "")))
    sections = []
    for category_id, rows in grouped.items():
        if category_id is None:
            name = _("Edition-wide award")
        else:
            name = names.get(category_id) or next(
                (d.get("category") or "" for d in decisions
                 if d.get("category_id") == category_id), "")
        sections.append(Section(name, tuple(rows)))
    return sections


def _tie_rule(rule: dict[str, Any] | None, names: dict[str, str]) -> str:
    if not rule:
        return ""
    if rule.get("rule") == "criterion":
        return _("the higher average on “%(criterion)s”",
                 criterion=names.get(str(rule.get("key")), str(rule.get("key"))))
    if rule.get("rule") == "median":
        return _("the higher median of the sheet totals")
    return _("the higher mean of the sheet totals")


def _method(edition: Edition, payload: dict[str, Any], round_: Round | None,
            lang: str) -> tuple[list[RoundMethod], list[str]]:
    """Each round up to the deliberated one (criteria and weights, sheets), and the tie-break
    rules in words. The deliberated round's sheets are the payload's."""
    number = int(payload.get("round") or (round_.number if round_ else 0))
    rounds = db.session.scalars(select(Round).where(Round.edition_id == edition.id,
                                                    Round.number <= number)
                                .order_by(Round.number)).all()
    out, names = [], {}
    for item in rounds:
        criteria = criteria_of(item, levels=False)
        if item.number == number:
            names = {c.key or str(c.id): c.localized("name", lang) for c in criteria}
            sheets = len(payload.get("sheets", []))
        else:
            sheets = results_service.count_submitted(item)
        out.append(RoundMethod(item.number, item.localized("name", lang),
                               tuple((c.localized("name", lang), c.weight) for c in criteria),
                               sheets, item.number == number))
    rules = [_tie_rule(r, names) for r in payload.get("policy", {}).get("tie_break", [])]
    return out, [r for r in rules if r]


def _conflicts(edition: Edition) -> list[ConflictRow]:
    """Confirmed conflicts by juror then reference; `scored` tells whether the juror ever
    submitted a sheet on the dossier (such a sheet is not counted: services.results)."""
    rows = db.session.execute(
        select(Conflict.juror_id, Conflict.dossier_id, User.full_name, Dossier.reference,
               Dossier.company_name)
        .join(User, User.id == Conflict.juror_id).join(Dossier, Dossier.id == Conflict.dossier_id)
        .where(Conflict.edition_id == edition.id, Conflict.status == ConflictStatus.CONFIRMED)
    ).all()
    scored = set()
    if rows:
        scored = {(j, d) for j, d in db.session.execute(
            select(Assignment.juror_id, Assignment.dossier_id)
            .join(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
            .join(Round, Round.id == Assignment.round_id)
            .where(Round.edition_id == edition.id, ScoreSheet.status == SheetStatus.SUBMITTED,
                   Assignment.juror_id.in_({r.juror_id for r in rows})))}
    out = [ConflictRow(r.full_name, r.reference, r.company_name,
                       (r.juror_id, r.dossier_id) in scored) for r in rows]
    return sorted(out, key=lambda c: (fold(c.juror), c.juror, c.reference))


def _attendance(edition: Edition, attendee_ids: frozenset[int]
                ) -> tuple[list[Attendee], list[Attendee], list[Attendee]]:
    """(present, absent or excused, withdrawn) jurors, each by name with their organisation."""
    organisations = dict(db.session.execute(
        select(JurorProfile.user_id, JurorProfile.organisation)
        .where(JurorProfile.edition_id == edition.id)).all())

    def person(user: User) -> Attendee:
        return Attendee(user.full_name, organisations.get(user.id) or "")

    jury = minutes.jurors_of(edition)
    present = [person(u) for u in jury if u.id in attendee_ids]
    absent = [person(u) for u in jury if u.id not in attendee_ids]
    return present, absent, [person(u) for u in minutes.withdrawn_jurors_of(edition)]


def _source(edition: Edition) -> tuple[ResultSnapshot | None, Round | None, dict[str, Any]]:
    """The latest snapshot once the verdict is frozen (its round and payload); else the live
    payload of the deliberated round. Raises DocumentUnavailable("no_results")."""
    phase = Phase(edition.phase)
    unavailable = DocumentUnavailable(
        "no_results", _("The minutes can be printed once the deliberation has begun on a round "
                        "with submitted score sheets."))
    if not is_at_least(phase, Phase.DELIBERATION):
        raise unavailable
    snapshot = (deliberation.latest_snapshot(edition) if is_at_least(phase, Phase.FROZEN)
                else None)
    if snapshot is not None:
        round_ = db.session.get(Round, snapshot.round_id) if snapshot.round_id else None
        return snapshot, round_, snapshot.payload
    round_ = results_service.results_round(edition)
    if round_ is None:
        raise unavailable
    return None, round_, results_service.payload_of(edition, round_)


def build(edition: Edition, lang: str, *, now: datetime | None = None) -> Doc:
    """The procès-verbal of `edition` in `lang`. Raises DocumentUnavailable("no_results")
    before the deliberation or without a round with submitted sheets."""
    lang = documents.language_of(edition, lang)
    snapshot, round_, payload = _source(edition)
    inputs = minutes.inputs_of(edition)
    with documents.in_language(lang):
        name = edition.localized("name", lang)
        title = _("Minutes of the jury deliberation — %(edition)s", edition=name)
        sections = _sections(edition, payload, lang)
        rounds, tie_rules = _method(edition, payload, round_, lang)
        conflicts = _conflicts(edition)
        present, absent, withdrawn = _attendance(edition, inputs.attendee_ids)
        html = documents.render_html(
            "pdf/minutes.html", edition=edition, lang=lang, title=title, now=now,
            digest=snapshot.digest if snapshot else None, edition_name=name,
            snapshot=snapshot, inputs=inputs, sections=sections, rounds=rounds,
            tie_rules=tie_rules, aggregation=payload.get("policy", {}).get("aggregation"),
            conflicts=conflicts, present=present, absent=absent, withdrawn=withdrawn,
            attendance_recorded=bool(inputs.attendee_ids))
        filename = documents.slug_filename(_("minutes"), edition.slug)
    rows = sum(len(s.rows) for s in sections) + len(conflicts) + len(present) + len(absent)
    return Doc(kind="minutes", filename=filename, title=title, lang=lang, html=html,
               rows=rows + len(rounds) + 10,
               meta={"draft": snapshot is None,
                     "digest": snapshot.digest if snapshot else None,
                     "sequence": snapshot.sequence if snapshot else None,
                     "round": payload.get("round"),
                     "decisions": sum(len(s.rows) for s in sections)})
