"""Browser: zero axe-core violations (WCAG 2.0/2.1 A and AA) on every page of the demo.

Public pages, error states, every role's pages, English, and a 320 px wide screen (reflow).
Each test collects the violations of all its pages before failing, so one run lists them all.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROLE_PAGES = {
    "admin": [
        "/dashboard",
        "/account/",
        "/admin/",
        "/admin/mail",
        "/admin/audit",
        "/candidate/",
        "/jury/",
    ],
    "organizer": ["/dashboard", "/account/", "/admin/", "/candidate/", "/jury/"],
    "juror": ["/dashboard", "/account/", "/candidate/", "/jury/"],
    "candidate": ["/dashboard", "/account/", "/candidate/", "/jury/"],
}


def visit_and_collect(page, axe_failure, paths_and_statuses):
    """Visit each (path, expected status); return the failure messages (status, axe, title)."""
    failures, titles = [], {}
    for path, status in paths_and_statuses:
        response = page.goto(path)
        if response.status != status:
            failures.append(f"{path}: HTTP {response.status}, expected {status}")
            continue
        failure = axe_failure(page)
        if failure:
            failures.append(failure)
        titles.setdefault(page.title().strip(), []).append(path)
    failures += [
        f"pages share the title {title!r}: {', '.join(paths)}"
        for title, paths in titles.items()
        if len(paths) > 1 or not title
    ]
    return failures


def test_public_pages_have_no_axe_violations(page, live_site, axe_failure):
    pages = [
        ("/", 200),
        (f"/editions/{live_site.open_edition_slug}", 200),
        ("/account/login", 200),
        ("/account/register", 200),
        ("/account/forgot-password", 200),
        ("/nope", 404),
    ]
    failures = visit_and_collect(page, axe_failure, pages)
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)


def test_register_error_state_has_no_axe_violations(page, check_a11y):
    assert page.goto("/account/register").status == 200
    page.locator("main form[method='post'] button[type='submit']").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    invalid = page.locator("main [aria-invalid='true']")
    assert invalid.count() >= 3, "the empty required fields are not marked aria-invalid"
    for i in range(invalid.count()):
        described = invalid.nth(i).get_attribute("aria-describedby") or ""
        assert any(page.locator(f"#{ref}.error-message").count() for ref in described.split()), (
            f"{invalid.nth(i).get_attribute('name')} is not tied to its error message"
        )
    check_a11y(page, "submitted empty")


@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_every_page_of_a_role_has_no_axe_violations(role, page, live_site, log_in, axe_failure):
    log_in(page, role)
    paths = list(ROLE_PAGES[role])
    paths += [f"/admin/editions/{slug}" for slug in live_site.organized_slugs[role]]
    failures = visit_and_collect(page, axe_failure, [(path, 200) for path in paths])
    if role == "admin":
        page.goto("/admin/mail")
        message = page.locator("main a[href^='/admin/mail/']").first
        if message.count():
            href = message.get_attribute("href")
            failures += visit_and_collect(page, axe_failure, [(href, 200)])
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)


def test_english_dashboard_has_no_axe_violations(page, live_site, log_in, check_a11y):
    log_in(page, "admin")
    try:
        page.locator("header form.lang-switch button[type='submit']").click()
        page.wait_for_url("**/dashboard")
        assert page.locator("html").get_attribute("lang") == "en"
        check_a11y(page, "in English")
    finally:
        live_site.set_language("admin", "fr")


def test_pages_reflow_at_320_css_pixels(new_context, live_site, log_in, axe_failure):
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    failures = visit_and_collect(
        page,
        axe_failure,
        [("/", 200), (f"/editions/{live_site.open_edition_slug}", 200), ("/account/login", 200)],
    )
    log_in(page, "admin")
    failures += visit_and_collect(page, axe_failure, [("/dashboard", 200)])
    for path in ("/", "/account/login", "/dashboard"):
        page.goto(path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 320:
            wide = page.evaluate(
                "() => [...document.querySelectorAll('body *')]"
                ".filter(e => e.getBoundingClientRect().right > 321)"
                ".slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + "
                "String(e.className).split(' ').join('.') : ''))"
            )
            failures.append(
                f"{path}: scrolls horizontally at 320 px ({width} px wide; {', '.join(wide)})"
            )
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)
