"""Eligibility stage: organizers mark submitted dossiers eligible or ineligible (with a reason),
one by one or in bulk, helped by the edition's automatic checks; candidates are told in their
language; every decision is audited and may change until judging starts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trophies.domain.eligibility import EligibilityRule, Failure, RuleKind, evaluate
from trophies.domain.errors import DomainError
from trophies.domain.vocabulary import DossierStatus, Phase, QuestionKind
from trophies.models import Dossier, Edition, User, db
from trophies.services import audit, mail

#: Phases in which eligibility may be decided or changed.
DECISION_PHASES = frozenset({Phase.OPEN, Phase.SCREENING})
#: Statuses an eligibility decision applies to.
SCREENED = (DossierStatus.SUBMITTED, DossierStatus.ELIGIBLE, DossierStatus.INELIGIBLE)


class EligibilityClosed(DomainError):
    """Judging has started (or the edition is not taking decisions): reopen it first."""

    code = "eligibility_closed"


class ReasonRequired(DomainError):
    code = "reason_required"


@dataclass(frozen=True)
class ScreeningRow:
    dossier: Dossier
    failures: list[Failure]


def rules_of(edition: Edition) -> list[EligibilityRule]:
    """The edition's automatic checks; malformed entries are skipped rather than fatal."""
    rules = []
    for data in edition.eligibility_rules or []:
        try:
            rules.append(EligibilityRule.from_json(data))
        except (KeyError, ValueError, TypeError):
            continue
    return rules


def screening_rows(edition: Edition) -> list[ScreeningRow]:
    """Every submitted or decided dossier with the checks it fails, in reference order."""
    rules = rules_of(edition)
    keys = {q.id: q.key for q in edition.questions}
    dossiers = db.session.scalars(
        select(Dossier).where(Dossier.edition_id == edition.id, Dossier.status.in_(SCREENED))
        .options(selectinload(Dossier.answers), selectinload(Dossier.category))
        .order_by(Dossier.reference)).all()
    return [ScreeningRow(d, evaluate(rules, {keys.get(a.question_id, ""): a.value
                                              for a in d.answers})) for d in dossiers]


def decide(edition: Edition, dossiers: list[Dossier], *, eligible: bool, reason: str,
           actor: User, now: datetime) -> int:
    """Record one decision for several dossiers of `edition`; returns how many changed.

    Raises EligibilityClosed outside the open and screening phases, ReasonRequired when
    ineligible without a reason. Dossiers of another edition or not submitted are ignored.
    Each changed dossier is audited and its candidate notified in their language.
    """
    if edition.phase not in DECISION_PHASES:
        raise EligibilityClosed(phase=str(edition.phase))
    reason = reason.strip()
    if not eligible and not reason:
        raise ReasonRequired()
    status = DossierStatus.ELIGIBLE if eligible else DossierStatus.INELIGIBLE
    changed = 0
    for dossier in dossiers:
        if dossier.edition_id != edition.id or dossier.status not in SCREENED:
            continue
        if dossier.status == status and (dossier.eligibility_reason or "") == reason:
            continue
        previous = dossier.status
        dossier.status = status
        dossier.eligibility_reason = reason or None
        dossier.eligibility_decided_at = now
        dossier.eligibility_decided_by_id = actor.id
        mail.queue_for(dossier.candidate, "eligibility_decided", edition=edition,
                       dossier=dossier, eligible=eligible, reason=reason)
        audit.record("dossier.eligibility_decided", actor=actor, edition=edition, obj=dossier,
                     previous=str(previous), status=status.value, reason=reason)
        changed += 1
    return changed


def add_rule(edition: Edition, *, question_key: str, kind: str, minimum: int | None,
             maximum: int | None, actor: User) -> None:
    """Declare an automatic check. Raises InvalidRule (unknown question, bad bounds)."""
    question = next((q for q in edition.questions if q.key == question_key), None)
    try:
        rule = EligibilityRule(question_key, RuleKind(kind), minimum, maximum)
    except ValueError as error:
        raise InvalidRule(field="kind") from error
    if question is None:
        raise InvalidRule(field="question")
    if rule.kind is RuleKind.BETWEEN:
        if question.kind != QuestionKind.NUMBER:
            raise InvalidRule(field="question")
        if minimum is None and maximum is None or (
                minimum is not None and maximum is not None and maximum < minimum):
            raise InvalidRule(field="bounds")
    data = {"question": question_key, "rule": rule.kind.value}
    if rule.kind is RuleKind.BETWEEN:
        data.update({k: v for k, v in (("min", minimum), ("max", maximum)) if v is not None})
    edition.eligibility_rules = [*(edition.eligibility_rules or []), data]
    audit.record("eligibility.rule_added", actor=actor, edition=edition, obj=edition, rule=data)


def remove_rule(edition: Edition, index: int, *, actor: User) -> None:
    """Remove the check at `index` (its position in the list). Raises InvalidRule."""
    rules = list(edition.eligibility_rules or [])
    if not 0 <= index < len(rules):
        raise InvalidRule(field="index")
    removed = rules.pop(index)
    edition.eligibility_rules = rules
    audit.record("eligibility.rule_removed", actor=actor, edition=edition, obj=edition,
                 rule=removed)


class InvalidRule(DomainError):
    code = "invalid_rule"
