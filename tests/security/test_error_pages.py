"""Under /api/ an unmatched URL or a crash answers JSON as API.md promises; pages stay HTML."""

import pytest
from django.test import RequestFactory

from config.errors import server_error

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
