"""An open event's deadline: it moves only later, to at least the event's minimum notice from
now, and every move is e-mailed to every invited vendor with the new deadline. A deadline pulled
to "now + 5 s" would have unsealed the bids seconds later, announced by an e-mail already stale
when read."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.support.outbox import deliver_outbox
from tests.support.pages import event_form
from tests.support.vendors import event_make, event_payload, proposal_make, vendor_make
from vendors.models import SourcingEvent
from vendors.selectors import event_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_with_bid():
    bidder, silent = vendor_make("Bidder BV"), vendor_make("Silent BV")
    event = event_make(invited=[bidder, silent])
    proposal_make(event=event, vendor=bidder)
    return event


def patch(client, event, body):
    return client.patch(f"/api/v1/events/{event.pk}/", body, format="json")


def test_an_open_event_s_deadline_cannot_be_pulled_to_seconds_from_now(
    api_as, procurement_user, open_with_bid
):
    before = open_with_bid.bid_deadline
    soon = timezone.now() + timedelta(seconds=5)
    response = patch(api_as(procurement_user), open_with_bid, {"bid_deadline": soon.isoformat()})
    assert response.status_code == 400 and list(response.json()) == ["bid_deadline"]
    assert "can move later, not earlier" in response.json()["bid_deadline"][0]
    assert SourcingEvent.objects.get(pk=open_with_bid.pk).bid_deadline == before


def test_an_open_event_s_deadline_cannot_move_earlier_even_with_notice(
    api_as, procurement_user, open_with_bid
):
    earlier = open_with_bid.bid_deadline - timedelta(days=3)  # still 4 days ahead
    response = patch(api_as(procurement_user), open_with_bid, {"bid_deadline": earlier.isoformat()})
    assert response.status_code == 400 and "bid_deadline" in response.json()


def test_a_later_deadline_needs_the_minimum_notice_from_now(api_as, procurement_user, clock):
    vendor = vendor_make()
    now = timezone.now()
    event = event_make(
        invited=[vendor], bid_deadline=now + timedelta(hours=2), now=now - timedelta(hours=1)
    )
    client = api_as(procurement_user)
    too_soon = patch(client, event, {"bid_deadline": (now + timedelta(hours=23)).isoformat()})
    assert too_soon.status_code == 400
    (message,) = too_soon.json()["bid_deadline"]
    assert "at least 24 hours from now" in message
    enough = now + timedelta(hours=24, minutes=5)
    response = patch(client, event, {"bid_deadline": enough.isoformat()})
    assert response.status_code == 200, response.json()
    assert SourcingEvent.objects.get(pk=event.pk).bid_deadline == enough


def test_the_minimum_notice_is_an_event_field_with_a_default_of_24_hours(api_as, procurement_user):
    client = api_as(procurement_user)
    created = client.post("/api/v1/events/", event_payload(), format="json")
    assert created.status_code == 201 and created.json()["minimum_notice_hours"] == 24
    custom = client.post("/api/v1/events/", event_payload(minimum_notice_hours=72), format="json")
    assert custom.json()["minimum_notice_hours"] == 72
    event = SourcingEvent.objects.get(pk=custom.json()["id"])
    assert patch(client, event, {"minimum_notice_hours": 48}).json()["minimum_notice_hours"] == 48
    bad = patch(client, event, {"minimum_notice_hours": -1})
    assert bad.status_code == 400 and "minimum_notice_hours" in bad.json()


def test_an_open_event_s_notice_can_grow_but_not_shrink(api_as, procurement_user, open_with_bid):
    client = api_as(procurement_user)
    shrink = patch(client, open_with_bid, {"minimum_notice_hours": 1})
    assert shrink.status_code == 400 and "minimum_notice_hours" in shrink.json()
    grow = patch(client, open_with_bid, {"minimum_notice_hours": 48})
    assert grow.status_code == 200 and grow.json()["minimum_notice_hours"] == 48
    history = event_history(SourcingEvent.objects.get(pk=open_with_bid.pk))
    assert ("Minimum notice (hours)", "24", "48") in history[0].changes


def test_a_draft_event_s_deadline_may_move_anywhere_ahead(api_as, procurement_user):
    event = event_make(invited=[vendor_make()], opened=False)
    earlier = timezone.now() + timedelta(hours=1)
    response = patch(api_as(procurement_user), event, {"bid_deadline": earlier.isoformat()})
    assert response.status_code == 200


def test_every_move_is_e_mailed_to_every_invited_vendor_with_the_new_deadline(
    api_as,
    procurement_user,
    make_user,
    open_with_bid,
    django_capture_on_commit_callbacks,
):
    bidder = open_with_bid.proposals.get().vendor
    silent = open_with_bid.invited_vendors.exclude(pk=bidder.pk).get()
    make_user("vendor", vendor=bidder, email="bids@bidder.example")
    make_user("vendor", vendor=silent, email="bids@silent.example")
    later = open_with_bid.bid_deadline + timedelta(days=2)

    with django_capture_on_commit_callbacks(execute=True):
        response = patch(
            api_as(procurement_user), open_with_bid, {"bid_deadline": later.isoformat()}
        )

    assert response.status_code == 200
    assert deliver_outbox() == 2
    mails = mail.outbox
    shown = timezone.localtime(later).strftime("%Y-%m-%d %H:%M %Z")
    by_address = {m.to[0]: m for m in mails}
    assert set(by_address) == {"bids@bidder.example", "bids@silent.example"}
    for message in mails:
        assert shown in message.subject and f"The bid deadline is now {shown}." in message.body
    assert "Your proposal stays submitted" in by_address["bids@bidder.example"].body
    assert f"You can submit a proposal until {shown}." in by_address["bids@silent.example"].body


def test_the_event_page_shows_a_refused_move_on_the_deadline_field(client, procurement_user):
    vendor = vendor_make()
    event = event_make(invited=[vendor])
    client.force_login(procurement_user)
    soon = (timezone.localtime() + timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/events/{event.pk}/edit/", event_form(vendor, bid_deadline=soon))
    assert response.status_code == 200
    errors = response.context["forms"].form.errors
    assert "can move later, not earlier" in errors["bid_deadline"][0]
    assert SourcingEvent.objects.get(pk=event.pk).bid_deadline == event.bid_deadline


def test_the_event_form_sets_and_shows_the_minimum_notice(client, procurement_user):
    vendor = vendor_make()
    client.force_login(procurement_user)
    response = client.post("/events/new/", event_form(vendor, minimum_notice_hours="36"))
    assert response.status_code == 302
    event = SourcingEvent.objects.get()
    assert event.minimum_notice_hours == 36
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert 'data-testid="minimum-notice">36 hours' in page
    assert 'name="minimum_notice_hours"' in client.get(f"/events/{event.pk}/edit/").content.decode()
