"""Document 7, the candidate's submission receipt as PDF: what was submitted, when (in the
edition's time zone), by whom, every answer and file, and the dossier digest: the SHA-256 of
the canonical JSON (services.results.canonical: sorted keys, no spaces, UTF-8) of what was
submitted, so a candidate can prove what they sent. Imports the documents package, the models
and the dossiers, results and submissions services.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from trophies import documents
from trophies.domain.vocabulary import DossierStatus, QuestionKind
from trophies.models import AuditEvent, Dossier, Edition, User, db
from trophies.services import dossiers as dossier_service
from trophies.services import results as results_service
from trophies.services.submissions import IDENTITY

#: Names the payload's layout: a change of what the digest covers needs a new version.
SCHEMA = "trophies.dossier/1"
NOT_SUBMITTED = (DossierStatus.DRAFT, DossierStatus.WITHDRAWN)


def is_submitted(dossier: Dossier) -> bool:
    return dossier.status not in NOT_SUBMITTED and dossier.submitted_at is not None


def subjects(edition: Edition) -> list[Dossier]:
    """The edition's submitted dossiers (neither drafts nor withdrawn), by reference."""
    return list(db.session.scalars(
        select(Dossier).where(Dossier.edition_id == edition.id,
                              Dossier.status.not_in(NOT_SUBMITTED),
                              Dossier.submitted_at.is_not(None))
        .order_by(Dossier.reference)))


def dossier_payload(dossier: Dossier) -> dict[str, Any]:
    """What the dossier digest covers, independent of the reader's language and of the order
    rows were stored in: the reference, the dossier's own fields, every non-empty answer by
    question key as stored (option codes), the founders (name, role) in order, each file's
    question key, name, size and SHA-256, and the submission instant (UTC, to the second)."""
    keys = {q.id: q.key for q in dossier.edition.questions}
    kinds = {q.id: q.kind for q in dossier.edition.questions}
    answers = {keys[a.question_id]: a.value for a in dossier.answers
               if a.question_id in keys and kinds[a.question_id] != QuestionKind.FILE
               and (a.value or "").strip()}
    files = sorted(({"question": keys.get(a.question_id, ""), "name": a.original_name,
                     "size": a.size_bytes, "sha256": a.sha256} for a in dossier.attachments),
                   key=lambda f: (f["question"], f["name"], f["sha256"]))
    submitted = dossier.submitted_at
    return {
        "schema": SCHEMA,
        "reference": dossier.reference,
        "fields": {f.key: getattr(dossier, f.key) or "" for f in IDENTITY},
        "answers": answers,
        "founders": [{"name": f.full_name, "role": f.role_title or ""}
                     for f in sorted(dossier.founders, key=lambda f: (f.position, f.id))],
        "files": files,
        "submitted_at": (submitted.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                         if submitted else None),
    }


def dossier_digest(dossier: Dossier) -> str:
    """SHA-256 hex of the canonical JSON of `dossier_payload`: the digest the receipt
    prints. Any change to a covered element changes it."""
    return results_service.digest_of(dossier_payload(dossier))


def submitter_of(dossier: Dossier) -> User:
    """Who submitted: the actor of the dossier's latest "dossier.submitted" event (a
    co-founder may have), else the dossier's candidate."""
    actor = db.session.scalar(
        select(User).join(AuditEvent, AuditEvent.actor_id == User.id)
        .where(AuditEvent.action == "dossier.submitted", AuditEvent.object_type == "dossiers",
               AuditEvent.object_id == dossier.id)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).limit(1))
    return actor or dossier.candidate


def build(dossier: Dossier, lang: str, *, now: datetime | None = None) -> documents.Doc:
    """The receipt of `dossier` in `lang`. Raises DocumentUnavailable("not_submitted") for a
    draft or a withdrawn dossier."""
    edition = dossier.edition
    lang = documents.language_of(edition, lang)
    if not is_submitted(dossier):
        raise documents.DocumentUnavailable(
            "not_submitted", _("This application has not been submitted: there is no "
                               "receipt."))
    digest = dossier_digest(dossier)
    questions = dossier_service.questions_of(edition)
    with documents.in_language(lang):
        lines = dossier_service.answer_lines(dossier, questions, language=lang)
        title = _("Submission receipt — %(reference)s", reference=dossier.reference)
        html = documents.render_html(
            "pdf/receipt.html", edition=edition, lang=lang, title=title, now=now,
            dossier=dossier, lines=lines, files=list(dossier.attachments),
            submitter=submitter_of(dossier), dossier_digest=digest)
        filename = documents.slug_filename(_("submission receipt"), dossier.reference)
    return documents.Doc(
        kind="receipt", filename=filename, title=title, lang=lang, html=html,
        rows=len(lines) + len(dossier.attachments) + len(dossier.founders) + 8,
        meta={"reference": dossier.reference, "digest": digest})
