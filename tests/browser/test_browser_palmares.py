"""Browser: the public palmarès of the demo's published edition, at 1280 and 320 CSS pixels
and in English: zero axe-core violations, no horizontal scrolling, every logo loaded, and no
request to any host but the live server (checked for every test by tests/browser/conftest.py).
"""

from __future__ import annotations

import struct
import zlib

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}


def _png(size: int = 48) -> bytes:
    """A square PNG logo: a dark disc on white, drawn here (no file from elsewhere)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    centre, radius = (size - 1) / 2, size * 0.4
    rows = b"".join(
        b"\x00" + bytes(0x1D if (x - centre) ** 2 + (y - centre) ** 2 <= radius ** 2 else 0xFF
                        for x in range(size))
        for y in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def published(live_site) -> str:
    """The slug of the demo's published edition; its first laureate gets a logo (the demo's
    dossiers have none) so that the page loads one through the logo route."""
    from trophies.domain.vocabulary import Phase
    from trophies.models import Dossier, Edition, Question, db
    from trophies.services import files, palmares

    with live_site.app.app_context():
        edition = db.session.scalar(select(Edition).where(Edition.phase == Phase.PUBLISHED)
                                    .order_by(Edition.slug))
        assert edition is not None, "the demo has no published edition"
        shown = palmares.palmares(edition, "fr")
        assert shown is not None and shown.categories, "the demo's palmarès is empty"
        reference = shown.categories[0].laureates[0].reference
        dossier = db.session.scalar(select(Dossier).where(Dossier.reference == reference))
        question = db.session.scalar(select(Question).where(
            Question.edition_id == edition.id, Question.key == "logo"))
        if question is not None and not any(a.question_id == question.id
                                            for a in dossier.attachments):
            files.store_upload(dossier, question, filename="logo.png", data=_png())
            db.session.commit()
        slug = edition.slug
        db.session.remove()
    return slug


def _wide_elements(page) -> list[str]:
    return page.evaluate(
        "() => [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > 321)"
        ".slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + "
        "String(e.className).split(' ').join('.') : ''))")


def _check_logos_loaded(page) -> list[str]:
    """Scroll every logo into view (they load lazily) and report the broken ones."""
    logos = page.locator("img.award-logo")
    for i in range(logos.count()):
        logos.nth(i).scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    return page.evaluate(
        "() => [...document.querySelectorAll('img.award-logo')]"
        ".filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, NARROW],
                         ids=["1280px", "320px"])
def test_the_public_palmares_is_accessible_and_self_contained(
        new_context, live_site, published, page_watch, axe_failure, viewport):
    page = new_context(viewport=viewport).new_page()
    response = page.goto(f"/editions/{published}/palmares")
    assert response.status == 200
    expect(page.locator("main h1")).to_be_visible()
    assert page.locator("main h2").count() >= 2
    assert page.locator("main .award-name").count() >= 2
    assert page.locator("img.award-logo").count() >= 1
    failures = []
    if broken := _check_logos_loaded(page):
        failures.append(f"logos that did not load: {broken}")
    if failure := axe_failure(page, f"{viewport['width']} px"):
        failures.append(failure)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width > viewport["width"]:
        failures.append(f"scrolls horizontally at {viewport['width']} px ({width} px wide; "
                        f"{', '.join(_wide_elements(page))})")
    feed = page.locator(f"main a[href='/editions/{published}/palmares.json']")
    expect(feed).to_have_count(1)
    assert page_watch.requests, "the page recorded no request"
    assert page_watch.foreign_requests() == []
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)


def test_the_public_palmares_in_english_is_accessible(page, live_site, published, check_a11y):
    assert page.goto(f"/editions/{published}/palmares").status == 200
    page.locator("header form.lang-switch button[type='submit']").click()
    page.wait_for_url(f"**/editions/{published}/palmares")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("main h1")).to_contain_text("Winners of")
    check_a11y(page, "in English")


def test_the_feed_of_the_published_edition_is_json_for_any_site(page, published):
    response = page.goto(f"/editions/{published}/palmares.json")
    assert response.status == 200
    headers = response.headers
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert headers["access-control-allow-origin"] == "*"
    feed = response.json()
    assert feed["schema"] == "trophies.palmares/1"
    assert feed["categories"]
