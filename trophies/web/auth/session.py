"""Web layer: how a session finds its user, and what happens when it cannot."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from trophies.models import User, db
from trophies.web.recovery import stash_form


def load_user(session_token: str) -> User | None:
    """Sessions carry the user's rotating session token, never the user id. The memberships
    (every permission reads them) come in the same query."""
    return db.session.execute(
        select(User).where(User.session_token == session_token, User.is_active.is_(True))
        .options(joinedload(User.memberships))
    ).unique().scalar_one_or_none()


def unauthorized():
    """Send to the login page with a safe `next`; a posted form is kept for after the login.
    A page's background save (X-Autosave) gets 401 in JSON instead, its form kept all the same,
    so that the page can say so."""
    if request.method == "POST":
        stash_form(request.path, request.form)
    if request.headers.get("X-Autosave") == "1":
        return {"error": "login", "login_url": url_for("auth.login", next=request.path)}, 401
    flash(_l("Please log in to continue."), "info")
    next_url = request.full_path if request.method == "GET" else request.path
    return redirect(url_for("auth.login", next=next_url.rstrip("?")))


def configure_login(manager: LoginManager) -> None:
    manager.user_loader(load_user)
    manager.unauthorized_handler(unauthorized)
    manager.session_protection = "basic"
