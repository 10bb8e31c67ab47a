"""Assignment stage: every sentence an organizer reads about an assignment (warnings, why a
run is infeasible), in the current language; the web page and the CLI (in English) share them.
Imports Flask-Babel, the domain and assignment_stats.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext

from trophies.domain.assignment import Infeasible
from trophies.services.assignment_stats import AssignmentWarning, RoundState


def warning_text(warning: AssignmentWarning) -> str:
    """The warning in the current language (the CLI forces English)."""
    names = ", ".join(warning.names[:12]) + (" …" if len(warning.names) > 12 else "")
    n = warning.count
    texts = {
        "not_accepted": ngettext(
            "%(num)d invited juror has not accepted yet and gets no assignment: %(names)s.",
            "%(num)d invited jurors have not accepted yet and get no assignment: %(names)s.",
            n, names=names),
        "no_expertise": ngettext(
            "%(num)d juror has no expertise category: %(names)s.",
            "%(num)d jurors have no expertise category: %(names)s.", n, names=names),
        "over_capacity": ngettext(
            "%(num)d juror is over capacity: %(names)s.",
            "%(num)d jurors are over capacity: %(names)s.", n, names=names),
        "organisation_cap": ngettext(
            "%(num)d application has more jurors of one organization than allowed: %(names)s.",
            "%(num)d applications have more jurors of one organization than allowed: "
            "%(names)s.", n, names=names),
        "conflicts": ngettext(
            "%(num)d application is assigned to a juror in conflict of interest: %(names)s.",
            "%(num)d applications are assigned to a juror in conflict of interest: %(names)s.",
            n, names=names),
        "inactive": ngettext(
            "%(num)d assignment of a withdrawn juror is kept because it is pinned, published "
            "or started; it does not count towards coverage.",
            "%(num)d assignments of withdrawn jurors are kept because they are pinned, "
            "published or started; they do not count towards coverage.", n),
        "below_k": ngettext(
            "%(num)d application has fewer jurors than required (to re-assign): %(names)s.",
            "%(num)d applications have fewer jurors than required (to re-assign): %(names)s.",
            n, names=names),
        "components": _(
            "The jurors form %(num)d separate groups that share no application: severity "
            "corrections are comparable only within a group.", num=n),
        "unpublished": ngettext(
            "%(num)d assignment is not published yet: jurors do not see it.",
            "%(num)d assignments are not published yet: jurors do not see them.", n),
    }
    return texts[warning.code]


@dataclass(frozen=True)
class Explanation:
    reference: str
    missing: int
    cause: str
    group: tuple[str, ...]
    text: str


def shortfall_text(reference: str, missing: int, cause: str, group: tuple[str, ...], *,
                   organisation_cap: int) -> str:
    """Why `reference` cannot get its jurors, in plain words (current language)."""
    if cause == "conflicts":
        return ngettext(
            "%(reference)s is missing %(num)d juror: too few jurors are free of a conflict of "
            "interest with it.",
            "%(reference)s is missing %(num)d jurors: too few jurors are free of a conflict of "
            "interest with it.", missing, reference=reference)
    if cause == "organisation_cap":
        return ngettext(
            "%(reference)s is missing %(num)d juror: the jurors it may get come from too few "
            "organizations (at most %(cap)d juror of one organization per application).",
            "%(reference)s is missing %(num)d jurors: the jurors it may get come from too few "
            "organizations (at most %(cap)d juror of one organization per application).",
            missing, reference=reference, cap=organisation_cap)
    if cause == "pins":
        return ngettext(
            "%(reference)s: %(num)d of its pinned or started pairs breaks a rule (conflict of "
            "interest, organization cap or capacity). Unpin or remove it.",
            "%(reference)s: %(num)d of its pinned or started pairs break a rule (conflict of "
            "interest, organization cap or capacity). Unpin or remove them.",
            missing, reference=reference)
    if not group:
        return ngettext(
            "%(reference)s is missing %(num)d juror: the jurors it could get are at full "
            "capacity. Raise capacities or invite more jurors.",
            "%(reference)s is missing %(num)d jurors: the jurors it could get are at full "
            "capacity. Raise capacities or invite more jurors.", missing, reference=reference)
    return ngettext(
        "%(reference)s is missing %(num)d juror: the jurors it could get are at full capacity "
        "with the applications competing for them (%(group)s). Raise capacities or invite "
        "more jurors.",
        "%(reference)s is missing %(num)d jurors: the jurors it could get are at full "
        "capacity with the applications competing for them (%(group)s). Raise capacities or "
        "invite more jurors.", missing, reference=reference,
        group=", ".join(group[:20]) + (" …" if len(group) > 20 else ""))


def explain(error: Infeasible, state: RoundState) -> list[Explanation]:
    """The solver's shortfalls with references and plain words, by reference."""
    ref = {d: info.reference for d, info in state.dossiers.items()}
    items = []
    for s in error.shortfalls:
        reference = ref.get(s.dossier_id, str(s.dossier_id))
        group = tuple(sorted(ref.get(d, str(d)) for d in s.group if d != s.dossier_id))
        items.append(Explanation(reference, s.missing, s.cause, group, shortfall_text(
            reference, s.missing, s.cause, group,
            organisation_cap=state.edition.max_jurors_per_organisation)))
    return sorted(items, key=lambda e: e.reference)
