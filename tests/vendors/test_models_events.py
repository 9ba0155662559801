"""Sourcing events: validation, the lifecycle, the computed status, history and change e-mails."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.errors import Conflict
from tests.support.outbox import deliver_outbox
from tests.support.polling import wait_for
from tests.support.vendors import (
    event_make,
    event_values,
    proposal_make,
    vendor_make,
)
from vendors import tasks
from vendors.models import EventStage, EventStatus, SourcingEvent
from vendors.selectors import event_status, event_status_q
from vendors.services.events import event_create, event_open, event_update
from vendors.services.proposals import proposal_withdraw
from vendors.tasks import event_changes

pytestmark = pytest.mark.django_db


def errors_of(call) -> dict[str, list[str]]:
    """The field-keyed messages of the ValidationError a call raises."""
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def create_with(**overrides):
    return lambda: event_create(**event_values(**overrides))


PHONE = {
    "channel": "phone",
    "monthly_volume": 12000,
    "aht_seconds": 330,
    "sl_percent": "80",
    "sl_seconds": 20,
    "opening_hours": "260",
}


def test_event_create_stores_normalised_requirements_as_a_draft():
    event = event_create(
        **event_values(
            currency="eur",
            languages=[{"tag": "NL_nl", "share": "0.6"}, {"tag": "en", "share": ".4"}],
            fx_rates=[{"currency": "usd", "rate": "0.92"}],
        )
    )
    event.refresh_from_db()
    assert event.stage == EventStage.DRAFT and event.currency == "EUR"
    assert event.languages == [
        {"tag": "nl-NL", "share": "0.6000"},
        {"tag": "en", "share": "0.4000"},
    ]
    assert event.fx_rates == [{"currency": "USD", "rate": "0.920000"}]
    assert event.channels[0]["sl_percent"] == "80.00" and event.channels[1]["sl_percent"] is None
    assert (event.weight_cost, event.weight_language) == (40, 15)
    assert event.shrinkage == Decimal("0.30") and event.max_occupancy == Decimal("0.85")


@pytest.mark.parametrize(
    "weights, field",
    [
        ({"cost": 40, "expertise": 25, "security": 20, "language": 10}, "weights"),
        ({"cost": 40.5, "expertise": 24.5, "security": 20, "language": 15}, "weights.cost"),
        ({"cost": 40, "expertise": 25, "security": 20}, "weights.language"),
        ({"cost": 140, "expertise": -40, "security": 0, "language": 0}, "weights.cost"),
    ],
)
def test_weights_must_be_whole_numbers_summing_to_100(weights, field):
    errors = errors_of(create_with(weights=weights))
    assert field in errors


def test_the_weights_message_says_what_they_sum_to():
    errors = errors_of(
        create_with(weights={"cost": 40, "expertise": 25, "security": 20, "language": 10})
    )
    assert errors["weights"] == ["Must sum to 100, they sum to 95."]


def test_language_shares_must_sum_to_exactly_one():
    errors = errors_of(
        create_with(languages=[{"tag": "nl", "share": "0.5"}, {"tag": "en", "share": "0.4"}])
    )
    assert errors["languages"] == ["Shares must sum to 1, they sum to 0.9."]


def test_thirds_are_accepted_when_written_to_sum_exactly_to_one():
    thirds = [
        {"tag": "nl", "share": "0.3333"},
        {"tag": "en", "share": "0.3333"},
        {"tag": "de", "share": "0.3334"},
    ]
    assert event_create(**event_values(languages=thirds)).languages[2]["share"] == "0.3334"
    nearly = [{**thirds[0]}, {**thirds[1]}, {"tag": "de", "share": "0.3333"}]
    assert "languages" in errors_of(create_with(languages=nearly))


def test_a_language_listed_twice_with_another_region_is_refused():
    errors = errors_of(
        create_with(languages=[{"tag": "nl", "share": "0.5"}, {"tag": "nl-BE", "share": "0.5"}])
    )
    assert errors["languages[1].tag"] == ["nl-BE is the same language as nl."]


@pytest.mark.parametrize("tag", ["klingon", "xx", "qqq", "", "x-private", "nl--BE"])
def test_a_language_tag_that_is_not_bcp_47_is_refused(tag):
    errors = errors_of(create_with(languages=[{"tag": tag, "share": "1"}]))
    assert "not a BCP 47 language tag" in errors["languages[0].tag"][0]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"opening_hours": "0"}, "channels[0].opening_hours"),
        ({"opening_hours": None}, "channels[0].opening_hours"),
        ({"sl_percent": "100"}, "channels[0].sl_percent"),
        ({"sl_percent": "0"}, "channels[0].sl_percent"),
        ({"sl_percent": None}, "channels[0].sl_percent"),
        ({"sl_seconds": 0}, "channels[0].sl_seconds"),
        ({"monthly_volume": -5}, "channels[0].monthly_volume"),
        ({"aht_seconds": "3.5"}, "channels[0].aht_seconds"),
        ({"channel": "fax"}, "channels[0].channel"),
    ],
)
def test_a_real_time_channel_needs_hours_and_a_service_level_in_range(change, field):
    errors = errors_of(create_with(channels=[{**PHONE, **change}]))
    assert field in errors


def test_a_deferred_channel_has_no_service_level():
    email = {"channel": "email", "monthly_volume": 8000, "aht_seconds": 480, "sl_percent": "80"}
    errors = errors_of(create_with(channels=[email]))
    assert errors["channels[0].sl_percent"] == [
        "Only real-time channels (phone, chat) have a service level."
    ]


def test_an_event_needs_a_channel_and_each_channel_once():
    assert errors_of(create_with(channels=[]))["channels"] == ["List at least one channel."]
    assert "channels[1].channel" in errors_of(create_with(channels=[PHONE, PHONE]))


@pytest.mark.parametrize("code", ["EURO", "ZZZ", "XXX", "", "12"])
def test_the_currency_must_be_iso_4217(code):
    assert "currency" in errors_of(create_with(currency=code))


@pytest.mark.parametrize(
    "rates, field",
    [
        ([{"currency": "EUR", "rate": "1"}], "fx_rates[0].currency"),
        ([{"currency": "USD", "rate": "0"}], "fx_rates[0].rate"),
        ([{"currency": "USD", "rate": "-1"}], "fx_rates[0].rate"),
        ([{"currency": "USD", "rate": "abc"}], "fx_rates[0].rate"),
        (
            [{"currency": "USD", "rate": "1"}, {"currency": "usd", "rate": "1"}],
            "fx_rates[1].currency",
        ),
        ([{"currency": "DOLLAR", "rate": "1"}], "fx_rates[0].currency"),
    ],
)
def test_fx_rates_are_positive_for_other_iso_currencies_each_once(rates, field):
    assert field in errors_of(create_with(fx_rates=rates))


@pytest.mark.parametrize(
    "field, value",
    [
        ("shrinkage", "1"),
        ("shrinkage", "-0.1"),
        ("max_occupancy", "0"),
        ("max_occupancy", "1.2"),
        ("fte_hours", "0"),
        ("term_months", 0),
        ("title", "  "),
    ],
)
def test_staffing_assumptions_and_basics_are_range_checked(field, value):
    assert field in errors_of(create_with(**{field: value}))


def test_certifications_are_named_once_and_desired_ones_earn_positive_points():
    errors = errors_of(
        create_with(
            must_have_certifications=["GDPR DPA", "gdpr  dpa"],
            desired_certifications=[{"name": "ISO 27001", "points": 0}],
        )
    )
    assert errors["must_have_certifications[1]"] == ["gdpr  dpa is listed more than once."]
    assert "desired_certifications[0].points" in errors


def test_the_contract_cannot_start_before_the_bid_deadline():
    now = timezone.now()
    errors = errors_of(
        create_with(
            bid_deadline=now + timedelta(days=30), start_date=(now + timedelta(days=2)).date()
        )
    )
    assert errors["start_date"] == ["The contract cannot start before the bid deadline."]


def test_every_problem_is_reported_at_once():
    errors = errors_of(create_with(currency="ZZZ", term_months=0, channels="phone"))
    assert {"currency", "term_months", "channels"} <= set(errors)


# Lifecycle and status ---------------------------------------------------------------------


def test_opening_moves_a_draft_to_open():
    event = event_make(invited=[vendor_make()], opened=False)
    opened = event_open(event=event)
    assert opened.stage == EventStage.OPEN and opened.opened_at is not None
    assert event_status(opened, timezone.now()) == EventStatus.OPEN


def test_opening_twice_is_a_conflict():
    event = event_make(invited=[vendor_make()])
    with pytest.raises(Conflict, match="Only a draft event can be opened; this one is open"):
        event_open(event=event)


def test_opening_with_a_past_deadline_is_a_field_error():
    event = event_make(invited=[vendor_make()], opened=False)
    later = event.bid_deadline + timedelta(seconds=1)
    errors = errors_of(lambda: event_open(event=event, now=later))
    assert "is in the past" in errors["bid_deadline"][0]


def test_opening_needs_an_invited_vendor():
    event = event_make(opened=False)
    assert "invited_vendors" in errors_of(lambda: event_open(event=event))


def test_an_open_event_is_closed_from_its_deadline_on():
    event = event_make(invited=[vendor_make()])
    deadline = event.bid_deadline
    assert event_status(event, deadline - timedelta(microseconds=1)) == EventStatus.OPEN
    assert event_status(event, deadline) == EventStatus.CLOSED


@pytest.mark.parametrize("stage", list(EventStage))
@pytest.mark.parametrize("offset", [timedelta(hours=-1), timedelta(0), timedelta(hours=1)])
def test_the_status_filter_agrees_with_the_status_function(stage, offset):
    event = event_make(invited=[vendor_make()], opened=False)
    SourcingEvent.objects.filter(pk=event.pk).update(stage=stage)
    event.refresh_from_db()
    now = event.bid_deadline + offset
    for status in EventStatus:
        in_filter = SourcingEvent.objects.filter(event_status_q(status, now), pk=event.pk).exists()
        assert in_filter == (event_status(event, now) == status)


def test_requirements_are_frozen_after_the_deadline():
    event = event_make(invited=[vendor_make()])
    later = event.bid_deadline + timedelta(minutes=1)
    with pytest.raises(Conflict, match="frozen since"):
        event_update(event=event, data={"term_months": 36}, now=later)


def test_an_open_event_keeps_its_deadline_in_the_future():
    event = event_make(invited=[vendor_make()])
    past = timezone.now() - timedelta(hours=1)
    errors = errors_of(lambda: event_update(event=event, data={"bid_deadline": past}))
    assert "bid_deadline" in errors


def test_a_draft_event_may_take_any_edit_including_partial_weights():
    event = event_make(opened=False)
    weights = {"cost": 50, "expertise": 20, "security": 15, "language": 15}
    event_update(event=event, data={"weights": weights, "title": "Renamed"})
    event.refresh_from_db()
    assert (event.title, event.weight_cost, event.weight_expertise) == ("Renamed", 50, 20)


def test_a_bidder_cannot_be_uninvited():
    bidder, other = vendor_make(), vendor_make()
    event = event_make(invited=[bidder, other])
    proposal_make(event=event, vendor=bidder)
    errors = errors_of(lambda: event_update(event=event, data={"invited_vendors": [other]}))
    assert errors["invited_vendors"] == [
        f"{bidder.name} has submitted a proposal and stays invited."
    ]


def test_the_fx_rate_of_a_currency_a_bid_uses_cannot_be_dropped():
    bidder = vendor_make()
    event = event_make(invited=[bidder])
    proposal_make(event=event, vendor=bidder, currency="USD")
    with pytest.raises(Conflict) as refused:  # FX rates are a requirement the bid froze
        event_update(event=event, data={"fx_rates": []})
    assert list(refused.value.fields) == ["fx_rates"]
    assert SourcingEvent.objects.get(pk=event.pk).fx_rates == event.fx_rates


# History and change e-mails ---------------------------------------------------------------


def run_tasks_in_process(monkeypatch):
    """Queued tasks run here, in this process, with JSON-checked arguments (no global eager)."""
    sent = []

    def delay(*args):
        json.dumps(args)  # ids only: what the broker would carry
        sent.append(args)
        return tasks.event_change_notify.apply(args=args)

    monkeypatch.setattr(tasks.event_change_notify, "delay", delay)
    return sent


def test_every_requirement_change_is_kept_in_history():
    event = event_make(invited=[vendor_make()], opened=False)
    event_update(event=event, data={"term_months": 36})
    event_update(event=event, data={"term_months": 36})  # no change, no version
    versions = list(event.history.order_by("history_id").values_list("term_months", flat=True))
    assert versions == [24, 36]


def test_a_requirement_change_after_a_bid_is_refused_and_e_mails_nobody(
    monkeypatch, django_capture_on_commit_callbacks, make_user
):
    bidder, withdrawn, silent = vendor_make(), vendor_make(), vendor_make()
    make_user("vendor", vendor=bidder, email="bids@bidder.example")
    make_user("vendor", vendor=withdrawn, email="bids@withdrawn.example")
    make_user("vendor", vendor=silent, email="bids@silent.example")
    procurement = make_user("procurement")
    event = event_make(invited=[bidder, withdrawn, silent], by=procurement)
    proposal_make(event=event, vendor=bidder)
    proposal_withdraw(proposal=proposal_make(event=event, vendor=withdrawn))
    versions = event.history.count()
    run_tasks_in_process(monkeypatch)
    phone = {**event.channels[0], "monthly_volume": 13000}
    deliver_outbox()  # the invitations sent when the event opened
    mail.outbox.clear()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Conflict) as refused,
    ):
        event_update(
            event=event,
            data={"channels": [phone, event.channels[1]], "term_months": 36},
            by=procurement,
        )

    assert list(refused.value.fields) == ["term_months", "channels"]
    assert callbacks == [] and deliver_outbox() == 0 and mail.outbox == []
    stored = SourcingEvent.objects.get(pk=event.pk)
    assert stored.channels == event.channels and stored.term_months == event.term_months
    assert event.history.count() == versions


def test_with_only_withdrawn_bids_the_requirements_still_change():
    vendor = vendor_make()
    event = event_make(invited=[vendor])
    proposal_withdraw(proposal=proposal_make(event=event, vendor=vendor))
    event_update(event=event, data={"term_months": 36})
    assert SourcingEvent.objects.get(pk=event.pk).term_months == 36


def test_changes_to_a_draft_send_no_e_mail(monkeypatch, django_capture_on_commit_callbacks):
    event = event_make(invited=[vendor_make()], opened=False)
    run_tasks_in_process(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        event_update(event=event, data={"term_months": 12})
    assert callbacks == [] and mail.outbox == []


def test_the_change_lines_name_each_changed_field_with_old_and_new_values():
    event = event_make(invited=[vendor_make()])
    event_update(
        event=event, data={"term_months": 36, "fx_rates": [{"currency": "USD", "rate": "0.95"}]}
    )
    history_id = event.history.order_by("-history_id").first().history_id
    lines = event_changes(history_id=history_id)
    assert "term (months): 24 -> 36" in lines
    assert "FX rates: 1 USD = 0.92 -> 1 USD = 0.95" in lines


@pytest.mark.worker
def test_a_real_worker_sends_the_deadline_e_mail_queued_on_commit(celery_worker, make_user):
    bidder = vendor_make()
    make_user("vendor", vendor=bidder, email="bids@bidder.example")
    event = event_make(invited=[bidder])
    proposal_make(event=event, vendor=bidder)
    later = event.bid_deadline + timedelta(days=2)

    event_update(event=event, data={"bid_deadline": later})  # commits: transactional_db

    def moved():  # the invitation sent at opening goes too; this test is about the move
        return [m for m in mail.outbox if "deadline moved" in m.subject.lower()]

    wait_for(moved, timeout=30)
    assert [m.to for m in moved()] == [["bids@bidder.example"]]
    assert "bid deadline: " in moved()[0].body
