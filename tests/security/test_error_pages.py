"""Under /api/ an unmatched URL, a refusal or a crash answers JSON as API.md promises; pages are
the product's own 403/404/500 pages, with DEBUG off unless DJANGO_DEBUG=1."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory, override_settings

from config.errors import permission_denied, server_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/api/v1/events/-5/ranking/", "/api/v1/contracts/-1/roi/", "/api/v1/no-such-thing/"],
)
def test_an_api_url_no_route_matches_answers_json_404(client, make_user, path):
    client.force_login(make_user("procurement"))
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_page_url_no_route_matches_stays_html(client, make_user):
    client.force_login(make_user("procurement"))
    response = client.get("/events/-5/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_crash_under_the_api_answers_json_500_and_a_page_crash_html():
    factory = RequestFactory()
    api = server_error(factory.get("/api/v1/vendors/"))
    assert api.status_code == 500 and api["Content-Type"] == "application/json"
    assert b'"detail": "Server error."' in api.content
    page = server_error(factory.get("/vendors/"))
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


def test_without_django_debug_set_debug_is_off_and_only_django_debug_1_turns_it_on():
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DJANGO_ENV="development")
    run = [sys.executable, "-c", code]
    assert subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout == (
        "False\n"
    )
    env["DJANGO_DEBUG"] = "1"
    assert subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout == (
        "True\n"
    )


@override_settings(DEBUG=False)
def test_a_page_404_is_the_products_page_not_djangos_url_list(client, make_user):
    client.force_login(make_user("manager"))
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="error-404"' in body and "Page not found" in body
    assert "/no-such-page/" in body
    assert "URLconf" not in body and "api/v1/" not in body  # no list of URL patterns
    assert 'data-testid="whoami"' in body  # the product's layout, with its navigation


@override_settings(DEBUG=False)
def test_a_page_403_is_the_products_page_and_an_api_403_stays_json():
    factory = RequestFactory()
    page = permission_denied(factory.get("/contracts/1/"), PermissionDenied())
    assert page.status_code == 403
    assert b'data-testid="error-403"' in page.content and b"Not allowed" in page.content
    api = permission_denied(factory.get("/api/v1/contracts/1/"), PermissionDenied())
    assert api.status_code == 403 and api["Content-Type"] == "application/json"


def test_the_500_page_needs_neither_a_database_nor_a_request_context(django_db_blocker):
    with django_db_blocker.block():  # any query would fail the test
        page = server_error(RequestFactory().get("/contracts/"))
    assert page.status_code == 500
    assert b'data-testid="error-500"' in page.content
    assert b"Something went wrong" in page.content and b"Traceback" not in page.content


@override_settings(DEBUG=False)
def test_static_files_are_served_with_debug_off(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert b"Product styles" in b"".join(response.streaming_content)
