"""Builders for vendors, events and proposals, through the domain functions the API calls.

Deadlines are relative to the (pinned) clock; a closed event is built by running the domain
functions with an injected `now` in the past, so nothing bypasses validation. Dates are local
dates (TIME_ZONE), as the forms show and read them: between midnight local time and midnight
UTC, the UTC date is a day behind.
"""

from datetime import timedelta
from decimal import Decimal
from itertools import count
from typing import Any

from django.utils import timezone

from vendors.models import Proposal, SourcingEvent, Vendor
from vendors.services.events import event_create, event_open
from vendors.services.profiles import vendor_create
from vendors.services.proposals import proposal_submit

# Distinctive amounts a vendor bids: none can appear in a timestamp (no "NN.NN" with NN >= 60
# follows a colon) or an id, so finding one in a response means a price leaked.
RATE = "61.37"
COMPONENT_RATE = "73.91"
SETUP_FEE = "12345.67"
TRAINING_FEE = "23456.78"
PM_FEE = "34567.89"
MONTHLY_FEE = "4444.44"
MINIMUM = "55555.55"
STATED_HOURS = "1515.25"
SECRETS = (
    RATE,
    COMPONENT_RATE,
    SETUP_FEE,
    TRAINING_FEE,
    PM_FEE,
    MONTHLY_FEE,
    MINIMUM,
    STATED_HOURS,
)
# The same amounts as pages show them (English grouping: core.formatting), in SECRETS' order: a
# page leak is either form.
PAGE_SECRETS = tuple(f"{Decimal(secret):,}" for secret in SECRETS)


def secrets_in(html: str) -> list[str]:
    """The SECRETS found in a page, in either their stored or their shown form."""
    return [
        raw
        for raw, shown in zip(SECRETS, PAGE_SECRETS, strict=True)
        if raw in html or shown in html
    ]


_names = count(1)


def vendor_make(name: str | None = None, **profile: Any) -> Vendor:
    """A vendor with a realistic profile; keyword arguments replace parts of it."""
    values: dict[str, Any] = {
        "name": name or f"Test Vendor {next(_names)}",
        "country": "NL",
        "delivery_countries": ["NL"],
        "channels": ["phone", "chat", "email"],
        "languages": [{"tag": "nl", "level": "native"}, {"tag": "en", "level": "C1"}],
        "certifications": [{"name": "GDPR DPA", "valid_until": None}],
        "industries": [{"industry": "e-commerce", "years": 6}],
        "headcount": 250,
    }
    values.update(profile)
    return vendor_create(**values)


def event_values(**overrides: Any) -> dict[str, Any]:
    """Domain arguments of a realistic event with a deadline a week ahead."""
    now = timezone.now()
    values: dict[str, Any] = {
        "title": "Customer service NL/EN 2027",
        "currency": "EUR",
        "term_months": 24,
        "start_date": timezone.localdate(now) + timedelta(days=60),
        "bid_deadline": now + timedelta(days=7),
        "industry": "e-commerce",
        "weights": {"cost": 40, "expertise": 25, "security": 20, "language": 15},
        "channels": [
            {
                "channel": "phone",
                "monthly_volume": 12000,
                "aht_seconds": 330,
                "sl_percent": "80",
                "sl_seconds": 20,
                "opening_hours": "260",
            },
            {"channel": "email", "monthly_volume": 8000, "aht_seconds": 480},
        ],
        "languages": [{"tag": "nl", "share": "0.6"}, {"tag": "en", "share": "0.4"}],
        "must_have_certifications": ["GDPR DPA"],
        "desired_certifications": [{"name": "ISO 27001", "points": 40}],
        "fx_rates": [{"currency": "USD", "rate": "0.92"}],
    }
    values.update(overrides)
    return values


def event_payload(**overrides: Any) -> dict[str, Any]:
    """The same event as an API request body (JSON-ready)."""
    values = event_values(**overrides)
    values["start_date"] = values["start_date"].isoformat()
    values["bid_deadline"] = values["bid_deadline"].isoformat()
    values["invited_vendors"] = [
        v.pk if isinstance(v, Vendor) else v for v in values.get("invited_vendors", [])
    ]
    return values


def event_make(
    *,
    invited: tuple[Vendor, ...] | list[Vendor] = (),
    opened: bool = True,
    by=None,
    now=None,
    **overrides: Any,
) -> SourcingEvent:
    """An event created (and by default opened) through the domain functions."""
    event = event_create(**event_values(**overrides), invited_vendors=list(invited), created_by=by)
    if opened:
        event = event_open(event=event, by=by, now=now)
    return event


def proposal_values(**overrides: Any) -> dict[str, Any]:
    """A bid with the distinctive amounts of SECRETS."""
    values: dict[str, Any] = {
        "currency": "EUR",
        "pricing": [
            {
                "channel": "phone",
                "model": "per_production_hour",
                "rate": RATE,
                "stated_hours": STATED_HOURS,
            },
            {
                "channel": None,
                "model": "hybrid",
                "components": [
                    {"model": "per_contact", "rate": COMPONENT_RATE, "share": "0.5"},
                    {"model": "per_handled_minute", "rate": "0.82", "share": "0.5"},
                ],
            },
        ],
        "one_off_fees": {
            "setup": SETUP_FEE,
            "training": TRAINING_FEE,
            "project_management": PM_FEE,
        },
        "monthly_fees": [{"name": "Account management", "amount": MONTHLY_FEE}],
        "minimum_monthly_charge": MINIMUM,
        "languages": [
            {"tag": "nl", "level": "native"},
            {"tag": "en-GB", "level": "C1", "hours_coverage": "0.75"},
        ],
    }
    values.update(overrides)
    return values


def proposal_make(
    *, event: SourcingEvent, vendor: Vendor, now=None, by=None, **overrides: Any
) -> Proposal:
    """A proposal submitted through `proposal_submit`."""
    return proposal_submit(
        event=event, vendor=vendor, submitted_by=by, now=now, **proposal_values(**overrides)
    )


def closed_event_with_proposals(
    *vendors: Vendor, **overrides: Any
) -> tuple[SourcingEvent, list[Proposal]]:
    """An event whose deadline passed a minute ago, with one proposal from each vendor.

    Everything ran through the domain functions at an injected earlier `now`.
    """
    real_now = timezone.now()
    event = event_make(
        invited=vendors,
        bid_deadline=real_now - timedelta(minutes=1),
        now=real_now - timedelta(hours=2),
        **overrides,
    )
    # One second apart, in the order given: equal bids rank in that order (the earlier
    # submission wins a tie), so the first vendor is the first-ranked one.
    proposals = [
        proposal_make(event=event, vendor=v, now=real_now - timedelta(hours=1, seconds=-n))
        for n, v in enumerate(vendors)
    ]
    return event, proposals
