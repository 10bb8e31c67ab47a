"""Web layer: per-request hooks: security headers, idle timeout, template globals."""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from trophies import permissions

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    if current_app.config["HSTS"]:
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    if getattr(g, "authenticated", False) or current_user.is_authenticated:
        headers["Cache-Control"] = "no-store"
    elif "Cache-Control" not in headers and request.endpoint != "static":
        headers["Cache-Control"] = "no-cache"
    headers.setdefault("Content-Language", str(get_locale() or "fr"))
    return response


def enforce_idle_timeout():
    """Log out after IDLE_TIMEOUT_MINUTES without a request (RGAA 13.1: a warning comes first)."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    g.authenticated = True
    now = int(time.time())
    last = session.get("seen", now)
    if now - last > current_app.config["IDLE_TIMEOUT_MINUTES"] * 60:
        logout_user()
        session.clear()
        flash(_l("Your session ended after a period of inactivity. Please log in again."),
              "warning")
        return
    session["seen"] = now


#: All a user holding a one-time password (create-admin) may reach until they replace it.
PASSWORD_CHANGE_ENDPOINTS = frozenset({"static", "auth.account", "auth.change_password",
                                       "auth.logout", "auth.set_language", "auth.keepalive"})


def require_password_change():
    """A one-time password opens the account page only: the next step is choosing one's own."""
    if (request.endpoint in PASSWORD_CHANGE_ENDPOINTS or not current_user.is_authenticated
            or not current_user.must_change_password):
        return None
    flash(_l("Please choose your own password now."), "warning")
    return redirect(url_for("auth.account", _anchor="password-section"))


def template_globals() -> dict:
    return {
        "current_locale": str(get_locale() or "fr"),
        "languages": current_app.config["LANGUAGES"],
        "platform_name": current_app.config["PLATFORM_NAME"],
        "idle_timeout_seconds": current_app.config["IDLE_TIMEOUT_MINUTES"] * 60,
        "idle_warning_seconds": current_app.config["IDLE_WARNING_MINUTES"] * 60,
    }


def register_request_hooks(app: Flask) -> None:
    app.before_request(enforce_idle_timeout)
    app.before_request(require_password_change)
    app.after_request(set_security_headers)
    app.context_processor(template_globals)
    permissions.register_template_globals(app)
    from trophies.web import formatting

    formatting.register_filters(app)
