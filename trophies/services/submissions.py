"""Submission stage: a candidate starts, saves, submits or withdraws a dossier while the call is
open; after the deadline (server clock, UTC instants) everything is read-only.

Views authorize (the dossier's candidate only) and commit; these functions flush and raise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from trophies.domain.answers import AnswerProblem, QuestionRule, check, check_all, normalise
from trophies.domain.errors import DomainError, InvalidToken
from trophies.domain.tokens import digest, new_token
from trophies.domain.vocabulary import DossierStatus, Phase, QuestionKind, Role
from trophies.models import (
    Answer,
    Category,
    Dossier,
    DossierMember,
    Edition,
    Membership,
    User,
    db,
)
from trophies.services import accounts, audit, mail


class SubmissionClosed(DomainError):
    """The call is not open (not yet, or the deadline has passed)."""

    code = "submission_closed"


class InvalidAnswers(DomainError):
    """Some answers break their limits; nothing was saved. `details["problems"]` maps each
    field or question key to an AnswerProblem or a file rejection reason."""

    code = "invalid_answers"


class IncompleteDossier(DomainError):
    """Submission refused: `details["problems"]` lists what is missing or wrong."""

    code = "incomplete_dossier"


@dataclass(frozen=True)
class IdentityField:
    key: str
    kind: QuestionKind
    required: bool
    max_length: int


#: The dossier's own fields, checked like questions.
IDENTITY = (
    IdentityField("company_name", QuestionKind.SHORT_TEXT, True, 200),
    IdentityField("project_title", QuestionKind.SHORT_TEXT, True, 200),
    IdentityField("summary", QuestionKind.LONG_TEXT, True, 1000),
    IdentityField("legal_form", QuestionKind.SHORT_TEXT, False, 40),
    IdentityField("city", QuestionKind.SHORT_TEXT, False, 120),
    IdentityField("website", QuestionKind.URL, False, 300),
)
IDENTITY_RULES = [QuestionRule(f.key, f.kind, f.required, f.max_length) for f in IDENTITY]


def call_is_open(edition: Edition, now: datetime) -> bool:
    """Open phase, and `now` within [call_opens_at, call_closes_at)."""
    if edition.phase != Phase.OPEN:
        return False
    if edition.call_opens_at is not None and now < edition.call_opens_at:
        return False
    return edition.call_closes_at is None or now < edition.call_closes_at


def is_editable(dossier: Dossier, now: datetime) -> bool:
    return (dossier.status in (DossierStatus.DRAFT, DossierStatus.SUBMITTED)
            and call_is_open(dossier.edition, now))


def _require_open(edition: Edition, now: datetime) -> None:
    if not call_is_open(edition, now):
        raise SubmissionClosed(closes_at=edition.call_closes_at)


def rules_for(edition: Edition) -> list[QuestionRule]:
    return [
        QuestionRule(q.key, QuestionKind(q.kind), q.is_required, q.max_length, q.min_value,
                     q.max_value, tuple(c["value"] for c in q.choices or []))
        for q in edition.questions
    ]


def _next_reference(edition: Edition) -> str:
    """"ES27-0013": the edition's prefix (from its existing dossiers, else its slug) and the next
    number. The unique constraint is the last word on a race."""
    last = db.session.scalar(select(Dossier.reference).where(Dossier.edition_id == edition.id)
                             .order_by(Dossier.reference.desc()).limit(1))
    if last and "-" in last:
        prefix, number = last.rsplit("-", 1)
        count = db.session.scalar(select(func.count()).select_from(Dossier).where(
            Dossier.edition_id == edition.id))
        return f"{prefix}-{max(int(number) if number.isdigit() else 0, count) + 1:04d}"
    words = [w for w in re.split(r"[^a-z]+", edition.slug.lower()) if w]
    year = re.search(r"(\d{4})", edition.slug)
    prefix = "".join(w[0] for w in words[-2:]).upper() or "D"
    prefix += year.group(1)[-2:] if year else f"{edition.id:02d}"
    return f"{prefix}-0001"


def start_dossier(edition: Edition, candidate: User, *, category_id: int, company_name: str,
                  project_title: str, now: datetime) -> Dossier:
    """A new draft in one category of an open edition. Raises SubmissionClosed, InvalidAnswers."""
    _require_open(edition, now)
    category = db.session.get(Category, category_id)
    problems: dict[str, str] = {}
    if category is None or category.edition_id != edition.id:
        problems["category_id"] = AnswerProblem.INVALID_CHOICE
    for key, raw in (("company_name", company_name), ("project_title", project_title)):
        rule = next(r for r in IDENTITY_RULES if r.key == key)
        problem = check(rule, normalise(rule, raw), to_submit=True)
        if problem is not None:
            problems[key] = problem
    if problems:
        raise InvalidAnswers(problems=problems)
    dossier = Dossier(edition_id=edition.id, category_id=category_id, candidate_id=candidate.id,
                      reference=_next_reference(edition), company_name=company_name.strip(),
                      project_title=project_title.strip(), status=DossierStatus.DRAFT,
                      created_at=now)
    db.session.add(dossier)
    if db.session.scalar(select(Membership.id).filter_by(
            user_id=candidate.id, edition_id=edition.id, role=Role.CANDIDATE)) is None:
        db.session.add(Membership(user_id=candidate.id, edition_id=edition.id,
                                  role=Role.CANDIDATE))
    db.session.flush()
    audit.record("dossier.started", actor=candidate, edition=edition, obj=dossier)
    return dossier


def answers_of(dossier: Dossier) -> dict[str, str]:
    """Question key -> stored answer."""
    keys = {q.id: q.key for q in dossier.edition.questions}
    return {keys[a.question_id]: a.value for a in dossier.answers if a.question_id in keys}


def files_of(dossier: Dossier) -> dict[str, object]:
    """Question key -> its attachment."""
    keys = {q.id: q.key for q in dossier.edition.questions}
    return {keys[a.question_id]: a for a in dossier.attachments if a.question_id in keys}


def problems_of(dossier: Dossier, *, to_submit: bool) -> dict[str, str]:
    """What keeps the dossier from being submitted (or, as a draft, from being saved)."""
    identity = {f.key: getattr(dossier, f.key) or "" for f in IDENTITY}
    problems: dict[str, str] = dict(check_all(IDENTITY_RULES, identity, files=set(),
                                              to_submit=to_submit))
    problems.update(check_all(rules_for(dossier.edition), answers_of(dossier),
                              files=set(files_of(dossier)), to_submit=to_submit))
    return problems


def save_dossier(dossier: Dossier, *, actor: User, identity: dict[str, str],
                 answers: dict[str, str | list[str]], uploads: dict[str, tuple[str, bytes]],
                 now: datetime) -> None:
    """Store the posted values. Limits always apply; a submitted dossier must stay complete.

    Raises SubmissionClosed, or InvalidAnswers with every problem (nothing is stored then:
    the caller rolls back). Files are checked by content (services.files).
    """
    from trophies.services import files

    _require_open(dossier.edition, now)
    if dossier.status not in (DossierStatus.DRAFT, DossierStatus.SUBMITTED):
        raise SubmissionClosed(status=str(dossier.status))
    for rule in IDENTITY_RULES:
        if rule.key in identity:
            setattr(dossier, rule.key, normalise(rule, identity[rule.key]))
    questions = {q.key: q for q in dossier.edition.questions}
    rules = {r.key: r for r in rules_for(dossier.edition)}
    stored = {a.question_id: a for a in dossier.answers}
    for key, raw in answers.items():
        question = questions.get(key)
        if question is None or question.kind == QuestionKind.FILE:
            continue
        value = normalise(rules[key], raw)
        if question.id in stored:
            stored[question.id].value = value
        elif value:
            dossier.answers.append(Answer(question_id=question.id, value=value))
    problems: dict[str, str] = {}
    for key, (filename, data) in uploads.items():
        question = questions.get(key)
        if question is None or question.kind != QuestionKind.FILE:
            continue
        try:
            files.store_upload(dossier, question, filename=filename, data=data)
        except files.FileRejected as rejection:
            problems[key] = f"file_{rejection.details.get('reason', 'malformed')}"
    db.session.flush()
    db.session.refresh(dossier, ["answers", "attachments"])
    problems.update(problems_of(dossier, to_submit=dossier.status == DossierStatus.SUBMITTED))
    if problems:
        raise InvalidAnswers(problems=problems)
    dossier.updated_at = now
    if dossier.status == DossierStatus.SUBMITTED:
        audit.record("dossier.updated", actor=actor, edition=dossier.edition, obj=dossier)


def submit_dossier(dossier: Dossier, *, actor: User, now: datetime) -> bool:
    """Submit a complete dossier; True when it was a draft (False: already submitted, nothing
    changes — submitting twice is harmless). Raises SubmissionClosed, IncompleteDossier."""
    _require_open(dossier.edition, now)
    if dossier.status == DossierStatus.SUBMITTED:
        return False
    if dossier.status != DossierStatus.DRAFT:
        raise SubmissionClosed(status=str(dossier.status))
    problems = problems_of(dossier, to_submit=True)
    if problems:
        raise IncompleteDossier(problems=problems)
    dossier.status = DossierStatus.SUBMITTED
    dossier.submitted_at = now
    dossier.withdrawn_at = None
    candidate = dossier.candidate
    mail.queue_for(candidate, "dossier_submitted", edition=dossier.edition, dossier=dossier,
                   closes_at=dossier.edition.call_closes_at,
                   link=mail.absolute_url("candidate.dossier", reference=dossier.reference))
    audit.record("dossier.submitted", actor=actor, edition=dossier.edition, obj=dossier)
    return True


def withdraw_dossier(dossier: Dossier, *, actor: User, now: datetime) -> None:
    """Withdraw a draft or submitted dossier before the deadline. Raises SubmissionClosed."""
    _require_open(dossier.edition, now)
    if dossier.status not in (DossierStatus.DRAFT, DossierStatus.SUBMITTED):
        raise SubmissionClosed(status=str(dossier.status))
    dossier.status = DossierStatus.WITHDRAWN
    dossier.withdrawn_at = now
    audit.record("dossier.withdrawn", actor=actor, edition=dossier.edition, obj=dossier)


def open_editions_for(now: datetime) -> list[Edition]:
    """Editions whose call is open right now, soonest deadline first."""
    from sqlalchemy.orm import selectinload

    editions = db.session.scalars(select(Edition).where(Edition.phase == Phase.OPEN)
                                  .options(selectinload(Edition.categories))).all()
    open_now = [e for e in editions if call_is_open(e, now)]
    return sorted(open_now, key=lambda e: (e.call_closes_at is None, e.call_closes_at))


# --- team: co-founders who edit the same dossier -------------------------------------------

TEAM_LIMIT = 6
TEAM_INVITATION_DAYS = 14


class TeamError(DomainError):
    """Already in the team, the team is full, or not allowed (only the candidate manages it)."""

    code = "team_error"


def invite_member(dossier: Dossier, *, email: str, actor: User, now: datetime) -> DossierMember:
    """Invite a co-founder by e-mail to edit the dossier; a single-use link valid 14 days is
    mailed (in their language if they have an account, else the edition's). Raises TeamError,
    SubmissionClosed."""
    _require_open(dossier.edition, now)
    if actor.id != dossier.candidate_id:
        raise TeamError(reason="not_owner")
    email = accounts.normalise_email(email)
    if email == dossier.candidate.email or any(m.email == email for m in dossier.members):
        raise TeamError(reason="already_member")
    if len(dossier.members) >= TEAM_LIMIT:
        raise TeamError(reason="team_full")
    token, token_hash = new_token()
    member = DossierMember(email=email, token_hash=token_hash,
                           invited_by_id=actor.id, invited_at=now,
                           expires_at=now + timedelta(days=TEAM_INVITATION_DAYS))
    dossier.members.append(member)
    db.session.flush()
    existing = accounts.find_user(email)
    language = str(existing.language) if existing else str(dossier.edition.language)
    mail.queue("team_invitation", to=email, name=existing.full_name if existing else "",
               language=language, edition=dossier.edition, dossier=dossier, inviter=actor,
               link=mail.absolute_url("candidate.join_team", token=token))
    audit.record("dossier.member_invited", actor=actor, edition=dossier.edition, obj=dossier,
                 member_id=member.id)
    return member


def pending_membership(token: str, *, now: datetime) -> DossierMember:
    """The open invitation behind a link. Raises InvalidToken (unknown, used or expired)."""
    member = db.session.scalar(select(DossierMember).where(
        DossierMember.token_hash == digest(token)))
    if member is None or member.accepted_at is not None or member.expires_at <= now:
        raise InvalidToken()
    return member


def join_team(token: str, *, user: User, now: datetime) -> DossierMember:
    """Accept an invitation: only the invited address may. Raises InvalidToken."""
    member = pending_membership(token, now=now)
    if user.email != member.email:
        raise InvalidToken(reason="other_address")
    member.user_id = user.id
    member.accepted_at = now
    member.token_hash = None
    edition = member.dossier.edition
    if db.session.scalar(select(Membership.id).filter_by(
            user_id=user.id, edition_id=edition.id, role=Role.CANDIDATE)) is None:
        db.session.add(Membership(user_id=user.id, edition_id=edition.id, role=Role.CANDIDATE))
    audit.record("dossier.member_joined", actor=user, edition=edition, obj=member.dossier,
                 member_id=member.id)
    return member


def remove_member(dossier: Dossier, member_id: int, *, actor: User) -> None:
    """The candidate removes a co-founder or cancels an invitation. Raises TeamError."""
    if actor.id != dossier.candidate_id:
        raise TeamError(reason="not_owner")
    member = next((m for m in dossier.members if m.id == member_id), None)
    if member is None:
        raise TeamError(reason="unknown_member")
    dossier.members.remove(member)
    audit.record("dossier.member_removed", actor=actor, edition=dossier.edition, obj=dossier,
                 member_id=member_id)
