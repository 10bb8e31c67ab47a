"""Browser: a juror scores dossiers - with JavaScript (live total, autosave, conflict box, retry
after a failed save), without JavaScript, with the keyboard only - and every state of the
sheet has no axe-core violation at 1280 px and at 320 px.

These tests run on a live server of their own, on a database holding only a judging edition
built for them (scoring_world.py): `live_site` is overridden below, so `new_context`, `log_in`
and the page watch of conftest.py all point at it. Each test takes a new juror.

Set TROPHIES_BROWSER_SCREENSHOTS=<dir> to save screenshots of the states (scoring_*.png).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.scoring_world import IMPACT_LEVELS, ScoringSite, scoring_site
from tests.helpers import fr

pytestmark = pytest.mark.browser

AUTOSAVE_WAIT = 10_000    # ms: the autosave runs 2.5 s after the last change
RETRY_WAIT = 20_000       # ms: the first retry after a failed save comes 4 s later
SUBMITTED = fr("Your evaluation is submitted. Thank you!")


@pytest.fixture(scope="module")
def live_site(pg_database, tmp_path_factory):
    """This module's live server (overrides the demo's): see scoring_world.py."""
    with scoring_site(pg_database, tmp_path_factory.mktemp("scoring")) as site:
        yield site


# --------------------------------------------------------------------------- helpers


def with_time(text: str, placeholder: str) -> re.Pattern[str]:
    """`text` with `placeholder` standing for a time of day (14:05)."""
    before, _sep, after = text.partition(placeholder)
    return re.compile("^" + re.escape(before) + r"\d{1,2}:\d{2}" + re.escape(after) + "$")


def autosaved() -> re.Pattern[str]:
    """What the autosave status says after a save: 'Saved at {time}.' in French."""
    return with_time(fr("Saved at {time}."), "{time}")


def saved_flash() -> re.Pattern[str]:
    """The flash after "Save draft" without JavaScript: 'Saved at %(time)s.' in French."""
    return with_time(fr("Saved at %(time)s.", time="\x00"), "\x00")


def status_of(page: Any) -> Any:
    return page.locator("form#sheet [data-autosave-status]")


def is_autosave(containing: str = "") -> Callable[[Any], bool]:
    """A response to a background save whose form data holds `containing`."""

    def check(response: Any) -> bool:
        request = response.request
        return (request.method == "POST" and request.headers.get("x-autosave") == "1"
                and containing in (request.post_data or ""))

    return check


def mark(page: Any, site: ScoringSite, key: str, value: int | str) -> Any:
    """The radio button of `value` on criterion `key`."""
    return page.locator(f"#mark-{site.criteria[key]}-{value}")


def screenshot(page: Any, name: str, show: Any = None) -> None:
    """With TROPHIES_BROWSER_SCREENSHOTS set, the page as it is (`show` scrolled into view
    first: on wide screens the sheet scrolls in a panel of its own)."""
    if shots := os.environ.get("TROPHIES_BROWSER_SCREENSHOTS"):
        Path(shots).mkdir(parents=True, exist_ok=True)
        if show is not None:
            show.scroll_into_view_if_needed()
        page.screenshot(path=str(Path(shots) / f"scoring_{name}.png"), full_page=True)


def focused_matches(page: Any, selector: str) -> bool:
    return page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)",
                         selector)


def tab_to(page: Any, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches `selector` (fails after `limit` presses)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused_matches(page, selector):
            return
    pytest.fail(f"{selector} not reached with {limit} presses of Tab", pytrace=False)


def focus_outline(page: Any) -> str:
    """The computed outline style of the focused element ("none" when focus is invisible)."""
    return page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")


def open_from_dashboard(page: Any, site: ScoringSite, reference: str) -> None:
    page.locator(f"main a[href='{site.dashboard_path()}']").first.click()
    page.wait_for_url(f"**{site.dashboard_path()}")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(3)
    rows.filter(has_text=reference).get_by_role("link").click()
    page.wait_for_url(f"**{site.sheet_path(reference)}")


# --------------------------------------------------------------------------- journeys


def test_a_juror_scores_with_javascript_sees_the_live_total_and_the_autosave_then_submits(
        page, live_site, log_in):
    juror = live_site.new_juror()
    reference = juror.references[1]
    log_in(page, juror.key)
    open_from_dashboard(page, live_site, reference)
    total = page.locator("#sheet-total")
    expect(total).to_have_text("—")
    expect(page.locator(f"label[for='mark-{live_site.criteria['impact']}-4']")).to_contain_text(
        IMPACT_LEVELS[4])

    mark(page, live_site, "impact", 4).check()              # 4/5 -> 80, weight 2
    expect(total).to_have_text("80,0")
    page.locator(f"#mark-{live_site.criteria['market']}").fill("13")   # 13/20 -> 65, weight 1
    expect(total).to_have_text("75,0")
    mark(page, live_site, "team", 2).check()                # 2 on 1..4 -> 33.3, weight 1
    expect(total).to_have_text("64,6")                      # 775/12 = 64.58...
    comment = "Un effet mesurable sur les patients isolés."
    with page.expect_response(is_autosave(comment), timeout=AUTOSAVE_WAIT) as response:
        page.locator(f"#comment-{live_site.criteria['impact']}").fill(comment)
    assert response.value.status == 200
    expect(status_of(page)).to_have_text(autosaved())
    screenshot(page, "autosaved", show=status_of(page))

    saved = live_site.saved_sheet(juror, reference)
    assert saved is not None and saved.status == "draft"
    assert saved.marks == {"impact": 4, "market": 13, "team": 2}
    assert saved.comments["impact"] == comment

    page.get_by_role("button", name=fr("Review and submit")).click()
    page.wait_for_url(f"**{live_site.sheet_path(reference)}/recap")
    expect(page.locator("main h1")).to_have_text(fr("Check and submit your evaluation"))
    expect(page.locator("main .sheet-total strong")).to_have_text("64,6")
    expect(page.locator("main table.sheet-marks")).to_contain_text(comment)
    screenshot(page, "recap")
    page.get_by_role("button", name=fr("Confirm and submit")).click()
    page.wait_for_url(f"**{live_site.sheet_path(reference)}")
    expect(page.locator(".flash-success")).to_have_text(SUBMITTED)
    expect(page.locator("form#sheet")).to_have_count(0)      # read-only now
    expect(page.locator("main .sheet-total strong")).to_have_text("64,6")
    screenshot(page, "submitted")
    assert live_site.saved_sheet(juror, reference).status == "submitted"


def test_a_juror_without_javascript_saves_a_draft_and_submits_through_the_recap(
        new_context, live_site, log_in):
    juror = live_site.new_juror()
    reference = juror.references[0]
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, juror.key)
    open_from_dashboard(page, live_site, reference)

    # Sent for submission incomplete: the server answers 400 with the error summary.
    mark(page, live_site, "impact", 1).check()               # 1/5 -> 20, weight 2
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        page.get_by_role("button", name=fr("Review and submit")).click()
    assert response.value.status == 400
    expect(page.locator(".error-summary li")).to_have_text([
        fr("%(label)s: %(error)s", label="Marché",
           error=fr("Choose a mark, or “not applicable”.")),
        fr("%(label)s: %(error)s", label="Équipe", error=fr("Choose a mark.")),
    ])
    expect(page.locator(f"#criterion-{live_site.criteria['team']}-error")).to_have_text(
        fr("Choose a mark."))
    expect(mark(page, live_site, "impact", 1)).to_be_checked()      # what was typed stays
    screenshot(page, "nojs_errors")

    page.locator(f"#na-{live_site.criteria['market']}").check()    # left out of the total
    mark(page, live_site, "team", 3).check()                 # 3 on 1..4 -> 66.7, weight 1
    page.locator("#general_comment").fill("Projet prometteur, équipe à renforcer.")
    # No live total without script: still the server's for what was sent (impact 1 alone).
    expect(page.locator("#sheet-total")).to_have_text("20,0")
    page.get_by_role("button", name=fr("Save draft")).click()
    expect(page.locator(".flash-success")).to_have_text(saved_flash())
    expect(page.locator("#sheet-total")).to_have_text("35,6")    # the server's: 320/9
    expect(mark(page, live_site, "impact", 1)).to_be_checked()
    expect(page.locator(f"#na-{live_site.criteria['market']}")).to_be_checked()
    screenshot(page, "nojs_draft", show=page.locator("#sheet-total"))
    saved = live_site.saved_sheet(juror, reference)
    assert saved.marks == {"impact": 1, "market": "na", "team": 3}
    assert saved.general_comment == "Projet prometteur, équipe à renforcer."

    page.get_by_role("button", name=fr("Review and submit")).click()
    page.wait_for_url(f"**{live_site.sheet_path(reference)}/recap")
    expect(page.locator("main .sheet-total strong")).to_have_text("35,6")
    expect(page.locator("main table.sheet-marks")).to_contain_text(fr("Not applicable"))
    page.get_by_role("button", name=fr("Confirm and submit")).click()
    page.wait_for_url(f"**{live_site.sheet_path(reference)}")
    expect(page.locator(".flash-success")).to_have_text(SUBMITTED)
    expect(page.locator("form#sheet")).to_have_count(0)
    assert live_site.saved_sheet(juror, reference).status == "submitted"


def test_a_juror_scores_with_the_keyboard_only_and_sees_where_the_focus_is(
        page, live_site, log_in):
    juror = live_site.new_juror()
    reference = juror.references[2]
    impact, market, team = (live_site.criteria[k] for k in ("impact", "market", "team"))
    log_in(page, juror.key)
    page.goto(live_site.sheet_path(reference))
    outlines = {}

    tab_to(page, f"input[name='mark-{impact}']")
    outlines["first radio"] = focus_outline(page)
    for _ in range(3):
        page.keyboard.press("ArrowRight")                    # 0 (focused) -> 1 -> 2 -> 3
    expect(page.locator(f"#mark-{impact}-3")).to_be_checked()
    expect(page.locator(f"#mark-{impact}-3")).to_be_focused()
    outlines["chosen radio"] = focus_outline(page)

    tab_to(page, f"#mark-{market}", limit=3)                 # past the comment
    page.keyboard.type("12")
    outlines["number field"] = focus_outline(page)
    tab_to(page, f"input[name='mark-{team}']", limit=4)      # past N/A and the comment
    page.keyboard.press("ArrowRight")                        # 1 (focused) -> 2
    expect(page.locator(f"#mark-{team}-2")).to_be_checked()
    expect(page.locator("#sheet-total")).to_have_text("53,3")   # (120 + 60 + 33.3) / 4

    tab_to(page, "button[name='action'][value='save']", limit=5)
    outlines["save button"] = focus_outline(page)
    screenshot(page, "keyboard_focus")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_have_text(saved_flash())
    assert {name: style for name, style in outlines.items() if style == "none"} == {}
    saved = live_site.saved_sheet(juror, reference)
    assert saved.marks == {"impact": 3, "market": 12, "team": 2}


def test_two_tabs_on_one_sheet_show_the_conflict_and_overwrite_nothing_silently(
        new_context, live_site, log_in, check_a11y):
    juror = live_site.new_juror()
    reference = juror.references[0]
    context = new_context()
    log_in(context.new_page(), juror.key)
    tab_a, tab_b = context.new_page(), context.new_page()
    tab_a.goto(live_site.sheet_path(reference))
    tab_b.goto(live_site.sheet_path(reference))

    with tab_a.expect_response(is_autosave(), timeout=AUTOSAVE_WAIT) as response:
        mark(tab_a, live_site, "impact", 2).check()
    assert response.value.status == 200
    expect(status_of(tab_a)).to_have_text(autosaved())
    after_a = live_site.saved_sheet(juror, reference)
    assert after_a.marks == {"impact": 2, "market": None, "team": None}

    with tab_b.expect_response(is_autosave(), timeout=AUTOSAVE_WAIT) as response:
        mark(tab_b, live_site, "team", 3).check()
    assert response.value.status == 409
    box = tab_b.locator("[data-conflict-box]")
    expect(box).to_be_visible()
    expect(status_of(tab_b)).to_have_text(
        fr("Not saved: this sheet was changed in another window or tab."))
    expect(mark(tab_b, live_site, "team", 3)).to_be_checked()        # B's input is kept
    expect(mark(tab_b, live_site, "impact", 2)).not_to_be_checked()
    screenshot(tab_b, "conflict", show=box)
    check_a11y(tab_b, "conflict box")
    assert live_site.saved_sheet(juror, reference) == after_a         # nothing overwritten

    with tab_b.expect_response(is_autosave(), timeout=AUTOSAVE_WAIT) as response:
        tab_b.get_by_role("button", name=fr("Keep my version")).click()
    assert response.value.status == 200
    expect(box).to_be_hidden()
    expect(status_of(tab_b)).to_have_text(autosaved())
    after_b = live_site.saved_sheet(juror, reference)
    assert after_b.version > after_a.version
    assert after_b.marks == {"impact": None, "market": None, "team": 3}


def test_a_failed_background_save_says_so_and_is_retried(page, live_site, log_in):
    juror = live_site.new_juror()
    reference = juror.references[1]
    path = live_site.sheet_path(reference)
    log_in(page, juror.key)
    blocked, aborted = [True], []

    def handle(route: Any) -> None:
        request = route.request
        if blocked[0] and request.method == "POST" and request.headers.get("x-autosave") == "1":
            aborted.append(request.url)
            route.abort()
        else:
            route.continue_()

    page.route(f"**{path}", handle)
    page.goto(path)
    mark(page, live_site, "impact", 5).check()
    expect(status_of(page)).to_have_text(fr("Not saved: the connection failed. Trying again…"),
                                         timeout=AUTOSAVE_WAIT)
    screenshot(page, "save_failed", show=status_of(page))
    assert aborted
    assert live_site.saved_sheet(juror, reference) is None

    blocked[0] = False
    expect(status_of(page)).to_have_text(autosaved(), timeout=RETRY_WAIT)
    assert live_site.saved_sheet(juror, reference).marks == {
        "impact": 5, "market": None, "team": None}


# --------------------------------------------------------------------------- accessibility


@pytest.mark.parametrize("width", [1280, 320])
def test_every_state_of_the_sheet_has_no_axe_violation_and_reflows(
        new_context, live_site, log_in, axe_failure, width):
    juror = live_site.new_juror()
    reference = juror.references[0]
    viewport = {"width": width, "height": 900}
    page = new_context(viewport=viewport).new_page()
    log_in(page, juror.key)
    failures: list[str] = []

    def audit(state: Any, label: str) -> None:
        if failure := axe_failure(state, label):
            failures.append(failure)
        scroll_width = state.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            failures.append(f"{label}: {scroll_width}px wide at {width}px")
        screenshot(state, f"{width}_{label.replace(' ', '_')}")

    assert page.goto(live_site.dashboard_path()).status == 200
    audit(page, "dashboard")
    assert page.goto(live_site.sheet_path(reference)).status == 200
    audit(page, "empty sheet")

    # The error state: an incomplete sheet sent for submission comes back from the server
    # (400) with the error summary (axe needs script; the page is the same without it, see
    # the test without JavaScript).
    mark(page, live_site, "impact", 2).check()
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        page.get_by_role("button", name=fr("Review and submit")).click()
    assert response.value.status == 400
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary li")).to_have_count(2)    # market and team
    audit(page, "sheet with errors")

    assert page.goto(live_site.sheet_path(reference)).status == 200
    expect(mark(page, live_site, "impact", 2)).to_be_checked()
    audit(page, "draft")
    page.locator(f"#na-{live_site.criteria['market']}").check()
    mark(page, live_site, "team", 4).check()
    page.get_by_role("button", name=fr("Review and submit")).click()
    page.wait_for_url(f"**{live_site.sheet_path(reference)}/recap")
    audit(page, "recap")
    page.get_by_role("button", name=fr("Confirm and submit")).click()
    expect(page.locator(".flash-success")).to_be_visible()
    audit(page, "submitted sheet")

    assert page.goto(live_site.sheet_path(juror.references[1]) + "/recuse").status == 200
    audit(page, "recuse")
    page.get_by_role("button", name=fr("Confirm the conflict of interest")).click()
    expect(page.locator(".error-summary")).to_be_visible()               # no reason given
    audit(page, "recuse with errors")
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)
