"""Web: the account journeys end to end through the test client, and what bad input gets.

Every request runs in its own application context (`isolated_client`), so a session that the
server revoked is really gone; the database is read back with column queries (tests.helpers).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.conftest import IsolatedClient
from tests.factories import PASSWORD, make_edition, make_user
from tests.helpers import (
    comparable,
    count,
    csrf_token,
    en,
    fr,
    html_lang,
    link_path,
    location_path,
    messages,
    text,
    value,
)
from trophies.domain.vocabulary import Language, Role, TokenPurpose
from trophies.models import (
    AccountToken,
    JurorProfile,
    Membership,
    OutboxMessage,
    User,
    db,
    utcnow,
)
from trophies.services import accounts

NEW_PASSWORD = "un velo bleu sous la neige"
OTHER_PASSWORD = "trois pommes sur la table"
COOKIE = "trophies_session"


@pytest.fixture
def client(isolated_client):
    """Every request in its own context: a revoked session is really revoked (see conftest)."""
    return isolated_client


def another_client(app) -> IsolatedClient:
    """A second browser."""
    return IsolatedClient(app, app.response_class, use_cookies=True)


def register(client, email, *, password=NEW_PASSWORD, confirm=None, language="fr",
             name="Ada Lovelace"):
    return client.post("/account/register", data={
        "full_name": name, "email": email, "password": password,
        "confirm": password if confirm is None else confirm, "language": language,
        "accept_terms": "y"})


def login(client, email, password=PASSWORD, **extra):
    return client.post("/account/login", data={"email": email, "password": password, **extra})


def is_logged_in(client) -> bool:
    response = client.get("/dashboard")
    if response.status_code == 200:
        return True
    assert response.status_code == 302
    assert location_path(response) == "/account/login"
    return False


def use_english(client) -> None:
    response = client.post("/account/language", data={"lang": "en"})
    assert response.status_code == 302


def user_row(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def expire_tokens() -> None:
    """Travel every token's expiry into the past."""
    now = utcnow()
    db.session.execute(update(AccountToken).values(created_at=now - timedelta(days=30),
                                                   expires_at=now - timedelta(minutes=1)))
    db.session.commit()


# --- registration, verification, login, logout -----------------------------------------------


def test_a_candidate_registers_verifies_logs_in_and_logs_out_for_good(app, client):
    response = register(client, "Ada@Example.org", language="fr")
    assert response.status_code == 200
    assert fr("Check your e-mail") in text(response)

    user = user_row("ada@example.org")
    assert user is not None
    assert user.email_verified_at is None
    assert user.language == Language.FR
    [message] = messages(to="ada@example.org")
    assert message.template == "verify_email"
    assert message.language == Language.FR
    assert message.subject == f"{fr('Confirm your e-mail address')} — Trophies"

    verify = client.get(link_path(message, "/account/verify/"))
    assert verify.status_code == 302
    assert location_path(verify) == "/account/login"
    assert value(User.email_verified_at, user.id) is not None

    response = login(client, "ada@example.org", NEW_PASSWORD)
    assert response.status_code == 302
    assert location_path(response) == "/dashboard"
    assert is_logged_in(client)
    assert value(User.last_login_at, user.id) is not None

    stale_cookie = client.get_cookie(COOKIE).value
    thief = another_client(app)
    thief.set_cookie(COOKIE, stale_cookie)
    assert is_logged_in(thief), "a copy of the cookie works while the session lives"

    response = client.post("/account/logout")
    assert response.status_code == 302
    assert location_path(response) == "/"
    assert not is_logged_in(client)

    client.set_cookie(COOKIE, stale_cookie)
    assert not is_logged_in(client)
    assert not is_logged_in(thief)


def test_a_registration_in_english_gets_its_mail_in_english(client):
    response = register(client, "grace@example.org", language="en", name="Grace Hopper")
    assert response.status_code == 200
    [message] = messages(to="grace@example.org")
    assert message.language == Language.EN
    assert message.subject == "Confirm your e-mail address — Trophies"
    assert message.body_text.startswith("Hello Grace Hopper,")
    assert user_row("grace@example.org").language == Language.EN


def test_a_verification_link_works_once(client):
    register(client, "ada@example.org")
    path = link_path(messages(template="verify_email")[0], "/account/verify/")
    assert client.get(path).status_code == 302
    again = client.get(path)
    assert again.status_code == 400
    assert fr("This link is not valid") in text(again)


def test_a_logged_in_visitor_is_sent_from_login_and_register_to_the_dashboard(client, login_as):
    login_as(make_user())
    db.session.commit()
    for path in ("/account/login", "/account/register"):
        response = client.get(path)
        assert response.status_code == 302
        assert location_path(response) == "/dashboard"


def test_logout_needs_a_post(client, login_as):
    user = make_user()
    db.session.commit()
    login_as(user)
    assert client.get("/account/logout").status_code == 405
    assert is_logged_in(client)


# --- password reset -------------------------------------------------------------------------


def test_a_reset_request_answers_the_same_for_known_and_unknown_addresses(client):
    make_user("known@example.org")
    db.session.commit()
    known = client.post("/account/forgot-password", data={"email": "known@example.org"})
    unknown = client.post("/account/forgot-password", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert comparable(known, "known@example.org") == comparable(unknown, "nobody@example.org")
    assert fr("Check your e-mail") in text(known)
    assert "known@example.org" in text(known)
    assert len(messages(to="known@example.org", template="reset_password")) == 1
    assert messages(to="nobody@example.org") == []
    assert count(AccountToken) == 1


def test_a_reset_link_sets_a_new_password_once(client):
    user = make_user("ada@example.org")
    db.session.commit()
    client.post("/account/forgot-password", data={"email": "ada@example.org"})
    path = link_path(messages(template="reset_password")[0], "/account/reset/")

    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert location_path(response) == "/account/login"
    assert len(messages(to="ada@example.org", template="password_changed")) == 1

    changed_hash = value(User.password_hash, user.id)
    again = client.get(path)
    assert again.status_code == 400
    assert fr("This link is not valid") in text(again)
    reused = client.post(path, data={"password": OTHER_PASSWORD, "confirm": OTHER_PASSWORD})
    assert reused.status_code == 400
    assert value(User.password_hash, user.id) == changed_hash

    assert login(client, "ada@example.org", PASSWORD).status_code == 200  # old one refused
    assert not is_logged_in(client)
    assert login(client, "ada@example.org", NEW_PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_an_expired_reset_link_is_refused_in_the_readers_language(client):
    user = make_user("ada@example.org")
    token = accounts.issue_token(TokenPurpose.RESET_PASSWORD, email=user.email, user=user)
    db.session.commit()
    expire_tokens()
    before = value(User.password_hash, user.id)

    french = client.get(f"/account/reset/{token}")
    assert french.status_code == 400
    assert html_lang(french) == "fr"
    assert fr("This link is not valid") in text(french)
    posted = client.post(f"/account/reset/{token}",
                         data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert posted.status_code == 400
    assert value(User.password_hash, user.id) == before

    use_english(client)
    english = client.get(f"/account/reset/{token}")
    assert english.status_code == 400
    assert html_lang(english) == "en"
    assert "This link is not valid" in text(english)
    assert english.get_data() != french.get_data()


def test_a_reset_link_cannot_verify_an_email_or_accept_an_invitation(client):
    user = make_user("ada@example.org", verified=False)
    token = accounts.issue_token(TokenPurpose.RESET_PASSWORD, email=user.email, user=user)
    db.session.commit()
    assert client.get(f"/account/verify/{token}").status_code == 400
    assert client.get(f"/account/invitation/{token}").status_code == 400
    assert client.get(f"/account/email/{token}").status_code == 400
    assert value(User.email_verified_at, user.id) is None


def test_a_password_reset_ends_every_existing_session(app, client, login_as):
    user = make_user("ada@example.org")
    token = accounts.issue_token(TokenPurpose.RESET_PASSWORD, email=user.email, user=user)
    db.session.commit()
    elsewhere = another_client(app)
    login_as(user, elsewhere)
    assert is_logged_in(elsewhere)

    response = client.post(f"/account/reset/{token}",
                           data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert not is_logged_in(elsewhere)


def test_a_weak_password_on_the_reset_page_keeps_the_link_usable(client):
    user = make_user("ada@example.org")
    token = accounts.issue_token(TokenPurpose.RESET_PASSWORD, email=user.email, user=user)
    db.session.commit()
    before = value(User.password_hash, user.id)
    response = client.post(f"/account/reset/{token}",
                           data={"password": "azerty123456", "confirm": "azerty123456"})
    assert response.status_code == 200
    assert fr("This password is too common or too easy to guess. Choose another one.") in text(
        response)
    assert value(User.password_hash, user.id) == before
    assert client.get(f"/account/reset/{token}").status_code == 200


# --- invitations ----------------------------------------------------------------------------


def invite(email, role=Role.JUROR, *, language="en", organisation=""):
    admin = make_user(is_admin=True, full_name="Claire Organisatrice")
    edition = make_edition()
    accounts.invite(edition, email=email, full_name="Jean Juré", role=role, language=language,
                    actor=admin, organisation=organisation)
    db.session.commit()
    [message] = messages(to=email.lower(), template="invitation")
    return edition, message


def test_a_new_juror_accepts_an_invitation_by_choosing_a_password(client):
    edition, message = invite("Juror@Example.org", organisation="CHU de Nantes")
    assert message.language == Language.EN
    assert message.subject.startswith(f"Invitation to the jury of {edition.name_en}")
    assert "Claire Organisatrice invites you to join the jury" in message.body_text
    juror = user_row("juror@example.org")
    assert juror.password_hash is None
    assert count(Membership, Membership.user_id == juror.id) == 0

    path = link_path(message, "/account/invitation/")
    form = client.get(path)
    assert form.status_code == 200
    assert 'value="Jean Juré"' in text(form)
    response = client.post(path, data={"full_name": "Jean Juré-Dupont", "password": NEW_PASSWORD,
                                       "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert location_path(response) == "/dashboard"
    assert is_logged_in(client)

    juror = user_row("juror@example.org")
    assert juror.full_name == "Jean Juré-Dupont"
    assert juror.email_verified_at is not None
    assert count(Membership, Membership.user_id == juror.id, Membership.edition_id == edition.id,
                 Membership.role == Role.JUROR) == 1
    profile = db.session.scalar(select(JurorProfile).where(JurorProfile.user_id == juror.id))
    assert profile.accepted_at is not None
    assert profile.organisation_key == "chu nantes"

    client.post("/account/logout")
    used = client.get(path)
    assert used.status_code == 400
    assert fr("This link is not valid") in text(used)
    assert login(client, "juror@example.org", NEW_PASSWORD).status_code == 302


def test_an_invitation_link_with_a_weak_password_creates_nothing(client):
    edition, message = invite("juror@example.org")
    path = link_path(message, "/account/invitation/")
    response = client.post(path, data={"full_name": "Jean", "password": "court",
                                       "confirm": "court"})
    assert response.status_code == 200
    assert fr("The password must have at least %(n)d characters.", n=12) in text(response)
    juror = user_row("juror@example.org")
    assert juror.password_hash is None
    assert count(Membership, Membership.user_id == juror.id) == 0
    assert client.get(path).status_code == 200


def test_an_expired_invitation_is_refused(client):
    _edition, message = invite("juror@example.org")
    expire_tokens()
    assert client.get(link_path(message, "/account/invitation/")).status_code == 400


def test_an_existing_account_must_log_in_before_accepting_an_invitation(client):
    member = make_user("known@example.org")
    db.session.commit()
    edition, message = invite("known@example.org", Role.ORGANIZER)
    path = link_path(message, "/account/invitation/")

    for response in (client.get(path), client.post(path)):
        assert response.status_code == 302
        assert location_path(response) == "/account/login"
        assert f"next={path}" in response.headers["Location"]
    assert count(Membership, Membership.user_id == member.id) == 0

    response = login(client, "known@example.org", PASSWORD, next=path)
    assert response.status_code == 302
    assert location_path(response) == path
    assert client.get(path).status_code == 200
    assert count(Membership, Membership.user_id == member.id) == 0
    response = client.post(path)
    assert response.status_code == 302
    assert count(Membership, Membership.user_id == member.id, Membership.edition_id == edition.id,
                 Membership.role == Role.ORGANIZER) == 1
    assert value(User.password_hash, member.id) is not None


def test_someone_else_logged_in_cannot_accept_an_invitation_for_an_existing_account(
        client, login_as):
    make_user("known@example.org")
    intruder = make_user("intruder@example.org")
    db.session.commit()
    _edition, message = invite("known@example.org")
    login_as(intruder)
    path = link_path(message, "/account/invitation/")
    response = client.post(path)
    assert response.status_code == 302
    assert location_path(response) == "/account/login"
    assert count(Membership) == 0
    assert not is_logged_in(client)


# --- the account page -----------------------------------------------------------------------


def test_changing_name_and_language_switches_the_pages_to_english(app, client, login_as):
    user = make_user("ada@example.org")
    db.session.commit()
    login_as(user)
    assert html_lang(client.get("/account/")) == "fr"
    response = client.post("/account/profile", data={
        "profile-full_name": "Ada Byron", "profile-language": "en",
        "profile-timezone": "Europe/London"})
    assert response.status_code == 302
    assert location_path(response) == "/account/"
    assert value(User.full_name, user.id) == "Ada Byron"
    assert value(User.language, user.id) == Language.EN
    assert value(User.timezone, user.id) == "Europe/London"
    page = client.get("/account/")
    assert html_lang(page) == "en"
    assert "My account" in text(page)
    assert "Your details have been saved." in text(page)

    fresh = another_client(app)  # no language in this session: the account's language rules
    login(fresh, "ada@example.org")
    assert html_lang(fresh.get("/dashboard")) == "en"


def test_an_invalid_profile_changes_nothing(client, login_as):
    user = make_user(full_name="Ada Lovelace")
    db.session.commit()
    login_as(user)
    response = client.post("/account/profile", data={
        "profile-full_name": "", "profile-language": "de", "profile-timezone": "Mars/Olympus"})
    assert response.status_code == 400
    assert fr("Enter your name.") in text(response)
    assert value(User.full_name, user.id) == "Ada Lovelace"
    assert value(User.language, user.id) == Language.FR
    assert value(User.timezone, user.id) == "Europe/Paris"


def test_a_wrong_current_password_changes_nothing(client, login_as):
    user = make_user()
    db.session.commit()
    login_as(user)
    before = (value(User.password_hash, user.id), value(User.session_token, user.id))
    response = client.post("/account/password", data={
        "pw-current_password": "not my password at all", "pw-password": NEW_PASSWORD,
        "pw-confirm": NEW_PASSWORD})
    assert response.status_code == 400
    assert fr("The current password is incorrect.") in text(response)
    assert (value(User.password_hash, user.id), value(User.session_token, user.id)) == before
    assert messages(template="password_changed") == []
    assert is_logged_in(client)


def test_a_wrong_current_password_is_explained_in_english_to_an_english_reader(client, login_as):
    user = make_user(language=Language.EN)
    db.session.commit()
    login_as(user)
    response = client.post("/account/password", data={
        "pw-current_password": "not my password at all", "pw-password": NEW_PASSWORD,
        "pw-confirm": NEW_PASSWORD})
    assert response.status_code == 400
    assert html_lang(response) == "en"
    assert "The current password is incorrect." in text(response)


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(
        app, client, login_as):
    user = make_user("ada@example.org")
    db.session.commit()
    login_as(user)
    elsewhere = another_client(app)
    login_as(user, elsewhere)
    assert is_logged_in(elsewhere)

    response = client.post("/account/password", data={
        "pw-current_password": PASSWORD, "pw-password": NEW_PASSWORD,
        "pw-confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert location_path(response) == "/account/"
    assert is_logged_in(client)
    assert not is_logged_in(elsewhere)
    [notice] = messages(to="ada@example.org", template="password_changed")
    assert notice.language == Language.FR
    assert login(elsewhere, "ada@example.org", PASSWORD).status_code == 200
    assert login(elsewhere, "ada@example.org", NEW_PASSWORD).status_code == 302


def test_changing_the_email_waits_for_the_link_sent_to_the_new_address(client, login_as):
    user = make_user("old@example.org")
    db.session.commit()
    login_as(user)
    response = client.post("/account/email", data={"em-new_email": "New@Example.org",
                                                   "em-current_password": PASSWORD})
    assert response.status_code == 302
    assert location_path(response) == "/account/"
    assert value(User.email, user.id) == "old@example.org"

    [confirm] = messages(to="new@example.org", template="confirm_email_change")
    [notice] = messages(to="old@example.org", template="email_change_requested")
    assert confirm.subject == f"{fr('Confirm your new e-mail address')} — Trophies"
    assert "new@example.org" in notice.body_text
    assert "/account/email/" not in notice.body_text  # the link goes to the new address only

    path = link_path(confirm, "/account/email/")
    opened = client.get(path)  # opening the link (or a mail scanner doing so) changes nothing
    assert opened.status_code == 200 and "new@example.org" in text(opened)
    assert value(User.email, user.id) == "old@example.org"
    response = client.post(path)
    assert response.status_code == 302
    assert location_path(response) == "/account/login"
    assert value(User.email, user.id) == "new@example.org"
    assert not is_logged_in(client)
    assert client.get(path).status_code == 400
    assert client.post(path).status_code == 400

    assert login(client, "old@example.org").status_code == 200
    assert login(client, "new@example.org").status_code == 302


def test_taking_an_address_already_used_is_refused_clearly_and_changes_nothing(
        client, login_as):
    user = make_user("ada@example.org")
    make_user("taken@example.org")
    db.session.commit()
    login_as(user)
    response = client.post("/account/email", data={"em-new_email": "TAKEN@example.org",
                                                   "em-current_password": PASSWORD})
    assert response.status_code == 400
    assert fr("This address cannot be used. Choose another one.") in text(response)
    assert value(User.email, user.id) == "ada@example.org"
    assert count(AccountToken) == 0
    assert count(OutboxMessage) == 0


def test_an_email_change_with_a_wrong_password_changes_nothing(client, login_as):
    user = make_user("ada@example.org")
    db.session.commit()
    login_as(user)
    response = client.post("/account/email", data={"em-new_email": "new@example.org",
                                                   "em-current_password": "not my password"})
    assert response.status_code == 400
    assert fr("The current password is incorrect.") in text(response)
    assert count(AccountToken) == 0
    assert count(OutboxMessage) == 0


def test_an_address_taken_before_the_confirmation_link_is_opened_is_refused(client, login_as):
    user = make_user("ada@example.org")
    db.session.commit()
    login_as(user)
    client.post("/account/email", data={"em-new_email": "new@example.org",
                                        "em-current_password": PASSWORD})
    path = link_path(messages(template="confirm_email_change")[0], "/account/email/")
    make_user("new@example.org")
    db.session.commit()
    assert client.get(path).status_code == 400
    assert client.post(path).status_code == 400
    assert value(User.email, user.id) == "ada@example.org"


def test_create_admin_prints_a_one_time_password_that_forces_a_new_one(client, runner):
    result = runner.invoke(args=["trophies", "create-admin", "Boss@Example.org",
                                 "--name", "La Patronne"])
    assert result.exit_code == 0, result.output
    match = re.search(r"One-time password[^:]*: (\S+)", result.output)
    assert match
    one_time = match.group(1)
    admin = user_row("boss@example.org")
    assert admin.is_admin
    assert admin.must_change_password
    assert one_time not in (admin.password_hash or "")

    response = login(client, "boss@example.org", one_time)
    assert response.status_code == 302
    assert location_path(response) == "/account/"
    assert response.headers["Location"].endswith("#password-section")
    for path in ("/dashboard", "/admin/", "/admin/mail", "/candidate/"):
        response = client.get(path)  # nothing else opens until the password is replaced
        assert response.status_code == 302, path
        assert location_path(response) == "/account/"
    assert client.get("/account/").status_code == 200

    response = client.post("/account/password", data={
        "pw-current_password": one_time, "pw-password": NEW_PASSWORD, "pw-confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert value(User.must_change_password, admin.id) is False
    client.post("/account/logout")

    assert login(client, "boss@example.org", one_time).status_code == 200  # used up
    assert not is_logged_in(client)
    response = login(client, "boss@example.org", NEW_PASSWORD)
    assert location_path(response) == "/dashboard"
    assert client.get("/admin/mail").status_code == 200


# --- bad input ------------------------------------------------------------------------------


def test_login_with_a_wrong_password_changes_nothing(client):
    user = make_user("ada@example.org")
    db.session.commit()
    before = value(User.password_hash, user.id)
    response = login(client, "ada@example.org", "not the right password")
    assert response.status_code == 200
    assert html_lang(response) == "fr"
    assert fr("Incorrect e-mail address or password.") in text(response)
    assert not is_logged_in(client)
    assert value(User.last_login_at, user.id) is None
    assert value(User.password_hash, user.id) == before


def test_login_with_an_unknown_email_answers_exactly_like_a_wrong_password(client):
    make_user("ada@example.org")
    db.session.commit()
    wrong = login(client, "ada@example.org", "not the right password")
    unknown = login(client, "nobody@example.org", "not the right password")
    assert wrong.status_code == unknown.status_code == 200
    assert comparable(wrong, "ada@example.org") == comparable(unknown, "nobody@example.org")


def test_login_errors_are_in_english_for_an_english_session(client):
    make_user("ada@example.org")
    db.session.commit()
    use_english(client)
    response = login(client, "ada@example.org", "not the right password")
    assert html_lang(response) == "en"
    assert en("Incorrect e-mail address or password.") in text(response)


def test_a_deactivated_account_cannot_log_in(client):
    user = make_user("ada@example.org")
    user.is_active = False
    db.session.commit()
    assert login(client, "ada@example.org").status_code == 200
    assert not is_logged_in(client)


def test_a_duplicate_registration_creates_nothing_and_tells_the_owner(client):
    owner = make_user("ada@example.org", language=Language.EN)
    db.session.commit()
    before = value(User.password_hash, owner.id)
    fresh = register(client, "grace@example.org")
    duplicate = register(client, "ADA@example.org", password=OTHER_PASSWORD)
    assert fresh.status_code == duplicate.status_code == 200
    assert comparable(fresh, "grace@example.org") == comparable(duplicate, "ADA@example.org")

    assert count(User, User.email == "ada@example.org") == 1
    assert value(User.password_hash, owner.id) == before
    [warning] = messages(to="ada@example.org")
    assert warning.template == "account_exists"
    assert warning.language == Language.EN
    assert warning.subject == "An account already exists for this address — Trophies"
    assert "/account/login" in warning.body_text
    assert "/account/forgot-password" in warning.body_text


@pytest.mark.parametrize(("password", "msgid", "values"), [
    ("tulipe-vert", "The password must have at least %(n)d characters.", {"n": 12}),
    ("azerty123456", "This password is too common or too easy to guess. Choose another one.", {}),
    ("x" * 129, "The password must have at most %(n)d characters.", {"n": 128}),
    ("ada@example.org", "The password must not be your name or your e-mail address.", {}),
])
def test_a_weak_password_is_refused_with_a_clear_message(client, password, msgid, values):
    response = register(client, "ada@example.org", password=password)
    assert response.status_code == 200
    assert fr(msgid, **values) in text(response)
    assert count(User) == 0
    assert count(OutboxMessage) == 0

    use_english(client)
    response = register(client, "ada@example.org", password=password)
    assert html_lang(response) == "en"
    assert en(msgid, **values) in text(response)
    assert count(User) == 0


def test_two_different_passwords_are_refused(client):
    response = register(client, "ada@example.org", confirm=OTHER_PASSWORD)
    assert response.status_code == 200
    assert fr("The two passwords are different.") in text(response)
    assert count(User) == 0


def test_a_registration_without_accepting_the_notice_is_refused(client):
    response = client.post("/account/register", data={
        "full_name": "Ada", "email": "ada@example.org", "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD, "language": "fr"})
    assert response.status_code == 200
    assert fr("Please confirm that you have read the notice.") in text(response)
    assert count(User) == 0


@pytest.mark.parametrize("forged", ["https://evil.example/", "//evil.example/x",
                                    "/\\evil.example", "\\\\evil.example",
                                    "javascript:alert(1)", "http:/evil.example",
                                    "/dashboard\r\nLocation: https://evil.example"])
def test_a_forged_next_never_leaves_the_site(client, forged):
    make_user("ada@example.org")
    db.session.commit()
    response = login(client, "ada@example.org", next=forged)
    assert response.status_code == 302
    assert location_path(response) == "/dashboard"
    assert "evil" not in response.headers["Location"]

    response = client.post("/account/language", data={"lang": "en", "next": forged})
    assert response.status_code == 302
    assert location_path(response) == "/"


def test_a_local_next_is_followed_after_login(client):
    make_user("ada@example.org")
    db.session.commit()
    response = login(client, "ada@example.org", next="/candidate/")
    assert location_path(response) == "/candidate/"


def test_a_post_without_csrf_token_is_refused_and_changes_nothing(app, app_factory):
    user = make_user("ada@example.org")
    db.session.commit()
    protected = app_factory(WTF_CSRF_ENABLED=True)
    client = IsolatedClient(protected, protected.response_class, use_cookies=True)

    response = login(client, "ada@example.org")
    assert response.status_code == 400
    assert fr("This form expired (for example after a long pause or in another tab). "
              "Nothing was saved.") in text(response)
    assert value(User.last_login_at, user.id) is None
    assert not is_logged_in(client)

    token = csrf_token(client.get("/account/login"))
    response = login(client, "ada@example.org", csrf_token=token)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_an_oversize_request_gets_the_413_page_and_creates_nothing(app_factory):
    big = app_factory(MAX_CONTENT_LENGTH=2048)
    client = IsolatedClient(big, big.response_class, use_cookies=True)
    with big.app_context():
        response = register(client, "ada@example.org", name="A" * 5000)
        assert response.status_code == 413
        assert fr("File too large") in text(response)
        assert html_lang(response) == "fr"
        assert count(User) == 0
        small = register(client, "ada@example.org")
        assert small.status_code == 200
        assert count(User) == 1
