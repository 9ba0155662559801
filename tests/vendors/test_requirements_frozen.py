"""Once a vendor has bid on an open event, what that bid was priced against is frozen: a change
to any requirement is refused (409 naming each field on the API, a form error naming them on
the page), never applied behind the bidder's back. The title, the invitations, a later deadline
and a longer notice still change (issue #21, "Frozen means refused, loudly")."""

from datetime import timedelta

import pytest
from django.core import mail

from outbox.models import OutboxMail
from tests.support.pages import event_form, page
from tests.support.vendors import event_make, proposal_make, vendor_make
from vendors.models import FROZEN_ONCE_BID, SourcingEvent
from vendors.services.proposals import proposal_withdraw

pytestmark = pytest.mark.django_db

URL = "/api/v1/events/{}/"

# One changed (and otherwise valid) value per frozen requirement, as the API names it.
CHANGES = {
    "currency": "GBP",
    "term_months": 36,
    "start_date": "+1",
    "industry": "banking",
    "shrinkage": "0.25",
    "max_occupancy": "0.80",
    "fte_hours": "150",
    "weights": {"cost": 50, "expertise": 25, "security": 20, "language": 5},
    "channels": [
        {"channel": "phone", "monthly_volume": 13000, "aht_seconds": 330, "sl_percent": "80",
         "sl_seconds": 20, "opening_hours": "260"},
        {"channel": "email", "monthly_volume": 8000, "aht_seconds": 480},
    ],
    "languages": [{"tag": "nl", "share": "0.5"}, {"tag": "en", "share": "0.5"}],
    "must_have_certifications": ["GDPR DPA", "PCI DSS"],
    "desired_certifications": [{"name": "ISO 27001", "points": 30}],
    "fx_rates": [{"currency": "USD", "rate": "0.95"}],
    "newcomer_performance": 40,
}  # fmt: skip


@pytest.fixture
def bidder():
    return vendor_make("Bidder BV")


@pytest.fixture
def open_with_bid(bidder):
    event = event_make(invited=[bidder, vendor_make("Silent BV")])
    proposal_make(event=event, vendor=bidder)
    return event


def _value(event: SourcingEvent, name: str):
    value = CHANGES[name]
    return (event.start_date + timedelta(days=1)).isoformat() if value == "+1" else value


def _stored(event: SourcingEvent) -> dict:
    stored = SourcingEvent.objects.get(pk=event.pk)
    return {name: getattr(stored, name) for name in FROZEN_ONCE_BID}


def test_the_changes_cover_every_frozen_requirement():
    names = {"weights" if n.startswith("weight_") else n for n in FROZEN_ONCE_BID}
    assert names == set(CHANGES)


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_a_change_to_a_requirement_after_a_bid_is_a_409_naming_it(
    api_as, procurement_user, open_with_bid, name
):
    before = _stored(open_with_bid)
    response = api_as(procurement_user).patch(
        URL.format(open_with_bid.pk), {name: _value(open_with_bid, name)}, format="json"
    )
    assert response.status_code == 409, (name, response.content)
    body = response.json()
    assert set(body) == {"detail", name}, body
    assert "frozen" in body[name][0] and name in body["detail"]
    assert _stored(open_with_bid) == before
    assert not OutboxMail.objects.exists()


def test_several_frozen_changes_are_each_named(api_as, procurement_user, open_with_bid):
    sent = {name: _value(open_with_bid, name) for name in ("term_months", "weights", "channels")}
    sent["title"] = "Renamed"
    response = api_as(procurement_user).patch(URL.format(open_with_bid.pk), sent, format="json")
    assert response.status_code == 409
    assert set(response.json()) == {"detail", "term_months", "weights", "channels"}
    assert SourcingEvent.objects.get(pk=open_with_bid.pk).title == open_with_bid.title


def test_the_event_sent_back_as_read_is_accepted(api_as, procurement_user, open_with_bid):
    client = api_as(procurement_user)
    read = client.get(URL.format(open_with_bid.pk)).json()
    response = client.patch(URL.format(open_with_bid.pk), read, format="json")
    assert response.status_code == 200, response.content
    assert not OutboxMail.objects.exists()


def test_the_title_invitations_a_later_deadline_and_a_longer_notice_still_change(
    api_as, procurement_user, open_with_bid, bidder, make_user
):
    make_user("vendor", vendor=bidder, email="bids@bidder.example")
    newcomer = vendor_make("Newcomer BV")
    invited = [*open_with_bid.invited_vendors.values_list("pk", flat=True), newcomer.pk]
    later = open_with_bid.bid_deadline + timedelta(days=3)
    response = api_as(procurement_user).patch(
        URL.format(open_with_bid.pk),
        {"title": "Renamed", "invited_vendors": invited, "bid_deadline": later.isoformat(),
         "minimum_notice_hours": 48},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    stored = SourcingEvent.objects.get(pk=open_with_bid.pk)
    assert (stored.title, stored.bid_deadline, stored.minimum_notice_hours) == (
        "Renamed", later, 48
    )  # fmt: skip
    assert set(stored.invited_vendors.values_list("pk", flat=True)) == set(invited)
    # The deadline move is announced (the bidder has an address); a rename alone is not.
    assert OutboxMail.objects.filter(kind="event_change").count() == 1


def test_a_rename_alone_e_mails_nobody(api_as, procurement_user, open_with_bid, bidder, make_user):
    make_user("vendor", vendor=bidder, email="bids@bidder.example")
    response = api_as(procurement_user).patch(
        URL.format(open_with_bid.pk), {"title": "Renamed"}, format="json"
    )
    assert response.status_code == 200
    assert not OutboxMail.objects.exists() and mail.outbox == []


def test_without_a_live_bid_the_requirements_still_change(api_as, procurement_user, bidder):
    event = event_make(invited=[bidder])
    proposal_withdraw(proposal=proposal_make(event=event, vendor=bidder))
    response = api_as(procurement_user).patch(
        URL.format(event.pk), {"term_months": 36, "channels": CHANGES["channels"]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert SourcingEvent.objects.get(pk=event.pk).term_months == 36


def test_a_deadline_moved_past_the_frozen_start_is_refused_on_the_deadline(
    api_as, procurement_user, open_with_bid
):
    past_start = open_with_bid.bid_deadline + timedelta(days=90)
    response = api_as(procurement_user).patch(
        URL.format(open_with_bid.pk), {"bid_deadline": past_start.isoformat()}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["bid_deadline"]
    assert open_with_bid.start_date.isoformat() in response.json()["bid_deadline"][0]


# The pages ---------------------------------------------------------------------------------


def test_the_event_pages_say_the_requirements_are_frozen_before_editing(
    client, procurement_user, open_with_bid
):
    client.force_login(procurement_user)
    assert 'data-testid="frozen-note"' in page(client, f"/events/{open_with_bid.pk}/")
    assert 'data-testid="frozen-note"' in page(client, f"/events/{open_with_bid.pk}/edit/")


def test_without_a_bid_the_pages_say_nothing_is_frozen(client, procurement_user, bidder):
    event = event_make(invited=[bidder])
    client.force_login(procurement_user)
    assert 'data-testid="frozen-note"' not in page(client, f"/events/{event.pk}/")
    assert 'data-testid="frozen-note"' not in page(client, f"/events/{event.pk}/edit/")


def test_the_vendor_portal_shows_no_freeze_note(client, make_user, open_with_bid, bidder):
    client.force_login(make_user("vendor", vendor=bidder))
    html = page(client, f"/portal/events/{open_with_bid.pk}/")
    assert 'data-testid="frozen-note"' not in html


def test_the_edit_page_refuses_a_frozen_change_naming_it_and_saves_nothing(
    client, procurement_user, open_with_bid
):
    client.force_login(procurement_user)
    invited = list(open_with_bid.invited_vendors.all())
    form = event_form(*invited, term_months="36", **{"w-cost": "50", "w-language": "5"})
    form["title"] = "Renamed"
    response = client.post(f"/events/{open_with_bid.pk}/edit/", form)
    assert response.status_code == 200
    errors = response.context["forms"].form.non_field_errors()
    assert len(errors) == 1
    assert "Nothing was saved" in errors[0]
    assert "Term (months)" in errors[0] and "Criterion weights" in errors[0]
    assert "Channels" not in errors[0]
    html = response.content.decode()
    assert 'data-testid="form-errors"' in html and 'data-testid="error-summary"' in html
    stored = SourcingEvent.objects.get(pk=open_with_bid.pk)
    assert (stored.title, stored.term_months, stored.weight_cost) == (
        open_with_bid.title, 24, 40
    )  # fmt: skip


def test_the_edit_page_saves_a_rename_when_the_requirements_are_unchanged(
    client, procurement_user, open_with_bid
):
    client.force_login(procurement_user)
    form = event_form(*open_with_bid.invited_vendors.all(), title="Renamed")
    response = client.post(f"/events/{open_with_bid.pk}/edit/", form)
    assert response.status_code == 302, response.context["forms"].form.errors
    assert SourcingEvent.objects.get(pk=open_with_bid.pk).title == "Renamed"
