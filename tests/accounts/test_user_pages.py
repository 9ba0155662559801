"""Admins manage users in the product (/account/users/): list and filter, create with a role and
a shown-once temporary password, edit, deactivate after a confirmation, reset a password. Every
other role gets the product's 403 page."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.models import ApiToken
from accounts.services.tokens import token_issue
from core.roles import role_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(admin_user_role):
    client = Client()
    client.force_login(admin_user_role)
    return client


def test_the_admin_home_and_menu_link_to_the_user_pages(admin):
    html = admin.get("/").content.decode()
    assert 'data-testid="manage-users"' in html and 'href="/account/users/"' in html


def test_the_list_shows_role_vendor_language_and_access_and_filters_by_role(
    admin, make_user, vendor
):
    make_user("vendor", vendor=vendor, username="vera", language="nl")
    make_user("auditor", username="audrey")
    html = admin.get("/account/users/").content.decode()
    assert "vera" in html and "audrey" in html and vendor.name in html
    assert "Nederlands" in html  # the saved language, in its own name
    only_vendors = admin.get("/account/users/?role=vendor").content.decode()
    assert "vera" in only_vendors and "audrey" not in only_vendors
    nobody = admin.get("/account/users/?role=procurement").content.decode()
    assert "No user has this role." in nobody


def test_an_unknown_role_filter_says_so_and_lists_everyone(admin, make_user):
    make_user("auditor", username="audrey")
    html = admin.get("/account/users/?role=boss", follow=True).content.decode()
    assert "There is no role" in html and "audrey" in html


def test_the_list_is_paginated(admin, make_user):
    for n in range(52):
        make_user("manager", username=f"m{n:03d}")
    first = admin.get("/account/users/").content.decode()
    assert first.count('data-testid="user-row"') == 50 and "Page 1 of 2" in first
    second = admin.get("/account/users/?page=2").content.decode()
    assert second.count('data-testid="user-row"') == 3  # 52 managers and the admin


def test_creating_a_user_without_a_password_shows_a_temporary_one_once(admin):
    response = admin.post(
        "/account/users/new/",
        {"username": "newbie", "role": "manager", "email": "", "language": "ro"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    password = html.split('data-testid="temporary-password-value">', 1)[1].split("<", 1)[0]
    user = get_user_model().objects.get(username="newbie")
    assert role_of(user) == "manager" and user.language == "ro" and user.check_password(password)
    assert "no-store" in response["Cache-Control"]


def test_a_vendor_user_needs_a_vendor_and_the_form_says_so(admin):
    response = admin.post("/account/users/new/", {"username": "v1", "role": "vendor"})
    assert response.status_code == 200
    assert "A vendor user needs a vendor." in response.content.decode()
    assert not get_user_model().objects.filter(username="v1").exists()


def test_a_weak_initial_password_is_refused_on_the_form(admin, vendor):
    response = admin.post(
        "/account/users/new/",
        {"username": "v2", "role": "vendor", "vendor": vendor.pk, "password": "123"},
    )
    assert "This password is too short" in response.content.decode()
    assert not get_user_model().objects.filter(username="v2").exists()


def test_editing_a_users_role_saves_it_and_ends_their_tokens(admin, make_user):
    user = make_user("auditor")
    token_issue(user=user)
    response = admin.post(
        f"/account/users/{user.pk}/",
        {"role": "manager", "email": "m@example.org", "language": "es", "is_active": "on"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    user._role_cache = False
    assert (role_of(user), user.email, user.language) == ("manager", "m@example.org", "es")
    assert not ApiToken.objects.filter(user=user).exists()


def test_deactivating_asks_first_then_closes_access(admin, make_user):
    user = make_user("manager")
    token_issue(user=user)
    confirm = admin.get(f"/account/users/{user.pk}/deactivate/")
    assert confirm.status_code == 200
    assert 'data-testid="user-deactivate-confirm"' in confirm.content.decode()
    user.refresh_from_db()
    assert user.is_active  # a GET changes nothing
    assert admin.post(f"/account/users/{user.pk}/deactivate/").status_code == 302
    user.refresh_from_db()
    assert not user.is_active and not ApiToken.objects.filter(user=user).exists()
    # An active session of theirs ends too (Django refuses an inactive user's session).
    theirs = Client()
    theirs.force_login(user)
    assert theirs.get("/").status_code == 302


def test_an_admin_cannot_deactivate_themselves(admin, admin_user_role):
    response = admin.post(f"/account/users/{admin_user_role.pk}/deactivate/")
    assert response.status_code == 400
    assert "You cannot deactivate yourself." in response.content.decode()
    admin_user_role.refresh_from_db()
    assert admin_user_role.is_active


def test_resetting_a_password_shows_a_new_temporary_one_that_works(admin, make_user):
    user = make_user("procurement")
    token_issue(user=user)
    response = admin.post(f"/account/users/{user.pk}/password/")
    html = response.content.decode()
    password = html.split('data-testid="temporary-password-value">', 1)[1].split("<", 1)[0]
    user.refresh_from_db()
    assert len(password) == 16 and user.check_password(password)
    assert not user.check_password("correct-horse-battery-9")
    assert not ApiToken.objects.filter(user=user).exists()


@pytest.mark.parametrize("role", ["procurement", "manager", "auditor", "vendor"])
def test_other_roles_get_the_products_403_page(make_user, vendor, role):
    user = make_user(role, vendor=vendor if role == "vendor" else None)
    client = Client()
    client.force_login(user)
    for path in ("/account/users/", "/account/users/new/", f"/account/users/{user.pk}/"):
        response = client.get(path)
        assert response.status_code == 403
        assert 'data-testid="error-403"' in response.content.decode()
    response = client.post("/account/users/new/", {"username": "x", "role": "admin"})
    assert response.status_code == 403
    assert not get_user_model().objects.filter(username="x").exists()
