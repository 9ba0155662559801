"""`GET|POST /api/v1/events/{id}/scenarios/` on the hand-calculated event (tests/support/ranking).

Restricted TCOs, worked out by hand (24 months; Bravo in USD at 0.90):
  Alpha (phone 32,000 + email 5,500 a month, fees 1,500, one-off 18,000):
    phone only 18,000 + 24 x 33,500 = 822,000; email only 18,000 + 24 x 7,000 = 186,000;
    both 954,000 (its ranking TCO).
  Charlie (phone 30,600 + email 8,670, numbers 300, one-off 4,000):
    phone only 4,000 + 24 x 30,900 = 745,600; email only 4,000 + 24 x 8,970 = 219,280.
  Bravo's profile serves phone only: 48,000 USD minimum x 0.90 = 43,200 a month, 3,600 one-off:
    1,040,400 for phone.
  Splits: Charlie phone + Alpha email = 931,600 (the cheapest; 22,400 less than Alpha alone);
  Alpha phone + Charlie email = 1,041,280; Charlie alone 953,680; Bravo's are dearer still.
"""

import pytest

from tests.support.openapi import check
from tests.support.ranking import hand_event
from tests.support.vendors import SECRETS, event_make, proposal_make, vendor_make
from vendors.scenarios import event_scenarios

pytestmark = pytest.mark.django_db

BUYERS = ["procurement", "manager", "auditor", "admin"]


@pytest.fixture
def hand(make_user):
    return hand_event(make_user)


def url(event) -> str:
    return f"/api/v1/events/{event.pk}/scenarios/"


def test_get_answers_the_first_ranked_proposal_alone_and_the_cheapest_split(
    api_as, procurement_user, hand, openapi
):
    event, ids = hand
    response = api_as(procurement_user).get(url(event))
    assert response.status_code == 200, response.content
    check(openapi, "get", url(event), response)
    first, cheapest = response.json()
    assert first == {
        "name": "first_ranked",
        "assignments": [
            {"channel": "phone", "proposal": ids["Alpha"]},
            {"channel": "email", "proposal": ids["Alpha"]},
        ],
        "tco": "954000.00",
        "difference": "0.00",
        "contracts": [
            {"proposal": ids["Alpha"], "vendor": "Alpha Support",
             "channels": ["phone", "email"], "tco": "954000.00"},
        ],
    }  # fmt: skip
    assert cheapest["name"] == "cheapest_split"
    assert cheapest["assignments"] == [
        {"channel": "phone", "proposal": ids["Charlie"]},
        {"channel": "email", "proposal": ids["Alpha"]},
    ]
    assert cheapest["tco"] == "931600.00"
    assert cheapest["difference"] == "-22400.00"
    assert [(c["proposal"], c["channels"], c["tco"]) for c in cheapest["contracts"]] == [
        (ids["Charlie"], ["phone"], "745600.00"),
        (ids["Alpha"], ["email"], "186000.00"),
    ]


def test_post_adds_the_composed_split_with_its_difference(api_as, procurement_user, hand, openapi):
    event, ids = hand
    body = {
        "assignments": [
            {"channel": "phone", "proposal": ids["Alpha"]},
            {"channel": "email", "proposal": ids["Charlie"]},
        ]
    }
    response = api_as(procurement_user).post(url(event), body, format="json")
    assert response.status_code == 200, response.content
    check(openapi, "post", url(event), response)
    names = [s["name"] for s in response.json()]
    assert names == ["first_ranked", "cheapest_split", "composed"]
    composed = response.json()[2]
    assert composed["tco"] == "1041280.00"  # 822,000 + 219,280
    assert composed["difference"] == "87280.00"  # 1,041,280 - 954,000


def test_post_names_every_bad_channel_and_proposal(api_as, procurement_user, hand, openapi):
    event, ids = hand
    body = {
        "assignments": [
            {"channel": "phone", "proposal": ids["Delta"]},  # disqualified
            {"channel": "chat", "proposal": ids["Alpha"]},  # not a channel of the event
        ]
    }
    client = api_as(procurement_user)
    response = client.post(url(event), body, format="json")
    assert response.status_code == 400
    check(openapi, "post", url(event), response)
    messages = response.json()["assignments"]
    assert messages == [
        f"Proposal {ids['Delta']} (for channel phone) is not a qualified proposal of this event.",
        "chat is not a channel of this event.",
        "Channel email is assigned to no proposal.",
    ]
    body = {
        "assignments": [
            {"channel": "phone", "proposal": ids["Alpha"]},
            {"channel": "email", "proposal": ids["Bravo"]},  # Bravo serves phone only
        ]
    }
    response = client.post(url(event), body, format="json")
    assert response.json() == {
        "assignments": [f"Proposal {ids['Bravo']} does not serve channel email."]
    }


def test_post_refuses_an_unknown_key_and_a_missing_list_by_name(api_as, procurement_user, hand):
    event, ids = hand
    client = api_as(procurement_user)
    response = client.post(url(event), {"split": "x"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"split"}
    response = client.post(url(event), {"assignments": []}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"assignments"}
    row = {"channel": "phone", "proposal": ids["Alpha"], "share": "1"}
    response = client.post(url(event), {"assignments": [row]}, format="json")
    assert response.status_code == 400
    assert response.json() == {"assignments": {"0": {"share": ["Unknown field."]}}}


@pytest.fixture
def open_event():
    vendor = vendor_make()
    event = event_make(invited=[vendor])
    proposal_make(event=event, vendor=vendor)
    return event


@pytest.mark.parametrize("role", BUYERS)
def test_scenarios_are_sealed_until_the_deadline_like_the_ranking(
    api_as, make_user, open_event, role
):
    client = api_as(make_user(role))
    for response in (
        client.get(url(open_event)),
        client.post(
            url(open_event),
            {"assignments": [{"channel": "phone", "proposal": 1}]},
            format="json",
        ),
    ):
        assert response.status_code == 409
        assert "sealed until" in response.json()["detail"]
        assert [s for s in SECRETS if s in response.content.decode()] == []


def test_vendor_users_never_see_scenarios(api_as, make_user, hand):
    event, ids = hand
    client = api_as(make_user("vendor", vendor=vendor_make()))
    assert client.get(url(event)).status_code == 404
    body = {"assignments": [{"channel": "phone", "proposal": ids["Alpha"]}]}
    assert client.post(url(event), body, format="json").status_code == 404


def test_event_scenarios_gives_the_award_flow_plain_unrounded_data(hand):
    event, ids = hand
    rows = [
        {"channel": "phone", "proposal": ids["Charlie"]},
        {"channel": "email", "proposal": ids["Charlie"]},
    ]
    first, cheapest, composed = event_scenarios(event, rows)
    assert (first["name"], cheapest["name"], composed["name"]) == (
        "first_ranked", "cheapest_split", "composed"
    )  # fmt: skip
    assert composed["tco"] == 953680  # Charlie alone: its ranking TCO
    assert composed["difference"] == 953680 - 954000
    assert event_scenarios(event, [("phone", ids["Alpha"]), ("email", ids["Alpha"])])[2][
        "contracts"
    ] == [{"proposal": ids["Alpha"], "vendor": "Alpha Support",
           "channels": ["phone", "email"], "tco": 954000}]  # fmt: skip
