"""Web layer: error pages in the reader's language, and the CSRF failure that keeps input."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from trophies.extensions import db
from trophies.web.recovery import stash_form

PAGES = {400, 403, 404, 405, 409, 413, 429, 500}


def _titles() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"),
              _("The request could not be understood. Please go back and try again.")),
        403: (_("Access denied"), _("You do not have permission to see this page.")),
        404: (_("Page not found"), _("This page does not exist, or you cannot see it.")),
        405: (_("Method not allowed"), _("This address cannot be used this way.")),
        409: (_("Conflict"), _("This item was changed in the meantime. Reload it and try again.")),
        413: (_("File too large"),
              _("What you sent is larger than the allowed size (%(size)s MB).",
                size=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024))),
        429: (_("Too many attempts"),
              _("Too many attempts in a short time. Please wait a few minutes and try again.")),
        500: (_("Server error"),
              _("Something went wrong on our side. Your last action was not saved; "
                "please try again.")),
    }


def render_error(code: int, message: str | None = None, back_url: str | None = None):
    title, default = _titles()[code]
    return render_template("errors/error.html", code=code, title=title,
                           message=message or default, back_url=back_url), code


#: Headers of the original error that the page must keep (RFC 9110: a 405 lists the methods).
KEPT_HEADERS = {"allow", "retry-after"}


def handle_http(error: HTTPException):
    code = error.code if error.code in PAGES else 400
    if error.code == 500:
        db.session.rollback()
    body, status = render_error(code)
    kept = [(name, value) for name, value in error.get_headers() if name.lower() in KEPT_HEADERS]
    return body, status, kept


def handle_csrf(error: CSRFError):
    """The form expired: keep what was typed for the same page and explain."""
    kept = stash_form(request.path, request.form) if request.form else False
    if request.headers.get("X-Autosave") == "1":
        return {"error": "expired", "kept": kept}, 400
    message = _("This form expired (for example after a long pause or in another tab). "
                "Nothing was saved.")
    if kept:
        message += " " + _("What you typed has been kept: go back to the page to send it again.")
    back = request.referrer or ""
    back_url = urlsplit(back).path if urlsplit(back).netloc == request.host else None
    return render_error(400, message, back_url=back_url)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
