"""Web layer: nothing typed is lost when a session or CSRF token expires.

A form posted without a valid session is kept (server-signed, in the session cookie, secrets
left out) and handed back to the same page after the user logs in again.
"""

from __future__ import annotations

from typing import Any

from flask import session
from werkzeug.datastructures import MultiDict

#: Fields never kept: secrets and the stale CSRF token.
SECRET_FIELDS = frozenset({"csrf_token", "password", "current_password", "new_password",
                           "confirm", "password_confirm"})
#: The session is a cookie (about 4 KB): larger input is kept by the pages' own drafts.
MAX_KEPT_CHARACTERS = 2500
KEY = "recovered_form"


def is_secret(name: str) -> bool:
    """Secret by its name, with or without a form prefix ("pw-current_password")."""
    return name.rsplit("-", 1)[-1] in SECRET_FIELDS


def stash_form(path: str, form: MultiDict[str, Any]) -> bool:
    """Keep the posted fields for `path`; False when they are too large to keep."""
    items = [(k, v) for k, v in form.items(multi=True) if not is_secret(k)]
    if sum(len(k) + len(str(v)) for k, v in items) > MAX_KEPT_CHARACTERS:
        return False
    session[KEY] = {"path": path, "items": items}
    return True


def recover_form(path: str) -> MultiDict[str, Any] | None:
    """The fields kept for `path`, once; None when there are none."""
    kept = session.get(KEY)
    if not kept or kept.get("path") != path:
        return None
    session.pop(KEY, None)
    return MultiDict([tuple(item) for item in kept["items"]])
