"""The OpenAPI schema describes what the server answers: real responses validate against it."""

import pytest

from tests.support.openapi import check
from tests.support.vendors import (
    closed_event_with_proposals,
    event_make,
    proposal_make,
    proposal_values,
    vendor_make,
)
from vendors.services.proposals import rating_set

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_and_lists_the_sourcing_routes(openapi):
    for path in (
        "/api/v1/vendors/",
        "/api/v1/events/{id}/open/",
        "/api/v1/proposals/{id}/withdraw/",
        "/api/v1/proposals/{id}/ratings/",
    ):
        assert path in openapi["paths"]


def test_sealed_and_unsealed_proposals_both_match_the_schema(
    openapi, api_as, make_user, procurement_user
):
    vendor = vendor_make()
    live = proposal_make(event=event_make(invited=[vendor]), vendor=vendor)
    _, (closed,) = closed_event_with_proposals(vendor)
    buyer, own = api_as(procurement_user), api_as(make_user("vendor", vendor=vendor))
    for client in (buyer, own):
        check(openapi, "get", "/api/v1/proposals/", client.get("/api/v1/proposals/"))
        for proposal in (live, closed):
            url = f"/api/v1/proposals/{proposal.pk}/"
            check(openapi, "get", url, client.get(url))


def test_writes_answer_in_their_documented_shapes(openapi, api_as, make_user, procurement_user):
    vendor = vendor_make()
    client = api_as(make_user("vendor", vendor=vendor))
    event = event_make(invited=[vendor])
    created = client.post(
        "/api/v1/proposals/", {"event": event.pk, **proposal_values()}, format="json"
    )
    check(openapi, "post", "/api/v1/proposals/", created)
    url = f"/api/v1/proposals/{created.json()['id']}/"
    check(openapi, "patch", url, client.patch(url, {"currency": "USD"}, format="json"))
    check(openapi, "post", f"{url}withdraw/", client.post(f"{url}withdraw/"))
    draft = event_make(invited=[vendor], opened=False)
    opened = api_as(procurement_user).post(f"/api/v1/events/{draft.pk}/open/")
    check(openapi, "post", f"/api/v1/events/{draft.pk}/open/", opened)


def test_events_vendors_and_ratings_match_the_schema(openapi, api_as, make_user, procurement_user):
    vendor = vendor_make()
    _, (proposal,) = closed_event_with_proposals(vendor)
    rating_set(proposal=proposal, evaluator=procurement_user, rating=4, comment="Solid")
    for user in (procurement_user, make_user("vendor", vendor=vendor)):
        client = api_as(user)
        for url in ("/api/v1/events/", f"/api/v1/events/{proposal.event_id}/", "/api/v1/vendors/"):
            check(openapi, "get", url, client.get(url))
        check(
            openapi,
            "get",
            f"/api/v1/vendors/{vendor.pk}/",
            client.get(f"/api/v1/vendors/{vendor.pk}/"),
        )
    ratings = f"/api/v1/proposals/{proposal.pk}/ratings/"
    buyer = api_as(procurement_user)
    check(openapi, "get", ratings, buyer.get(ratings))
    check(openapi, "post", ratings, buyer.post(ratings, {"rating": 5}, format="json"))
