from tests.factories import make_edition, make_user


def test_home_lists_an_open_edition_in_french_by_default(client, app):
    make_edition(slug="esante")
    from trophies.models import db
    db.session.commit()
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'lang="fr"' in html
    assert "Trophées" in html


def test_dashboard_after_login(client, login_as):
    user = make_user()
    from trophies.models import db
    db.session.commit()
    login_as(user)
    response = client.get("/dashboard")
    assert response.status_code == 200
