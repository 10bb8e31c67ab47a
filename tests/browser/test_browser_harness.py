"""Browser: the checks the other browser tests rely on can fail (a request to another host, a
CSP violation, an axe-core violation), so their silence means something."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_a_request_to_another_host_is_recorded_and_never_sent(page, page_watch):
    page.goto("/")
    with pytest.raises(Exception, match="ERR_FAILED"):
        page.goto("http://example.org/tracker.png")
    assert page_watch.foreign_requests() == ["http://example.org/tracker.png"]
    assert "request to another host: http://example.org/tracker.png" in page_watch.report()
    page_watch.requests.clear()  # the check did its job; let the test pass


def test_a_content_security_policy_violation_is_reported(page, page_watch):
    page.goto("/")
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.injected = 1'; document.body.append(s); }"
        )
    assert page.evaluate("() => window.injected") is None, "the CSP let an inline script run"
    assert any("Content Security Policy" in problem for problem in page_watch.problems)
    page_watch.problems.clear()


def test_axe_reports_a_missing_label_with_rule_impact_help_and_target(page, axe_failure):
    page.goto("/")
    page.evaluate(
        "() => { const i = document.createElement('input'); i.id = 'unlabelled';"
        " document.querySelector('main').append(i); }"
    )
    message = axe_failure(page, "home with an unlabelled input")
    assert message is not None
    assert "- label [critical] Form elements must have labels" in message
    assert "#unlabelled" in message
