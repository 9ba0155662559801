"""SLA pages in human words: the month's workings with money and units, targets as min/max,
chronic rules in words, months named in the reader's language."""

import pytest
from django.test import Client

from tests.support.language import read_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user):
    client = Client()
    client.force_login(make_user("manager"))
    return client


def test_the_month_page_shows_the_usage_charge_as_money_and_the_rules_in_words(manager, contract):
    page = manager.get(f"/contracts/{contract.pk}/sla/2026-03/").content.decode()
    assert "March 2026" in page
    # 10,000 contacts x EUR 10 per contact
    assert "€100,000.00" in page and "10,000" in page and "per contact" in page
    assert ">max 8%<" in page and ">min 75%<" in page and ">max 30 seconds<" in page
    assert "in breach in 3 or more of the last 6 months" in page
    for code in ("breach_3_of_6", "per_contact", "abandonment_rate", "112320"):
        assert code not in page


def test_the_month_page_in_dutch_uses_the_decimal_comma_and_dutch_month_names(manager, contract):
    read_in(manager, "nl")
    page = manager.get(f"/contracts/{contract.pk}/sla/2026-03/").content.decode()
    assert "maart 2026" in page and "€\xa0100.000,00" in page and "10.000" in page
    assert ">max. 8%<" in page  # "max." in Dutch


def test_the_dashboard_shows_each_target_with_its_unit_and_direction(manager, contract):
    page = manager.get(f"/contracts/{contract.pk}/sla/").content.decode()
    # abandonment: lower is better, so its levels are maxima in percent, never "min 8".
    assert "max 5% / max 8%" in page and "min 80% / min 75%" in page
    assert "max 20 seconds / max 30 seconds" in page
    assert "January 2026" in page and "min 8%" not in page


def test_the_breach_list_filters_offer_words_not_dashes_or_unknown(manager, contract):
    page = manager.get("/breaches/").content.decode()
    assert "Any status" in page and "---------" not in page and "Unknown" not in page
    assert '<option value="true">Yes</option>' in page
    assert ">max 30 seconds<" in page or ">min 75%<" in page  # each breach's minimum level
