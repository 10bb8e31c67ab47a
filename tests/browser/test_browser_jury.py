"""Browser: an invited juror opens the invitation link, sets a password, accepts the
confidentiality statement and declares a conflict of interest - with no axe-core violation on
any page or state; the juror's dossier page and the organizer's conflicts page too."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

pytestmark = pytest.mark.browser

NEW_PASSWORD = "un jury attentif et discret"


def judging_slug(live_site) -> str:
    from trophies.domain.vocabulary import Phase
    from trophies.models import Edition, db

    with live_site.app.app_context():
        slug = db.session.scalar(select(Edition.slug).where(Edition.phase == Phase.JUDGING))
        db.session.remove()
    assert slug, "the demo has no edition in judging"
    return slug


def invite_juror(live_site, slug: str, email: str) -> str:
    """Invite a new juror as the demo organizer; the path of the link in the mail."""
    from tests.helpers import link_path, messages
    from trophies.domain.vocabulary import Role
    from trophies.models import Edition, User, db
    from trophies.services import accounts

    with live_site.app.app_context():
        edition = db.session.scalar(select(Edition).where(Edition.slug == slug))
        organizer = db.session.scalar(select(User).where(
            User.email == live_site.accounts["organizer"][0].lower()))
        accounts.invite(edition, email=email, full_name="Nora Lefèvre", role=Role.JUROR,
                        language="fr", actor=organizer, organisation="Clinique du Parc")
        db.session.commit()
        path = link_path(messages(to=email)[-1], "/account/invitation/")
        db.session.remove()
    return path


def declared_conflicts(live_site, email: str) -> list[tuple[str, str, str]]:
    from trophies.models import Conflict, Dossier, User, db

    with live_site.app.app_context():
        found = [(reference, str(source), str(status)) for reference, source, status in
                 db.session.execute(
                     select(Dossier.reference, Conflict.source, Conflict.status)
                     .join(Conflict, Conflict.dossier_id == Dossier.id)
                     .join(User, User.id == Conflict.juror_id).where(User.email == email))]
        db.session.remove()
    return found


def test_an_invited_juror_accepts_the_statement_and_declares_a_conflict(
        page, live_site, check_a11y):
    slug = judging_slug(live_site)
    email = "nora.lefevre@clinique-du-parc.example"
    page.goto(invite_juror(live_site, slug, email))
    check_a11y(page, "invitation")
    form = page.locator("main form[method='post']")
    form.locator("input[name='password']").fill(NEW_PASSWORD)
    form.locator("input[name='confirm']").fill(NEW_PASSWORD)
    form.locator("button[type='submit']").click()
    page.wait_for_url("**/dashboard")
    check_a11y(page, "dashboard after accepting")

    page.locator(f"main a[href='/jury/{slug}/']").click()
    page.wait_for_url(f"**/jury/{slug}/")
    expect(page.locator("main table")).to_have_count(0)  # nothing before the statement
    check_a11y(page, "jury home before the statement")

    page.locator(f"main a[href='/jury/{slug}/confidentiality']").click()
    expect(page.locator("main h1")).to_have_text(re.compile("confidential", re.I))
    check_a11y(page, "statement")
    page.locator("main form button[type='submit']").click()  # box not ticked
    expect(page.locator(".error-summary")).to_be_visible()
    check_a11y(page, "statement not ticked")
    page.locator("input[name='accept']").check()
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(f"**/jury/{slug}/")
    check_a11y(page, "jury home after the statement")

    page.locator(f"main a[href='/jury/{slug}/conflicts']").click()
    page.wait_for_url(f"**/jury/{slug}/conflicts")
    check_a11y(page, "conflicts")
    page.locator("button[name='answer'][value='conflicts']").click()  # nothing ticked
    expect(page.locator(".error-summary")).to_be_visible()
    check_a11y(page, "conflicts with nothing ticked")
    row = page.locator("main tbody tr").filter(has=page.locator("input[type='checkbox']")).first
    reference = row.locator("th").inner_text().strip()
    row.locator("input[type='checkbox']").check()
    page.locator("textarea[name='reason']").fill("Ancienne collègue de la fondatrice.")
    page.locator("button[name='answer'][value='conflicts']").click()
    page.wait_for_url(f"**/jury/{slug}/")
    expect(page.locator(".flash-success")).to_be_visible()
    check_a11y(page, "jury home after the declaration")

    assert declared_conflicts(live_site, email) == [(reference, "declared", "confirmed")]
    page.goto(f"/jury/{slug}/conflicts")
    conflicted = page.locator("main tbody tr").filter(has_text=reference)
    expect(conflicted.locator("input[type='checkbox']")).to_have_count(0)


@pytest.mark.parametrize("width", [1280, 320])
def test_the_jurors_pages_and_a_dossier_have_no_axe_violations(
        new_context, live_site, log_in, axe_failure, width):
    slug = judging_slug(live_site)
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(page, "juror")
    failures = []
    for path in ("/jury/", f"/jury/{slug}/", f"/jury/{slug}/confidentiality",
                 f"/jury/{slug}/conflicts"):
        response = page.goto(path)
        assert response.status == 200, path
        if failure := axe_failure(page, path):
            failures.append(failure)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        if overflow > width + 1:
            failures.append(f"{path}: {overflow}px wide at {width}px")
    page.goto(f"/jury/{slug}/")
    page.locator("main table tbody a").first.click()
    assert urlsplit(page.url).path.startswith(f"/jury/{slug}/rounds/1/dossiers/")
    expect(page.locator("main a[href^='/files/']").first).to_be_visible()
    if failure := axe_failure(page, "juror's dossier page"):
        failures.append(failure)
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)


def test_the_organizers_conflicts_page_has_no_axe_violations(page, live_site, log_in,
                                                             check_a11y):
    slug = judging_slug(live_site)
    log_in(page, "organizer")
    response = page.goto(f"/admin/editions/{slug}/conflicts")
    assert response.status == 200
    expect(page.locator("main h1")).to_be_visible()
    check_a11y(page, "conflicts")
