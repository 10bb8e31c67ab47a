"""Browser: a candidate applies with an upload and submits without JavaScript; every state of
the form (empty, errors, saved, submitted, after the deadline) has no axe-core violation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from trophies.services.demo_pdf import pitch_deck_pdf

pytestmark = pytest.mark.browser

DECK = pitch_deck_pdf(company_name="Sobriété Santé", project_title="Télésuivi frugal",
                      summary="Un problème. Une solution.", city="Rennes",
                      founders=["Léa Martin — présidente"], year=2027)


def _fill_everything(page, tmp_path):
    form = page.locator("main form[enctype]")
    form.locator("#q-summary").fill("Un télésuivi sobre pour les patients âgés isolés.")
    form.locator("#q-website").fill("https://sobriete-sante.example")
    for textarea in form.locator("textarea").all():
        if not textarea.input_value():
            textarea.fill("Réponse complète et précise à cette question.")
    for group in form.locator("fieldset.choices").all():
        choice = group.locator("input").first
        if not choice.is_checked():
            choice.check()
    for field in form.locator("input[inputmode=numeric]").all():
        field.fill("2021" if "annee" in (field.get_attribute("name") or "") else "4")
    deck = tmp_path / "pitch-deck.pdf"
    deck.write_bytes(DECK)
    form.locator("input[type=file]").first.set_input_files(str(deck))


def test_a_candidate_applies_with_an_upload_and_submits_without_javascript(
        new_context, live_site, log_in, check_a11y, tmp_path):
    page = new_context(java_script_enabled=False).new_page()
    a11y = new_context().new_page()  # axe needs JavaScript: it checks each state's URL
    log_in(page, "candidate")
    log_in(a11y, "candidate")

    page.goto(f"/candidate/apply/{live_site.open_edition_slug}")
    page.locator("main input[name=category_id]").first.check()
    page.locator("#q-company_name").fill("Sobriété Santé")
    page.locator("#q-project_title").fill("Télésuivi frugal")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/candidate/dossiers/[^/]+$"))
    form_url = page.url
    a11y.goto(form_url)
    check_a11y(a11y, "empty application form")

    # Errors: an answer over its limit is refused by the server, the values come back.
    page.locator("#q-summary").evaluate("(el) => el.removeAttribute('maxlength')")
    page.locator("#q-summary").fill("x" * 1001)
    page.locator("button[value=save]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.locator("#q-summary").input_value() == "x" * 1001
    assert page.locator("#q-summary").get_attribute("aria-invalid") == "true"
    # (axe needs JavaScript; the error state is checked in the next test.)

    _fill_everything(page, tmp_path)
    page.locator("button[value=save]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(".current-file a")).to_have_text("pitch-deck.pdf")
    a11y.goto(form_url)
    check_a11y(a11y, "saved draft with its file")

    page.locator("button[value=review]").click()
    page.wait_for_url(re.compile(r"/review$"))
    a11y.goto(page.url)
    check_a11y(a11y, "review before submitting")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(re.compile("(Candidature déposée|submitted)"))
    a11y.goto(form_url)
    check_a11y(a11y, "submitted application, still editable")

    live_site.close_call()
    page.goto(form_url)
    expect(page.locator("main form[enctype]")).to_have_count(0)
    a11y.goto(form_url)
    check_a11y(a11y, "after the deadline")
    live_site.reopen_call()


def test_the_error_state_of_the_form_has_no_axe_violation(new_context, live_site, log_in,
                                                          check_a11y):
    page = new_context().new_page()
    log_in(page, "candidate")
    page.goto(f"/candidate/apply/{live_site.open_edition_slug}")
    page.locator("main form button[type=submit]").click()  # nothing chosen
    expect(page.locator(".error-summary")).to_be_focused()
    check_a11y(page, "start form with errors")
    page.locator("main input[name=category_id]").first.check()
    page.locator("#q-company_name").fill("Erreurs Santé")
    page.locator("#q-project_title").fill("Projet à corriger")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/candidate/dossiers/[^/]+$"))
    page.locator("#q-website").fill("pas une adresse")
    page.locator("button[value=save]").click()
    expect(page.locator(".error-summary")).to_be_focused()
    check_a11y(page, "application form with errors")
