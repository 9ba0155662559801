"""The foundation: roles, login, token, users API, API conventions, schema, health."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from config.env import EnvError, env_bool, env_int
from core.roles import Role
from tests.support.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def test_every_role_has_its_group_from_the_data_migration(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}


@pytest.mark.parametrize("role", [r.value for r in Role if r != Role.VENDOR])
def test_each_role_lands_on_its_own_home_page(client, make_user, role):
    user = make_user(role)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.templates[0].name == f"accounts/home_{role}.html"


def test_vendor_user_lands_on_the_vendor_portal(client, vendor_user):
    client.force_login(vendor_user)
    assert client.get("/").templates[0].name == "accounts/home_vendor.html"


def test_anonymous_home_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_login_page_logs_in_with_username_and_password(client, manager_user):
    response = client.post("/login/", {"username": manager_user.username, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"


def test_token_endpoint_returns_a_token_that_authenticates(api, manager_user):
    response = api.post(
        "/api/v1/auth/token/", {"username": manager_user.username, "password": PASSWORD}
    )
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get("/api/v1/users/").status_code == 403  # authenticated, but not an admin


def test_token_endpoint_rejects_a_wrong_password_with_400(api, manager_user):
    response = api.post("/api/v1/auth/token/", {"username": manager_user.username, "password": "x"})
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_users_api_is_for_admins_only(api, api_as, procurement_user, admin_user_role):
    assert api.get("/api/v1/users/").status_code == 401
    assert api_as(procurement_user).get("/api/v1/users/").status_code == 403
    body = api_as(admin_user_role).get("/api/v1/users/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2


def test_admin_creates_a_vendor_user_linked_to_a_vendor(api_as, admin_user_role, vendor):
    client = api_as(admin_user_role)
    response = client.post(
        "/api/v1/users/",
        {
            "username": "anna",
            "password": "a-long-passphrase-77",
            "role": "vendor",
            "vendor": vendor.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["role"] == "vendor" and response.json()["vendor"] == vendor.pk
    assert "password" not in response.json()


def test_a_vendor_user_without_a_vendor_is_a_field_error(api_as, admin_user_role):
    response = api_as(admin_user_role).post(
        "/api/v1/users/",
        {"username": "bob", "password": "a-long-passphrase-77", "role": "vendor"},
        format="json",
    )
    assert response.status_code == 400
    assert "vendor" in response.json()


def test_page_size_is_capped_at_500(api_as, admin_user_role):
    response = api_as(admin_user_role).get("/api/v1/users/?page_size=100000")
    assert response.status_code == 200
    assert response.wsgi_request.GET["page_size"] == "100000"


def test_schema_and_offline_docs_are_served(client, manager_user):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/users/" in schema.content
    client.force_login(manager_user)
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn." not in docs.content and b"unpkg" not in docs.content


def test_env_helpers_fail_loudly_on_bad_values(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(EnvError, match="X_FLAG"):
        env_bool("X_FLAG", False)
    monkeypatch.setenv("X_NUM", "12a")
    with pytest.raises(EnvError, match="X_NUM"):
        env_int("X_NUM", 1)


def test_production_mode_passes_check_deploy_without_warnings(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "p" * 30 + "r0duct10n-s3cret-k3y-w1th-ch4rs",
        "DJANGO_ALLOWED_HOSTS": "sla.example.com",
        "VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
