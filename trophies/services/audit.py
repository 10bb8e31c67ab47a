"""Audit stage: append one event to the audit log in the caller's transaction."""

from __future__ import annotations

from typing import Any

from trophies.models import AuditEvent, Edition, User, db


def record(
    action: str,
    *,
    actor: User | None,
    edition: Edition | None = None,
    obj: Any = None,
    **data: Any,
) -> AuditEvent:
    """Add an event: who (`actor`, None for the system or an anonymous visitor), what
    (`action`, the object's table and id, JSON-serialisable `data`), when (now, UTC).

    Never pass secrets (passwords, tokens, session identifiers) in `data`.
    """
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        edition_id=edition.id if edition is not None else None,
        action=action,
        object_type=getattr(obj, "__tablename__", "") if obj is not None else "",
        object_id=getattr(obj, "id", None) if obj is not None else None,
        data=data,
    )
    db.session.add(event)
    return event
