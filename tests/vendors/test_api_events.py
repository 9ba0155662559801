"""`/api/v1/events/` and `events/{id}/open/`: roles, shape, computed status, validation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.support.vendors import (
    closed_event_with_proposals,
    event_make,
    event_payload,
    vendor_make,
)
from vendors.models import EventStage, SourcingEvent

pytestmark = pytest.mark.django_db

URL = "/api/v1/events/"
BUYERS = ["procurement", "manager", "auditor", "admin"]


@pytest.fixture
def invited(vendor):
    return vendor


def test_anonymous_requests_are_401(api, invited):
    event = event_make(invited=[invited])
    assert api.get(URL).status_code == 401
    assert api.get(f"{URL}{event.pk}/").status_code == 401
    assert api.post(URL, event_payload(), format="json").status_code == 401
    assert api.patch(f"{URL}{event.pk}/", {}, format="json").status_code == 401
    assert api.post(f"{URL}{event.pk}/open/").status_code == 401


@pytest.mark.parametrize("role", ["procurement", "admin"])
def test_procurement_and_admins_create_a_draft_event(api_as, make_user, invited, role):
    payload = event_payload(invited_vendors=[invited.pk])
    response = api_as(make_user(role)).post(URL, payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["invited_vendors"] == [invited.pk]
    assert body["weights"] == {"cost": 40, "expertise": 25, "security": 20, "language": 15}
    no_requirement = {"required": False, "minimum_level": None, "minimum_hours_coverage": None}
    assert body["languages"] == [
        {"tag": "nl", "share": "0.6000", **no_requirement},
        {"tag": "en", "share": "0.4000", **no_requirement},
    ]
    assert body["fx_rates"] == [{"currency": "USD", "rate": "0.920000"}]
    assert body["channels"][0] == {
        "channel": "phone",
        "monthly_volume": 12000,
        "aht_seconds": 330,
        "sl_percent": "80.00",
        "sl_seconds": 20,
        "opening_hours": "260.00",
        "profile": None,
        "patience_seconds": None,
    }
    assert body["shrinkage"] == "0.3000" and body["max_occupancy"] == "0.8500"


@pytest.mark.parametrize("role", ["manager", "auditor", "vendor"])
def test_other_roles_cannot_create_edit_or_open_events(api_as, make_user, invited, role):
    user = make_user(role, vendor=invited if role == "vendor" else None)
    draft = event_make(invited=[invited], opened=False)
    client = api_as(user)
    assert client.post(URL, event_payload(), format="json").status_code == 403
    assert client.patch(f"{URL}{draft.pk}/", {"term_months": 3}, format="json").status_code == 403
    assert client.post(f"{URL}{draft.pk}/open/").status_code == 403


@pytest.mark.parametrize("role", BUYERS)
def test_buyer_roles_read_every_event_including_drafts(api_as, make_user, invited, role):
    draft = event_make(invited=[invited], opened=False)
    event_make(invited=[invited])
    client = api_as(make_user(role))
    assert client.get(URL).json()["count"] == 2
    assert client.get(f"{URL}{draft.pk}/").json()["status"] == "draft"


def test_open_moves_a_draft_to_open(api_as, procurement_user, invited):
    draft = event_make(invited=[invited], opened=False)
    response = api_as(procurement_user).post(f"{URL}{draft.pk}/open/")
    assert response.status_code == 200 and response.json()["status"] == "open"
    assert response.json()["opened_at"] is not None


def test_opening_an_open_event_again_is_a_409(api_as, procurement_user, invited):
    event = event_make(invited=[invited])
    response = api_as(procurement_user).post(f"{URL}{event.pk}/open/")
    assert response.status_code == 409
    assert response.json() == {"detail": "Only a draft event can be opened; this one is open."}


def test_opening_with_a_deadline_in_the_past_is_a_400(api_as, procurement_user, invited):
    now = timezone.now()
    draft = event_make(invited=[invited], opened=False, bid_deadline=now - timedelta(hours=1))
    response = api_as(procurement_user).post(f"{URL}{draft.pk}/open/")
    assert response.status_code == 400
    assert "is in the past" in response.json()["bid_deadline"][0]


def test_a_closed_event_says_closed_and_refuses_edits_with_409(api_as, procurement_user, invited):
    event, _ = closed_event_with_proposals(invited)
    client = api_as(procurement_user)
    assert client.get(f"{URL}{event.pk}/").json()["status"] == "closed"
    response = client.patch(f"{URL}{event.pk}/", {"term_months": 36}, format="json")
    assert response.status_code == 409 and "frozen since" in response.json()["detail"]


def test_the_status_filter_uses_the_computed_status(api_as, procurement_user, invited):
    draft = event_make(invited=[invited], opened=False)
    live = event_make(invited=[invited])
    closed, _ = closed_event_with_proposals(invited)
    awarded = event_make(invited=[invited])
    SourcingEvent.objects.filter(pk=awarded.pk).update(stage=EventStage.AWARDED)
    client = api_as(procurement_user)
    for status, event in [
        ("draft", draft),
        ("open", live),
        ("closed", closed),
        ("awarded", awarded),
    ]:
        rows = client.get(f"{URL}?status={status}").json()["results"]
        assert [row["id"] for row in rows] == [event.pk], status
        assert rows[0]["status"] == status


def test_patching_an_open_event_changes_requirements(api_as, procurement_user, invited):
    event = event_make(invited=[invited])
    response = api_as(procurement_user).patch(
        f"{URL}{event.pk}/", {"weights": {"cost": 50, "language": 5}}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["weights"] == {
        "cost": 50,
        "expertise": 25,
        "security": 20,
        "language": 5,
    }


@pytest.mark.parametrize(
    "change, field",
    [
        ({"weights": {"cost": 40, "expertise": 25, "security": 20, "language": 10}}, "weights"),
        (
            {"weights": {"cost": "forty", "expertise": 25, "security": 20, "language": 15}},
            "weights",
        ),
        ({"weights": [40, 25, 20, 15]}, "weights"),
        (
            {"languages": [{"tag": "nl", "share": "0.5"}, {"tag": "en", "share": "0.4"}]},
            "languages",
        ),
        ({"languages": [{"tag": "xx-klingon", "share": "1"}]}, "languages[0].tag"),
        (
            {"channels": [{"channel": "phone", "monthly_volume": 100, "aht_seconds": 300}]},
            "channels[0].opening_hours",
        ),
        (
            {
                "channels": [
                    {
                        "channel": "chat",
                        "monthly_volume": 100,
                        "aht_seconds": 300,
                        "opening_hours": 100,
                        "sl_percent": 80,
                    }
                ]
            },
            "channels[0].sl_seconds",
        ),
        ({"channels": [{"channel": "fax", "monthly_volume": 100, "aht_seconds": 300}]}, "channels"),
        ({"channels": {"phone": 100}}, "channels"),
        ({"currency": "EURO"}, "currency"),
        ({"fx_rates": [{"currency": "USD", "rate": "-0.9"}]}, "fx_rates[0].rate"),
        ({"invited_vendors": [999999]}, "invited_vendors"),
        ({"bid_deadline": "next week"}, "bid_deadline"),
        ({"term_months": 2.5}, "term_months"),
        ({"shrinkage": "1.5"}, "shrinkage"),
    ],
)
def test_bad_event_input_is_a_400_naming_the_field(
    api_as, procurement_user, invited, change, field
):
    draft = event_make(invited=[invited], opened=False)
    response = api_as(procurement_user).patch(f"{URL}{draft.pk}/", change, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()


def test_a_new_event_without_required_fields_lists_them(api_as, procurement_user):
    response = api_as(procurement_user).post(URL, {}, format="json")
    assert response.status_code == 400
    assert {
        "title",
        "currency",
        "term_months",
        "start_date",
        "bid_deadline",
        "weights",
        "channels",
    } <= set(response.json())


def test_the_event_list_runs_a_fixed_number_of_queries(
    api_as, procurement_user, invited, django_assert_max_num_queries
):
    for _ in range(5):
        event_make(invited=[invited, vendor_make()])
    client = api_as(procurement_user)
    with django_assert_max_num_queries(6):
        assert client.get(URL).json()["count"] == 5
