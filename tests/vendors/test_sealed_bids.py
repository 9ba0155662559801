"""Sealed bids: before the deadline no buyer-side user reads a price anywhere; after it they do.

Every check searches whole response bodies (JSON, browsable API HTML, admin pages) for the
distinctive amounts the vendor entered (tests.support.vendors.SECRETS).
"""

import pytest
from rest_framework.test import APIClient

from tests.support.vendors import (
    MINIMUM,
    RATE,
    SECRETS,
    closed_event_with_proposals,
    event_make,
    proposal_make,
    vendor_make,
)

pytestmark = pytest.mark.django_db

BUYERS = ["procurement", "manager", "auditor", "admin"]


def api_urls(proposal) -> list[str]:
    """Every API read that touches the proposal, its event or its vendor."""
    p, e, v = proposal.pk, proposal.event_id, proposal.vendor_id
    return [
        "/api/v1/proposals/",
        f"/api/v1/proposals/{p}/",
        f"/api/v1/proposals/?event={e}",
        f"/api/v1/proposals/?vendor={v}&status=submitted",
        "/api/v1/proposals/?ordering=-submitted_at",
        f"/api/v1/proposals/?minimum_monthly_charge={MINIMUM}",
        f"/api/v1/proposals/?rate={RATE}",
        f"/api/v1/proposals/{p}/ratings/",
        "/api/v1/events/",
        f"/api/v1/events/{e}/",
        f"/api/v1/events/{e}/ranking/",
        f"/api/v1/vendors/{v}/",
        "/api/schema/",
    ]


def leaked(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


@pytest.fixture
def open_bid():
    vendor = vendor_make()
    event = event_make(invited=[vendor])
    return proposal_make(event=event, vendor=vendor)


@pytest.fixture
def superuser(make_user):
    return make_user("admin", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("role", BUYERS)
def test_no_buyer_reads_a_price_through_the_api_before_the_deadline(
    api_as, make_user, open_bid, role
):
    client = api_as(make_user(role))
    for url in api_urls(open_bid):
        response = client.get(url)
        assert response.status_code < 500, url
        assert leaked(response.content.decode()) == [], url


@pytest.mark.parametrize("role", BUYERS)
def test_buyers_see_who_bid_and_when_but_not_what(api_as, make_user, open_bid, role):
    body = api_as(make_user(role)).get(f"/api/v1/proposals/{open_bid.pk}/").json()
    assert body["vendor"] == open_bid.vendor_id and body["status"] == "submitted"
    assert body["submitted_at"] and body["sealed"] is True
    sealed = (
        "currency",
        "pricing",
        "one_off_fees",
        "monthly_fees",
        "minimum_monthly_charge",
        "languages",
    )
    assert all(body[field] is None for field in sealed)


def test_no_price_field_can_order_the_list_before_the_deadline(api_as, procurement_user, open_bid):
    client = api_as(procurement_user)
    for field in ("minimum_monthly_charge", "-minimum_monthly_charge", "setup_fee", "prices__rate"):
        response = client.get(f"/api/v1/proposals/?ordering={field}")
        assert response.status_code == 400, field
        assert leaked(response.content.decode()) == []


def test_the_browsable_api_shows_no_price_before_the_deadline(client, procurement_user, open_bid):
    client.force_login(procurement_user)
    for url in (f"/api/v1/proposals/{open_bid.pk}/", "/api/v1/proposals/"):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200 and b"<html" in response.content
        assert leaked(response.content.decode()) == [], url


def admin_urls(proposal) -> list[str]:
    p, e, v = proposal.pk, proposal.event_id, proposal.vendor_id
    return [
        "/admin/vendors/proposal/",
        f"/admin/vendors/proposal/{p}/change/",
        f"/admin/vendors/proposal/{p}/history/",
        f"/admin/vendors/sourcingevent/{e}/change/",
        f"/admin/vendors/sourcingevent/{e}/history/",
        f"/admin/vendors/vendor/{v}/change/",
        "/admin/vendors/",
    ]


def test_the_admin_shows_no_price_before_the_deadline(client, superuser, open_bid):
    client.force_login(superuser)
    for url in admin_urls(open_bid):
        response = client.get(url)
        assert response.status_code == 200, url
        assert leaked(response.content.decode()) == [], url


@pytest.mark.parametrize("model", ["proposalprice", "proposalpricecomponent", "proposalmonthlyfee"])
def test_the_price_models_are_not_in_the_admin(client, superuser, model):
    client.force_login(superuser)
    assert client.get(f"/admin/vendors/{model}/").status_code == 404


def test_the_vendor_reads_its_own_prices_before_the_deadline(api_as, make_user, open_bid):
    own = api_as(make_user("vendor", vendor=open_bid.vendor))
    body = own.get(f"/api/v1/proposals/{open_bid.pk}/").content.decode()
    assert leaked(body) == list(SECRETS)


# After the deadline ----------------------------------------------------------------------


@pytest.fixture
def closed_bid():
    _, (proposal,) = closed_event_with_proposals(vendor_make())
    return proposal


@pytest.mark.parametrize("role", BUYERS)
def test_every_buyer_reads_the_prices_after_the_deadline(api_as, make_user, closed_bid, role):
    client = api_as(make_user(role))
    for url in ("/api/v1/proposals/", f"/api/v1/proposals/{closed_bid.pk}/"):
        response = client.get(url)
        assert leaked(response.content.decode()) == list(SECRETS), url
    assert client.get(f"/api/v1/proposals/{closed_bid.pk}/").json()["sealed"] is False


def test_the_admin_shows_the_prices_after_the_deadline(client, superuser, closed_bid):
    client.force_login(superuser)
    page = client.get(f"/admin/vendors/proposal/{closed_bid.pk}/change/").content.decode()
    assert leaked(page) == list(SECRETS)
    changelist = client.get("/admin/vendors/proposal/").content.decode()
    assert leaked(changelist) == []  # the list never shows amounts


def test_a_mixed_list_unseals_only_the_proposals_past_their_deadline(api_as, procurement_user):
    vendor = vendor_make()
    _, (closed,) = closed_event_with_proposals(vendor)
    live = proposal_make(event=event_make(invited=[vendor]), vendor=vendor)
    rows = api_as(procurement_user).get("/api/v1/proposals/").json()["results"]
    sealed = {row["id"]: row["sealed"] for row in rows}
    assert sealed == {closed.pk: False, live.pk: True}


def test_anonymous_clients_see_nothing(open_bid):
    response = APIClient().get(f"/api/v1/proposals/{open_bid.pk}/")
    assert response.status_code == 401 and leaked(response.content.decode()) == []
