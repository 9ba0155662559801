"""Login throttling and the content security policy."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from tests.support.factories import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


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


# --- the client address behind a proxy (TRUSTED_PROXY_COUNT) -----------------------------------


def login_from(client, username, password, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post("/login/", {"username": username, "password": password}, **extra)


def test_without_a_trusted_proxy_a_forged_forwarded_for_is_ignored(client, manager_user, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for attempt in range(5):  # a new forged address each time: still one client
        login_from(client, manager_user.username, "wrong", "203.0.113.7", f"10.9.9.{attempt}")
    locked = login_from(client, manager_user.username, PASSWORD, "203.0.113.7", "10.1.1.1")
    assert locked.status_code == 429
    # Someone else, at another address, is not locked out.
    assert login_from(client, manager_user.username, PASSWORD, "198.51.100.4").status_code == 302


def test_behind_one_proxy_two_clients_are_locked_out_separately(client, manager_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for _ in range(5):  # the attacker also forges an entry; the proxy appends the real one
        login_from(client, manager_user.username, "wrong", proxy, "198.51.100.9, 203.0.113.66")
    attacker = login_from(client, manager_user.username, PASSWORD, proxy, "203.0.113.66")
    assert attacker.status_code == 429
    client.logout()
    victim = login_from(client, manager_user.username, PASSWORD, proxy, "198.51.100.9")
    assert victim.status_code == 302  # the same proxy, another client: not locked out


def test_a_request_that_bypassed_the_proxy_is_keyed_on_its_own_address(rf, settings):
    from config.security import client_ip

    settings.TRUSTED_PROXY_COUNT = 2
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert client_ip(request) == "10.0.0.2"
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 9.9.9.9, 10.0.0.1")
    assert client_ip(request) == "9.9.9.9"


# --- the API schema and docs ---------------------------------------------------------------


def test_schema_and_docs_need_a_login_when_not_public(client, manager_user, settings):
    settings.API_SCHEMA_PUBLIC = False
    assert client.get("/api/schema/").status_code == 401
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith("/login/")
    client.force_login(manager_user)
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


def test_schema_needs_a_login_by_default_in_production(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "p" * 30 + "r0duct10n-s3cret-k3y-w1th-ch4rs",
        "DJANGO_ALLOWED_HOSTS": "sla.example.com",
        "VAR_DIR": str(tmp_path),
    }
    code = (
        "from django.conf import settings; from django.test import Client; "
        "print(settings.API_SCHEMA_PUBLIC, "
        "Client().get('/api/schema/', secure=True, HTTP_HOST='sla.example.com').status_code)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.stdout.split()[-2:] == ["False", "401"], result.stdout + result.stderr
