"""Authorization: pure predicates can_*(user, obj) used by views and templates alike.

A predicate looks only at the objects it is given (loaded by the caller), never at the request.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from trophies.domain.vocabulary import ConflictStatus, DossierStatus, Role

#: A juror never reads a dossier in these statuses, assigned or not (a dossier found ineligible
#: after its assignment was published, or withdrawn, is out of the competition).
NOT_FOR_JURORS = frozenset({DossierStatus.DRAFT, DossierStatus.WITHDRAWN,
                            DossierStatus.INELIGIBLE})


def _authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_admin(user: Any) -> bool:
    return _authenticated(user) and bool(user.is_admin)


def has_role(user: Any, edition: Any, role: Role) -> bool:
    """True when `user` holds `role` in `edition` (memberships are loaded with the user)."""
    if not _authenticated(user) or edition is None:
        return False
    return any(m.edition_id == edition.id and m.role == role for m in user.memberships)


def is_organizer(user: Any, edition: Any) -> bool:
    return has_role(user, edition, Role.ORGANIZER)


def can_manage_edition(user: Any, edition: Any) -> bool:
    """Organizers of the edition; platform administrators everywhere."""
    return is_admin(user) or is_organizer(user, edition)


def can_view_outbox(user: Any) -> bool:
    return is_admin(user)


def can_view_audit_log(user: Any) -> bool:
    return is_admin(user)


def can_access_admin(user: Any) -> bool:
    """The organizer area: administrators and anyone organizing at least one edition."""
    if is_admin(user):
        return True
    return _authenticated(user) and any(m.role == Role.ORGANIZER for m in user.memberships)


def can_view_dossier_as_candidate(user: Any, dossier: Any) -> bool:
    return _authenticated(user) and dossier.candidate_id == user.id


def is_active_juror(user: Any, edition: Any, *, juror_profile: Any = None) -> bool:
    """A juror of `edition` (membership) whose `juror_profile` there is theirs and who has not
    withdrawn (nor been removed) and has accepted the latest invitation. The caller loads the
    profile; None means no."""
    if not has_role(user, edition, Role.JUROR) or juror_profile is None:
        return False
    return (juror_profile.user_id == user.id and juror_profile.edition_id == edition.id
            and juror_profile.accepted_at is not None and juror_profile.withdrawn_at is None)


def has_accepted_confidentiality(juror_profile: Any) -> bool:
    return juror_profile is not None and juror_profile.confidentiality_accepted_at is not None


def is_assigned_without_conflict(user: Any, dossier: Any, *, assignments: Any = (),
                                 conflicts: Any = ()) -> bool:
    """One of `assignments` (any round, published) gives `dossier` to `user`, and none of
    `conflicts` is a confirmed one for that pair."""
    if not _authenticated(user):
        return False
    assigned = any(a.juror_id == user.id and a.dossier_id == dossier.id
                   and a.published_at is not None for a in assignments)
    conflicted = any(c.juror_id == user.id and c.dossier_id == dossier.id
                     and c.status == ConflictStatus.CONFIRMED for c in conflicts)
    return assigned and not conflicted


def is_cleared_juror_for(user: Any, dossier: Any, *, assignments: Any = (),
                         juror_profile: Any = None, conflicts: Any = ()) -> bool:
    """A juror may read `dossier` (never one in NOT_FOR_JURORS) when they are an active juror
    of its edition (`is_active_juror`), their `juror_profile` has accepted the
    confidentiality statement, one of `assignments` (any round, published) gives it to them
    and none of `conflicts` is confirmed for that pair. The caller loads the three; anything
    missing means no."""
    if dossier.status in NOT_FOR_JURORS:
        return False
    if not (is_active_juror(user, dossier.edition, juror_profile=juror_profile)
            and has_accepted_confidentiality(juror_profile)):
        return False
    return is_assigned_without_conflict(user, dossier, assignments=assignments,
                                        conflicts=conflicts)


#: The juror's dossier page and the files it links to answer to the same rule.
can_view_dossier_as_juror = is_cleared_juror_for


def can_download_attachment(user: Any, attachment: Any, *, assignments: Any = (),
                            juror_profile: Any = None, conflicts: Any = (),
                            question: Any = None) -> bool:
    """The candidate who owns the dossier; organizers of its edition and administrators; a
    cleared juror (is_cleared_juror_for), except in a blind edition for a question hidden from
    jurors (`question` is the attachment's question; without it a blind edition says no).
    `attachment.dossier` and its edition should be loaded by the caller."""
    if not _authenticated(user):
        return False
    dossier = attachment.dossier
    if dossier.candidate_id == user.id or can_manage_edition(user, dossier.edition):
        return True
    if dossier.edition.is_blind and attachment.question_id is not None and (
            question is None or question.id != attachment.question_id
            or question.is_hidden_when_blind):
        return False
    return is_cleared_juror_for(user, dossier, assignments=assignments,
                                juror_profile=juror_profile, conflicts=conflicts)


PREDICATES = {
    name: obj for name, obj in dict(globals()).items() if name.startswith(("can_", "is_", "has_"))
}


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(PREDICATES)
