"""Web layer: a candidate's feedback from the jury, once the results are published (routes on
the `candidate` blueprint, which requires a login).

Only the dossier's candidate and its accepted co-founders see it, and only when
services.palmares.feedback_for gives something (edition published, feedback enabled, the
dossier scored); everyone else, and everything else, gets 404. Jurors' names never reach the
template: the service hands over the comments alone, in an order that does not tell who
wrote what.
"""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trophies import permissions
from trophies.models import Dossier, db
from trophies.services import palmares
from trophies.web import charts
from trophies.web.candidate.views import bp
from trophies.web.formatting import decimal_separator


def _readable_dossier(reference: str) -> Dossier:
    """The dossier if the current user is its candidate or an accepted co-founder, else 404."""
    dossier = db.session.scalar(
        select(Dossier).where(Dossier.reference == reference)
        .options(selectinload(Dossier.members), selectinload(Dossier.edition)))
    if dossier is None or not (permissions.can_view_dossier_as_candidate(current_user, dossier)
                               or dossier.can_edit(current_user.id)):
        abort(404)
    return dossier


def profile_chart(item: palmares.Feedback, language: str) -> Markup:
    """The criterion profile of one round: the dossier's averages against the category's (the
    web page and its PDF, trophies/documents/feedback.py)."""
    bars = [charts.Bar(label=line.criterion.localized("name", language),
                       value=float(line.mine) if line.mine is not None else None,
                       reference=float(line.category) if line.category is not None else None)
            for line in item.criteria]
    return charts.profile(
        bars, title=_("Your averages per criterion, out of 100"),
        description=_("For each criterion, the average of your application's marks, out of "
                      "100, beside the average of the applications of your category."),
        id_prefix=f"feedback-round-{item.round.number}",
        value_label=_("Your application"), reference_label=_("Category average"),
        decimal_separator=decimal_separator())


@bp.get("/dossiers/<reference>/feedback")
def feedback(reference: str):
    dossier = _readable_dossier(reference)
    rounds = palmares.feedback_for(dossier)
    db.session.commit()  # a scheduled publication whose time has come was just made
    if not rounds:
        abort(404)
    language = str(get_locale() or "fr")
    return render_template(
        "candidate/feedback.html", dossier=dossier, edition=dossier.edition, rounds=rounds,
        charts={item.round.id: profile_chart(item, language) for item in rounds})
