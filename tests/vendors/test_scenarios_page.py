"""The comparison page's "Scenarios" section on the hand-calculated event (tests/support/ranking).

Figures by hand in tests/vendors/test_scenarios_api.py's docstring: Alpha alone 954,000;
cheapest split Charlie phone 745,600 + Alpha email 186,000 = 931,600 (22,400 less);
Alpha phone 822,000 + Charlie email 219,280 = 1,041,280 (87,280 more).
"""

import re
from html import unescape

import pytest

from core.formatting import money
from tests.support.ranking import hand_event
from tests.support.vendors import event_make, proposal_make, vendor_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand(make_user):
    return hand_event(make_user)


def section(client, user, url: str, testid: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.content
    html = unescape(response.content.decode())
    match = re.search(rf'<article data-testid="{testid}">(.*?)</article>', html, re.S)
    assert match, f"no {testid} in the page"
    return match.group(1)


def test_the_page_shows_the_first_ranked_and_the_cheapest_split_side_by_side(
    client, procurement_user, hand
):
    event, ids = hand
    url = f"/events/{event.pk}/comparison/"
    first = section(client, procurement_user, url, "scenario-first_ranked")
    assert money(954000, "EUR") in first
    cheapest = section(client, procurement_user, url, "scenario-cheapest_split")
    assert money(931600, "EUR") in cheapest
    assert money(745600, "EUR") in cheapest and money(186000, "EUR") in cheapest
    assert f"{money(22400, 'EUR')} less than the first-ranked proposal alone" in cheapest
    split = f"split=phone:{ids['Charlie']},email:{ids['Alpha']}"
    assert f'href="/contracts/award/{event.pk}/?{split}"' in cheapest


def test_the_composer_prices_a_split_from_the_query_string_without_javascript(
    client, procurement_user, hand
):
    event, ids = hand
    url = f"/events/{event.pk}/comparison/?split_phone={ids['Alpha']}&split_email={ids['Charlie']}"
    composed = section(client, procurement_user, url, "scenario-composed")
    assert money(1041280, "EUR") in composed
    assert f"{money(87280, 'EUR')} more than the first-ranked proposal alone" in composed
    assert f"split=phone:{ids['Alpha']},email:{ids['Charlie']}" in composed
    html = unescape(client.get(url).content.decode())
    # The composer keeps the choices; Bravo (phone only) is not offered for e-mail.
    email_select = re.search(r'name="split_email".*?</select>', html, re.S).group(0)
    assert f'value="{ids["Charlie"]}" selected' in email_select
    assert f'value="{ids["Bravo"]}"' not in email_select


def test_a_split_that_cannot_be_priced_is_named_and_the_other_scenarios_stay(
    client, procurement_user, hand
):
    event, ids = hand
    client.force_login(procurement_user)
    url = f"/events/{event.pk}/comparison/?split_phone={ids['Delta']}&split_email="
    html = unescape(client.get(url).content.decode())
    errors = re.search(r'data-testid="scenario-errors">(.*?)</div>', html, re.S).group(1)
    assert "is not a qualified proposal of this event" in errors
    assert "Channel email is assigned to no proposal." in errors
    assert 'data-testid="scenario-cheapest_split"' in html
    assert 'data-testid="scenario-composed"' not in html


def test_before_the_deadline_the_page_shows_no_scenario(client, procurement_user):
    vendor = vendor_make()
    event = event_make(invited=[vendor])
    proposal_make(event=event, vendor=vendor)
    client.force_login(procurement_user)
    html = client.get(f"/events/{event.pk}/comparison/").content.decode()
    assert 'data-testid="scenarios"' not in html


def test_a_what_if_ranking_leaves_the_scenarios_on_the_saved_weights(
    client, procurement_user, hand
):
    event, ids = hand
    # With cost alone Charlie (lowest TCO) would rank first; the award scenarios do not move.
    url = f"/events/{event.pk}/comparison/?weights=cost:100,expertise:0,security:0,language:0"
    first = section(client, procurement_user, url, "scenario-first_ranked")
    assert money(954000, "EUR") in first and "Alpha Support" in first
