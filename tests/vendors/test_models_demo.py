"""The demo's sourcing part: four realistic vendors, a closed event with bids, idempotent."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from core.roles import Role, role_of
from demo.loader import DEMO_PASSWORD, EVENT_TITLE
from vendors.models import Proposal, ProposalRating, SourcingEvent, Vendor, VendorCertification
from vendors.selectors import event_status

pytestmark = pytest.mark.django_db(transaction=False)


def counts() -> dict[str, int]:
    models = (Vendor, VendorCertification, SourcingEvent, Proposal, ProposalRating, User)
    return {model.__name__: model.objects.count() for model in models}


def test_load_demo_twice_creates_everything_once(capsys):
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    # The 2027 event with four bids (open to award), the 2027 event awarded as a split (four
    # bids) and the 2025 event (two bids) the demo contract came from.
    assert first["SourcingEvent"] == 3 and first["Proposal"] == 10 and first["ProposalRating"] == 10
    assert "vendor-northwind" in capsys.readouterr().out


def test_the_demo_event_is_closed_with_a_bid_from_each_of_four_vendors():
    call_command("load_demo")
    event = SourcingEvent.objects.get(title=EVENT_TITLE)
    assert event_status(event, timezone.now()) == "closed"
    assert event.currency == "EUR" and event.term_months == 24
    assert [
        event.weight_cost,
        event.weight_expertise,
        event.weight_security,
        event.weight_language,
        event.weight_performance,
    ] == [36, 23, 18, 13, 10]  # 40/25/20/15 rescaled around a 10 % track-record weight
    bids = {p.vendor.name: p for p in event.proposals.select_related("vendor")}
    assert len(bids) == 4 and event.invited_vendors.count() == 4
    assert bids["Manila BayServe Inc."].currency == "USD"
    assert bids["Manila BayServe Inc."].prices.get(channel="phone").model == "per_production_hour"
    assert bids["Northwind Contact BV"].prices.get().model == "per_contact"
    assert bids["Carpathia CX SRL"].prices.get(channel="phone").model == "per_handled_minute"
    assert all(p.submitted_at < event.bid_deadline for p in bids.values())


def test_every_demo_vendor_has_a_login_and_northwind_keeps_its_user():
    call_command("load_demo")
    northwind = User.objects.get(username="vendor-northwind")
    assert role_of(northwind) == Role.VENDOR and northwind.vendor.name == "Northwind Contact BV"
    assert northwind.check_password(DEMO_PASSWORD)
    vendor_users = User.objects.filter(vendor__isnull=False)
    assert sorted(u.vendor.name for u in vendor_users) == sorted(
        Vendor.objects.values_list("name", flat=True)
    )


def test_one_demo_certificate_expires_soon():
    call_command("load_demo")
    soon = timezone.localdate() + timedelta(days=90)
    assert VendorCertification.objects.filter(valid_until__lte=soon).exists()
