"""The product's 403, 404 and 500 pages speak the reader's language and lead back home; under
/api/ they stay JSON, in the caller's language."""

import pytest
from django.test import Client, RequestFactory, override_settings
from django.utils import translation

from config.errors import server_error

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_a_dutch_readers_404_is_the_products_page_in_dutch_with_a_way_home(make_user):
    client = Client()
    client.force_login(make_user("manager", language="nl"))
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404 and '<html lang="nl"' in body
    assert 'data-testid="error-404"' in body and '<a href="/">' in body


@override_settings(DEBUG=False)
def test_a_refused_page_is_the_products_403_page(make_user):
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(make_user("auditor"))
    response = client.get("/account/users/")
    body = response.content.decode()
    assert response.status_code == 403 and '<html lang="es"' in body
    assert 'data-testid="error-403"' in body and '<a href="/">' in body


@override_settings(DEBUG=False)
def test_an_api_404_stays_json_in_the_callers_language(make_user):
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(make_user("procurement"))
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404 and response.json() == {"detail": "Niet gevonden."}


def test_the_500_page_names_the_active_language(django_db_blocker):
    with django_db_blocker.block(), translation.override("ro"):
        page = server_error(RequestFactory().get("/contracts/"))
    assert page.status_code == 500 and b'<html lang="ro">' in page.content
