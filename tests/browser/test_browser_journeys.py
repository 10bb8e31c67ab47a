"""Browser: login, dashboards per role, language switch, logout, keyboard, headers and cookies.

Set TROPHIES_BROWSER_SCREENSHOTS=<dir> to save one screenshot of each role's dashboard there.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def login_form(page):
    return page.locator("main form[method='post']")


@pytest.mark.parametrize("role", ["admin", "organizer", "juror", "candidate"])
def test_each_role_logs_in_to_a_french_dashboard_with_its_own_section(
    role, page, live_site, log_in
):
    log_in(page, role)
    assert page.url == f"{live_site.url}/dashboard"
    assert page.locator("html").get_attribute("lang") == "fr"
    expect(page.locator("main h1")).to_have_text(re.compile(r"^Bonjour"))
    main = page.locator("main")
    if role == "admin":
        expect(main.locator("a[href='/admin/mail']")).to_have_count(1)
        expect(main.locator("a[href='/admin/audit']")).to_have_count(1)
    elif role == "organizer":
        slugs = live_site.organized_slugs["organizer"]
        assert slugs, "the demo organizer organizes no edition"
        expect(main.locator(f"a[href='/admin/editions/{slugs[0]}']")).to_be_visible()
    elif role == "juror":
        expect(main.locator("progress").first).to_be_visible()
    else:
        table = main.locator("table").first
        expect(table).to_be_visible()
        expect(table.locator("tbody tr").first).to_be_visible()
    if shots := os.environ.get("TROPHIES_BROWSER_SCREENSHOTS"):
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / f"dashboard-{role}.png"), full_page=True)


def test_a_wrong_password_is_refused_in_french_on_the_login_page(page, live_site):
    email, password = live_site.accounts["candidate"]
    page.goto("/account/login")
    form = login_form(page)
    form.locator("input[name='email']").fill(email)
    form.locator("input[name='password']").fill(password + "-wrong")
    form.locator("button[type='submit']").click()
    expect(page.locator(".error-summary")).to_be_focused()
    assert page.url.startswith(f"{live_site.url}/account/login")
    assert page.locator("html").get_attribute("lang") == "fr"
    error = page.locator("#password-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(re.compile(r"mot de passe", re.IGNORECASE))
    expect(page.locator("input[name='password']")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("input[name='email']")).to_have_value(email)


def test_the_language_switch_turns_the_page_english(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    switch = page.locator("header form.lang-switch button[type='submit']")
    expect(switch).to_have_attribute("value", "en")
    switch.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert urlsplit(page.url).path == "/"
    expect(page.locator("a.skip-link")).to_have_text("Skip to main content")
    expect(switch).to_have_attribute("value", "fr")


def test_logout_returns_home_and_the_dashboard_then_asks_to_log_in(page, live_site, log_in):
    log_in(page, "candidate")
    page.locator("header form[action='/account/logout'] button[type='submit']").click()
    page.wait_for_url(f"{live_site.url}/")
    expect(page.locator("header form[action='/account/logout']")).to_have_count(0)
    page.goto("/dashboard")
    assert page.url.startswith(f"{live_site.url}/account/login"), page.url
    expect(login_form(page).locator("input[name='password']")).to_be_visible()


def test_tab_first_reaches_the_skip_link_which_moves_focus_to_main(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert skip.evaluate(
        "e => { const s = getComputedStyle(e);"
        " return s.outlineStyle !== 'none' && s.outlineWidth !== '0px' || s.boxShadow !== 'none'; }"
    ), "the focused skip link shows no focus indicator"
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_pages_carry_the_security_headers_and_only_the_session_cookie(
    page, context, live_site, log_in
):
    response = page.goto("/")
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    log_in(page, "juror")
    response = page.goto("/dashboard")
    assert response.headers["content-security-policy"] == CSP
    assert "no-store" in response.headers["cache-control"]
    cookies = context.cookies()
    assert [c["name"] for c in cookies] == [live_site.app.config["SESSION_COOKIE_NAME"]], cookies
    assert cookies[0]["httpOnly"] and cookies[0]["sameSite"] == "Lax"
