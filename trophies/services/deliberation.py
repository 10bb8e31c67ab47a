"""Results stage, deciding: the shortlist into the next round, the jury's decisions (laureate,
runners-up, mentions, Coup de cœur) with a justification wherever they depart from the
ranking, the frozen snapshot with its SHA-256 digest (amendments make new ones, the history
is kept), and the publication, now or at a scheduled time. Imports models, the domain and the
results, audit, editions and mail services; flushes, never commits; every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from trophies.domain.errors import DomainError
from trophies.domain.vocabulary import DecisionKind, DossierStatus, Phase
from trophies.models import (
    Assignment,
    Category,
    Decision,
    Dossier,
    Edition,
    ResultSnapshot,
    Round,
    User,
    db,
    utcnow,
)
from trophies.services import audit, editions, mail
from trophies.services import results as results_service
from trophies.services.results import CategoryReport, RoundReport

#: The longest justification, title and amendment reason kept (characters).
MAX_JUSTIFICATION = 5000
MAX_TITLE = 200
MAX_REASON = 2000


# --- errors ----------------------------------------------------------------------------------


class NotDeliberating(DomainError):
    """Decisions, freezing or publishing are not possible in the edition's phase."""

    code = "not_deliberating"


class ReasonRequired(DomainError):
    """A change after the verdict was frozen is an amendment: it needs a reason."""

    code = "amend_reason_required"


class JustificationRequired(DomainError):
    """Some decisions depart from the ranking without a written justification."""

    code = "justification_required"

    def __init__(self, departures: list[DecisionInput]) -> None:
        super().__init__(self.code, departures=departures)
        self.departures = departures


class InvalidDecision(DomainError):
    """A decision names a dossier outside the category or round, a bad position, a kind that
    does not belong there, a mention without title, or the same dossier twice."""

    code = "invalid_decision"


class NoResults(DomainError):
    """No round has a submitted sheet yet."""

    code = "no_results"


class NoDecision(DomainError):
    """Freezing needs at least one decision."""

    code = "no_decision"


class ShortlistClosed(DomainError):
    """The shortlist cannot change: no next round, round not closed, the next round's
    assignment is published, or the edition is past judging."""

    code = "shortlist_closed"


class PublishInPast(DomainError):
    code = "publish_in_past"


# --- decisions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionInput:
    kind: DecisionKind
    dossier_id: int
    position: int = 1
    title_fr: str = ""
    title_en: str = ""
    justification: str = ""


PLACED = (DecisionKind.LAUREATE, DecisionKind.RUNNER_UP)
#: What a category's decisions may be; the Coup de cœur is edition-wide (category None).
CATEGORY_KINDS = frozenset({DecisionKind.LAUREATE, DecisionKind.RUNNER_UP, DecisionKind.MENTION})


def decisions_of(edition: Edition) -> list[Decision]:
    return list(db.session.scalars(
        select(Decision).where(Decision.edition_id == edition.id)
        .order_by(Decision.category_id.is_(None), Decision.category_id, Decision.kind,
                  Decision.position, Decision.id)))


def place_of(entry: DecisionInput) -> int | None:
    """The place in the ranking a decision stands for: the laureate 1st, runner-up p at
    p + 1; None for a mention or a Coup de cœur (the jury's free choice)."""
    if entry.kind is DecisionKind.LAUREATE:
        return 1
    if entry.kind is DecisionKind.RUNNER_UP:
        return entry.position + 1
    return None


def departs(entry: DecisionInput, category: CategoryReport) -> bool:
    """True when the decision does not follow the ranking: the dossier at place p must have
    rank r with r <= p < r + (number of dossiers sharing rank r) — so a tie at the place is
    not a departure, and a dossier without a rank always departs."""
    place = place_of(entry)
    if place is None:
        return False
    line = next((x for x in category.lines if x.dossier.id == entry.dossier_id), None)
    if line is None or line.result.rank is None:
        return True
    rank = line.result.rank
    sharing = sum(1 for x in category.lines if x.result.rank == rank)
    return not rank <= place < rank + sharing


def _phase_for_change(edition: Edition, reason: str) -> bool:
    """True when the change is an amendment (frozen or published verdict: reason needed)."""
    phase = Phase(edition.phase)
    if phase is Phase.DELIBERATION:
        return False
    if phase in (Phase.FROZEN, Phase.PUBLISHED):
        if not reason.strip():
            raise ReasonRequired()
        return True
    raise NotDeliberating(phase=phase.value)


def _clean(entry: DecisionInput) -> DecisionInput:
    return DecisionInput(DecisionKind(entry.kind), int(entry.dossier_id), int(entry.position),
                         entry.title_fr.strip()[:MAX_TITLE], entry.title_en.strip()[:MAX_TITLE],
                         entry.justification.strip()[:MAX_JUSTIFICATION])


def _check_entries(entries: list[DecisionInput], category: Category | None,
                   report: RoundReport) -> CategoryReport | None:
    """Raise InvalidDecision unless `entries` fit the category (or the edition-wide Coup de
    cœur when `category` is None). Returns the category's report (None edition-wide)."""
    if category is None:
        allowed = set(report.lines)
        if any(e.kind is not DecisionKind.COUP_DE_COEUR for e in entries) or len(entries) > 1:
            raise InvalidDecision("edition-wide: one Coup de cœur only")
        section = None
    else:
        section = next((c for c in report.categories if c.category.id == category.id), None)
        allowed = {line.dossier.id for line in section.lines} if section else set()
        if any(e.kind not in CATEGORY_KINDS for e in entries):
            raise InvalidDecision("kind")
    seen_kinds: set[tuple[DecisionKind, int]] = set()
    placed: dict[int, DecisionKind] = {}
    for entry in entries:
        if entry.dossier_id not in allowed:
            raise InvalidDecision("dossier", dossier_id=entry.dossier_id)
        if entry.position < 1 or entry.position > 50:
            raise InvalidDecision("position")
        if entry.kind is DecisionKind.LAUREATE and entry.position != 1:
            raise InvalidDecision("laureate position")
        key = (entry.kind, entry.position)
        if entry.kind is not DecisionKind.MENTION and key in seen_kinds:
            raise InvalidDecision("two decisions for one place")
        seen_kinds.add(key)
        if entry.kind is DecisionKind.MENTION and not entry.title_fr:
            raise InvalidDecision("mention title")
        if entry.kind in PLACED:
            if entry.dossier_id in placed:
                raise InvalidDecision("one dossier, two places")
            placed[entry.dossier_id] = entry.kind
    if len({(e.kind, e.dossier_id) for e in entries}) != len(entries):
        raise InvalidDecision("duplicate")
    return section


def save_decisions(edition: Edition, category: Category | None, entries: list[DecisionInput],
                   *, actor: User | None, reason: str = "",
                   now: datetime | None = None) -> ResultSnapshot | None:
    """Replace the decisions of `category` (None: the edition-wide Coup de cœur) with
    `entries`. Allowed while deliberating; once the verdict is frozen or published it is an
    amendment: `reason` is required and a new snapshot is made (returned). Raises
    NotDeliberating, ReasonRequired, NoResults, InvalidDecision, JustificationRequired."""
    now = now or utcnow()
    amending = _phase_for_change(edition, reason)
    round_ = results_service.results_round(edition)
    if round_ is None:
        raise NoResults()
    if category is not None and category.edition_id != edition.id:
        raise InvalidDecision("category")
    report = results_service.round_report(round_)
    entries = [_clean(e) for e in entries]
    section = _check_entries(entries, category, report)
    missing = [e for e in entries
               if section is not None and departs(e, section) and not e.justification]
    if missing:
        raise JustificationRequired(missing)
    scope = (Decision.category_id == category.id if category is not None
             else Decision.category_id.is_(None))
    db.session.execute(delete(Decision).where(Decision.edition_id == edition.id, scope))
    references = {line.dossier.id: line.dossier.reference for line in report.lines.values()}
    for entry in entries:
        db.session.add(Decision(
            edition_id=edition.id, category_id=category.id if category else None,
            dossier_id=entry.dossier_id, kind=entry.kind, position=entry.position,
            title_fr=entry.title_fr, title_en=entry.title_en,
            justification=entry.justification, decided_at=now,
            decided_by_id=actor.id if actor else None))
    db.session.flush()
    audit.record("decisions.saved", actor=actor, edition=edition, obj=category,
                 category=category.name_fr if category else None,
                 decisions=[{"kind": str(e.kind), "position": e.position,
                             "dossier": references[e.dossier_id],
                             "departs": bool(section and departs(e, section)),
                             "title": e.title_fr, "justification": e.justification}
                            for e in entries],
                 amendment=reason.strip()[:MAX_REASON] if amending else None)
    if not amending:
        return None
    snapshot = _snapshot(edition, round_, actor=actor, now=now,
                         reason=reason.strip()[:MAX_REASON])
    if Phase(edition.phase) is Phase.PUBLISHED:
        _set_laureate_statuses(edition, round_)
    return snapshot


# --- shortlist -------------------------------------------------------------------------------


def top_n(report: RoundReport, n: int) -> dict[int, list[int]]:
    """Per category, the dossiers ranked in the first `n` places (official rank; a tie at the
    cut takes every dossier sharing the rank, so nobody is cut by an arbitrary order)."""
    return {c.category.id: [line.dossier.id for line in c.lines
                            if line.result.rank is not None and line.result.rank <= n]
            for c in report.categories}


def shortlist(round_: Round, dossier_ids: set[int], *, notify: bool, actor: User | None,
              now: datetime | None = None) -> int:
    """Shortlist `dossier_ids` (scored dossiers of the closed first round) for the next round:
    they become SHORTLISTED, the round's other shortlisted dossiers go back to ELIGIBLE.
    Possible while the edition is judging or deliberating and the next round has no published
    assignment. `notify`: the newly shortlisted candidates get an e-mail. Audited. Returns the
    number shortlisted. Raises ShortlistClosed, InvalidDecision."""
    edition = round_.edition
    following = results_service.next_round(round_)
    if following is None or round_.number != 1:
        raise ShortlistClosed("no next round")
    if Phase(edition.phase) not in (Phase.JUDGING, Phase.DELIBERATION):
        raise ShortlistClosed("phase")
    if round_.closed_at is None:
        raise ShortlistClosed("round open")
    published = db.session.scalar(select(func.count(Assignment.id)).where(
        Assignment.round_id == following.id, Assignment.published_at.is_not(None)))
    if published:
        raise ShortlistClosed("next round published")
    data = results_service.load_round(round_)
    scored = {s.dossier_id for s in data.sheets}
    if not dossier_ids or not dossier_ids <= scored:
        raise InvalidDecision("shortlist")
    newly = []
    for dossier in data.dossiers:
        if dossier.id in dossier_ids:
            if dossier.status is not DossierStatus.SHORTLISTED:
                newly.append(dossier)
            dossier.status = DossierStatus.SHORTLISTED
        elif dossier.status is DossierStatus.SHORTLISTED:
            dossier.status = DossierStatus.ELIGIBLE
    if notify:
        for dossier in newly:
            language = str(dossier.candidate.language)
            mail.queue_for(dossier.candidate, "shortlisted", edition=edition,
                           dossier=dossier, round=following,
                           round_name=following.localized("name", language),
                           link=mail.absolute_url("candidate.dossier",
                                                  reference=dossier.reference))
    chosen = sorted(d.reference for d in data.dossiers if d.id in dossier_ids)
    audit.record("shortlist.saved", actor=actor, edition=edition, obj=round_,
                 round=round_.number, next_round=following.number, dossiers=chosen,
                 count=len(chosen), notified=len(newly) if notify else 0)
    db.session.flush()
    return len(chosen)


# --- snapshots -------------------------------------------------------------------------------


def snapshots(edition: Edition) -> list[ResultSnapshot]:
    """Every snapshot of the edition, newest first."""
    return list(db.session.scalars(select(ResultSnapshot)
                                   .where(ResultSnapshot.edition_id == edition.id)
                                   .order_by(ResultSnapshot.sequence.desc())))


def latest_snapshot(edition: Edition) -> ResultSnapshot | None:
    return db.session.scalar(select(ResultSnapshot).where(ResultSnapshot.edition_id == edition.id)
                             .order_by(ResultSnapshot.sequence.desc()).limit(1))


def _snapshot(edition: Edition, round_: Round, *, actor: User | None, now: datetime,
              reason: str) -> ResultSnapshot:
    payload = results_service.payload_of(edition, round_)
    sequence = (db.session.scalar(select(func.max(ResultSnapshot.sequence))
                                  .where(ResultSnapshot.edition_id == edition.id)) or 0) + 1
    snapshot = ResultSnapshot(edition_id=edition.id, round_id=round_.id, sequence=sequence,
                              digest=results_service.digest_of(payload), payload=payload,
                              reason=reason, created_at=now,
                              created_by_id=actor.id if actor else None)
    db.session.add(snapshot)
    db.session.flush()
    audit.record("results.frozen" if sequence == 1 else "results.amended", actor=actor,
                 edition=edition, obj=snapshot, sequence=sequence, digest=snapshot.digest,
                 round=round_.number, reason=reason)
    return snapshot


def freeze(edition: Edition, *, actor: User | None, now: datetime | None = None,
           reason: str = "") -> ResultSnapshot:
    """Freeze the verdict: the edition moves from deliberation to frozen and a snapshot of
    the ranking, scores, decisions and jury is stored with its digest. Raises NotDeliberating,
    NoResults, NoDecision."""
    now = now or utcnow()
    if Phase(edition.phase) is not Phase.DELIBERATION:
        raise NotDeliberating(phase=str(edition.phase))
    round_ = results_service.results_round(edition)
    if round_ is None:
        raise NoResults()
    if not decisions_of(edition):
        raise NoDecision()
    editions.change_phase(edition, Phase.FROZEN, actor=actor, now=now)
    return _snapshot(edition, round_, actor=actor, now=now, reason=reason.strip()[:MAX_REASON])


@dataclass(frozen=True)
class Verification:
    snapshot: ResultSnapshot
    #: The stored digest is the digest of the stored payload (nobody edited either alone).
    stored_ok: bool
    recomputed_digest: str
    #: A recomputation from the raw marks and decisions gives the stored payload exactly.
    matches: bool
    differences: list[str]


def _differences(stored: Any, fresh: Any, path: str = "", limit: int = 50) -> list[str]:
    """Where two JSON values differ, as "path: stored → recomputed" lines (at most `limit`)."""
    out: list[str] = []

    def walk(a: Any, b: Any, where: str) -> None:
        if len(out) >= limit:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b)):
                walk(a.get(key), b.get(key), f"{where}.{key}" if where else str(key))
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for index, (x, y) in enumerate(zip(a, b, strict=True)):
                label = x.get("reference") or x.get("sheet") if isinstance(x, dict) else None
                walk(x, y, f"{where}[{label if label is not None else index}]")
        elif a != b:
            out.append(f"{where}: {_short(a)} → {_short(b)}")

    walk(stored, fresh, path)
    return out


def _short(value: Any) -> str:
    text = results_service.canonical({"v": value}).decode()[5:-1]
    return text if len(text) <= 80 else text[:77] + "…"


def verify(edition: Edition, snapshot: ResultSnapshot | None = None) -> Verification | None:
    """Recompute the latest snapshot (or `snapshot`) from the raw marks, criteria, policy and
    decisions now in the database and compare it with what was frozen."""
    snapshot = snapshot or latest_snapshot(edition)
    if snapshot is None:
        return None
    stored_ok = results_service.digest_of(snapshot.payload) == snapshot.digest
    round_ = db.session.get(Round, snapshot.round_id) if snapshot.round_id else None
    if round_ is None:
        return Verification(snapshot, stored_ok, "", False, ["round: missing"])
    fresh = results_service.payload_of(edition, round_)
    recomputed = results_service.digest_of(fresh)
    # the stored payload may have been edited alone (its digest no longer matches it): say where
    differences = (_differences(snapshot.payload, fresh)
                   if recomputed != snapshot.digest or not stored_ok else [])
    return Verification(snapshot, stored_ok, recomputed,
                        recomputed == snapshot.digest and stored_ok, differences)


# --- publication -----------------------------------------------------------------------------


def publish(edition: Edition, *, actor: User | None, now: datetime | None = None,
            at: datetime | None = None) -> bool:
    """Publish the frozen verdict now (`at` None or past: phase published, candidates
    e-mailed; returns True) or schedule it for `at` (returns False). Raises NotDeliberating
    unless frozen, PublishInPast for a schedule in the past."""
    now = now or utcnow()
    if Phase(edition.phase) is not Phase.FROZEN:
        raise NotDeliberating(phase=str(edition.phase))
    if at is not None and at > now:
        edition.publish_at = at
        audit.record("publication.scheduled", actor=actor, edition=edition, obj=edition,
                     at=at.isoformat())
        db.session.flush()
        return False
    _publish_now(edition, actor=actor, now=now)
    return True


def cancel_schedule(edition: Edition, *, actor: User | None) -> None:
    if edition.publish_at is None or Phase(edition.phase) is not Phase.FROZEN:
        raise NotDeliberating(phase=str(edition.phase))
    previous = edition.publish_at
    edition.publish_at = None
    audit.record("publication.unscheduled", actor=actor, edition=edition, obj=edition,
                 at=previous.isoformat())
    db.session.flush()


def publish_due(now: datetime | None = None) -> list[Edition]:
    """Publish every frozen edition whose scheduled time has come (cron, and lazily before a
    public page is served). Each edition is claimed by a conditional UPDATE, so two processes
    never publish (and e-mail) twice."""
    now = now or utcnow()
    due = db.session.scalars(select(Edition).where(
        Edition.phase == Phase.FROZEN, Edition.publish_at.is_not(None),
        Edition.publish_at <= now)).all()
    done = []
    for edition in due:
        claimed = db.session.execute(
            update(Edition).where(Edition.id == edition.id, Edition.phase == Phase.FROZEN,
                                  Edition.publish_at.is_not(None))
            .values(publish_at=None).execution_options(synchronize_session=False))
        if claimed.rowcount != 1:
            continue
        db.session.refresh(edition)
        _publish_now(edition, actor=None, now=now)
        done.append(edition)
    return done


OUTCOME_STATUSES = (DossierStatus.ELIGIBLE, DossierStatus.SHORTLISTED, DossierStatus.LAUREATE)


def _set_laureate_statuses(edition: Edition, round_: Round) -> None:
    """Laureates (and the Coup de cœur) become LAUREATE; former laureates go back to what the
    round made them (shortlisted after round 1, else eligible)."""
    winners = {d.dossier_id for d in decisions_of(edition)
               if d.kind in (DecisionKind.LAUREATE, DecisionKind.COUP_DE_COEUR)}
    fallback = DossierStatus.SHORTLISTED if round_.number > 1 else DossierStatus.ELIGIBLE
    for dossier in db.session.scalars(select(Dossier).where(
            Dossier.edition_id == edition.id,
            Dossier.status.in_((DossierStatus.LAUREATE,)) | Dossier.id.in_(winners))):
        dossier.status = DossierStatus.LAUREATE if dossier.id in winners else fallback


def _publish_now(edition: Edition, *, actor: User | None, now: datetime) -> None:
    round_ = results_service.results_round(edition)
    editions.change_phase(edition, Phase.PUBLISHED, actor=actor, now=now)
    edition.published_at = now
    edition.publish_at = None
    if round_ is not None:
        _set_laureate_statuses(edition, round_)
    sent = _announce(edition)
    snapshot = latest_snapshot(edition)
    audit.record("results.published", actor=actor, edition=edition, obj=edition,
                 digest=snapshot.digest if snapshot else None, emails=sent)
    db.session.flush()


def outcome_of(decisions: list[Decision], dossier_id: int) -> Decision | None:
    """The decision that tells a candidate their outcome (the best one if several)."""
    order = {DecisionKind.LAUREATE: 0, DecisionKind.COUP_DE_COEUR: 1,
             DecisionKind.RUNNER_UP: 2, DecisionKind.MENTION: 3}
    mine = [d for d in decisions if d.dossier_id == dossier_id]
    return min(mine, key=lambda d: (order[DecisionKind(d.kind)], d.position), default=None)


def _announce(edition: Edition) -> int:
    """E-mail every judged candidate of the edition their outcome, in their language."""
    decisions = decisions_of(edition)
    feedback_ids = set()
    if edition.is_feedback_enabled:
        from trophies.services import palmares
        feedback_ids = palmares.scored_dossier_ids(edition)
    dossiers = db.session.scalars(select(Dossier).where(
        Dossier.edition_id == edition.id, Dossier.status.in_(OUTCOME_STATUSES))
        .order_by(Dossier.reference)).all()
    palmares_url = mail.absolute_url("public.palmares", slug=edition.slug)
    for dossier in dossiers:
        decision = outcome_of(decisions, dossier.id)
        language = str(dossier.candidate.language)
        category = decision.category if decision is not None else None
        mail.queue_for(
            dossier.candidate, "results_published", edition=edition, dossier=dossier,
            outcome=str(decision.kind) if decision is not None else "none",
            category=category.localized("name", language) if category is not None else "",
            title=decision.localized("title", language) if decision is not None else "",
            palmares_url=palmares_url,
            feedback_url=(mail.absolute_url("candidate.feedback", reference=dossier.reference)
                          if dossier.id in feedback_ids else None))
    return len(dossiers)
