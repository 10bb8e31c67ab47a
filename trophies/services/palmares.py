"""Publication stage, reading: what the public and the candidates see once the verdict is
published — the palmarès (from the latest frozen snapshot, so nothing decided after it
leaks), the JSON feed for organizers' own sites, the laureates' logos, and each candidate's
own feedback. Nothing here is visible before publication. Imports models, the domain and the
results and deliberation services; writes nothing, except that a visit after a scheduled
publication time makes that publication (`publish_if_due`, as the cron job would).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import select

from trophies.domain.text import fold
from trophies.domain.vocabulary import DecisionKind, Phase, QuestionKind, SheetStatus
from trophies.models import (
    Assignment,
    Attachment,
    Category,
    Criterion,
    Dossier,
    Edition,
    Mark,
    Question,
    ResultSnapshot,
    Round,
    ScoreSheet,
    db,
    utcnow,
)
from trophies.services import deliberation, mail
from trophies.services import results as results_service

#: The feed's schema name; documented in docs/palmares-feed.md. A breaking change needs /2.
FEED_SCHEMA = "trophies.palmares/1"
LOGO_TYPES = ("image/png", "image/jpeg")
SHOWN = (DecisionKind.LAUREATE, DecisionKind.RUNNER_UP, DecisionKind.MENTION,
         DecisionKind.COUP_DE_COEUR)


def is_published(edition: Edition) -> bool:
    """The verdict is public: the edition is published (or archived after publication)."""
    phase = Phase(edition.phase)
    return phase is Phase.PUBLISHED or (phase is Phase.ARCHIVED
                                        and edition.published_at is not None)


# --- the palmarès ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Award:
    kind: str
    position: int
    title: str
    reference: str
    company_name: str
    project_title: str
    summary: str
    website: str
    city: str
    logo_url: str | None
    dossier_id: int = 0


@dataclass(frozen=True)
class CategoryAwards:
    category_id: int
    name: str
    description: str
    laureates: tuple[Award, ...]
    runners_up: tuple[Award, ...]
    mentions: tuple[Award, ...]


@dataclass(frozen=True)
class Palmares:
    edition: Edition
    published_at: datetime | None
    categories: tuple[CategoryAwards, ...]
    coup_de_coeur: Award | None
    digest: str
    sequence: int


def logos_of(edition: Edition, dossier_ids: set[int]) -> dict[int, Attachment]:
    """Each dossier's logo: its image answer to the edition's "logo" question (else its first
    PNG/JPEG answer to a file question)."""
    rows = db.session.execute(
        select(Attachment, Question.key).join(Question, Attachment.question_id == Question.id)
        .where(Attachment.dossier_id.in_(dossier_ids), Question.edition_id == edition.id,
               Question.kind == QuestionKind.FILE, Attachment.content_type.in_(LOGO_TYPES))
        .order_by(Attachment.id)).all()
    logos: dict[int, Attachment] = {}
    for attachment, key in rows:
        current = logos.get(attachment.dossier_id)
        if current is None or (key == "logo" and current.question_id != attachment.question_id):
            logos[attachment.dossier_id] = attachment
    return logos


def snapshot_decisions(snapshot_payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for d in snapshot_payload.get("decisions", []) if d.get("kind") in SHOWN]


def publish_if_due(edition: Edition, now: datetime | None = None) -> None:
    """A frozen edition whose scheduled publication time has passed is published now (the
    first visit does what the cron job `publish-due` would do a little later; the caller
    commits). Costs no query otherwise."""
    now = now or utcnow()
    if (Phase(edition.phase) is Phase.FROZEN and edition.publish_at is not None
            and edition.publish_at <= now):
        deliberation.publish_due(now)


def palmares(edition: Edition, language: str) -> Palmares | None:
    """The published palmarès in `language` (None before publication): the decisions of the
    latest snapshot, with each dossier's public fields (company, project, short description,
    city, website, logo). A scheduled publication whose time has come is made first."""
    publish_if_due(edition)
    if not is_published(edition):
        return None
    snapshot = deliberation.latest_snapshot(edition)
    if snapshot is None:
        return None
    return snapshot_palmares(edition, snapshot, language)


def snapshot_palmares(edition: Edition, snapshot: ResultSnapshot, language: str) -> Palmares:
    """The palmarès that `snapshot`'s decisions make, in `language`, whether published or not
    (the caller decides who may see it: `palmares` checks publication)."""
    decisions = snapshot_decisions(snapshot.payload)
    references = {d["dossier"] for d in decisions}
    dossiers = {d.reference: d for d in db.session.scalars(
        select(Dossier).where(Dossier.edition_id == edition.id,
                              Dossier.reference.in_(references)))}
    logos = logos_of(edition, {d.id for d in dossiers.values()})

    def award(item: dict[str, Any]) -> Award | None:
        dossier = dossiers.get(item["dossier"])
        if dossier is None:
            return None
        title = item.get(f"title_{language}") or item.get("title_fr") or ""
        logo = logos.get(dossier.id)
        return Award(item["kind"], int(item["position"]), title, dossier.reference,
                     item.get("company") or dossier.company_name,
                     item.get("project") or dossier.project_title, dossier.summary or "",
                     dossier.website or "", dossier.city or "",
                     mail_url("public.palmares_logo", slug=edition.slug,
                              reference=dossier.reference) if logo else None, dossier.id)

    categories = []
    # by category id (a category renamed after the freeze keeps its awards); None: edition-wide
    by_category: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    all_categories = db.session.scalars(select(Category).where(Category.edition_id == edition.id)
                                        .order_by(Category.position, Category.id)).all()
    for item in decisions:
        by_category[item.get("category_id")].append(item)
    for category in all_categories:
        items = sorted(by_category.get(category.id, ()), key=lambda d: int(d["position"]))

        def of(*kinds: DecisionKind, items=items) -> tuple[Award, ...]:
            found = (award(d) for d in items if d["kind"] in kinds)
            return tuple(a for a in found if a is not None)

        laureates = of(DecisionKind.LAUREATE, DecisionKind.COUP_DE_COEUR)
        runners_up, mentions = of(DecisionKind.RUNNER_UP), of(DecisionKind.MENTION)
        if laureates or runners_up or mentions:
            categories.append(CategoryAwards(
                category.id, category.localized("name", language),
                category.localized("description", language), laureates, runners_up, mentions))
    favourite = next((award(d) for d in by_category.get(None, ())
                      if d["kind"] == DecisionKind.COUP_DE_COEUR), None)
    return Palmares(edition, edition.published_at, tuple(categories), favourite,
                    snapshot.digest, snapshot.sequence)


def mail_url(endpoint: str, **values: Any) -> str:
    """A path-only URL inside a request, an absolute one outside (CLI, feed)."""
    from flask import has_request_context, url_for
    if has_request_context():
        return url_for(endpoint, **values)
    return mail.absolute_url(endpoint, **values)


def logo(edition: Edition, reference: str) -> Attachment | None:
    """The logo of a dossier named in the published palmarès; None otherwise."""
    shown = palmares(edition, "fr")
    if shown is None:
        return None
    named = {a.reference for c in shown.categories
             for a in (*c.laureates, *c.runners_up, *c.mentions)}
    if shown.coup_de_coeur is not None:
        named.add(shown.coup_de_coeur.reference)
    if reference not in named:
        return None
    dossier = db.session.scalar(select(Dossier).where(Dossier.edition_id == edition.id,
                                                      Dossier.reference == reference))
    return logos_of(edition, {dossier.id}).get(dossier.id) if dossier else None


# --- the JSON feed ---------------------------------------------------------------------------


def feed(edition: Edition) -> dict[str, Any] | None:
    """The published palmarès as plain JSON (schema FEED_SCHEMA, docs/palmares-feed.md);
    None before publication. URLs are absolute (built from BASE_URL)."""
    french, english = palmares(edition, "fr"), palmares(edition, "en")
    if french is None or english is None:
        return None

    def entry(fr: Award, en: Award) -> dict[str, Any]:
        return {
            "kind": fr.kind, "position": fr.position,
            "title": {"fr": fr.title, "en": en.title},
            "reference": fr.reference, "company": fr.company_name, "project": fr.project_title,
            "summary": fr.summary, "city": fr.city, "website": fr.website or None,
            "logo": mail.absolute_url("public.palmares_logo", slug=edition.slug,
                                      reference=fr.reference) if fr.logo_url else None,
        }

    categories = []
    for fr_c, en_c in zip(french.categories, english.categories, strict=True):
        awards = [entry(a, b) for kind in ("laureates", "runners_up", "mentions")
                  for a, b in zip(getattr(fr_c, kind), getattr(en_c, kind), strict=True)]
        categories.append({"id": fr_c.category_id,
                           "name": {"fr": fr_c.name, "en": en_c.name},
                           "description": {"fr": fr_c.description, "en": en_c.description},
                           "awards": awards})
    favourite = (entry(french.coup_de_coeur, english.coup_de_coeur)
                 if french.coup_de_coeur and english.coup_de_coeur else None)
    return {
        "schema": FEED_SCHEMA,
        "edition": {"slug": edition.slug,
                    "name": {"fr": edition.name_fr, "en": edition.name_en or edition.name_fr},
                    "published_at": edition.published_at.isoformat()
                    if edition.published_at else None,
                    "url": mail.absolute_url("public.palmares", slug=edition.slug)},
        "snapshot": {"sequence": french.sequence, "digest": french.digest},
        "categories": categories,
        "coup_de_coeur": favourite,
    }


# --- a candidate's feedback ------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionFeedback:
    criterion: Criterion
    mine: Fraction | None
    category: Fraction | None
    comments: tuple[str, ...]


@dataclass(frozen=True)
class Feedback:
    dossier: Dossier
    round: Round
    criteria: tuple[CriterionFeedback, ...]
    general_comments: tuple[str, ...]
    score: Fraction | None
    category_score: Fraction | None


def scored_dossier_ids(edition: Edition) -> set[int]:
    """Dossiers of the edition with at least one submitted sheet in some round."""
    return set(db.session.scalars(
        select(Assignment.dossier_id).join(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .join(Round, Assignment.round_id == Round.id)
        .where(Round.edition_id == edition.id, ScoreSheet.status == SheetStatus.SUBMITTED)
        .distinct()))


def has_feedback(dossier: Dossier) -> bool:
    """Whether `feedback_for` has something for this dossier (one cheap query)."""
    edition = dossier.edition
    return (edition.is_feedback_enabled and is_published(edition)
            and dossier.id in scored_dossier_ids(edition))


def _alphabetical(text: str) -> tuple[str, str]:
    """French alphabetical order: accents and case ignored first ("Équipe" among the e)."""
    return fold(text), text


def _mean(values: list[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


def feedback_for(dossier: Dossier) -> list[Feedback]:
    """The candidate's feedback, one per round their dossier was scored in: their average per
    criterion against the category's, and the jurors' comments without names, each list in
    alphabetical order (so nothing tells which juror wrote what). Empty unless the edition is
    published and has feedback enabled."""
    edition = dossier.edition
    publish_if_due(edition)
    if not (edition.is_feedback_enabled and is_published(edition)):
        return []
    out = []
    rounds = db.session.scalars(select(Round).where(Round.edition_id == edition.id)
                                .order_by(Round.number)).all()
    for round_ in rounds:
        data = results_service.load_round(round_)
        mine_sheets = [s for s in data.sheets if s.dossier_id == dossier.id]
        if not mine_sheets:
            continue
        # The round's own computation (no posterior draws needed here): the official score
        # (mean or median per the edition) and the criterion averages, N/A left out.
        computed = results_service.compute(
            data, replace(results_service.policy_of(round_, list(data.criteria)), resamples=0))
        peers = [r for r in computed.by_dossier.values()
                 if r.category_id == dossier.category_id and r.score is not None]
        mine = computed.by_dossier[dossier.id]
        comments = _comments({s.sheet_id for s in mine_sheets})
        criteria = tuple(CriterionFeedback(
            c, mine.criteria.get(c.id),
            _mean([r.criteria[c.id] for r in peers if c.id in r.criteria]),
            tuple(sorted(comments.get(c.id, ()), key=_alphabetical)))
            for c in data.criteria)
        general = tuple(sorted(comments.get(0, ()), key=_alphabetical))
        out.append(Feedback(dossier, round_, criteria, general, mine.score,
                            _mean([r.score for r in peers])))
    return out


def _comments(sheet_ids: set[int]) -> dict[int, list[str]]:
    """Non-empty comments of the sheets by criterion id (0: general comments)."""
    found: dict[int, list[str]] = defaultdict(list)
    for criterion_id, comment in db.session.execute(
            select(Mark.criterion_id, Mark.comment).where(Mark.sheet_id.in_(sheet_ids))):
        if comment and comment.strip():
            found[criterion_id].append(comment.strip())
    for comment in db.session.scalars(select(ScoreSheet.general_comment)
                                      .where(ScoreSheet.id.in_(sheet_ids))):
        if comment and comment.strip():
            found[0].append(comment.strip())
    return found

