"""A closed event with two plain per-contact bids, for award tests (figures easy by hand).

The event (tests.support.vendors) needs phone 12,000 and e-mail 8,000 contacts a month over
24 months, phone at an 80 % service level. A: phone 2.00, e-mail 1.00, fee 100/month, setup
1,000, no minimum (cheaper overall, so first-ranked). B: phone 3.00, e-mail 0.50, fee 50/month,
setup 500, minimum 5,000/month."""

from datetime import timedelta

from django.utils import timezone

from tests.support.vendors import event_make, proposal_make, vendor_make

VOLUMES = {"phone": 12000, "email": 8000}


def plain_bid(phone: str, email: str, fee: str, setup: str, minimum: str) -> dict:
    """A bid's terms: per-contact rates per channel, one monthly fee, a setup fee, a minimum."""
    return {
        "pricing": [
            {"channel": "phone", "model": "per_contact", "rate": phone},
            {"channel": "email", "model": "per_contact", "rate": email},
        ],
        "one_off_fees": {"setup": setup, "training": "0", "project_management": "0"},
        "monthly_fees": [{"name": "Management", "amount": fee}],
        "minimum_monthly_charge": minimum,
    }


def closed_event_with_two_plain_bids(names=("Onshore BV", "Offshore Ltd")):
    """(event, proposal A, proposal B), the deadline passed a minute ago."""
    a, b = vendor_make(names[0]), vendor_make(names[1])
    real_now = timezone.now()
    event = event_make(
        invited=[a, b], bid_deadline=real_now - timedelta(minutes=1),
        now=real_now - timedelta(hours=2),
    )  # fmt: skip
    earlier = real_now - timedelta(hours=1)
    pa = proposal_make(
        event=event,
        vendor=a,
        now=earlier,
        **plain_bid(phone="2.00", email="1.00", fee="100", setup="1000", minimum="0"),
    )
    pb = proposal_make(
        event=event,
        vendor=b,
        now=earlier,
        **plain_bid(phone="3.00", email="0.50", fee="50", setup="500", minimum="5000"),
    )
    return event, pa, pb  # fmt: skip
