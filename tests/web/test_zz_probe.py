from tests.factories import make_user, PASSWORD
from tests.helpers import *
from trophies.models import db, User

import pytest
@pytest.fixture
def client(isolated_client): return isolated_client

def test_probe(client, app):
    r = client.post("/account/register", data=dict(full_name="Ada", email="Ada@Example.org", password="velo rouge sous la pluie", confirm="velo rouge sous la pluie", language="en", accept_terms="y"))
    print(r.status_code)
    print(text(r)[-1500:])
    for m in messages(): print(m.recipient, m.language, m.subject, m.body_text)
    r = client.get("/dashboard"); print(r.status_code, r.headers.get("Location"))
    r = client.post("/account/login", data=dict(email="ada@example.org", password="velo rouge sous la pluie"))
    print(r.status_code, r.headers.get("Location"), r.headers.getlist("Set-Cookie"))
    print(client.get_cookie("trophies_session"))
