"""Web layer: language choice and translation catalogs (French by default, English complete).

The catalogs are the .po files in trophies/translations; they are compiled in memory at start-up,
so no generated .mo file is needed in git or on disk.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from flask import Flask, current_app, g, request, session
from flask_babel import Babel, get_babel
from flask_login import current_user

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def select_locale() -> str:
    """The session's explicit choice, then the account's language, then French."""
    languages = current_app.config["LANGUAGES"]
    forced = getattr(g, "forced_locale", None)
    if forced in languages:
        return forced
    chosen = session.get("lang") if request else None
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return str(current_user.language)
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    if current_user and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def load_catalog(language: str) -> Translations:
    """Compile trophies/translations/<language>/LC_MESSAGES/messages.po in memory."""
    po_path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain="messages")


def configure_babel(app: Flask, babel: Babel) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    with app.app_context():
        domain = get_babel(app).instance.domain_instance
        for language in app.config["LANGUAGES"]:
            if (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").exists():
                domain.cache[(language, "messages")] = load_catalog(language)
