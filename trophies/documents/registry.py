"""One entry point for the web views, the background jobs and the CLI: a document by kind.

`subject` names what the document is for, as text (it travels in URLs, job rows and CLI
options): results: a round number or ""; minutes, palmares: ""; certificates: a dossier
reference or "" (all); feedback, receipt: a dossier reference; book: a juror's user id or
e-mail.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from trophies.documents import KINDS, Doc, DocumentUnavailable, language_of
from trophies.models import Dossier, Edition, User, db

NEEDS_SUBJECT = frozenset({"feedback", "receipt", "book"})


def dossier_of(edition: Edition, reference: str) -> Dossier:
    dossier = db.session.scalar(select(Dossier).where(
        Dossier.edition_id == edition.id, Dossier.reference == reference.strip()))
    if dossier is None:
        raise DocumentUnavailable("unknown_dossier", _("No such dossier in this edition."))
    return dossier


def juror_of(subject: str) -> User:
    text = subject.strip()
    if text.isdigit():
        user = db.session.get(User, int(text))
    else:
        user = db.session.scalar(select(User).where(func.lower(User.email) == text.lower()))
    if user is None:
        raise DocumentUnavailable("unknown_juror", _("No such juror."))
    return user


def round_number_of(subject: str) -> int | None:
    text = subject.strip()
    if not text:
        return None
    if not text.isdigit():
        raise DocumentUnavailable("unknown_round", _("No such round."))
    return int(text)


def build(edition: Edition, kind: str, lang: str | None = None, subject: str = "", *,
          now: datetime | None = None) -> Doc:
    """The Doc of `kind` for `subject`, in `lang` (else the edition's language)."""
    if kind not in KINDS:
        raise DocumentUnavailable("unknown_kind", _("No such document."))
    if kind in NEEDS_SUBJECT and not subject.strip():
        raise DocumentUnavailable("subject_required", _("Say whom the document is for."))
    lang = language_of(edition, lang)
    if kind == "results":
        from trophies.documents import results

        return results.build(edition, lang, round_number=round_number_of(subject), now=now)
    if kind == "minutes":
        from trophies.documents import minutes

        return minutes.build(edition, lang, now=now)
    if kind == "palmares":
        from trophies.documents import palmares

        return palmares.build_palmares(edition, lang, now=now)
    if kind == "certificates":
        from trophies.documents import palmares

        return palmares.build_certificates(edition, lang, reference=subject.strip() or None,
                                           now=now)
    if kind == "feedback":
        from trophies.documents import feedback

        return feedback.build(dossier_of(edition, subject), lang, now=now)
    if kind == "receipt":
        from trophies.documents import receipt

        return receipt.build(dossier_of(edition, subject), lang, now=now)
    from trophies.documents import book

    return book.build(edition, juror_of(subject), lang, now=now)


def subjects(edition: Edition, kind: str) -> list[str]:
    """Every subject of a per-person kind, for generating all of them at once (CLI)."""
    if kind == "feedback":
        from trophies.documents import feedback

        return [d.reference for d in feedback.subjects(edition)]
    if kind == "receipt":
        from trophies.documents import receipt

        return [d.reference for d in receipt.subjects(edition)]
    if kind == "book":
        from trophies.documents import book

        return [str(u.id) for u in book.subjects(edition)]
    return [""]
