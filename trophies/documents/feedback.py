"""Document 4, the candidate's feedback from the jury as PDF: per round, their score and their
average per criterion against the category's (table and profile chart), the jurors' comments.

Everything comes from services.palmares.feedback_for, as on the candidate's web page
(templates/candidate/feedback.html): comments without names, in the service's alphabetical
order, so nothing links a comment to a juror. Imports the documents package, the models, the
palmares service and the web page's profile chart (no request).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from trophies import documents
from trophies.models import Dossier, Edition, db
from trophies.services import palmares


def subjects(edition: Edition) -> list[Dossier]:
    """The dossiers that have a feedback (edition published with feedback enabled, dossier
    scored in some round), by reference."""
    palmares.publish_if_due(edition)
    if not (edition.is_feedback_enabled and palmares.is_published(edition)):
        return []
    ids = palmares.scored_dossier_ids(edition)
    if not ids:
        return []
    return list(db.session.scalars(select(Dossier).where(Dossier.id.in_(ids))
                                   .order_by(Dossier.reference)))


def _profile_chart(item: palmares.Feedback, lang: str) -> Markup:
    """The web page's profile chart, its text in our font (imported here: the candidate
    blueprint's modules import each other when first loaded)."""
    from trophies.web.candidate.feedback import profile_chart

    return documents.in_our_font(profile_chart(item, lang))


def _check(dossier: Dossier) -> list[palmares.Feedback]:
    """The feedback per round, or DocumentUnavailable saying why there is none."""
    edition = dossier.edition
    if not edition.is_feedback_enabled:
        raise documents.DocumentUnavailable(
            "feedback_disabled", _("This edition does not give the jury's feedback to the "
                                   "candidates."))
    palmares.publish_if_due(edition)
    if not palmares.is_published(edition):
        raise documents.DocumentUnavailable(
            "not_published", _("The jury's feedback is available once the winners are "
                               "published."))
    rounds = palmares.feedback_for(dossier)
    if not rounds:
        raise documents.DocumentUnavailable(
            "not_scored", _("No juror scored this application: there is no feedback."))
    return rounds


def build(dossier: Dossier, lang: str, *, now: datetime | None = None) -> documents.Doc:
    """The feedback of `dossier` in `lang`. Raises DocumentUnavailable ("feedback_disabled",
    "not_published", "not_scored")."""
    edition = dossier.edition
    lang = documents.language_of(edition, lang)
    rounds = _check(dossier)
    with documents.in_language(lang):
        title = _("Jury feedback — %(project)s", project=dossier.project_title)
        html = documents.render_html(
            "pdf/feedback.html", edition=edition, lang=lang, title=title, now=now,
            dossier=dossier, rounds=rounds,
            charts={item.round.id: _profile_chart(item, lang) for item in rounds})
        filename = documents.slug_filename(_("jury feedback"), dossier.reference)
    rows = sum(len(item.criteria) * 2 + len(item.general_comments) + 4 for item in rounds)
    return documents.Doc(
        kind="feedback", filename=filename, title=title, lang=lang, html=html, rows=rows,
        meta={"reference": dossier.reference,
              "rounds": [item.round.number for item in rounds]})
