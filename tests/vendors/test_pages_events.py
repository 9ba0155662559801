"""Sourcing event pages: list and status filter, detail, the form with its rows, open, history."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.support.pages import event_form, page
from tests.support.vendors import (
    closed_event_with_proposals,
    event_make,
    proposal_make,
    vendor_make,
)
from vendors.models import EventStage, SourcingEvent
from vendors.web.views.access import url_or_none

pytestmark = pytest.mark.django_db


# Creating and editing ------------------------------------------------------------------------


def test_procurement_creates_a_draft_event_with_every_kind_of_row(client, procurement_user):
    a, b = vendor_make("Alpha Contact"), vendor_make("Bravo Support")
    client.force_login(procurement_user)
    response = client.post("/events/new/", event_form(a, b))
    event = SourcingEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/events/{event.pk}/"
    assert event.stage == EventStage.DRAFT and event.currency == "EUR"
    assert [c["channel"] for c in event.channels] == ["phone", "email"]
    assert event.channels[0]["sl_percent"] == "80.00" and event.channels[1]["sl_percent"] is None
    assert event.languages == [{"tag": "nl", "share": "0.6000"}, {"tag": "en", "share": "0.4000"}]
    assert event.must_have_certifications == ["GDPR DPA"]
    assert event.desired_certifications == [{"name": "ISO 27001", "points": 40}]
    assert event.fx_rates == [{"currency": "USD", "rate": "0.920000"}]
    assert set(event.invited_vendors.all()) == {a, b}
    assert (event.weight_cost, event.weight_language) == (40, 15)
    assert event.created_by == procurement_user
    detail = page(client, f"/events/{event.pk}/")
    assert "Alpha Contact" in detail and "Open event" in detail and "Draft" in detail


def test_the_new_event_form_offers_rows_and_vendors_to_invite(client, procurement_user):
    vendor_make("Alpha Contact")
    client.force_login(procurement_user)
    html = page(client, "/events/new/")
    for name in ("chan-0-channel", "lang-0-share", "cert-0-kind", "fx-0-rate", "w-cost"):
        assert f'name="{name}"' in html
    assert "Alpha Contact" in html and 'type="datetime-local"' in html
    assert 'aria-label="Contacts per month"' in html  # row inputs are labelled
    assert "<script>" not in html  # "Add a row" is a static file: the CSP forbids inline script


def errors_of(response) -> dict:
    forms = response.context["forms"]
    return {
        "form": forms.form.errors,
        "weights": forms.weights.errors,
        "channels": [f.errors for f in forms.channels.forms],
        "channels_table": list(forms.channels.non_form_errors()),
        "languages": [f.errors for f in forms.languages.forms],
        "languages_table": list(forms.languages.non_form_errors()),
        "certifications": [f.errors for f in forms.certifications.forms],
        "fx": [f.errors for f in forms.fx_rates.forms],
    }


def test_shares_not_summing_to_one_are_shown_above_the_language_rows(client, procurement_user):
    client.force_login(procurement_user)
    response = client.post("/events/new/", event_form(**{"lang-1-share": "0.3"}))
    assert response.status_code == 200 and not SourcingEvent.objects.exists()
    assert errors_of(response)["languages_table"] == ["Shares must sum to 1, they sum to 0.9."]
    assert "Shares must sum to 1, they sum to 0.9." in response.content.decode()


def test_an_unknown_language_tag_is_shown_on_its_row_even_after_a_blank_row(
    client, procurement_user
):
    client.force_login(procurement_user)
    data = event_form(**{"lang-0-tag": "", "lang-0-share": "", "lang-1-tag": "xx-klingon"})
    data.update({"lang-2-tag": "nl", "lang-2-share": "0.6"})
    errors = errors_of(client.post("/events/new/", data))
    assert errors["languages"][0] == {} and errors["languages"][2] == {}
    assert "is not a BCP 47 language tag" in errors["languages"][1]["tag"][0]


def test_bad_rows_and_fields_get_their_messages_never_a_500(client, procurement_user):
    client.force_login(procurement_user)
    data = event_form(
        **{
            "currency": "EURO",
            "w-cost": "50",
            "chan-0-sl_percent": "",
            "chan-1-aht_seconds": "abc",
            "cert-1-points": "",
            "fx-0-currency": "EUR",
        }
    )
    response = client.post("/events/new/", data)
    assert response.status_code == 200
    errors = errors_of(response)
    # Type errors are the form's; the domain is asked only once the types are right.
    assert errors["channels"][1]["aht_seconds"] == ["Enter a whole number."]
    assert errors["certifications"][1]["points"] == ["This field is required."]
    data.update({"chan-1-aht_seconds": "480", "cert-1-points": "40"})
    errors = errors_of(client.post("/events/new/", data))
    assert "is not an ISO 4217 currency code" in errors["form"]["currency"][0]
    assert errors["weights"]["__all__"] == ["Must sum to 100, they sum to 110."]
    assert errors["channels"][0]["sl_percent"] == ["A number is required."]
    assert not SourcingEvent.objects.exists()


def test_the_event_currency_cannot_have_an_fx_rate_of_its_own(client, procurement_user):
    client.force_login(procurement_user)
    errors = errors_of(client.post("/events/new/", event_form(**{"fx-0-currency": "eur"})))
    assert errors["fx"][0]["currency"] == ["EUR is the event's own currency."]


@pytest.mark.parametrize("role", ["manager", "auditor"])
def test_other_buyers_cannot_create_edit_or_open_events(client, make_user, role):
    event = event_make(invited=[vendor_make()], opened=False)
    client.force_login(make_user(role))
    assert client.get("/events/new/").status_code == 403
    assert client.get(f"/events/{event.pk}/edit/").status_code == 403
    assert client.post(f"/events/{event.pk}/open/").status_code == 403
    assert "Open event" not in page(client, f"/events/{event.pk}/")


def test_a_vendor_user_gets_404_on_buyer_event_pages(client, make_user):
    vendor = vendor_make()
    event = event_make(invited=[vendor])
    client.force_login(make_user("vendor", vendor=vendor))
    for url in ("/events/new/", f"/events/{event.pk}/edit/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/events/{event.pk}/open/").status_code == 404


def test_editing_an_open_event_records_who_changed_what_before_and_after(client, procurement_user):
    vendor = vendor_make()
    event = event_make(invited=[vendor], by=procurement_user)
    client.force_login(procurement_user)
    form = page(client, f"/events/{event.pk}/edit/")
    assert 'value="Customer service NL/EN 2027"' in form and 'value="0.6000"' in form
    data = event_form(vendor, **{"chan-0-monthly_volume": "15000", "title": "Support 2027"})
    response = client.post(f"/events/{event.pk}/edit/", data)
    assert response.status_code == 302, errors_of(response)
    event.refresh_from_db()
    assert event.title == "Support 2027" and event.channels[0]["monthly_volume"] == 15000
    html = page(client, f"/events/{event.pk}/")
    assert "History of the requirements" in html
    assert "Phone 12000/month" in html and "Phone 15000/month" in html
    assert "Customer service NL/EN 2027" in html and procurement_user.username in html
    assert "Stage" in html  # the opening is a recorded change too


def test_an_open_events_deadline_cannot_move_into_the_past(client, procurement_user):
    vendor = vendor_make()
    event = event_make(invited=[vendor])
    client.force_login(procurement_user)
    past = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/events/{event.pk}/edit/", event_form(vendor, bid_deadline=past))
    assert response.status_code == 200
    (message,) = errors_of(response)["form"]["bid_deadline"]
    assert "can move later, not earlier" in message


def test_a_closed_event_cannot_be_edited(client, procurement_user):
    event, _ = closed_event_with_proposals(vendor_make())
    client.force_login(procurement_user)
    response = client.get(f"/events/{event.pk}/edit/", follow=True)
    assert "frozen since the bid deadline" in response.content.decode()
    assert "Edit requirements" not in page(client, f"/events/{event.pk}/")


# Opening ---------------------------------------------------------------------------------------


def test_open_event_moves_a_draft_to_open_and_a_second_open_is_a_message(client, procurement_user):
    event = event_make(invited=[vendor_make()], opened=False)
    client.force_login(procurement_user)
    opened = client.post(f"/events/{event.pk}/open/", follow=True).content.decode()
    event.refresh_from_db()
    assert event.stage == EventStage.OPEN and event.opened_at is not None
    assert "The event is open" in opened
    again = client.post(f"/events/{event.pk}/open/", follow=True)
    assert again.status_code == 200
    assert "Only a draft event can be opened; this one is open." in again.content.decode()


def test_opening_with_a_deadline_in_the_past_or_nobody_invited_says_why(client, procurement_user):
    client.force_login(procurement_user)
    past = event_make(
        invited=[vendor_make()], opened=False, bid_deadline=timezone.now() - timedelta(hours=1)
    )
    html = client.post(f"/events/{past.pk}/open/", follow=True).content.decode()
    assert "is in the past" in html
    lonely = event_make(opened=False)
    html = client.post(f"/events/{lonely.pk}/open/", follow=True).content.decode()
    assert "Invite at least one vendor before opening." in html
    assert SourcingEvent.objects.filter(stage=EventStage.OPEN).count() == 0


def test_opening_is_a_post(client, procurement_user):
    event = event_make(invited=[vendor_make()], opened=False)
    client.force_login(procurement_user)
    assert client.get(f"/events/{event.pk}/open/").status_code == 405


# List --------------------------------------------------------------------------------------


def test_the_list_shows_an_empty_state(client, procurement_user):
    client.force_login(procurement_user)
    assert "No sourcing events yet." in page(client, "/events/")


def test_the_status_filter_uses_the_status_computed_from_the_deadline(client, procurement_user):
    vendor = vendor_make()
    event_make(invited=[vendor], title="Draft RFP", opened=False)
    event_make(invited=[vendor], title="Open RFP")
    closed_event_with_proposals(vendor, title="Closed RFP")
    client.force_login(procurement_user)
    for status, title in (("draft", "Draft RFP"), ("open", "Open RFP"), ("closed", "Closed RFP")):
        html = page(client, f"/events/?status={status}")
        shown = [t for t in ("Draft RFP", "Open RFP", "Closed RFP") if t in html]
        assert shown == [title], status
    assert "No event matches these filters." in page(client, "/events/?status=awarded")
    assert "Select a valid choice" in page(client, "/events/?status=bogus")


def test_the_list_shows_deadlines_and_proposal_counts(client, procurement_user):
    a, b = vendor_make(), vendor_make()
    event = event_make(invited=[a, b], title="Open RFP")
    proposal_make(event=event, vendor=a)
    client.force_login(procurement_user)
    html = page(client, "/events/?ordering=bid_deadline")
    deadline = timezone.localtime(event.bid_deadline).strftime("%Y-%m-%d %H:%M")
    assert deadline in html and 'data-testid="event-list"' in html


def test_the_event_list_runs_a_fixed_number_of_queries(
    client, procurement_user, django_assert_max_num_queries
):
    vendors = [vendor_make() for _ in range(3)]
    for n in range(8):
        event = event_make(invited=vendors, title=f"RFP {n}")
        proposal_make(event=event, vendor=vendors[n % 3])
    client.force_login(procurement_user)
    page(client, "/events/")  # warm the session and the role cache
    with django_assert_max_num_queries(12):
        page(client, "/events/")


# Detail -------------------------------------------------------------------------------------


def test_the_detail_shows_requirements_rates_weights_and_invitations(client, auditor_user):
    a, b = vendor_make("Alpha Contact"), vendor_make("Bravo Support")
    event = event_make(invited=[a, b])
    proposal_make(event=event, vendor=a)
    client.force_login(auditor_user)
    html = page(client, f"/events/{event.pk}/")
    assert "Alpha Contact" in html and "Bravo Support" in html and "no proposal" in html
    assert "80% within 20 s" in html and "12000" in html
    assert "1 USD" in html and "0.92" in html
    assert "must-have (knock-out)" in html and "desired, 40 points" in html
    assert "Bids are sealed until" in html


def test_after_the_deadline_the_detail_links_to_the_award_page(client, procurement_user):
    event, _ = closed_event_with_proposals(vendor_make())
    client.force_login(procurement_user)
    html = page(client, f"/events/{event.pk}/")
    assert f'href="/contracts/award/{event.pk}/"' in html
    assert "Bids are sealed" not in html
    comparison = url_or_none("event-comparison", event.pk)  # built by another part
    assert comparison is None or f'href="{comparison}"' in html


def test_before_the_deadline_there_is_no_comparison_or_award_link(client, procurement_user):
    event = event_make(invited=[vendor_make()])
    client.force_login(procurement_user)
    html = page(client, f"/events/{event.pk}/")
    assert "/contracts/award/" not in html and "comparison" not in html


def test_a_missing_event_is_a_404(client, procurement_user):
    client.force_login(procurement_user)
    assert client.get("/events/987654/").status_code == 404


def test_a_vendor_opening_the_buyer_event_page_lands_on_its_portal_page(client, make_user):
    vendor = vendor_make()
    event = event_make(invited=[vendor])
    client.force_login(make_user("vendor", vendor=vendor))
    response = client.get(f"/events/{event.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/portal/events/{event.pk}/"


def test_fx_rates_are_decimals_not_floats(client, procurement_user):
    vendor = vendor_make()
    client.force_login(procurement_user)
    client.post("/events/new/", event_form(vendor, **{"fx-0-rate": "1.123456"}))
    event = SourcingEvent.objects.get()
    assert Decimal(event.fx_rates[0]["rate"]) == Decimal("1.123456")


def test_a_draft_whose_deadline_passed_can_be_edited_and_then_opened(client, procurement_user):
    vendor = vendor_make()
    draft = event_make(
        invited=[vendor], opened=False, bid_deadline=timezone.now() - timedelta(days=1)
    )
    client.force_login(procurement_user)
    html = page(client, f"/events/{draft.pk}/")
    assert "Edit requirements" in html and "Ratings" not in html
    assert client.post(f"/events/{draft.pk}/edit/", event_form(vendor)).status_code == 302
    client.post(f"/events/{draft.pk}/open/")
    draft.refresh_from_db()
    assert draft.stage == EventStage.OPEN


def test_the_status_filter_offers_any_status(client, procurement_user):
    client.force_login(procurement_user)
    html = page(client, "/events/")
    assert '<option value="" selected>any status</option>' in html and "---------" not in html


def save_unchanged(client, procurement_user) -> None:
    """Build an event with the factories, show its edit form, post the form helper's event back
    with the shown deadline: nothing may change, so both sides agree on every date."""
    vendor = vendor_make()
    event = event_make(invited=[vendor])  # a deadline with seconds, as the API may set it
    client.force_login(procurement_user)
    shown = timezone.localtime(event.bid_deadline).strftime("%Y-%m-%dT%H:%M")
    html = page(client, f"/events/{event.pk}/edit/")
    assert f'value="{shown}"' in html
    assert f'value="{event.start_date.isoformat()}"' in html
    form = event_form(vendor, bid_deadline=shown)
    assert form["start_date"] == event.start_date.isoformat()
    versions = event.history.count()
    response = client.post(f"/events/{event.pk}/edit/", form)
    assert response.status_code == 302
    deadline = event.bid_deadline
    event.refresh_from_db()
    assert event.bid_deadline == deadline and event.history.count() == versions


def test_saving_the_form_unchanged_keeps_the_deadline_to_the_second(client, procurement_user):
    save_unchanged(client, procurement_user)


@pytest.mark.parametrize(
    "instant",
    [
        "2026-12-05T22:59:00Z",  # 23:59 local: the last minute both dates agree
        "2026-12-05T23:30:00Z",  # 00:30 local: the local date is a day ahead of UTC's
        "2026-12-06T00:30:00Z",  # 01:30 local: the dates agree again
        "2026-10-24T22:30:00Z",  # 00:30 summer time on the day it ends (the 25th, 01:00 UTC)
        "2026-10-25T00:30:00Z",  # 02:30 summer time, half an hour before the change
        "2026-10-25T01:30:00Z",  # 02:30 winter time: the hour that repeats
        "2027-03-27T23:30:00Z",  # 00:30 winter time on the day summer time starts
        "2027-03-28T00:30:00Z",  # 01:30, half an hour before 02:00 becomes 03:00
        "2027-03-28T01:30:00Z",  # 03:30 summer time, just after
    ],
)
def test_the_factories_and_the_forms_agree_on_dates_across_midnight_utc_and_dst(
    client, procurement_user, clock, instant
):
    clock.move_to(datetime.fromisoformat(instant))
    assert timezone.now() - datetime.fromisoformat(instant) < timedelta(minutes=1)
    save_unchanged(client, procurement_user)
