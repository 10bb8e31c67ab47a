"""Authorization: pure predicates can_*(user, obj) used by views and templates alike.

A predicate looks only at the objects it is given (loaded by the caller), never at the request.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from trophies.domain.vocabulary import Role


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


PREDICATES = {
    name: obj for name, obj in dict(globals()).items() if name.startswith(("can_", "is_", "has_"))
}


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(PREDICATES)
