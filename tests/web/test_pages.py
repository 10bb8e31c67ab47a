"""Web: error pages in both languages, the home page and the dashboard, and the number of
queries of every list page (it must not grow with the number of rows: no N+1).
"""

from __future__ import annotations

import pytest
from flask import abort
from flask_babel import force_locale

from tests.conftest import IsolatedClient
from tests.factories import add_role, make_dossier, make_edition, make_user
from tests.helpers import count, fr, html_lang, is_translated, text
from trophies.domain.vocabulary import Phase, Role
from trophies.models import User, db
from trophies.services import audit, mail
from trophies.web import errors

CODES = (400, 403, 404, 405, 409, 413, 429, 500)


def expected_texts(app, code: int, language: str) -> tuple[str, str]:
    """The (title, message) the error module defines for `code` in `language` (the wording
    is the error module's; the test checks that the page shows it, in the right language)."""
    with app.test_request_context(), force_locale(language):
        return errors._titles()[code]


@pytest.fixture
def client(isolated_client):
    return isolated_client


@pytest.fixture
def error_app(app_factory):
    """A fresh app with test-only routes, added before its first request."""
    app = app_factory(PROPAGATE_EXCEPTIONS=False)

    def fail(code: int):
        abort(code)

    def crash():
        db.session.add(User(email="half-saved@example.org", full_name="Half saved"))
        db.session.flush()
        raise RuntimeError("boom")

    app.add_url_rule("/_test/abort/<int:code>", "test_abort", fail)
    app.add_url_rule("/_test/crash", "test_crash", crash)
    return app


def error_response(client, code: int):
    if code == 405:
        return client.get("/account/logout")  # a real route that only takes POST
    if code == 404:
        return client.get("/no/such/page")
    if code == 500:
        return client.get("/_test/crash")
    return client.get(f"/_test/abort/{code}")


@pytest.mark.parametrize("code", CODES)
def test_every_error_page_renders_in_french_and_in_english(app, error_app, code):
    client = IsolatedClient(error_app, error_app.response_class, use_cookies=True)
    title_fr, message_fr = expected_texts(error_app, code, "fr")
    title_en, message_en = expected_texts(error_app, code, "en")
    assert title_fr == fr(title_en)  # French comes from the catalog (or English until filled)

    french = error_response(client, code)
    assert french.status_code == code
    assert html_lang(french) == "fr"
    assert french.headers["Content-Language"] == "fr"
    assert f"<h1>{title_fr}</h1>" in text(french)
    assert message_fr in text(french)
    assert f"({code})" in text(french)  # in the page title
    if code == 405:
        assert "POST" in french.headers["Allow"]  # RFC 9110: a 405 names the allowed methods

    assert client.post("/account/language", data={"lang": "en"}).status_code == 302
    english = error_response(client, code)
    assert english.status_code == code
    assert html_lang(english) == "en"
    assert english.headers["Content-Language"] == "en"
    assert f"<h1>{title_en}</h1>" in text(english)
    assert message_en in text(english)
    if is_translated(title_en):
        assert title_fr not in text(english)


def test_the_error_module_has_a_page_for_every_code_the_suite_checks(app):
    assert set(CODES) == errors.PAGES


def test_a_server_error_saves_nothing_of_the_failed_request(app, error_app):
    client = IsolatedClient(error_app, error_app.response_class, use_cookies=True)
    assert client.get("/_test/crash").status_code == 500
    assert count(User, User.email == "half-saved@example.org") == 0


def test_an_unknown_http_error_falls_back_to_the_400_page(app, error_app):
    client = IsolatedClient(error_app, error_app.response_class, use_cookies=True)
    response = client.get("/_test/abort/418")
    assert response.status_code == 400
    assert f"<h1>{expected_texts(error_app, 400, 'fr')[0]}</h1>" in text(response)


# --- home and dashboard ---------------------------------------------------------------------


def named_edition(name: str, phase: Phase):
    edition = make_edition(phase=phase)
    edition.name_fr = f"{name} (fr)"
    edition.name_en = f"{name} (en)"
    return edition


def test_the_home_page_lists_open_editions_and_hides_drafts(client):
    named_edition("Appel ouvert", Phase.OPEN)
    named_edition("Brouillon secret", Phase.DRAFT)
    named_edition("En délibération", Phase.DELIBERATION)
    named_edition("Palmarès publié", Phase.PUBLISHED)
    db.session.commit()
    page = text(client.get("/"))
    assert "Appel ouvert (fr)" in page
    assert "Palmarès publié (fr)" in page  # past editions
    assert "Brouillon secret" not in page
    assert "En délibération" not in page
    assert fr("Calls for applications open") in page

    assert client.post("/account/language", data={"lang": "en"}).status_code == 302
    english = text(client.get("/"))
    assert "Appel ouvert (en)" in english
    assert "Brouillon secret" not in english


def test_the_home_page_says_when_no_call_is_open(client):
    named_edition("Brouillon secret", Phase.DRAFT)
    db.session.commit()
    page = text(client.get("/"))
    assert fr("No call for applications is open at the moment.") in page
    assert "Brouillon secret" not in page


def test_a_draft_edition_has_no_public_page(client):
    draft = named_edition("Brouillon secret", Phase.DRAFT)
    opened = named_edition("Appel ouvert", Phase.OPEN)
    db.session.commit()
    assert client.get(f"/editions/{draft.slug}").status_code == 404
    assert client.get(f"/editions/{opened.slug}").status_code == 200


def test_the_dashboard_shows_a_section_for_each_role(client, login_as):
    user = make_user()
    as_candidate = named_edition("Candidature", Phase.OPEN)
    as_juror = named_edition("Jury", Phase.JUDGING)
    as_organizer = named_edition("Organisation", Phase.SCREENING)
    elsewhere = named_edition("Ailleurs", Phase.OPEN)
    add_role(user, as_candidate, Role.CANDIDATE)
    add_role(user, as_juror, Role.JUROR)
    add_role(user, as_organizer, Role.ORGANIZER)
    dossier = make_dossier(as_candidate, user)
    db.session.commit()
    login_as(user)
    page = text(client.get("/dashboard"))
    for name in ("Candidature (fr)", "Jury (fr)", "Organisation (fr)"):
        assert name in page
    assert "Ailleurs" not in page
    assert elsewhere.slug not in page
    assert fr("My applications") in page
    assert dossier.project_title in page
    assert fr("My evaluations") in page
    assert page.count('class="card edition-board"') == 3
    assert f"/admin/editions/{as_organizer.slug}" in page
    assert f"/admin/editions/{as_candidate.slug}" not in page
    assert fr("Platform administration") not in page


def test_a_user_without_roles_is_pointed_to_the_open_calls(client, login_as):
    login_as(make_user())
    db.session.commit()
    page = text(client.get("/dashboard"))
    assert "edition-board" not in page
    assert fr("My applications") not in page
    assert fr("Platform administration") not in page


def test_an_administrator_sees_the_platform_section_and_every_edition(client, login_as):
    admin = make_user(is_admin=True)
    named_edition("Une", Phase.OPEN)
    named_edition("Autre", Phase.DRAFT)
    db.session.commit()
    login_as(admin)
    page = text(client.get("/dashboard"))
    assert fr("Platform administration") in page
    assert "Une (fr)" in page and "Autre (fr)" in page
    assert "/admin/mail" in page and "/admin/audit" in page


# --- query counts ---------------------------------------------------------------------------


def queries_for(client, count_queries, path: str) -> int:
    client.get(path)  # warm up: first-use queries (catalogs, reflection) are not the point
    with count_queries() as counter:
        response = client.get(path)
    assert response.status_code == 200, path
    return counter.count


def assert_flat(client, count_queries, path, grow, *, low=3, high=10) -> None:
    grow(low)
    db.session.commit()
    few = queries_for(client, count_queries, path)
    grow(high - low)
    db.session.commit()
    many = queries_for(client, count_queries, path)
    assert many == few, f"{path}: {few} queries for {low} rows, {many} for {high}"
    assert few <= 15, f"{path}: {few} queries"


def test_the_organizers_dashboard_runs_the_same_queries_for_3_or_10_editions(
        client, login_as, count_queries):
    organizer = make_user()
    candidate = make_user()

    def grow(n):
        for _ in range(n):
            edition = make_edition()
            add_role(organizer, edition, Role.ORGANIZER)
            add_role(organizer, edition, Role.JUROR)
            add_role(organizer, edition, Role.CANDIDATE)
            make_dossier(edition, organizer)
            make_dossier(edition, candidate)

    db.session.commit()
    login_as(organizer)
    assert_flat(client, count_queries, "/dashboard", grow)


def test_the_organizer_area_runs_the_same_queries_for_3_or_10_editions(
        client, login_as, count_queries):
    organizer = make_user()

    def grow(n):
        for _ in range(n):
            add_role(organizer, make_edition(), Role.ORGANIZER)

    db.session.commit()
    login_as(organizer)
    assert_flat(client, count_queries, "/admin/", grow)


def test_the_outbox_page_runs_the_same_queries_for_3_or_10_messages(
        client, login_as, count_queries):
    admin = make_user(is_admin=True)
    edition = make_edition()

    def grow(n):
        for _ in range(n):
            mail.queue_for(make_user(), "password_changed", edition=edition,
                           reset_url="http://trophies.test/r")

    db.session.commit()
    login_as(admin)
    assert_flat(client, count_queries, "/admin/mail", grow)


def test_the_audit_page_runs_the_same_queries_for_3_or_10_events(client, login_as,
                                                                  count_queries):
    admin = make_user(is_admin=True)

    def grow(n):
        for _ in range(n):
            actor = make_user()
            audit.record("test.event", actor=actor, obj=actor)

    db.session.commit()
    login_as(admin)
    assert_flat(client, count_queries, "/admin/audit", grow)


def test_the_candidates_dossier_list_runs_the_same_queries_for_3_or_10_dossiers(
        client, login_as, count_queries):
    candidate = make_user()

    def grow(n):
        for _ in range(n):
            edition = make_edition()
            add_role(candidate, edition, Role.CANDIDATE)
            make_dossier(edition, candidate)

    db.session.commit()
    login_as(candidate)
    assert_flat(client, count_queries, "/candidate/", grow)


def test_the_jurors_page_runs_the_same_queries_for_3_or_10_editions(client, login_as,
                                                                    count_queries):
    juror = make_user()

    def grow(n):
        for _ in range(n):
            add_role(juror, make_edition(phase=Phase.JUDGING), Role.JUROR)

    db.session.commit()
    login_as(juror)
    assert_flat(client, count_queries, "/jury/", grow)


def test_the_home_page_runs_the_same_queries_for_3_or_10_open_editions(client,
                                                                      count_queries):
    def grow(n):
        for _ in range(n):
            make_edition(phase=Phase.OPEN, categories=("Équité", "Prévention"))

    assert_flat(client, count_queries, "/", grow)
