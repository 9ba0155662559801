"""API tokens: issued new each time, hashed, expiring, revoked by any change of credentials,
listed and revoked by their owner and by admins (API.md "Additions (second wave)")."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services.tokens import MAX_TOKENS_PER_USER, key_digest, token_issue
from core.roles import Role, user_set_role
from tests.support.factories import PASSWORD
from tests.support.openapi import check

pytestmark = pytest.mark.django_db


def token_for(api, user, password=PASSWORD):
    response = api.post("/api/v1/auth/token/", {"username": user.username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def status_with(api, key, url="/api/v1/contracts/"):
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.get(url)
    api.credentials()
    return response


def test_the_endpoint_issues_a_new_token_each_time_and_stores_only_its_digest(api, manager_user):
    first, second = token_for(api, manager_user), token_for(api, manager_user)
    assert first != second
    stored = ApiToken.objects.filter(user=manager_user)
    assert sorted(stored.values_list("digest", flat=True)) == sorted(
        [key_digest(first), key_digest(second)]
    )
    assert not stored.filter(digest__in=[first, second]).exists()  # never the key itself
    assert status_with(api, first).status_code == status_with(api, second).status_code == 200


def test_a_token_expires_after_the_configured_days_with_a_clear_401(api, manager_user, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    key = token_for(api, manager_user)
    token = ApiToken.objects.get(user=manager_user)
    assert token.expires == token.created + timedelta(days=30)
    with time_machine.travel(token.expires - timedelta(seconds=1), tick=False):
        assert status_with(api, key).status_code == 200
    with time_machine.travel(token.expires, tick=False):
        response = status_with(api, key)
    assert response.status_code == 401
    assert "expired on" in response.json()["detail"]


def test_a_password_changed_through_the_users_api_revokes_the_tokens_and_the_old_one_is_not_handed_back(  # noqa: E501
    api, api_as, manager_user, admin_user_role
):
    old = token_for(api, manager_user)
    new_password = "another-long-passphrase-42"
    patched = api_as(admin_user_role).patch(
        f"/api/v1/users/{manager_user.pk}/", {"password": new_password}, format="json"
    )
    assert patched.status_code == 200, patched.content
    assert not ApiToken.objects.filter(user=manager_user).exists()
    assert status_with(api, old).status_code == 401
    new = token_for(api, manager_user, new_password)
    assert new != old and status_with(api, new).status_code == 200


def test_a_password_set_by_any_path_ends_the_tokens_issued_before(api, manager_user):
    old = token_for(api, manager_user)
    manager_user.set_password("set-in-a-shell-2026")  # no service of ours is involved
    manager_user.save()
    response = status_with(api, old)
    assert response.status_code == 401 and "revoked" in response.json()["detail"]


def test_a_role_change_revokes_the_tokens(api, manager_user):
    old = token_for(api, manager_user)
    manager_user.groups.set([Group.objects.get(name="auditor")])  # e.g. in the Django admin
    assert status_with(api, old).status_code == 401
    user_set_role(user=manager_user, role=Role.MANAGER)
    assert status_with(api, old).status_code == 401  # changing it back does not revive it


def test_deactivating_then_reactivating_a_user_does_not_revive_its_token(
    api, api_as, manager_user, admin_user_role
):
    old = token_for(api, manager_user)
    admin = api_as(admin_user_role)
    url = f"/api/v1/users/{manager_user.pk}/"
    assert admin.patch(url, {"is_active": False}, format="json").status_code == 200
    assert admin.patch(url, {"is_active": True}, format="json").status_code == 200
    assert status_with(api, old).status_code == 401


def test_an_admin_deactivation_in_the_django_admin_revokes_the_tokens(client, api, manager_user):
    from django.contrib.auth import get_user_model

    token_for(api, manager_user)
    staff = get_user_model().objects.create_superuser("tokens-staff", password="x-long-pass-1")
    client.force_login(staff)
    page = client.get(f"/admin/accounts/user/{manager_user.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "groups"}
    data.update(
        {
            "is_active": "",
            "groups": [g.pk for g in manager_user.groups.all()],
            "date_joined_0": manager_user.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": manager_user.date_joined.strftime("%H:%M:%S"),
            "vendor": "",
            "last_login_0": "",
            "last_login_1": "",
            "user_permissions": [],
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data["is_staff"] = ""
    data["is_superuser"] = ""
    response = client.post(f"/admin/accounts/user/{manager_user.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    manager_user.refresh_from_db()
    assert manager_user.is_active is False
    assert not ApiToken.objects.filter(user=manager_user).exists()


def test_a_user_lists_and_revokes_only_its_own_tokens(api, api_as, manager_user, make_user):
    other = make_user("manager")
    mine, _ = token_issue(user=manager_user)
    theirs, _ = token_issue(user=other)
    client = api_as(manager_user)
    body = client.get("/api/v1/auth/tokens/").json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert set(body["results"][0]) == {"id", "user", "prefix", "created", "last_used", "expires"}
    assert client.delete(f"/api/v1/auth/tokens/{theirs.pk}/").status_code == 404
    assert client.delete(f"/api/v1/auth/tokens/{mine.pk}/").status_code == 204
    assert list(ApiToken.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_an_admin_lists_everyones_tokens_with_the_user_and_revokes_any(
    api, api_as, manager_user, admin_user_role
):
    key = token_for(api, manager_user)
    token = ApiToken.objects.get(user=manager_user)
    admin = api_as(admin_user_role)
    rows = admin.get("/api/v1/auth/tokens/").json()["results"]
    assert [(row["id"], row["user"]) for row in rows] == [(token.pk, manager_user.username)]
    assert admin.delete(f"/api/v1/auth/tokens/{token.pk}/").status_code == 204
    assert status_with(api, key).status_code == 401


def test_last_used_is_recorded_when_a_token_authenticates(api, manager_user):
    key = token_for(api, manager_user)
    assert ApiToken.objects.get().last_used is None
    later = timezone.now() + timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        status_with(api, key)
    assert ApiToken.objects.get().last_used == later


def test_a_user_keeps_at_most_the_newest_tokens(manager_user):
    for _ in range(MAX_TOKENS_PER_USER + 2):
        token_issue(user=manager_user)
    assert ApiToken.objects.filter(user=manager_user).count() == MAX_TOKENS_PER_USER


def test_the_token_answers_are_the_ones_the_schema_describes(api, api_as, manager_user, openapi):
    issued = api.post(
        "/api/v1/auth/token/", {"username": manager_user.username, "password": PASSWORD}
    )
    check(openapi, "post", "/api/v1/auth/token/", issued)
    listed = api_as(manager_user).get("/api/v1/auth/tokens/")
    check(openapi, "get", "/api/v1/auth/tokens/", listed)
    assert listed.json()["count"] == 1


# --- the account pages ---------------------------------------------------------------------


def test_the_tokens_page_issues_shows_once_lists_and_revokes_own_tokens(
    client, api, manager_user, make_user
):
    theirs, _ = token_issue(user=make_user("manager"))
    client.force_login(manager_user)
    empty = client.get("/account/tokens/").content.decode()
    assert "You have no API tokens" in empty
    issued = client.post("/account/tokens/new/").content.decode()
    token = ApiToken.objects.get(user=manager_user)
    key = issued.split('data-testid="new-token-key">')[1].split("<")[0]
    assert key_digest(key) == token.digest and status_with(api, key).status_code == 200
    listing = client.get("/account/tokens/").content.decode()
    assert listing.count('data-testid="token-row"') == 1 and key not in listing
    assert client.post(f"/account/tokens/{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    assert list(ApiToken.objects.values_list("pk", flat=True)) == [theirs.pk]
    assert status_with(api, key).status_code == 401


def test_changing_the_password_on_the_page_revokes_the_tokens(client, api, manager_user):
    key = token_for(api, manager_user)
    client.force_login(manager_user)
    new = "page-changed-passphrase-9"
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/account/tokens/"
    assert "1 API token(s) revoked" in response.content.decode()
    assert not ApiToken.objects.filter(user=manager_user).exists()
    assert status_with(api, key).status_code == 401
    assert token_for(api, manager_user, new) != key
