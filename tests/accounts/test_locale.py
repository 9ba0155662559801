"""A user picks a language in the footer; figures then follow it (decimal comma for nl, ro, es)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user):
    client = Client()
    client.force_login(make_user("manager"))
    return client


def choose_language(client, code: str) -> None:
    response = client.post("/i18n/setlang/", {"language": code, "next": "/"})
    assert response.status_code == 302


def test_the_footer_offers_every_complete_language_with_the_current_one_selected(manager, settings):
    settings.COMPLETE_LANGUAGES = ["en", "nl", "ro", "es"]
    html = manager.get("/").content.decode()
    assert 'data-testid="language-form"' in html and 'action="/i18n/setlang/"' in html
    for code in ("en", "nl", "ro", "es"):
        assert f'<option value="{code}"' in html
    assert '<option value="de"' not in html
    assert '<option value="en" lang="en" selected>' in html
    choose_language(manager, "nl")
    assert '<option value="nl" lang="nl" selected>' in manager.get("/").content.decode()


# CLDR groups thousands with a point in Dutch, Romanian and Spanish; the percent sign follows
# the language's own spacing (a no-break space in Romanian and Spanish).
@pytest.mark.parametrize(
    ("code", "baseline", "roi"),
    [("nl", "130.000,00", "101,60%"), ("ro", "130.000,00", "101,60\xa0%"),
     ("es", "130.000,00", "101,60\xa0%")],
)  # fmt: skip
def test_a_dutch_romanian_or_spanish_user_sees_decimal_commas_on_the_roi_page(
    manager,
    contract,
    code,
    baseline,
    roi,
):
    url = f"/contracts/{contract.pk}/roi/?from=2026-01&to=2026-03"
    english = manager.get(url).content.decode()
    assert "130,000.00" in english and 'data-testid="roi-percent">101.60%' in english
    choose_language(manager, code)
    html = manager.get(url).content.decode()
    assert f'<html lang="{code}"' in html
    assert baseline in html  # the monthly in-house baseline
    assert f'data-testid="roi-percent">{roi}' in html


def test_a_dutch_user_sees_money_with_a_decimal_comma_on_the_contract_page(
    manager,
    contract,
):
    choose_language(manager, "nl")
    html = manager.get(f"/contracts/{contract.pk}/").content.decode()
    assert 'data-testid="baseline-total">€\xa0130.000,00' in html
    assert "10,00" in html  # the per-contact rate, through the localized `rate` filter
    amend = manager.get(f"/contracts/{contract.pk}/amend/").content.decode()
    # the target boxes show the reader's decimal mark, and read it back (core.forms)
    assert 'inputmode="decimal" value="80,0000"' in amend
