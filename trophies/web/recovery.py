"""Web layer: nothing typed is lost when a session or CSRF token expires.

A form posted without a valid session or token is kept (secrets left out) and handed back to
the same page once, after the user logs in again: small forms in the signed session cookie,
larger ones (an application's long answers) in the database under a random key that only
this browser's session holds.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import session
from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict

from trophies.domain.tokens import digest, new_token
from trophies.models import RecoveredForm, db, utcnow

#: Fields never kept: secrets and the stale CSRF token.
SECRET_FIELDS = frozenset({"csrf_token", "password", "current_password", "new_password",
                           "confirm", "password_confirm"})
#: The session is a cookie (about 4 KB): beyond this, the form goes to the database.
MAX_COOKIE_CHARACTERS = 2500
#: A kept form larger than this is not kept at all (the request limit bounds it anyway).
MAX_KEPT_CHARACTERS = 500_000
#: Kept forms older than this are forgotten.
KEPT_FOR = timedelta(days=2)
KEY = "recovered_form"


def is_secret(name: str) -> bool:
    """Secret by its name, with or without a form prefix ("pw-current_password")."""
    return name.rsplit("-", 1)[-1] in SECRET_FIELDS


def stash_form(path: str, form: MultiDict[str, Any]) -> bool:
    """Keep the posted fields for `path`; False when there is nothing or too much to keep.

    Commits its own row when the form goes to the database: this runs on error paths (expired
    session or token) whose request changes nothing else.
    """
    items = [(k, str(v)) for k, v in form.items(multi=True) if not is_secret(k)]
    size = sum(len(k) + len(v) for k, v in items)
    if not items or size > MAX_KEPT_CHARACTERS:
        return False
    if size <= MAX_COOKIE_CHARACTERS:
        session[KEY] = {"path": path, "items": items}
        return True
    key, key_hash = new_token()
    db.session.execute(delete(RecoveredForm).where(RecoveredForm.created_at
                                                   < utcnow() - KEPT_FOR))
    db.session.add(RecoveredForm(key_hash=key_hash, path=path, items=items))
    db.session.commit()
    session[KEY] = {"path": path, "key": key}
    return True


def recover_form(path: str) -> MultiDict[str, Any] | None:
    """The fields kept for `path`, once; None when there are none."""
    kept = session.get(KEY)
    if not kept or kept.get("path") != path:
        return None
    session.pop(KEY, None)
    if "items" in kept:
        return MultiDict([tuple(item) for item in kept["items"]])
    row = db.session.scalar(select(RecoveredForm).where(
        RecoveredForm.key_hash == digest(kept.get("key", "")), RecoveredForm.path == path))
    if row is None:
        return None
    items = row.items
    db.session.delete(row)
    db.session.commit()
    return MultiDict([tuple(item) for item in items])
