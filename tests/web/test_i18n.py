"""The French catalog: complete, not fuzzy, placeholders intact, French typography, in sync.

No application is needed: the .po file is read with Babel, and the messages are re-extracted
from the sources with Babel's Python API (same mapping as babel.cfg).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
FRENCH_PO = ROOT / "trophies" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")

# Same mapping as babel.cfg; same extra keywords as `pybabel extract -k _l -k lazy_gettext`.
METHOD_MAP = [
    ("trophies/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
]
OPTIONS_MAP: dict[str, dict[str, str]] = {
    "trophies/**.py": {},
    "templates/**.html": {},
    "templates/**.txt": {},
}
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def _forms(value: str | tuple[str, ...] | list[str]) -> list[str]:
    """A message id or string as a list (plural messages have several forms)."""
    if isinstance(value, str):
        return [value]
    return list(value)


@pytest.fixture(scope="module")
def catalog():
    with FRENCH_PO.open("rb") as handle:
        return read_po(handle, locale="fr")


@pytest.fixture(scope="module")
def messages(catalog):
    """Every real message of the catalog (not the header)."""
    found = [message for message in catalog if message.id]
    assert found, "the French catalog holds no message"
    return found


def _label(message) -> str:
    return repr(_forms(message.id)[0])


def test_every_message_has_a_french_translation(messages):
    untranslated = [
        _label(m) for m in messages if not all(form.strip() for form in _forms(m.string))
    ]
    assert not untranslated, "untranslated messages:\n" + "\n".join(untranslated)


def test_no_message_is_fuzzy(messages):
    fuzzy = [_label(m) for m in messages if m.fuzzy]
    assert not fuzzy, "fuzzy messages:\n" + "\n".join(fuzzy)


def test_placeholders_are_kept(messages):
    wrong = []
    for m in messages:
        expected = set().union(*(PLACEHOLDER.findall(form) for form in _forms(m.id)))
        for form in _forms(m.string):
            found = set(PLACEHOLDER.findall(form))
            if found != expected:
                wrong.append(f"{_label(m)}: expected {sorted(expected)}, got {sorted(found)}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_french_uses_the_typographic_apostrophe(messages):
    straight = [
        f"{_label(m)} -> {form!r}" for m in messages for form in _forms(m.string) if "'" in form
    ]
    assert not straight, "straight apostrophe (use \u2019):\n" + "\n".join(straight)


def test_every_message_of_the_sources_is_in_the_french_catalog(catalog):
    extracted = extract_from_dir(str(ROOT), METHOD_MAP, options_map=OPTIONS_MAP, keywords=KEYWORDS)
    seen: dict[tuple[str, str | None], str] = {}
    for filename, lineno, message, _comments, context in extracted:
        msgid = _forms(message)[0]
        if msgid:
            seen.setdefault((msgid, context), f"{filename}:{lineno}")
    assert seen, "no message extracted from the sources"
    missing = [
        f"{where}: {msgid!r}"
        for (msgid, context), where in sorted(seen.items(), key=lambda item: item[1])
        if catalog.get(msgid, context) is None
    ]
    assert not missing, (
        "messages missing from the French catalog (run pybabel extract + update):\n"
        + "\n".join(missing)
    )
