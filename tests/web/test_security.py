"""Web: the security baseline (security.md): CSRF on every POST, headers and cookies on every
response, rate limits, privileged fields ignored, the access matrix, the append-only audit log.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError

from tests.conftest import IsolatedClient
from tests.factories import PASSWORD, add_role, make_dossier, make_edition, make_user
from tests.helpers import count, csrf_token, fr, location_path, text, value
from trophies.domain.vocabulary import DossierStatus, Language, Phase, Role
from trophies.models import AuditEvent, Membership, OutboxMessage, User, db
from trophies.services import audit, mail

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
STRONG_KEY = "production-secret-key-0123456789-abcdefghijklmnop"
DUMMY = {"token": "not-a-real-token", "slug": "no-such-edition", "message_id": 999999,
         "filename": "css/trophies.css", "member_id": 1, "profile_id": 999999,
         "number": 1, "category_id": 999999, "criterion_id": 999999, "question_id": 999999,
         "conflict_id": 999999, "sheet_id": 999999}


def client_for(app) -> IsolatedClient:
    return IsolatedClient(app, app.response_class, use_cookies=True)


@pytest.fixture
def client(isolated_client):
    return isolated_client


def fill(rule, values: dict) -> str:
    """The rule's path with `values[argument]` (or "x") for every converter."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), "x")), rule.rule)
    assert "<" not in path, path
    return path


def dummy_url(rule) -> str:
    return fill(rule, DUMMY)


def routes(app, method: str):
    return sorted((r for r in app.url_map.iter_rules() if method in r.methods),
                  key=lambda r: r.rule)


# --- (a) CSRF -------------------------------------------------------------------------------


def test_every_post_route_refuses_a_request_without_csrf_token(app, app_factory, login_as):
    admin = make_user("admin@example.org", is_admin=True)
    db.session.commit()
    protected = app_factory(WTF_CSRF_ENABLED=True)
    client = client_for(protected)
    login_as(admin, client)
    posts = routes(protected, "POST")
    assert len(posts) >= 10
    expected = fr("This form expired (for example after a long pause or in another tab). "
                  "Nothing was saved.")
    for rule in posts:
        response = client.post(dummy_url(rule), data={"email": "admin@example.org",
                                                      "password": PASSWORD, "lang": "en"})
        assert response.status_code == 400, rule.rule
        assert expected in text(response), rule.rule
    assert client.get("/admin/").status_code == 200  # still logged in: the posts did nothing
    assert value(User.language, admin.id) == Language.FR


def test_a_post_with_a_valid_csrf_token_is_accepted(app, app_factory, login_as):
    admin = make_user(is_admin=True)
    db.session.commit()
    protected = app_factory(WTF_CSRF_ENABLED=True)
    client = client_for(protected)
    login_as(admin, client)
    page = client.get("/account/")
    response = client.post("/account/language", data={"lang": "en",
                                                      "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert value(User.language, admin.id) == Language.EN


def test_a_password_form_refused_for_its_csrf_token_keeps_no_secret_in_the_cookie(
        app, app_factory, login_as):
    user = make_user()
    db.session.commit()
    protected = app_factory(WTF_CSRF_ENABLED=True)
    client = client_for(protected)
    login_as(user, client)
    new = "un velo bleu sous la neige"
    response = client.post("/account/password", data={
        "pw-csrf_token": "stale", "pw-current_password": PASSWORD, "pw-password": new,
        "pw-confirm": new})
    assert response.status_code == 400
    cookie = client.get_cookie("trophies_session").value
    stored = protected.session_interface.get_signing_serializer(protected).loads(cookie)
    assert "recovered_form" not in stored  # only secrets were typed: nothing is kept
    assert PASSWORD not in str(stored)
    assert new not in str(stored)
    assert "stale" not in str(stored)


# --- (b) headers and cookies ----------------------------------------------------------------


def check_headers(response, *, authenticated: bool, where: str) -> None:
    headers = response.headers
    assert headers.get("Content-Security-Policy") == CSP, where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", where
    assert "Strict-Transport-Security" not in headers, where
    if authenticated:
        assert headers.get("Cache-Control") == "no-store", where


def get_urls(app, edition, message_id):
    real = {"slug": edition.slug, "message_id": message_id}
    urls = []
    for rule in routes(app, "GET"):
        urls.append(dummy_url(rule))
        if set(rule.arguments) & set(real):
            urls.append(fill(rule, real))
    return urls + ["/no/such/page", "/static/css/trophies.css", "/static/js/trophies.js"]


def test_security_headers_are_on_every_response_anonymous_or_logged_in(app, client, login_as):
    admin = make_user(is_admin=True)
    edition = make_edition()
    message = mail.queue_for(admin, "password_changed", reset_url="http://x/")
    db.session.commit()
    urls = get_urls(app, edition, message.id)
    statuses = set()
    for url in urls:
        response = client.get(url)
        statuses.add(response.status_code)
        check_headers(response, authenticated=False, where=f"anonymous {url}")
    login_as(admin)
    for url in urls:
        response = client.get(url)
        statuses.add(response.status_code)
        check_headers(response, authenticated=True, where=f"admin {url}")
    assert {200, 302, 400, 404} <= statuses


def test_the_session_cookie_is_httponly_and_lax_and_the_only_cookie(client):
    make_user("ada@example.org")
    db.session.commit()
    response = client.post("/account/login", data={"email": "ada@example.org",
                                                   "password": PASSWORD})
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 1
    [cookie] = cookies
    assert cookie.startswith("trophies_session=")
    attributes = [part.strip() for part in cookie.split(";")]
    assert "HttpOnly" in attributes
    assert "SameSite=Lax" in attributes
    assert "Secure" not in attributes  # testing runs over plain HTTP


def test_production_cookies_are_secure_and_hsts_is_sent(app_factory):
    production = app_factory(ENVIRONMENT="production", SECRET_KEY=STRONG_KEY)
    assert production.config["ENVIRONMENT"] == "production"
    client = client_for(production)
    response = client.post("/account/language", data={"lang": "en"},
                           base_url="https://localhost")
    assert response.status_code == 302
    [cookie] = response.headers.getlist("Set-Cookie")
    attributes = [part.strip() for part in cookie.split(";")]
    assert {"Secure", "HttpOnly", "SameSite=Lax"} <= set(attributes)
    home = client.get("/", base_url="https://localhost")
    assert home.headers["Strict-Transport-Security"].startswith("max-age=")
    assert int(home.headers["Strict-Transport-Security"].split("=")[1].split(";")[0]) >= 31536000
    assert home.headers["Content-Security-Policy"] == CSP


# --- (c) rate limits ------------------------------------------------------------------------


def test_the_sixth_failed_login_for_one_account_is_refused_with_429(app, app_factory):
    make_user("ada@example.org")
    make_user("grace@example.org")
    db.session.commit()
    limited = app_factory(RATELIMIT_ENABLED=True)
    client = client_for(limited)
    for attempt in range(5):
        email = "ada@example.org" if attempt % 2 else " ADA@example.org"
        response = client.post("/account/login", data={"email": email, "password": "wrong one!"})
        assert response.status_code == 200, attempt
    response = client.post("/account/login", data={"email": "ada@example.org",
                                                   "password": PASSWORD})
    assert response.status_code == 429
    assert fr("Too many attempts") in text(response)
    assert "errors" not in response.headers.get("Location", "")
    assert client.get("/dashboard").status_code == 302  # even the right password was refused
    # Another account from the same address is not locked out by Ada's attempts.
    other = client.post("/account/login", data={"email": "grace@example.org",
                                                "password": PASSWORD})
    assert other.status_code == 302


def test_the_sixth_reset_request_is_refused_with_429(app, app_factory):
    make_user("ada@example.org")
    db.session.commit()
    limited = app_factory(RATELIMIT_ENABLED=True)
    client = client_for(limited)
    for attempt in range(5):
        response = client.post("/account/forgot-password", data={"email": "ada@example.org"})
        assert response.status_code == 200, attempt
    response = client.post("/account/forgot-password", data={"email": "ada@example.org"})
    assert response.status_code == 429
    assert fr("Too many attempts") in text(response)
    assert count(OutboxMessage) == 5


def test_the_sixth_post_to_a_reset_link_is_refused_with_429(app, app_factory):
    limited = app_factory(RATELIMIT_ENABLED=True)
    client = client_for(limited)
    for attempt in range(5):
        response = client.post(f"/account/reset/guess-{attempt}",
                               data={"password": "x", "confirm": "x"})
        assert response.status_code == 400, attempt  # unknown link
    response = client.post("/account/reset/guess-6", data={"password": "x", "confirm": "x"})
    assert response.status_code == 429
    assert fr("Too many attempts") in text(response)


def test_rate_limits_are_off_in_the_default_test_app(client):
    make_user("ada@example.org")
    db.session.commit()
    for _ in range(8):
        response = client.post("/account/login", data={"email": "ada@example.org",
                                                       "password": "wrong one!"})
        assert response.status_code == 200


# --- (d) privileged fields ------------------------------------------------------------------


def test_extra_privileged_fields_posted_to_the_profile_are_ignored(client, login_as):
    user = make_user("ada@example.org")
    edition = make_edition()
    db.session.commit()
    login_as(user)
    response = client.post("/account/profile", data={
        "profile-full_name": "Ada", "profile-language": "fr", "profile-timezone": "Europe/Paris",
        "is_admin": "1", "profile-is_admin": "1", "role": "organizer",
        "profile-role": "organizer", "edition_id": str(edition.id), "email": "x@example.org",
        "profile-email": "x@example.org", "must_change_password": "1", "is_active": "0"})
    assert response.status_code == 302
    assert value(User.full_name, user.id) == "Ada"
    assert value(User.is_admin, user.id) is False
    assert value(User.is_active, user.id) is True
    assert value(User.email, user.id) == "ada@example.org"
    assert count(Membership) == 0
    assert client.get("/admin/").status_code == 403


def test_extra_privileged_fields_posted_at_registration_are_ignored(client):
    response = client.post("/account/register", data={
        "full_name": "Mallory", "email": "mallory@example.org",
        "password": "un velo bleu sous la neige", "confirm": "un velo bleu sous la neige",
        "language": "fr", "accept_terms": "y", "is_admin": "1", "role": "organizer",
        "email_verified_at": "2020-01-01"})
    assert response.status_code == 200
    user = db.session.scalar(db.select(User).where(User.email == "mallory@example.org"))
    assert user is not None
    assert user.is_admin is False
    assert user.email_verified_at is None
    assert count(Membership) == 0


# --- (e) access matrix ----------------------------------------------------------------------

ROLES = ("anonymous", "candidate", "juror", "organizer", "admin")
LOGIN = "login"  # a redirect to the login page

#: endpoint -> [(path template, {role: expected status})]; `{a}` is the organizer's edition,
#: `{b}` another edition, `{draft}` an unpublished one, `{message}` an outbox message.
EVERYONE_200 = dict.fromkeys(ROLES, 200)
LOGGED_IN_200 = {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 200)}
ANONYMOUS_ONLY = {"anonymous": 200, **dict.fromkeys(ROLES[1:], 302)}
BAD_LINK = dict.fromkeys(ROLES, 400)
ORGANIZERS = {"anonymous": LOGIN, "candidate": 403, "juror": 403, "organizer": 200, "admin": 200}
ADMINS = {"anonymous": LOGIN, "candidate": 403, "juror": 403, "organizer": 403, "admin": 200}
NOT_FOUND = dict.fromkeys(ROLES, 404)
#: the candidate's own dossier: nobody else learns it exists, not even an administrator
OWNER_ONLY = {"anonymous": LOGIN, "candidate": 200, "juror": 404, "organizer": 404, "admin": 404}

MATRIX = {
    "static": [("/static/css/trophies.css", EVERYONE_200)],
    "public.home": [("/", EVERYONE_200)],
    "public.edition": [("/editions/{a}", EVERYONE_200),
                       ("/editions/{draft}", dict.fromkeys(ROLES, 404)),
                       ("/editions/no-such-edition", dict.fromkeys(ROLES, 404))],
    "public.dashboard": [("/dashboard", LOGGED_IN_200)],
    "auth.login": [("/account/login", ANONYMOUS_ONLY)],
    "auth.logout": [],  # POST only
    "auth.register": [("/account/register", ANONYMOUS_ONLY)],
    "auth.verify_email": [("/account/verify/bogus", BAD_LINK)],
    "auth.forgot_password": [("/account/forgot-password", EVERYONE_200)],
    "auth.reset_password": [("/account/reset/bogus", BAD_LINK)],
    "auth.accept_invitation": [("/account/invitation/bogus", BAD_LINK)],
    "auth.account": [("/account/", LOGGED_IN_200)],
    "auth.update_profile": [],
    "auth.change_password": [],
    "auth.change_email": [],
    "auth.confirm_email_change": [("/account/email/bogus", BAD_LINK)],
    "auth.set_language": [],
    "auth.keepalive": [],
    "auth.login_code": [("/account/login/code", dict.fromkeys(ROLES, LOGIN))],  # no pending login
    "auth.two_factor_settings": [("/account/two-factor", LOGGED_IN_200)],
    "auth.start_two_factor": [],
    "auth.enable_two_factor": [],
    "auth.disable_two_factor": [],
    "candidate.dossiers": [("/candidate/", LOGGED_IN_200)],
    "candidate.apply": [("/candidate/apply/{a}", LOGGED_IN_200),
                        ("/candidate/apply/{draft}", {**NOT_FOUND, "anonymous": LOGIN})],
    "candidate.dossier": [("/candidate/dossiers/{dossier}", OWNER_ONLY),
                          ("/candidate/dossiers/XX-0000", {**NOT_FOUND, "anonymous": LOGIN})],
    "candidate.save": [],  # POST only
    "candidate.review": [("/candidate/dossiers/{dossier}/review", OWNER_ONLY)],
    "candidate.submit": [],  # POST only
    "candidate.withdraw": [],  # POST only
    "candidate.invite_member": [],  # POST only
    "candidate.remove_member": [],  # POST only
    "candidate.join_team": [("/candidate/team/not-a-token", {**BAD_LINK, "anonymous": LOGIN})],
    "jury.assignments": [("/jury/", LOGGED_IN_200)],
    "admin.index": [("/admin/", ORGANIZERS)],
    "admin.change_phase": [],  # POST only
    "admin.duplicate": [],  # POST only
    "admin.files_zip": [("/admin/editions/{a}/files.zip", ORGANIZERS),
                        ("/admin/editions/{b}/files.zip", {**ORGANIZERS, "organizer": 404})],
    "admin.screening_rules": [],  # POST only
    "admin.rules_pdf": [],  # POST only
    "public.rules_pdf": [("/editions/{a}/rules.pdf", dict.fromkeys(ROLES, 404))],  # none yet
    "admin.screening": [("/admin/editions/{a}/screening", ORGANIZERS),
                        ("/admin/editions/{b}/screening", {**ORGANIZERS, "organizer": 404})],
    "files.download": [("/files/999999", {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 404)})],
    "admin.edition": [("/admin/editions/{a}", ORGANIZERS),
                      ("/admin/editions/{b}", {**ORGANIZERS, "organizer": 404}),
                      ("/admin/editions/no-such-edition", {**ORGANIZERS, "organizer": 404,
                                                           "admin": 404})],
    "admin.dossiers": [("/admin/editions/{a}/dossiers", ORGANIZERS),
                       ("/admin/editions/{b}/dossiers", {**ORGANIZERS, "organizer": 404}),
                       ("/admin/editions/no-such-edition/dossiers",
                        {**ORGANIZERS, "organizer": 404, "admin": 404})],
    "admin.dossier": [("/admin/editions/{a}/dossiers/NO-SUCH-REF",
                       {**ORGANIZERS, "organizer": 404, "admin": 404}),
                      ("/admin/editions/{b}/dossiers/NO-SUCH-REF",
                       {**ORGANIZERS, "organizer": 404, "admin": 404})],
    "admin.export_dossiers": [("/admin/editions/{a}/dossiers.csv", ORGANIZERS),
                              ("/admin/editions/{a}/dossiers.xlsx", ORGANIZERS),
                              ("/admin/editions/{a}/dossiers.json", ORGANIZERS),
                              ("/admin/editions/{b}/dossiers.csv",
                               {**ORGANIZERS, "organizer": 404}),
                              ("/admin/editions/{a}/dossiers.pdf",
                               {**ORGANIZERS, "organizer": 404, "admin": 404})],
    "admin.setup_edition": [("/admin/editions/{a}/setup", ORGANIZERS),
                            ("/admin/editions/{b}/setup", {**ORGANIZERS, "organizer": 404})],
    "admin.setup_categories": [("/admin/editions/{a}/setup/categories", ORGANIZERS),
                               ("/admin/editions/{b}/setup/categories",
                                {**ORGANIZERS, "organizer": 404})],
    "admin.setup_category_update": [],  # POST only
    "admin.setup_category_remove": [],  # POST only
    "admin.setup_round": [("/admin/editions/{a}/setup/rounds/1", ORGANIZERS),
                          ("/admin/editions/{b}/setup/rounds/1", {**ORGANIZERS, "organizer": 404}),
                          ("/admin/editions/{a}/setup/rounds/99",
                           {**ORGANIZERS, "organizer": 404, "admin": 404})],
    "admin.setup_round_add": [("/admin/editions/{a}/setup/rounds/new", ORGANIZERS),
                              ("/admin/editions/{b}/setup/rounds/new",
                               {**ORGANIZERS, "organizer": 404})],
    "admin.setup_criterion_add": [],  # POST only
    "admin.setup_criterion": [("/admin/editions/{a}/setup/rounds/1/criteria/999999",
                               {**ORGANIZERS, "organizer": 404, "admin": 404})],
    "admin.setup_criterion_remove": [],  # POST only
    "admin.setup_questions": [("/admin/editions/{a}/setup/questions", ORGANIZERS),
                              ("/admin/editions/{b}/setup/questions",
                               {**ORGANIZERS, "organizer": 404})],
    "admin.setup_question": [("/admin/editions/{a}/setup/questions/999999",
                              {**ORGANIZERS, "organizer": 404, "admin": 404})],
    "admin.setup_question_remove": [],  # POST only
    "admin.setup_question_move": [],  # POST only
    "admin.outbox": [("/admin/mail", ADMINS)],
    "admin.outbox_message": [("/admin/mail/{message}", ADMINS),
                             ("/admin/mail/999999", {**ADMINS, "admin": 404})],
    "admin.audit_log": [("/admin/audit", ADMINS)],
    # --- issue 6: deliberation, freeze, amendments, publication (organizer side) ---
    "admin.deliberation": [("/admin/editions/{a}/deliberation", ORGANIZERS),
                           ("/admin/editions/{b}/deliberation", {**ORGANIZERS, "organizer": 404}),
                           ("/admin/editions/no-such-edition/deliberation",
                            {**ORGANIZERS, "organizer": 404, "admin": 404})],
    "admin.deliberation_save": [],  # POST only
    "admin.deliberation_coup_de_coeur": [],  # POST only
    "admin.freeze": [],  # POST only
    "admin.publish": [],  # POST only
    "admin.publish_cancel": [],  # POST only
    "admin.snapshots": [("/admin/editions/{a}/snapshots", ORGANIZERS),
                        ("/admin/editions/{b}/snapshots", {**ORGANIZERS, "organizer": 404})],
    "admin.snapshots_verify": [("/admin/editions/{a}/snapshots/verify", ORGANIZERS),
                               ("/admin/editions/{b}/snapshots/verify",
                                {**ORGANIZERS, "organizer": 404})],
    # --- issue 6: results (trophies/web/admin/results.py) ---
    "admin.results": [("/admin/editions/{a}/rounds/1/results", ORGANIZERS),
                      ("/admin/editions/{b}/rounds/1/results", {**ORGANIZERS, "organizer": 404}),
                      ("/admin/editions/{a}/rounds/99/results",
                       {**ORGANIZERS, "organizer": 404, "admin": 404})],
    # a draft dossier is in no round: nobody learns whether it exists
    "admin.results_dossier": [("/admin/editions/{a}/rounds/1/results/dossiers/{dossier}",
                               {**ORGANIZERS, "organizer": 404, "admin": 404}),
                              ("/admin/editions/{b}/rounds/1/results/dossiers/{dossier}",
                               {**ORGANIZERS, "organizer": 404, "admin": 404}),
                              ("/admin/editions/{a}/rounds/1/results/dossiers/NO-SUCH-REF",
                               {**ORGANIZERS, "organizer": 404, "admin": 404})],
    "admin.results_shortlist": [],  # POST only
    # --- issue 4: jurors (organizer side) ---
    "admin.jurors": [("/admin/editions/{a}/jurors", ORGANIZERS),
                     ("/admin/editions/{b}/jurors", {**ORGANIZERS, "organizer": 404})],
    "admin.jurors_import": [("/admin/editions/{a}/jurors/import", ORGANIZERS),
                            ("/admin/editions/{b}/jurors/import",
                             {**ORGANIZERS, "organizer": 404})],
    "admin.juror": [("/admin/editions/{a}/jurors/999999",
                     {**ORGANIZERS, "organizer": 404, "admin": 404}),
                    ("/admin/editions/{b}/jurors/999999",
                     {**ORGANIZERS, "organizer": 404, "admin": 404})],
    "admin.juror_resend": [],  # POST only
    "admin.juror_remove": [],  # POST only
    # --- issue 4: conflicts and the juror's side ---
    "admin.conflicts": [("/admin/editions/{a}/conflicts", ORGANIZERS),
                        ("/admin/editions/{b}/conflicts", {**ORGANIZERS, "organizer": 404}),
                        ("/admin/editions/no-such-edition/conflicts",
                         {**ORGANIZERS, "organizer": 404, "admin": 404})],
    "admin.conflicts_detect": [],  # POST only
    "admin.conflict_add": [],  # POST only
    "admin.conflict_confirm": [],  # POST only
    "admin.conflict_dismiss": [],  # POST only
    # only the edition's juror; {b} and unknown editions: 404 for everyone logged in
    "jury.edition": [("/jury/{a}/", {**NOT_FOUND, "anonymous": LOGIN, "juror": 200}),
                     ("/jury/{b}/", {**NOT_FOUND, "anonymous": LOGIN})],
    "jury.confidentiality": [("/jury/{a}/confidentiality",
                              {**NOT_FOUND, "anonymous": LOGIN, "juror": 200}),
                             ("/jury/{b}/confidentiality", {**NOT_FOUND, "anonymous": LOGIN})],
    # the juror has not accepted the statement yet: sent to it first
    "jury.conflicts": [("/jury/{a}/conflicts", {**NOT_FOUND, "anonymous": LOGIN, "juror": 302}),
                       ("/jury/{b}/conflicts", {**NOT_FOUND, "anonymous": LOGIN})],
    # the edition does not collect preferences
    "jury.preferences": [("/jury/{a}/preferences", {**NOT_FOUND, "anonymous": LOGIN})],
    # a draft, assigned to nobody: nobody learns it exists
    "jury.dossier": [("/jury/{a}/dossiers/{dossier}", {**NOT_FOUND, "anonymous": LOGIN}),
                     ("/jury/{b}/dossiers/{dossier}", {**NOT_FOUND, "anonymous": LOGIN})],
    # --- issue 5: scoring progress (trophies/web/admin/progress.py) ---
    "admin.progress": [("/admin/editions/{a}/rounds/1/progress", ORGANIZERS),
                       ("/admin/editions/{b}/rounds/1/progress",
                        {**ORGANIZERS, "organizer": 404}),
                       ("/admin/editions/{a}/rounds/99/progress",
                        {**ORGANIZERS, "organizer": 404, "admin": 404})],
    # no sheet exists in the matrix's world: nobody learns whether one does
    "admin.sheet": [("/admin/editions/{a}/rounds/1/sheets/999999",
                     {**ORGANIZERS, "organizer": 404, "admin": 404}),
                    ("/admin/editions/{b}/rounds/1/sheets/999999",
                     {**ORGANIZERS, "organizer": 404, "admin": 404})],
    "admin.progress_remind": [],  # POST only
    "admin.round_close": [],  # POST only
    "admin.round_reopen": [],  # POST only
    "admin.sheet_reopen": [],  # POST only
    # --- issue 5: the score sheet (same dossier: nobody's) ---
    "jury.sheet": [("/jury/{a}/rounds/1/dossiers/{dossier}", {**NOT_FOUND, "anonymous": LOGIN}),
                   ("/jury/{b}/rounds/1/dossiers/{dossier}", {**NOT_FOUND, "anonymous": LOGIN}),
                   ("/jury/{a}/rounds/9/dossiers/{dossier}", {**NOT_FOUND, "anonymous": LOGIN})],
    "jury.sheet_save": [],  # POST only
    "jury.sheet_recap": [("/jury/{a}/rounds/1/dossiers/{dossier}/recap",
                          {**NOT_FOUND, "anonymous": LOGIN})],
    "jury.recuse": [("/jury/{a}/rounds/1/dossiers/{dossier}/recuse",
                     {**NOT_FOUND, "anonymous": LOGIN})],
    # --- issue 4: assignment ---
    "admin.assignment": [("/admin/editions/{a}/rounds/1/assignment", ORGANIZERS),
                         ("/admin/editions/{b}/rounds/1/assignment",
                          {**ORGANIZERS, "organizer": 404}),
                         ("/admin/editions/{a}/rounds/99/assignment",
                          {**ORGANIZERS, "organizer": 404, "admin": 404})],
    "admin.assignment_export": [("/admin/editions/{a}/rounds/1/assignment.csv", ORGANIZERS),
                                ("/admin/editions/{b}/rounds/1/assignment.csv",
                                 {**ORGANIZERS, "organizer": 404})],
    "admin.assignment_run": [],  # POST only
    "admin.assignment_publish": [],  # POST only
    "admin.assignment_add": [],  # POST only
    "admin.assignment_remove": [],  # POST only
    "admin.assignment_swap": [],  # POST only
    "admin.assignment_pin": [],  # POST only
    "admin.assignment_import": [],  # POST only
    # --- issue 6: the public palmarès (nothing before publication: {a} is open) ---
    "public.palmares": [("/editions/{a}/palmares", NOT_FOUND),
                        ("/editions/{draft}/palmares", NOT_FOUND),
                        ("/editions/no-such-edition/palmares", NOT_FOUND)],
    "public.palmares_feed": [("/editions/{a}/palmares.json", NOT_FOUND),
                             ("/editions/no-such-edition/palmares.json", NOT_FOUND)],
    "public.palmares_logo": [("/editions/{a}/palmares/logos/{dossier}", NOT_FOUND),
                             ("/editions/no-such-edition/palmares/logos/XX-0000", NOT_FOUND)],
    # --- issue 6: the candidate's feedback (a draft of an open edition: nobody's yet) ---
    "candidate.feedback": [("/candidate/dossiers/{dossier}/feedback",
                            {**NOT_FOUND, "anonymous": LOGIN}),
                           ("/candidate/dossiers/XX-0000/feedback",
                            {**NOT_FOUND, "anonymous": LOGIN})],
    # --- issue 7: PDF documents (tests/web/test_documents_web.py) ---
    "admin.documents": [("/admin/editions/{a}/documents", ORGANIZERS),
                        ("/admin/editions/{b}/documents", {**ORGANIZERS, "organizer": 404}),
                        ("/admin/editions/no-such-edition/documents",
                         {**ORGANIZERS, "organizer": 404, "admin": 404})],
    "admin.documents_minutes": [],  # POST only
    # {a} is open, nothing scored: the organizer is sent back to the Documents page
    "admin.document": [("/admin/editions/{a}/documents/results",
                        {**ORGANIZERS, "organizer": 302, "admin": 302}),
                       ("/admin/editions/{a}/documents/no-such-kind",
                        {**ORGANIZERS, "organizer": 404, "admin": 404}),
                       ("/admin/editions/{b}/documents/minutes",
                        {**ORGANIZERS, "organizer": 404, "admin": 302})],
    "admin.document_job": [],  # POST only
    # a job is seen by its requester only: nobody learns whether one exists
    "documents.job": [("/documents/jobs/no-such-job", {**NOT_FOUND, "anonymous": LOGIN}),
                      ("/documents/jobs/" + "x" * 43, {**NOT_FOUND, "anonymous": LOGIN})],
    "documents.job_file": [("/documents/jobs/no-such-job/file",
                            {**NOT_FOUND, "anonymous": LOGIN})],
    "documents.job_retry": [],  # POST only
    # a draft: no receipt nor feedback, even for its owner
    "candidate.receipt_pdf": [("/candidate/dossiers/{dossier}/receipt.pdf",
                               {**NOT_FOUND, "anonymous": LOGIN}),
                              ("/candidate/dossiers/XX-0000/receipt.pdf",
                               {**NOT_FOUND, "anonymous": LOGIN})],
    "candidate.feedback_pdf": [("/candidate/dossiers/{dossier}/feedback.pdf",
                                {**NOT_FOUND, "anonymous": LOGIN})],
    # the juror has not accepted the confidentiality statement yet: sent to it first
    "jury.book": [("/jury/{a}/book.pdf", {**NOT_FOUND, "anonymous": LOGIN, "juror": 302}),
                  ("/jury/{b}/book.pdf", {**NOT_FOUND, "anonymous": LOGIN})],
    "jury.book_job": [],  # POST only
    "public.palmares_pdf": [("/editions/{a}/palmares.pdf", NOT_FOUND),
                            ("/editions/{draft}/palmares.pdf", NOT_FOUND),
                            ("/editions/no-such-edition/palmares.pdf", NOT_FOUND)],
}


def test_the_access_matrix_covers_every_route(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(MATRIX) == set(), "add the new routes to MATRIX"
    assert set(MATRIX) - endpoints == set(), "MATRIX lists routes that no longer exist"
    get_endpoints = {r.endpoint for r in app.url_map.iter_rules() if "GET" in r.methods}
    assert all(MATRIX[e] for e in get_endpoints), "every GET route needs at least one case"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_matrix_allows(app, client, login_as, role):
    edition_a = make_edition("edition-a")
    edition_b = make_edition("edition-b")
    draft = make_edition("draft-edition", phase=Phase.DRAFT)
    users = {"candidate": make_user("candidate@example.org"),
             "juror": make_user("juror@example.org"),
             "organizer": make_user("organizer@example.org"),
             "admin": make_user("admin@example.org", is_admin=True)}
    add_role(users["candidate"], edition_a, Role.CANDIDATE)
    add_role(users["juror"], edition_a, Role.JUROR)
    add_role(users["organizer"], edition_a, Role.ORGANIZER)
    message = mail.queue_for(users["admin"], "password_changed", reset_url="http://x/")
    dossier = make_dossier(edition_a, users["candidate"], status=DossierStatus.DRAFT)
    db.session.commit()
    values = {"a": edition_a.slug, "b": edition_b.slug, "draft": draft.slug,
              "message": message.id, "dossier": dossier.reference}
    if role != "anonymous":
        login_as(users[role])

    problems = []
    for endpoint, cases in MATRIX.items():
        for template, expected in cases:
            path = template.format(**values)
            response = client.get(path)
            want = expected[role]
            got = response.status_code
            if want == LOGIN:
                ok = got == 302 and location_path(response) == "/account/login"
            else:
                ok = got == want
            if not ok:
                problems.append(f"{endpoint} {path}: expected {want}, got {got}")
    assert problems == []


# --- (f) audit log --------------------------------------------------------------------------


def test_the_audit_log_is_append_only_in_the_database(app):
    actor = make_user()
    event = audit.record("test.recorded", actor=actor, obj=actor, detail="original")
    db.session.commit()
    event_id = event.id

    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(update(AuditEvent).where(AuditEvent.id == event_id)
                           .values(action="test.tampered"))
        db.session.flush()
    db.session.rollback()

    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(delete(AuditEvent).where(AuditEvent.id == event_id))
    db.session.rollback()

    event = db.session.get(AuditEvent, event_id)
    event.data = {"detail": "rewritten"}
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.flush()
    db.session.rollback()

    assert value(AuditEvent.action, event_id) == "test.recorded"
    assert value(AuditEvent.data, event_id) == {"detail": "original"}
    assert count(AuditEvent) == 1
    audit.record("test.second", actor=None)
    db.session.commit()
    assert count(AuditEvent) == 2  # appending still works
