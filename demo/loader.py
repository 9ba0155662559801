"""The demo data set; every step is idempotent so `make run` can load it each time.

Vendors, the sourcing event and its proposals go through the same domain functions as the
API. The event's bid deadline lies a week in the past so the demo shows a closed event with
unsealed bids: it was created, opened and bid on with an injected earlier `now`.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.roles import Role, user_set_role
from demo import contract_story
from demo.contract_story import demo_contract
from demo.split_award import split_award_event
from vendors.domain.scoring import Criterion, rescale_weights
from vendors.models import Proposal, ProposalRating, ProposalStatus, SourcingEvent, Vendor
from vendors.ranking import event_weights
from vendors.selectors import event_has_live_bids
from vendors.services.events import event_create, event_open, event_update
from vendors.services.profiles import vendor_create, vendor_update
from vendors.services.proposals import proposal_submit, rating_set

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - printed by `make run` for the local demo
NORTHWIND = "Northwind Contact BV"
MANILA = "Manila BayServe Inc."
POLDER = "Polder Dedicated Support BV"
CARPATHIA = "Carpathia CX SRL"
DEMO_USERS = (
    ("procurement", Role.PROCUREMENT, None),
    ("manager", Role.MANAGER, None),
    ("auditor", Role.AUDITOR, None),
    ("admin", Role.ADMIN, None),
    ("vendor-northwind", Role.VENDOR, NORTHWIND),
    ("vendor-manila", Role.VENDOR, MANILA),
    ("vendor-polder", Role.VENDOR, POLDER),
    ("vendor-carpathia", Role.VENDOR, CARPATHIA),
)

User = get_user_model()
EVENT_TITLE = "Customer service NL/EN/DE 2027"
EARLIER_EVENT_TITLE = "Customer service NL/EN/DE 2025"


def _profiles(today: date) -> dict[str, dict[str, Any]]:
    """Four vendors shaped by DOMAIN.md's market facts; one certificate expires soon."""
    return {
        MANILA: {
            "country": "PH",
            "delivery_countries": ["PH"],
            "channels": ["phone", "chat", "email", "social"],
            "languages": [
                {"tag": "en", "level": "C2"},
                {"tag": "fil", "level": "native"},
                {"tag": "de", "level": "B1"},
            ],
            "certifications": [
                {"name": "ISO 27001", "valid_until": date(2028, 3, 31)},
                {"name": "PCI DSS", "valid_until": date(2027, 9, 30)},
                {"name": "GDPR DPA", "valid_until": date(2029, 12, 31)},
            ],
            "industries": [
                {"industry": "e-commerce", "years": 8},
                {"industry": "telecom", "years": 12},
            ],
            "headcount": 3200,
        },
        NORTHWIND: {
            "country": "NL",
            "delivery_countries": ["NL"],
            "channels": ["phone", "chat", "email"],
            "languages": [
                {"tag": "nl", "level": "native"},
                {"tag": "en", "level": "C1"},
                {"tag": "de", "level": "C1"},
            ],
            "certifications": [
                {"name": "ISO 27001", "valid_until": date(2027, 11, 30)},
                {"name": "GDPR DPA", "valid_until": date(2028, 6, 30)},
                # Expires within weeks: before the contract would start, so it earns no points.
                {"name": "PCI DSS", "valid_until": today + timedelta(days=45)},
            ],
            "industries": [
                {"industry": "e-commerce", "years": 11},
                {"industry": "retail", "years": 7},
            ],
            "headcount": 420,
        },
        POLDER: {
            "country": "NL",
            "delivery_countries": ["NL", "DE"],
            "channels": ["phone", "chat", "email", "backoffice"],
            "languages": [
                {"tag": "nl", "level": "native"},
                {"tag": "en", "level": "C2"},
                {"tag": "de", "level": "C1"},
            ],
            "certifications": [
                {"name": "ISO 27001", "valid_until": date(2028, 9, 30)},
                {"name": "GDPR DPA", "valid_until": date(2028, 12, 31)},
                {"name": "SOC 2 Type II", "valid_until": date(2027, 8, 31)},
            ],
            "industries": [
                {"industry": "e-commerce", "years": 5},
                {"industry": "insurance", "years": 14},
            ],
            "headcount": 680,
        },
        CARPATHIA: {
            "country": "RO",
            "delivery_countries": ["RO", "MD"],
            "channels": ["phone", "chat", "email"],
            "languages": [
                {"tag": "ro", "level": "native"},
                {"tag": "en", "level": "C1"},
                {"tag": "de", "level": "C1"},
                {"tag": "nl", "level": "B2"},
            ],
            "certifications": [
                {"name": "ISO 27001", "valid_until": date(2027, 10, 31)},
                {"name": "GDPR DPA", "valid_until": date(2028, 3, 31)},
                {"name": "PCI DSS", "valid_until": date(2028, 1, 31)},
            ],
            "industries": [
                {"industry": "e-commerce", "years": 6},
                {"industry": "travel", "years": 9},
            ],
            "headcount": 1500,
        },
    }


def _vendors() -> dict[str, Vendor]:
    """The four demo vendors; an existing one without a profile gets it, others are left."""
    vendors = {}
    for name, profile in _profiles(timezone.localdate()).items():
        vendor = Vendor.objects.filter(name=name).first()
        if vendor is None:
            vendor = vendor_create(name=name, **profile)
        elif not vendor.served_channels.exists():
            vendor = vendor_update(vendor=vendor, data=profile)
        vendors[name] = vendor
    return vendors


def _users(vendors: dict[str, Vendor]) -> list[str]:
    lines = []
    for username, role, vendor_name in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role == Role.ADMIN
            user.is_superuser = role == Role.ADMIN
            user.email = f"{username}@demo.example"
            user.save()
        user_set_role(user=user, role=role, vendor=vendors.get(vendor_name))
        lines.append(
            f"  {username:<18} {role.label}" + (f" ({vendor_name})" if vendor_name else "")
        )
    return lines


def _deadline() -> datetime:
    """A week ago at 17:00 local time."""
    local = timezone.localtime() - timedelta(days=7)
    return local.replace(hour=17, minute=0, second=0, microsecond=0)


def _event(vendors: dict[str, Vendor], procurement: User) -> SourcingEvent:
    """The closed demo event; created and opened with an injected `now` before its deadline."""
    deadline = _deadline()
    start = max(date(2027, 1, 1), (deadline + timedelta(days=45)).date().replace(day=1))
    return past_event(
        title=EVENT_TITLE,
        deadline=deadline,
        start=start,
        vendors=vendors,
        procurement=procurement,
        seasonal=True,
    )


# The 2027 event's seasons and time bands: a web shop's support peaks before the holidays
# (November x 1.4, December x 1.6, the other ten months x 0.9: twelve factors summing to 12);
# phone and chat are busiest by day; phone callers hang up after 90 s on average.
HOLIDAY_PEAK = ["0.9"] * 10 + ["1.4", "1.6"]
PHONE_BANDS = [
    {"name": "day", "hours": "180", "share": "0.7"},
    {"name": "evening", "hours": "50", "share": "0.2"},
    {"name": "weekend", "hours": "30", "share": "0.1"},
]
CHAT_BANDS = [
    {"name": "day", "hours": "200", "share": "0.75"},
    {"name": "evening", "hours": "60", "share": "0.25"},
]
PHONE_PATIENCE_SECONDS = 90


def _seasonal(channels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The channels with the holiday peak, the bands of phone and chat and phone's patience."""
    bands = {"phone": PHONE_BANDS, "chat": CHAT_BANDS}
    result = []
    for need in channels:
        profile: dict[str, Any] = {"months": HOLIDAY_PEAK}
        if need["channel"] in bands:
            profile["bands"] = bands[need["channel"]]
        extra: dict[str, Any] = {"profile": profile}
        if need["channel"] == "phone":
            extra["patience_seconds"] = PHONE_PATIENCE_SECONDS
        result.append(need | extra)
    return result


def past_event(
    *,
    title: str,
    deadline: datetime,
    start: date,
    vendors: dict[str, Vendor],
    procurement: User,
    seasonal: bool = False,
) -> SourcingEvent:
    """The demo's NL/EN/DE requirements as an event opened four weeks before its deadline
    (`seasonal`: with a holiday peak, time bands on phone and chat, and callers who hang up)."""
    existing = SourcingEvent.objects.filter(title=title).first()
    if existing is not None:
        return existing
    channels = [
        {
            "channel": "phone",
            "monthly_volume": 12000,
            "aht_seconds": 330,
            "sl_percent": "80",
            "sl_seconds": 20,
            "opening_hours": "260",
        },
        {
            "channel": "chat",
            "monthly_volume": 6000,
            "aht_seconds": 420,
            "sl_percent": "80",
            "sl_seconds": 60,
            "opening_hours": "260",
        },
        {"channel": "email", "monthly_volume": 8000, "aht_seconds": 480, "opening_hours": "260"},
    ]
    event = event_create(
        title=title,
        currency="EUR",
        term_months=24,
        start_date=start,
        bid_deadline=deadline,
        industry="e-commerce",
        weights={"cost": 40, "expertise": 25, "security": 20, "language": 15},
        channels=_seasonal(channels) if seasonal else channels,
        languages=[
            {"tag": "nl", "share": "0.55"},
            {"tag": "en", "share": "0.25"},
            {"tag": "de", "share": "0.20"},
        ],
        must_have_certifications=["GDPR DPA"],
        desired_certifications=[
            {"name": "ISO 27001", "points": 40},
            {"name": "PCI DSS", "points": 30},
            {"name": "SOC 2 Type II", "points": 30},
        ],
        fx_rates=[{"currency": "USD", "rate": "0.92"}],
        invited_vendors=list(vendors.values()),
        created_by=procurement,
    )
    return event_open(event=event, by=procurement, now=deadline - timedelta(days=28))


PEAK_MONTHS = [11, 12]
OFF_PEAK_MONTHS = list(range(1, 11))


def _dedicated_by_day_and_in_peak(channel: str, off_bands: list[str], per_contact: str) -> dict:
    """Polder's hybrid: 35.00 an hour by day and in November and December, blended otherwise."""
    hourly = {"model": "per_production_hour", "rate": "35.00"}
    return {
        "channel": channel,
        "model": "hybrid",
        "components": [
            hourly | {"bands": ["day"]},
            hourly | {"bands": off_bands, "months": PEAK_MONTHS},
            {"model": "per_contact", "rate": per_contact, "bands": off_bands,
             "months": OFF_PEAK_MONTHS},
        ],
    }  # fmt: skip


def _bids() -> dict[str, dict[str, Any]]:
    """What each vendor bid: offshore hourly USD, Dutch blended and dedicated, nearshore minutes."""
    return {
        MANILA: {
            "currency": "USD",
            "pricing": [
                {"channel": "phone", "model": "per_production_hour", "rate": "15.50"},
                {"channel": "chat", "model": "per_production_hour", "rate": "14.25"},
                {"channel": "email", "model": "per_production_hour", "rate": "12.75"},
            ],
            "one_off_fees": {"setup": "18000", "training": "12500", "project_management": "6500"},
            "monthly_fees": [
                {"name": "Account management", "amount": "2400"},
                {"name": "Telephony and numbers", "amount": "650"},
            ],
            "languages": [
                {"tag": "en", "level": "C2"},
                {"tag": "de", "level": "B1", "hours_coverage": "0.4"},
            ],
        },
        NORTHWIND: {
            "currency": "EUR",
            "pricing": [{"channel": None, "model": "per_contact", "rate": "4.50"}],
            "one_off_fees": {"setup": "7500", "training": "4000", "project_management": "3500"},
            "monthly_fees": [
                {"name": "Platform licences", "amount": "1200"},
                {"name": "Phone numbers", "amount": "350"},
            ],
            "minimum_monthly_charge": "60000",
            "languages": [
                {"tag": "nl", "level": "native"},
                {"tag": "en", "level": "C1"},
                {"tag": "de", "level": "C1", "hours_coverage": "0.6"},
            ],
        },
        POLDER: {
            "currency": "EUR",
            # Hybrid: a dedicated team by day all year and in the holiday peak; blended (per
            # contact) in the evenings and at weekends the rest of the year. Email: hourly.
            "pricing": [
                {"channel": None, "model": "per_production_hour", "rate": "35.00"},
                _dedicated_by_day_and_in_peak("phone", ["evening", "weekend"], "4.20"),
                _dedicated_by_day_and_in_peak("chat", ["evening"], "3.60"),
            ],
            "one_off_fees": {"setup": "12000", "training": "15000", "project_management": "8000"},
            "monthly_fees": [{"name": "Team lead and workforce management", "amount": "3500"}],
            "languages": [
                {"tag": "nl", "level": "native"},
                {"tag": "en", "level": "C2"},
                {"tag": "de", "level": "C1"},
            ],
        },
        CARPATHIA: {
            "currency": "EUR",
            "pricing": [
                {"channel": "phone", "model": "per_handled_minute", "rate": "0.78"},
                {"channel": "chat", "model": "per_handled_minute", "rate": "0.66"},
                {"channel": "email", "model": "per_contact", "rate": "2.90"},
            ],
            "one_off_fees": {"setup": "9000", "training": "11000", "project_management": "5000"},
            "monthly_fees": [{"name": "Account management", "amount": "1800"}],
            "minimum_monthly_charge": "25000",
            "languages": [
                {"tag": "en", "level": "C1"},
                {"tag": "de", "level": "C1"},
                {"tag": "nl", "level": "B2", "hours_coverage": "0.8"},
            ],
        },
    }


RATINGS = {MANILA: (3, "Strong English, thin Dutch coverage"), NORTHWIND: (4, "Known quantity")}
RATINGS |= {POLDER: (5, "Best references"), CARPATHIA: (4, "Good German team")}


def proposals_submit(
    event: SourcingEvent,
    vendors: dict[str, Vendor],
    procurement: User,
    bids: dict[str, dict[str, Any]] | None = None,
) -> None:
    """One proposal per vendor, submitted days before the deadline, rated after it."""
    for days_before, (name, bid) in enumerate((bids or _bids()).items(), start=3):
        vendor = vendors[name]
        proposal = (
            Proposal.objects.filter(event=event, vendor=vendor)
            .exclude(status=ProposalStatus.WITHDRAWN)
            .first()
        )
        if proposal is None:
            submitter = User.objects.filter(vendor=vendor).first()
            proposal = proposal_submit(
                event=event,
                vendor=vendor,
                submitted_by=submitter,
                now=event.bid_deadline - timedelta(days=days_before),
                **bid,
            )
        if not ProposalRating.objects.filter(proposal=proposal, evaluator=procurement).exists():
            rating, comment = RATINGS[name]
            rating_set(proposal=proposal, evaluator=procurement, rating=rating, comment=comment)


def _earlier_event(vendors: dict[str, Vendor], procurement: User) -> SourcingEvent:
    """The 2025 event that Northwind won: the demo contract comes from its award."""
    deadline = timezone.make_aware(datetime(2025, 9, 12, 17, 0))
    event = past_event(
        title=EARLIER_EVENT_TITLE,
        deadline=deadline,
        start=contract_story.START,
        vendors=vendors,
        procurement=procurement,
    )
    carpathia = _bids()[CARPATHIA] | {"minimum_monthly_charge": "95000"}
    bids = {NORTHWIND: contract_story.NORTHWIND_BID, CARPATHIA: carpathia}
    proposals_submit(event, vendors, procurement, bids)
    return event


# The 2027 event weighs the track record (docs/ranking.md): Northwind's contract since 2025-11
# gives it one; the other bidders are newcomers with the event's default score.
TRACK_RECORD_WEIGHT = 10


def weigh_track_record(event: SourcingEvent, procurement: User) -> None:
    """Give the event a 10 % performance weight, the others rescaled, before anyone bids."""
    if event.weight_performance or event_has_live_bids(event):
        return  # loaded before (the weights are frozen once bids exist)
    weights = rescale_weights(
        weights=event_weights(event), criterion=Criterion.PERFORMANCE, value=TRACK_RECORD_WEIGHT
    )
    event_update(
        event=event,
        data={"weights": {c.value: weights.of(c) for c in Criterion}},
        by=procurement,
        now=event.opened_at or event.bid_deadline - timedelta(days=28),
    )


def demo_load() -> list[str]:
    """Create (or leave as they are) the demo objects; returns lines describing the logins."""
    vendors = _vendors()
    lines = _users(vendors)
    procurement = User.objects.get(username="procurement")
    event = _event(vendors, procurement)
    weigh_track_record(event, procurement)
    proposals_submit(event, vendors, procurement)
    earlier = _earlier_event(vendors, procurement)
    split_award_event(vendors=vendors, procurement=procurement)
    story = demo_contract(
        event=earlier,
        vendor=vendors[NORTHWIND],
        procurement=procurement,
        vendor_user=User.objects.get(username="vendor-northwind"),
    )
    return [*story, f"Demo logins (password: {DEMO_PASSWORD}):", *lines]
