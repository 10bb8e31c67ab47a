"""Nothing typed is lost when the CSRF token or the session expires."""

from __future__ import annotations

from tests.factories import make_user
from trophies.models import User, db
from trophies.web.recovery import is_secret


def test_an_expired_form_keeps_what_was_typed_and_changes_nothing(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        user = make_user("lea@example.org", full_name="Léa Martin")
        db.session.commit()
        token = user.session_token
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    response = client.post(
        "/account/profile",
        data={"profile-csrf_token": "stale", "profile-full_name": "Léa Martin-Durand",
              "profile-language": "fr", "profile-timezone": "Europe/Paris"},
        headers={"Referer": "http://localhost/account/"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'href="/account/"' in page  # a way back to the form
    with app.app_context():
        assert db.session.scalar(db.select(User.full_name)) == "Léa Martin"
    again = client.get("/account/").get_data(as_text=True)
    assert 'value="Léa Martin-Durand"' in again
    # handed back once only
    assert 'value="Léa Martin-Durand"' not in client.get("/account/").get_data(as_text=True)


def test_a_form_posted_after_the_session_ended_comes_back_after_login(app_factory):
    app = app_factory()
    client = app.test_client()
    response = client.post("/account/email", data={"em-new_email": "new@example.org",
                                                   "em-current_password": "secret!"})
    assert response.status_code == 302 and "/account/login" in response.location
    with client.session_transaction() as session:
        kept = dict(session["recovered_form"]["items"])
    assert kept == {"em-new_email": "new@example.org"}  # the password is never kept


def test_secret_fields_are_recognised_with_a_form_prefix():
    assert is_secret("pw-current_password") and is_secret("csrf_token")
    assert is_secret("profile-csrf_token") and not is_secret("profile-full_name")


def test_a_long_application_typed_after_the_session_expired_comes_back_after_login(
        app_factory):
    from tests.factories import PASSWORD, make_dossier, make_edition
    from trophies.domain.vocabulary import DossierStatus
    from trophies.models import RecoveredForm

    app = app_factory()
    client = app.test_client()
    with app.app_context():
        user = make_user("anne@medilien.example")
        dossier = make_dossier(make_edition("recup"), user, status=DossierStatus.DRAFT)
        db.session.commit()
        reference = dossier.reference
    long_answer = "Une réponse longue et précieuse. " * 200  # ~6,600 characters
    response = client.post(f"/candidate/dossiers/{reference}",
                           data={"summary": long_answer, "company_name": "Médilien"})
    assert response.status_code == 302 and "/account/login" in response.location
    with client.session_transaction() as session:
        assert "items" not in session["recovered_form"]  # too large for the cookie
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(RecoveredForm)) == 1
    client.post("/account/login", data={"email": "anne@medilien.example", "password": PASSWORD})
    page = client.get(f"/candidate/dossiers/{reference}").get_data(as_text=True)
    assert long_answer.strip() in page
    assert long_answer.strip() not in client.get(
        f"/candidate/dossiers/{reference}").get_data(as_text=True)  # once only
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(RecoveredForm)) == 0
