"""Test helpers: the French catalog, reading the database past the session cache, the outbox,
links in mails and CSRF tokens in pages. Imports the app's models only.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from babel.messages.pofile import read_po
from sqlalchemy import func, select

from trophies.models import OutboxMessage, db

PO_FILE = (Path(__file__).resolve().parent.parent
           / "trophies" / "translations" / "fr" / "LC_MESSAGES" / "messages.po")


@lru_cache(maxsize=1)
def _french_catalog() -> dict[str, str]:
    with PO_FILE.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    return {m.id: m.string for m in catalog
            if isinstance(m.id, str) and m.id and m.string and not m.fuzzy}


def fr(msgid: str, **values: object) -> str:
    """What the French pages show for `msgid`: its translation when the catalog has one,
    else the English text itself (the catalog is being completed)."""
    text = _french_catalog().get(msgid) or msgid
    return text % values if values else text


@lru_cache(maxsize=1)
def _french_plurals() -> dict[str, tuple[str, ...]]:
    with PO_FILE.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    return {m.id[0]: tuple(m.string) for m in catalog
            if isinstance(m.id, tuple) and all(m.string) and not m.fuzzy}


def frn(msgid: str, num: int, **values: object) -> str:
    """The French form of the plural message whose singular msgid is `msgid`, for `num`
    (French: singular for 0 and 1)."""
    forms = _french_plurals()[msgid]
    return forms[0 if num <= 1 else 1] % {"num": num, **values}


def en(msgid: str, **values: object) -> str:
    return msgid % values if values else msgid


def is_translated(msgid: str) -> bool:
    return msgid in _french_catalog()


def text(response) -> str:
    """The response body with HTML entities decoded (apostrophes, accents)."""
    return html.unescape(response.get_data(as_text=True))


def html_lang(response) -> str | None:
    match = re.search(r'<html lang="([a-z-]+)"', response.get_data(as_text=True))
    return match.group(1) if match else None


def value(attribute, row_id):
    """One column of one row read from the database (never from the session's cache)."""
    model = attribute.class_
    return db.session.scalar(select(attribute).where(model.id == row_id))


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def messages(*, to: str | None = None, template: str | None = None) -> list[OutboxMessage]:
    """Outbox rows as committed, oldest first."""
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    if to is not None:
        stmt = stmt.where(OutboxMessage.recipient == to)
    if template is not None:
        stmt = stmt.where(OutboxMessage.template == template)
    return list(db.session.scalars(stmt.execution_options(populate_existing=True)))


def link_path(message: OutboxMessage, prefix: str) -> str:
    """The path of the first link in `message` whose path starts with `prefix`."""
    for url in re.findall(r"https?://\S+", message.body_text):
        path = urlsplit(url).path
        if path.startswith(prefix):
            return path
    raise AssertionError(f"no link to {prefix} in:\n{message.body_text}")


def csrf_token(response) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(as_text=True))
    assert match, "no CSRF token in the page"
    return match.group(1)


def location_path(response) -> str:
    """The path a redirect points to; fails if it leaves the site."""
    parts = urlsplit(response.headers["Location"])
    assert parts.scheme in ("", "http") and parts.netloc in ("", "localhost"), parts
    return parts.path


def comparable(response, *replace: str) -> str:
    """The body with CSRF tokens blanked and the given strings (e-mail addresses) masked, to
    compare two answers that must not reveal which case they come from."""
    body = re.sub(r'(name="csrf_token"[^>]*value=")[^"]+"', r'\1"', response.get_data(as_text=True))
    for item in replace:
        body = body.replace(item, "<masked>")
    return body
