"""Vendor isolation: another vendor's rows behave exactly as if they did not exist."""

import pytest

from tests.support.vendors import (
    SECRETS,
    closed_event_with_proposals,
    event_make,
    proposal_make,
    proposal_values,
    vendor_make,
)

pytestmark = pytest.mark.django_db

MISSING = 987654321


@pytest.fixture
def world(make_user, api_as):
    """Vendors A and B invited to a shared event; B alone to another; A's user is the client."""
    a, b = vendor_make("Alpha Contact"), vendor_make("Bravo Support")
    shared = event_make(invited=[a, b], title="Shared RFP")
    only_b = event_make(invited=[b], title="Bravo only RFP")
    return {
        "a": a,
        "b": b,
        "shared": shared,
        "only_b": only_b,
        "pa": proposal_make(event=shared, vendor=a),
        "pb": proposal_make(event=shared, vendor=b),
        "pb2": proposal_make(event=only_b, vendor=b),
        "client": api_as(make_user("vendor", vendor=a)),
    }


def same_as_missing(client, method: str, url: str, missing_url: str, **kwargs) -> None:
    """The row answers exactly like a row that does not exist: a 404 with the same body."""
    response = getattr(client, method)(url, format="json", **kwargs)
    missing = getattr(client, method)(missing_url, format="json", **kwargs)
    assert response.status_code == 404, (url, response.content)
    assert response.content == missing.content


def test_a_vendor_lists_and_counts_only_itself(world):
    body = world["client"].get("/api/v1/vendors/").json()
    assert body["count"] == 1 and [row["id"] for row in body["results"]] == [world["a"].pk]
    assert world["client"].get("/api/v1/vendors/?name=Bravo").json()["count"] == 0


def test_another_vendor_is_a_404_like_a_missing_one(world):
    client, b = world["client"], world["b"]
    same_as_missing(client, "get", f"/api/v1/vendors/{b.pk}/", f"/api/v1/vendors/{MISSING}/")
    same_as_missing(
        client,
        "patch",
        f"/api/v1/vendors/{b.pk}/",
        f"/api/v1/vendors/{MISSING}/",
        data={"headcount": 1},
    )


def test_a_vendor_lists_and_counts_only_its_own_proposals(world):
    body = world["client"].get("/api/v1/proposals/").json()
    assert body["count"] == 1 and body["results"][0]["id"] == world["pa"].pk
    assert "Bravo" not in str(body)


def test_filtering_by_another_vendor_or_its_event_returns_nothing(world):
    client, b = world["client"], world["b"]
    by_other = client.get(f"/api/v1/proposals/?vendor={b.pk}")
    by_missing = client.get(f"/api/v1/proposals/?vendor={MISSING}")
    assert by_other.status_code == by_missing.status_code == 200
    assert (
        by_other.json()
        == by_missing.json()
        == {
            "count": 0,
            "next": None,
            "previous": None,
            "results": [],
        }
    )
    assert client.get(f"/api/v1/proposals/?event={world['only_b'].pk}").json()["count"] == 0
    assert client.get(f"/api/v1/proposals/?event={world['shared'].pk}").json()["count"] == 1


def test_another_vendors_proposal_is_a_404_for_every_action(world):
    client, pb = world["client"], world["pb"]
    same_as_missing(client, "get", f"/api/v1/proposals/{pb.pk}/", f"/api/v1/proposals/{MISSING}/")
    same_as_missing(
        client,
        "patch",
        f"/api/v1/proposals/{pb.pk}/",
        f"/api/v1/proposals/{MISSING}/",
        data={"minimum_monthly_charge": "0"},
    )
    same_as_missing(
        client,
        "post",
        f"/api/v1/proposals/{pb.pk}/withdraw/",
        f"/api/v1/proposals/{MISSING}/withdraw/",
    )
    world["pb"].refresh_from_db()
    assert world["pb"].status == "submitted" and world["pb"].minimum_monthly_charge > 0


def test_ratings_answer_the_same_403_for_own_other_and_missing_proposals(world):
    client = world["client"]
    answers = [
        client.get(f"/api/v1/proposals/{pk}/ratings/")
        for pk in (world["pa"].pk, world["pb"].pk, MISSING)
    ]
    assert {a.status_code for a in answers} == {403}
    assert answers[0].content == answers[1].content == answers[2].content


def test_a_vendor_sees_only_events_it_is_invited_to_and_only_itself_invited(world):
    client = world["client"]
    body = client.get("/api/v1/events/").json()
    assert body["count"] == 1 and body["results"][0]["id"] == world["shared"].pk
    assert body["results"][0]["invited_vendors"] == [world["a"].pk]
    detail = client.get(f"/api/v1/events/{world['shared'].pk}/").json()
    assert detail["invited_vendors"] == [world["a"].pk]
    same_as_missing(
        client, "get", f"/api/v1/events/{world['only_b'].pk}/", f"/api/v1/events/{MISSING}/"
    )
    assert client.get("/api/v1/events/?status=open").json()["count"] == 1


def test_a_vendor_does_not_see_draft_events_it_is_invited_to(world, procurement_user, api_as):
    draft = event_make(invited=[world["a"]], opened=False)
    same_as_missing(
        world["client"], "get", f"/api/v1/events/{draft.pk}/", f"/api/v1/events/{MISSING}/"
    )
    assert api_as(procurement_user).get(f"/api/v1/events/{draft.pk}/").status_code == 200


def test_bidding_on_an_event_one_is_not_invited_to_is_a_404_like_a_missing_event(world):
    client = world["client"]
    body = proposal_values()
    other = client.post("/api/v1/proposals/", {**body, "event": world["only_b"].pk}, format="json")
    missing = client.post("/api/v1/proposals/", {**body, "event": MISSING}, format="json")
    assert other.status_code == missing.status_code == 404
    assert other.content == missing.content


def test_after_the_deadline_other_vendors_prices_stay_invisible(make_user, api_as):
    a, b = vendor_make(), vendor_make()
    _, (pa, pb) = closed_event_with_proposals(a, b)
    client = api_as(make_user("vendor", vendor=a))
    listing = client.get("/api/v1/proposals/")
    assert listing.json()["count"] == 1
    assert client.get(f"/api/v1/proposals/{pb.pk}/").status_code == 404
    # Both bid the same amounts; A's own response may show them only once, for A.
    own = client.get(f"/api/v1/proposals/{pa.pk}/").content.decode()
    assert all(own.count(secret) == 1 for secret in SECRETS)
