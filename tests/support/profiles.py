"""A seasonal, banded event with bids, built through the domain functions (profiles tests)."""

from datetime import timedelta

from django.utils import timezone

from tests.support.vendors import event_make, proposal_make, vendor_make

PEAK = ["0.9"] * 10 + ["1.5", "1.5"]
BANDS = [
    {"name": "day", "hours": "180", "share": "0.7"},
    {"name": "evening", "hours": "50", "share": "0.2"},
    {"name": "weekend", "hours": "30", "share": "0.1"},
]


def phone(profile=None, patience=None):
    need = {
        "channel": "phone",
        "monthly_volume": 12000,
        "aht_seconds": 330,
        "sl_percent": "80",
        "sl_seconds": 20,
        "opening_hours": "260",
    }
    if profile:
        need["profile"] = profile
    if patience:
        need["patience_seconds"] = patience
    return need


EMAIL = {"channel": "email", "monthly_volume": 8000, "aht_seconds": 480}
HOURLY = [
    {"channel": "phone", "model": "per_production_hour", "rate": "30", "stated_hours": "2000"},
    {"channel": "email", "model": "per_contact", "rate": "2.50"},
]
SCOPED = [
    {
        "channel": "phone",
        "model": "hybrid",
        "components": [
            {"model": "per_production_hour", "rate": "38", "bands": ["day"], "months": [11, 12]},
            {
                "model": "per_contact",
                "rate": "3.10",
                "bands": ["day"],
                "months": list(range(1, 11)),
            },
            {"model": "per_contact", "rate": "3.10", "bands": ["evening", "weekend"]},
        ],
    },
    {"channel": "email", "model": "per_contact", "rate": "2.50"},
]


def closed_seasonal(channels, *pricings, term=12):
    real_now = timezone.now()
    vendors = [vendor_make() for _ in pricings]
    event = event_make(
        invited=vendors,
        channels=channels,
        term_months=term,
        bid_deadline=real_now - timedelta(minutes=1),
        now=real_now - timedelta(hours=2),
    )
    for vendor, pricing in zip(vendors, pricings, strict=True):
        proposal_make(
            event=event, vendor=vendor, now=real_now - timedelta(hours=1), pricing=pricing
        )
    return event
