"""Login throttling and the content security policy."""

import pytest
from django.test import override_settings

from tests.support.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_a_username_is_locked_out_after_five_failed_logins(client, manager_user):
    for _ in range(4):
        assert login(client, manager_user.username, "wrong").status_code == 200
    locked = login(client, manager_user.username, "wrong")
    assert locked.status_code == 429 and "Too many failed logins" in locked.content.decode()
    # Even the right password is refused during the cool-off.
    assert login(client, manager_user.username, PASSWORD).status_code == 429


def test_a_successful_login_resets_the_failure_count(client, manager_user):
    for _ in range(4):
        login(client, manager_user.username, "wrong")
    assert login(client, manager_user.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert login(client, manager_user.username, "wrong").status_code == 200


def test_the_token_endpoint_is_throttled_too(api, manager_user):
    body = {"username": manager_user.username, "password": "wrong"}
    for _ in range(5):
        api.post("/api/v1/auth/token/", body)
    good = {"username": manager_user.username, "password": PASSWORD}
    assert api.post("/api/v1/auth/token/", good).status_code in (400, 403, 429)


@override_settings(CSP_ENABLED=True)
def test_pages_carry_a_strict_content_security_policy(client, manager_user):
    client.force_login(manager_user)
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    docs = client.get("/api/docs/")["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in docs


def test_no_policy_header_when_disabled(client, manager_user):
    client.force_login(manager_user)
    assert "Content-Security-Policy" not in client.get("/")
