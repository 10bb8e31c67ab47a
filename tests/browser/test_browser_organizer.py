"""Browser: the organizer's pages for an edition (set-up, applications, screening) have no
axe-core violation, including at 320 px."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 320])
def test_the_organizers_edition_pages_have_no_axe_violations(new_context, live_site, log_in,
                                                             axe_failure, width):
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(page, "organizer")
    slug = live_site.open_edition_slug
    paths = [f"/admin/editions/{slug}", f"/admin/editions/{slug}/dossiers",
             f"/admin/editions/{slug}/screening", f"/admin/editions/{slug}/setup",
             f"/admin/editions/{slug}/setup/categories", f"/admin/editions/{slug}/setup/rounds/1",
             f"/admin/editions/{slug}/setup/rounds/new", f"/admin/editions/{slug}/setup/questions"]
    failures = []
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        failure = axe_failure(page, path)
        if failure:
            failures.append(failure)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        if overflow > width + 1:
            failures.append(f"{path}: {overflow}px wide at {width}px")
    for start, label in ((f"/admin/editions/{slug}/dossiers", "application detail"),
                         (f"/admin/editions/{slug}/setup/questions", "question edit page"),
                         (f"/admin/editions/{slug}/setup/rounds/1", "criterion edit page")):
        page.goto(start)
        page.locator("main table tbody a").first.click()
        failure = axe_failure(page, label)
        if failure:
            failures.append(failure)
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)
