"""Sealed bids on the pages: before the deadline no buyer-side page shows a price, fee or
minimum; after it the pages that show prices show them all.

Every check searches the whole HTML of the page for the distinctive amounts the vendor
entered (tests.support.vendors.SECRETS).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.support.pages import page
from tests.support.vendors import (
    PAGE_SECRETS,
    SECRETS,
    closed_event_with_proposals,
    event_make,
    proposal_make,
    secrets_in,
    vendor_make,
)
from vendors.models import SourcingEvent

pytestmark = pytest.mark.django_db

BUYERS = ["procurement", "manager", "auditor", "admin"]


def leaked(html: str) -> list[str]:
    return secrets_in(html)


def buyer_pages(proposal) -> list[str]:
    """Every buyer-side page that names the proposal, its event or its vendor."""
    p, e, v = proposal.pk, proposal.event_id, proposal.vendor_id
    return [
        "/",
        "/events/",
        "/events/?status=open",
        f"/events/{e}/",
        f"/proposals/{p}/",
        "/proposals/",
        f"/proposals/?event={e}",
        "/vendors/",
        f"/vendors/{v}/",
    ]


@pytest.fixture
def open_bid():
    vendor = vendor_make()
    event = event_make(invited=[vendor])
    return proposal_make(event=event, vendor=vendor)


@pytest.mark.parametrize("role", BUYERS)
def test_no_buyer_page_shows_a_price_before_the_deadline(client, make_user, open_bid, role):
    client.force_login(make_user(role))
    for url in buyer_pages(open_bid):
        assert leaked(page(client, url)) == [], url


@pytest.mark.parametrize("role", BUYERS)
def test_buyers_see_who_submitted_and_when_before_the_deadline(client, make_user, open_bid, role):
    client.force_login(make_user(role))
    html = page(client, f"/events/{open_bid.event_id}/")
    submitted = timezone.localtime(open_bid.submitted_at).strftime("%Y-%m-%d %H:%M")
    assert open_bid.vendor.name in html and "Submitted" in html and submitted in html
    assert "Bids are sealed until" in html
    detail = page(client, f"/proposals/{open_bid.pk}/")
    assert "Sealed until the bid deadline" in detail and submitted in detail


@pytest.mark.parametrize("role", BUYERS)
def test_every_buyer_sees_the_prices_after_the_deadline(client, make_user, role):
    _, (proposal,) = closed_event_with_proposals(vendor_make())
    client.force_login(make_user(role))
    assert leaked(page(client, f"/proposals/{proposal.pk}/")) == list(SECRETS)
    assert leaked(page(client, f"/events/{proposal.event_id}/")) == list(SECRETS)


def test_lists_and_profiles_never_show_prices_even_after_the_deadline(client, procurement_user):
    _, (proposal,) = closed_event_with_proposals(vendor_make())
    client.force_login(procurement_user)
    for url in ("/", "/events/", "/proposals/", "/vendors/", f"/vendors/{proposal.vendor_id}/"):
        assert leaked(page(client, url)) == [], url


def test_moving_the_deadline_into_the_past_unseals_the_pages(client, procurement_user, open_bid):
    client.force_login(procurement_user)
    url = f"/events/{open_bid.event_id}/"
    assert leaked(page(client, url)) == []
    SourcingEvent.objects.filter(pk=open_bid.event_id).update(
        bid_deadline=timezone.now() - timedelta(seconds=1)
    )
    assert leaked(page(client, url)) == list(SECRETS)


def test_the_vendor_sees_its_own_prices_before_the_deadline_and_only_once(client, make_user):
    a, b = vendor_make(), vendor_make()
    event = event_make(invited=[a, b])
    mine = proposal_make(event=event, vendor=a)
    proposal_make(event=event, vendor=b)  # the same amounts: they may show only once
    client.force_login(make_user("vendor", vendor=a))
    for url in (f"/portal/events/{event.pk}/", f"/proposals/{mine.pk}/"):
        html = page(client, url)
        assert all(html.count(secret) == 1 for secret in PAGE_SECRETS), url
    for url in ("/", "/events/", "/proposals/", "/vendors/me/"):
        assert leaked(page(client, url)) == [], url


def test_after_the_deadline_a_vendor_still_sees_only_its_own_prices(client, make_user):
    a, b = vendor_make(), vendor_make()
    event, (mine, theirs) = closed_event_with_proposals(a, b)
    client.force_login(make_user("vendor", vendor=a))
    html = page(client, f"/portal/events/{event.pk}/")
    assert all(html.count(secret) == 1 for secret in PAGE_SECRETS)
    assert b.name not in html
    assert client.get(f"/proposals/{theirs.pk}/").status_code == 404
