"""The reader's language: the browser's Accept-Language before a choice, the saved choice after
(pages, e-mails, reports); the API answers in Accept-Language, else the saved language."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.services.tokens import token_issue

pytestmark = pytest.mark.django_db


def html_lang(response) -> str:
    text = response.content.decode()
    return text.split('<html lang="', 1)[1].split('"', 1)[0]


def test_a_dutch_browser_gets_dutch_pages_before_its_user_chose_a_language(make_user):
    client = Client(HTTP_ACCEPT_LANGUAGE="nl-NL,nl;q=0.9,en;q=0.5")
    assert html_lang(client.get("/login/")) == "nl"  # anonymous: the browser decides
    user = make_user("manager")
    client.force_login(user)
    assert user.language == ""
    assert html_lang(client.get("/")) == "nl"


def test_a_saved_choice_wins_over_the_browsers_accept_language(make_user):
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(make_user("manager", language="ro"))
    response = client.get("/")
    assert html_lang(response) == "ro" and response["Content-Language"] == "ro"


def test_the_footer_picker_saves_the_choice_on_the_user(make_user):
    user = make_user("auditor")
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(user)
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    user.refresh_from_db()
    assert user.language == "es"
    # A new browser without the cookie still gets the saved language.
    elsewhere = Client(HTTP_ACCEPT_LANGUAGE="nl")
    elsewhere.force_login(user)
    assert html_lang(elsewhere.get("/")) == "es"


def test_the_picker_refuses_a_language_the_product_does_not_speak(make_user):
    user = make_user("auditor")
    client = Client()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    user.refresh_from_db()
    assert user.language == ""


def test_the_account_page_saves_a_language_and_blank_gives_the_choice_back_to_the_browser(
    make_user, settings
):
    settings.COMPLETE_LANGUAGES = ["en", "nl"]
    user = make_user("manager")
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(user)
    page = client.get("/account/tokens/").content.decode()
    assert 'data-testid="account-language"' in page and '<option value="nl" lang="nl"' in page
    assert '<option value="ro"' not in page  # not complete: not offered
    assert client.post("/account/language/", {"language": "nl"}).status_code == 302
    user.refresh_from_db()
    assert user.language == "nl"
    assert html_lang(client.get("/account/tokens/")) == "nl"
    client.post("/account/language/", {"language": ""})
    user.refresh_from_db()
    assert user.language == ""
    assert html_lang(client.get("/account/tokens/")) == "es"


def test_the_account_page_refuses_a_language_that_is_not_offered(make_user, settings):
    settings.COMPLETE_LANGUAGES = ["en"]
    user = make_user("manager")
    client = Client()
    client.force_login(user)
    response = client.post("/account/language/", {"language": "ro"}, follow=True)
    user.refresh_from_db()
    assert user.language == ""
    assert "Choose one of the languages offered." in response.content.decode()


def test_api_errors_come_in_dutch_with_accept_language_nl_and_field_names_stay_english(
    admin_user_role,
):
    key = token_issue(user=admin_user_role)[1]
    client = APIClient(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="nl")
    response = client.post("/api/v1/users/", {"role": "manager"}, format="json")
    assert response.status_code == 400
    assert response.json()["username"] == ["Dit veld is vereist."]
    assert response["Content-Language"] == "nl"
    english = APIClient(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")
    answer = english.post("/api/v1/users/", {"role": "manager"}, format="json")
    assert answer.json()["username"] == ["This field is required."]


def test_without_accept_language_the_api_answers_in_the_token_users_saved_language(make_user):
    user = make_user("admin", language="es")
    key = token_issue(user=user)[1]
    client = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.post("/api/v1/users/", {"role": "manager"}, format="json")
    assert response.json()["username"] == ["Este campo es requerido."]
    # The client's Accept-Language wins over the saved language.
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="nl")
    response = client.post("/api/v1/users/", {"role": "manager"}, format="json")
    assert response.json()["username"] == ["Dit veld is vereist."]


def test_a_session_api_call_without_accept_language_answers_in_the_saved_language(make_user):
    client = APIClient()
    client.force_login(make_user("admin", language="nl"))
    response = client.get("/api/v1/users/999999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Niet gevonden."}


def test_the_users_api_reads_and_writes_the_language(admin_user_role, api_as, make_user):
    client = api_as(admin_user_role)
    user = make_user("auditor", language="ro")
    assert client.get(f"/api/v1/users/{user.pk}/").json()["language"] == "ro"
    response = client.patch(f"/api/v1/users/{user.pk}/", {"language": "es"}, format="json")
    assert response.status_code == 200 and response.json()["language"] == "es"
    refused = client.patch(f"/api/v1/users/{user.pk}/", {"language": "de"}, format="json")
    assert refused.status_code == 400 and "language" in refused.json()
    user.refresh_from_db()
    assert user.language == "es"
