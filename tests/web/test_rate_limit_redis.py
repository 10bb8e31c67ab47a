"""Rate limits shared through Redis, as when several processes serve the app.

Runs when TROPHIES_TEST_REDIS_URL is set (CI sets it; the README's Redis is on loopback).
"""

from __future__ import annotations

import os
import uuid

import pytest

from tests.factories import PASSWORD, make_user
from trophies.models import db

REDIS_URL = os.environ.get("TROPHIES_TEST_REDIS_URL", "")

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="TROPHIES_TEST_REDIS_URL is not set")


def test_two_processes_share_one_login_limit_through_redis(app, app_factory):
    run = uuid.uuid4().hex[:12]  # Redis outlives the test: fresh keys for this run only
    email = f"{run}@example.org"
    make_user(email)
    db.session.commit()
    first = app_factory(RATELIMIT_ENABLED=True, REDIS_URL=REDIS_URL,
                        RATELIMIT_STORAGE_URI="memory://", RATELIMIT_KEY_PREFIX=run)
    assert first.config["RATELIMIT_STORAGE_URI"] == REDIS_URL  # derived from REDIS_URL
    client_a = first.test_client()
    for _ in range(3):
        assert client_a.post("/account/login", data={"email": email,
                                                     "password": "wrong one!"}).status_code == 200
    second = app_factory(RATELIMIT_ENABLED=True, REDIS_URL=REDIS_URL, RATELIMIT_KEY_PREFIX=run)
    client_b = second.test_client()
    for _ in range(2):
        assert client_b.post("/account/login", data={"email": email,
                                                     "password": "wrong one!"}).status_code == 200
    # Five failures counted across both "processes": the sixth attempt is refused, even right.
    response = client_b.post("/account/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 429
