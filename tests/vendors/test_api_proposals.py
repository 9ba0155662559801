"""`/api/v1/proposals/`, `withdraw/` and `ratings/`: roles, freezing, validation, shape."""

import pytest

from tests.support.vendors import (
    MINIMUM,
    RATE,
    SETUP_FEE,
    closed_event_with_proposals,
    event_make,
    proposal_make,
    proposal_values,
    vendor_make,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/proposals/"
BUYERS = ["procurement", "manager", "auditor", "admin"]


@pytest.fixture
def event(vendor):
    return event_make(invited=[vendor])


def body_for(event, **overrides):
    return {"event": event.pk, **proposal_values(**overrides)}


def test_anonymous_requests_are_401(api, event, vendor):
    proposal = proposal_make(event=event, vendor=vendor)
    assert api.get(URL).status_code == 401
    assert api.get(f"{URL}{proposal.pk}/").status_code == 401
    assert api.post(URL, body_for(event), format="json").status_code == 401
    assert api.patch(f"{URL}{proposal.pk}/", {}, format="json").status_code == 401
    assert api.post(f"{URL}{proposal.pk}/withdraw/").status_code == 401
    assert api.get(f"{URL}{proposal.pk}/ratings/").status_code == 401
    assert api.post(f"{URL}{proposal.pk}/ratings/", {"rating": 3}).status_code == 401


def test_a_vendor_submits_a_proposal_and_reads_it_back(api_as, vendor_user, event, vendor):
    response = api_as(vendor_user).post(URL, body_for(event), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["event"], body["vendor"], body["status"], body["sealed"]) == (
        event.pk,
        vendor.pk,
        "submitted",
        False,
    )
    assert body["pricing"][0] == {
        "channel": "phone",
        "model": "per_production_hour",
        "rate": RATE,
        "components": [],
        "stated_hours": "1515.25",
        "stated_fte": None,
    }
    hybrid = body["pricing"][1]
    assert hybrid["channel"] is None and hybrid["rate"] is None
    assert hybrid["components"][1] == {
        "model": "per_handled_minute",
        "rate": "0.82",
        "share": "0.5000",
        "bands": [],
        "months": [],
    }
    assert body["one_off_fees"]["setup"] == SETUP_FEE
    assert body["minimum_monthly_charge"] == MINIMUM
    assert body["languages"][1] == {"tag": "en-GB", "level": "C1", "hours_coverage": "0.7500"}


@pytest.mark.parametrize("role", BUYERS)
def test_buyers_cannot_submit_change_or_withdraw_proposals(api_as, make_user, event, vendor, role):
    proposal = proposal_make(event=event, vendor=vendor)
    client = api_as(make_user(role))
    assert client.post(URL, body_for(event), format="json").status_code == 403
    assert (
        client.patch(f"{URL}{proposal.pk}/", {"currency": "EUR"}, format="json").status_code == 403
    )
    assert client.post(f"{URL}{proposal.pk}/withdraw/").status_code == 403


def test_a_vendor_changes_its_proposal_before_the_deadline(api_as, vendor_user, event, vendor):
    proposal = proposal_make(event=event, vendor=vendor)
    response = api_as(vendor_user).patch(
        f"{URL}{proposal.pk}/",
        {"pricing": [{"channel": None, "model": "per_contact", "rate": "4.5"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["pricing"] == [
        {
            "channel": None,
            "model": "per_contact",
            "rate": "4.50",
            "components": [],
            "stated_hours": None,
            "stated_fte": None,
        }
    ]
    assert response.json()["one_off_fees"]["setup"] == SETUP_FEE


def test_a_vendor_withdraws_and_submits_again(api_as, vendor_user, event, vendor):
    proposal = proposal_make(event=event, vendor=vendor)
    client = api_as(vendor_user)
    response = client.post(f"{URL}{proposal.pk}/withdraw/")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert client.post(f"{URL}{proposal.pk}/withdraw/").status_code == 409
    assert client.post(URL, body_for(event), format="json").status_code == 201


def test_a_second_live_proposal_is_a_409(api_as, vendor_user, event, vendor):
    proposal_make(event=event, vendor=vendor)
    response = api_as(vendor_user).post(URL, body_for(event), format="json")
    assert response.status_code == 409 and "edit or withdraw it" in response.json()["detail"]


def test_every_write_after_the_deadline_is_a_409_saying_since_when_and_naming_the_field(
    api_as, make_user
):
    vendor = vendor_make()
    event, (proposal,) = closed_event_with_proposals(vendor)
    client = api_as(make_user("vendor", vendor=vendor))
    frozen = f"Bids are frozen since {event.bid_deadline.isoformat()}."
    patch = client.patch(f"{URL}{proposal.pk}/", {"minimum_monthly_charge": "1"}, format="json")
    # The 409 names the field it refused.
    expected = {"detail": frozen, "minimum_monthly_charge": [frozen]}
    assert (patch.status_code, patch.json()) == (409, expected)
    assert client.post(f"{URL}{proposal.pk}/withdraw/").json() == {"detail": frozen}
    client.post(f"{URL}{proposal.pk}/withdraw/")
    late = client.post(URL, body_for(event), format="json")
    assert late.status_code == 409


def test_bids_on_a_draft_an_uninvited_or_a_missing_event_all_answer_404(
    api_as, vendor_user, vendor
):
    draft = event_make(invited=[vendor], opened=False)
    elsewhere = event_make(invited=[vendor_make()])
    client = api_as(vendor_user)
    answers = [
        client.post(URL, body_for(draft), format="json"),
        client.post(URL, body_for(elsewhere), format="json"),
        client.post(URL, {**body_for(draft), "event": 987654}, format="json"),
    ]
    assert [a.status_code for a in answers] == [404, 404, 404]
    assert answers[0].json() == answers[1].json() == answers[2].json()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"pricing": [{"channel": None, "model": "per_contact", "rate": "-4"}]}, "pricing[0].rate"),
        ({"pricing": [{"channel": None, "model": "per_contact", "rate": "four"}]}, "pricing"),
        ({"pricing": [{"channel": None, "model": "per_contact", "rate": "4.123456"}]}, "pricing"),
        ({"pricing": [{"channel": "fax", "model": "per_contact", "rate": "4"}]}, "pricing"),
        ({"pricing": [{"channel": None, "model": "per_seat", "rate": "4"}]}, "pricing"),
        (
            {"pricing": [{"channel": "social", "model": "per_contact", "rate": "4"}]},
            "pricing[0].channel",
        ),
        ({"pricing": [{"channel": "phone", "model": "per_contact", "rate": "4"}]}, "pricing"),
        ({"pricing": {"channel": None, "model": "per_contact", "rate": "4"}}, "pricing"),
        (
            {"pricing": [{"channel": None, "model": "hybrid", "components": "half and half"}]},
            "pricing",
        ),
        (
            {
                "pricing": [
                    {
                        "channel": None,
                        "model": "hybrid",
                        "components": [
                            {"model": "per_contact", "rate": "4", "share": "0.6"},
                            {"model": "per_production_hour", "rate": "30", "share": "0.6"},
                        ],
                    }
                ]
            },
            "pricing[0].components",
        ),
        ({"one_off_fees": {"setup": "-1"}}, "one_off_fees.setup"),
        ({"one_off_fees": {"setup": "12.345"}}, "one_off_fees.setup"),
        ({"one_off_fees": [1, 2, 3]}, "one_off_fees"),
        ({"monthly_fees": {"name": "x"}}, "monthly_fees"),
        ({"monthly_fees": [{"name": "Numbers", "amount": "-5"}]}, "monthly_fees[0].amount"),
        ({"minimum_monthly_charge": "lots"}, "minimum_monthly_charge"),
        ({"minimum_monthly_charge": "-10"}, "minimum_monthly_charge"),
        ({"languages": [{"tag": "klingon", "level": "C1"}]}, "languages[0].tag"),
        ({"languages": [{"tag": "nl", "level": "C3"}]}, "languages"),
        (
            {"languages": [{"tag": "nl", "level": "C1", "hours_coverage": "2"}]},
            "languages[0].hours_coverage",
        ),
        ({"currency": "GBP"}, "currency"),
        ({"currency": "EURO"}, "currency"),
    ],
)
def test_bad_proposal_input_is_a_400_naming_the_field(api_as, vendor_user, event, overrides, field):
    response = api_as(vendor_user).post(URL, body_for(event, **overrides), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()


def test_a_currency_without_fx_rate_says_so(api_as, vendor_user, event):
    response = api_as(vendor_user).post(URL, body_for(event, currency="GBP"), format="json")
    assert response.json() == {
        "currency": ["This event has no FX rate for GBP; price in EUR or USD."]
    }


@pytest.mark.parametrize("body", ["[]", "{", '"text"', "null"])
def test_a_body_that_is_not_a_json_object_is_a_400(api_as, vendor_user, body):
    response = api_as(vendor_user).post(URL, body, content_type="application/json")
    assert response.status_code == 400


def test_the_proposal_list_runs_a_fixed_number_of_queries(
    api_as, procurement_user, django_assert_max_num_queries
):
    vendors = [vendor_make() for _ in range(4)]
    closed_event_with_proposals(*vendors)
    client = api_as(procurement_user)
    with django_assert_max_num_queries(10):
        assert client.get(URL).json()["count"] == 4


# Ratings ----------------------------------------------------------------------------------


@pytest.fixture
def closed_proposal(vendor):
    _, (proposal,) = closed_event_with_proposals(vendor)
    return proposal


def test_procurement_rates_after_the_deadline_and_a_second_post_updates(
    api_as, procurement_user, closed_proposal
):
    client = api_as(procurement_user)
    url = f"{URL}{closed_proposal.pk}/ratings/"
    first = client.post(url, {"rating": 3, "comment": "Thin references"}, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["evaluator"] == procurement_user.pk
    second = client.post(url, {"rating": 4}, format="json")
    assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
    listing = client.get(url).json()
    assert listing["count"] == 1 and listing["results"][0]["rating"] == 4


def test_rating_before_the_deadline_is_a_409(api_as, procurement_user, event, vendor):
    proposal = proposal_make(event=event, vendor=vendor)
    response = api_as(procurement_user).post(
        f"{URL}{proposal.pk}/ratings/", {"rating": 3}, format="json"
    )
    assert response.status_code == 409 and "after the bid deadline" in response.json()["detail"]


@pytest.mark.parametrize("rating", [-1, 6, 2.5, "good", None])
def test_a_rating_outside_0_to_5_is_a_400(api_as, procurement_user, closed_proposal, rating):
    url = f"{URL}{closed_proposal.pk}/ratings/"
    response = api_as(procurement_user).post(url, {"rating": rating}, format="json")
    assert response.status_code == 400 and "rating" in response.json()


@pytest.mark.parametrize(
    "role, read, write",
    [
        ("procurement", 200, 201),
        ("manager", 200, 403),
        ("auditor", 200, 403),
        ("admin", 200, 403),
        ("vendor", 403, 403),
    ],
)
def test_who_reads_and_gives_ratings(api_as, make_user, vendor, closed_proposal, role, read, write):
    client = api_as(make_user(role, vendor=vendor if role == "vendor" else None))
    url = f"{URL}{closed_proposal.pk}/ratings/"
    assert client.get(url).status_code == read
    assert client.post(url, {"rating": 2}, format="json").status_code == write


def test_ratings_of_a_missing_proposal_are_a_404(api_as, procurement_user):
    assert api_as(procurement_user).get(f"{URL}424242/ratings/").status_code == 404
