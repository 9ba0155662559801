"""In headless Chromium, the issue's "done": procurement creates and opens an event, two vendor
users bid through the portal form, procurement sees both bids but no price until the deadline
has passed, and then sees the prices."""

from decimal import Decimal

import pytest
from django.utils import timezone

from core import formatting
from tests.support.browser import BIDS, create_and_open_event, log_in_as, submit_proposal, text_of
from tests.support.vendors import vendor_make
from vendors.models import EventStage, Proposal, SourcingEvent

pytestmark = pytest.mark.browser


def test_two_vendors_bid_and_procurement_sees_prices_only_after_the_deadline(
    browser, make_user, settings
):
    settings.CSP_ENABLED = True  # the pages work under the production policy (no inline script)
    vendors = {name: vendor_make(name) for name in BIDS}
    buyer = make_user("procurement")
    log_in_as(browser, buyer)
    create_and_open_event(browser)
    event = SourcingEvent.objects.get()
    assert event.stage == EventStage.OPEN and event.invited_vendors.count() == 2
    assert event.languages == [{"tag": "nl", "share": "0.7000"}, {"tag": "en", "share": "0.3000"}]

    for name, bid in BIDS.items():
        log_in_as(browser, make_user("vendor", vendor=vendors[name]))
        submit_proposal(browser, event.title, bid)
    assert Proposal.objects.filter(event=event, status="submitted").count() == 2

    log_in_as(browser, buyer)
    browser.get(f"{browser.base_url}/events/{event.pk}/")
    rows = text_of(browser, "bidders").splitlines()[1:]
    assert [row.split(" Submitted ")[0] for row in rows] == ["Alpha Contact", "Bravo Support"]
    html = browser.page_source
    amounts = [value for bid in BIDS.values() for value in bid.values()]
    # Each amount as typed and as the page writes it (English: 15,125.50).
    shown = {a: (a, formatting.number(Decimal(a), 2)) for a in amounts}
    assert [a for a in amounts if any(form in html for form in shown[a])] == []
    assert "Bids are sealed until" in html

    SourcingEvent.objects.filter(pk=event.pk).update(bid_deadline=timezone.now())
    browser.refresh()
    html = browser.page_source
    assert [a for a in amounts if not any(form in html for form in shown[a])] == []
    assert text_of(browser, "event-status") == "Closed"
