"""The sourcing event ranked by hand: its vendors, bids, ratings and every figure, worked out in
the comments and recomputed with plain arithmetic (never with the product's own functions).
Shared by the ranking API, comparison and export tests."""

import math
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tests.support.vendors import event_make, proposal_make, vendor_make
from vendors.services.proposals import rating_set

D = Decimal

# The hand-calculated event ------------------------------------------------------------------
#
# EUR, 24 months, USD at 0.90 EUR. Weights cost 40, expertise 20, security 20, language 20.
# Phone: 6,000 calls a month, AHT 300 s, 80% within 20 s, 200 opening hours.
#   arrivals = 6,000 / 200 = 30 an hour; A = 30 x 300 / 3600 = 2.5 Erlangs.
#   N = 3 is the first N > A; SL(3) = 32.08%, SL(4) = 71.06%, SL(5) = 88.96% >= 80%,
#   occupancy 2.5 / 5 = 50% <= 85%: N = 5 agents.
#   production hours = 5 x 200 = 1,000; paid = 1,000 / 0.70 = 1,428.57; FTE = ceil(8.93) = 9.
# Email: 1,700 emails, AHT 360 s: workload 1,700 x 360 / 3600 = 170 h;
#   production = 170 / 0.85 = 200 h; paid = 285.71; FTE = ceil(1.79) = 2;
#   handled minutes = 1,700 x 6 = 10,200.
#
# Alpha (EUR, hourly): phone 32.00/h stating 900 h (< 1,000 required: understaffed, priced on
#   1,000 h), all other channels 27.50/h. 1,000 x 32 = 32,000 + 200 x 27.50 = 5,500
#   = 37,500 usage + 1,500 management = 39,000 a month; one-off 12,000 + 6,000 = 18,000.
#   TCO = 18,000 + 24 x 39,000 = 954,000.
# Bravo (USD, per FTE): phone 3,800/FTE stating 10 FTE (>= 9), email 3,800/FTE on the 2
#   required. 12 x 3,800 = 45,600 USD < minimum 48,000 USD -> 48,000 USD = 43,200 EUR a month;
#   one-off 4,000 USD = 3,600 EUR. TCO = 3,600 + 24 x 43,200 = 1,040,400.
# Charlie (EUR, blended): phone 6,000 contacts x 5.10 = 30,600, email 10,200 minutes x 0.85
#   = 8,670; 39,270 + 300 numbers = 39,570 a month; one-off 2,500 + 1,500 = 4,000.
#   TCO = 4,000 + 24 x 39,570 = 953,680: the lowest qualified TCO.
# Delta (EUR, 1.00 a contact: 7,700 a month, TCO 184,800) lacks the must-have GDPR DPA:
#   disqualified, ranked last, unscored, and its cheaper TCO is not the lowest.
#
# cost = 100 x 953,680 / TCO: Alpha 99.9665, Bravo 91.6647, Charlie 100.
# expertise = 100 x (0.4 x min(years, 10)/10 + 0.3 x channels served + 0.3 x median/5):
#   Alpha 0.4 x 10/10 + 0.3 x 2/2 + 0.3 x 4.5/5 = 0.97 -> 97
#   Bravo 0.4 x 4/10 + 0.3 x 1/2 + 0.3 x 3/5 = 0.16 + 0.15 + 0.18 = 0.49 -> 49
#   Charlie (no rating: provisional) (0.4 x 0 + 0.3 x 2/2) / 0.7 -> 42.8571
# security = 100 x points held / 50 (ISO 27001 30, PCI DSS 20):
#   Alpha 30 (its PCI DSS expired the day before the start) -> 60; Bravo 100; Charlie 20 -> 40
# language = 100 x (0.6 x nl + 0.4 x en), proficiency x hours coverage:
#   Alpha native 1 and C1 0.85 -> 60 + 34 = 94
#   Bravo C2 0.95 x 0.5 coverage and native -> 28.5 + 40 = 68.5
#   Charlie (none in the bid: its profile's B2 0.5 and C2 0.95) -> 30 + 38 = 68
# total = 0.4 cost + 0.2 (expertise + security + language):
#   Alpha 39.9866 + 0.2 x 251 = 90.1866 -> 90.19
#   Bravo 36.6659 + 0.2 x 217.5 = 80.1659 -> 80.17
#   Charlie 40 + 0.2 x 150.8571 = 70.1714 -> 70.17

TCO = {"Alpha": D(954_000), "Bravo": D(1_040_400), "Charlie": D(953_680), "Delta": D(184_800)}
LOWEST = TCO["Charlie"]
COST = {name: 100 * LOWEST / TCO[name] for name in ("Alpha", "Bravo", "Charlie")}
EXPERTISE = {"Alpha": D(97), "Bravo": D(49), "Charlie": 100 * D("0.3") / D("0.7")}
SECURITY = {"Alpha": D(60), "Bravo": D(100), "Charlie": D(40)}
LANGUAGE = {"Alpha": D(94), "Bravo": D("68.5"), "Charlie": D(68)}
WEIGHTS = {"cost": 40, "expertise": 20, "security": 20, "language": 20}


def total(name: str, weights: dict[str, int] = WEIGHTS) -> Decimal:
    scores = {
        "cost": COST[name],
        "expertise": EXPERTISE[name],
        "security": SECURITY[name],
        "language": LANGUAGE[name],
    }
    return sum(weights[c] * scores[c] for c in weights) / 100


def erlang_c(agents: int, traffic: float) -> float:
    """Erlang C by its textbook formula (factorials), independent of vendors.domain.staffing."""
    top = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
    bottom = sum(traffic**k / math.factorial(k) for k in range(agents)) + top
    return top / bottom


def service_level(agents: int, traffic: float, seconds: int = 20, aht: int = 300) -> float:
    return 1 - erlang_c(agents, traffic) * math.exp(-(agents - traffic) * seconds / aht)


VENDORS: dict[str, dict[str, Any]] = {
    "Alpha": {
        "channels": ["phone", "email"],
        "industries": [{"industry": "e-commerce", "years": 12}],
        "certifications": ["GDPR DPA", "ISO 27001", "PCI DSS (expired)"],
    },
    "Bravo": {
        "channels": ["phone"],
        "industries": [{"industry": "E-Commerce", "years": 4}],
        "certifications": ["GDPR DPA", "ISO 27001", "PCI DSS"],
    },
    "Charlie": {
        "channels": ["phone", "email", "chat"],
        "industries": [{"industry": "telecom", "years": 8}],
        "certifications": ["GDPR DPA", "PCI DSS"],
        "languages": [{"tag": "nl", "level": "B2"}, {"tag": "en", "level": "C2"}],
    },
    "Delta": {"certifications": ["ISO 27001"]},
}

BIDS: dict[str, dict[str, Any]] = {
    "Alpha": {
        "currency": "EUR",
        "pricing": [
            {
                "channel": "phone",
                "model": "per_production_hour",
                "rate": "32.00",
                "stated_hours": "900",
            },
            {"channel": None, "model": "per_production_hour", "rate": "27.50"},
        ],
        "one_off_fees": {"setup": "12000", "training": "6000"},
        "monthly_fees": [{"name": "Account management", "amount": "1500"}],
        "minimum_monthly_charge": "0",
        "languages": [{"tag": "nl", "level": "native"}, {"tag": "en-GB", "level": "C1"}],
    },
    "Bravo": {
        "currency": "USD",
        "pricing": [
            {"channel": "phone", "model": "per_fte_month", "rate": "3800", "stated_fte": "10"},
            {"channel": None, "model": "per_fte_month", "rate": "3800"},
        ],
        "one_off_fees": {"setup": "4000"},
        "monthly_fees": [],
        "minimum_monthly_charge": "48000",
        "languages": [
            {"tag": "nl", "level": "C2", "hours_coverage": "0.5"},
            {"tag": "en", "level": "native"},
        ],
    },
    "Charlie": {
        "currency": "EUR",
        "pricing": [
            {"channel": "phone", "model": "per_contact", "rate": "5.10"},
            {"channel": "email", "model": "per_handled_minute", "rate": "0.85"},
        ],
        "one_off_fees": {"setup": "2500", "project_management": "1500"},
        "monthly_fees": [{"name": "Phone numbers", "amount": "300"}],
        "minimum_monthly_charge": "0",
        "languages": [],
    },
    "Delta": {
        "currency": "EUR",
        "pricing": [{"channel": None, "model": "per_contact", "rate": "1.00"}],
        "one_off_fees": {},
        "monthly_fees": [],
        "minimum_monthly_charge": "0",
        "languages": [{"tag": "nl", "level": "native"}, {"tag": "en", "level": "native"}],
    },
}

RATINGS = {"Alpha": (4, 5), "Bravo": (3,)}  # two evaluators for Alpha: median 4.5


def _certifications(names: list[str], start) -> list[dict[str, Any]]:
    certs = []
    for name in names:
        if name.endswith(" (expired)"):
            certs.append(
                {"name": name.removesuffix(" (expired)"), "valid_until": start - timedelta(days=1)}
            )
        else:
            certs.append({"name": name, "valid_until": None})
    return certs


def hand_event(make_user, bids: dict[str, dict[str, Any]] | None = None):
    """The hand-calculated event, closed a minute ago, with rated bids; returns (event, ids)."""
    now = timezone.now()
    start = timezone.localdate(now) + timedelta(days=60)
    bids = bids or BIDS
    vendors = {}
    for name in bids:
        profile = dict(VENDORS[name])
        profile["certifications"] = _certifications(profile["certifications"], start)
        profile.setdefault("languages", [{"tag": "nl", "level": "native"}])
        profile.setdefault("channels", ["phone", "email"])
        profile.setdefault("industries", [])
        vendors[name] = vendor_make(f"{name} Support", **profile)
    event = event_make(
        invited=list(vendors.values()),
        bid_deadline=now - timedelta(minutes=1),
        now=now - timedelta(hours=2),
        title="Hand-calculated support 2027",
        currency="EUR",
        term_months=24,
        start_date=start,
        industry="e-commerce",
        weights=WEIGHTS,
        channels=[
            {
                "channel": "phone",
                "monthly_volume": 6000,
                "aht_seconds": 300,
                "sl_percent": "80",
                "sl_seconds": 20,
                "opening_hours": "200",
            },
            {"channel": "email", "monthly_volume": 1700, "aht_seconds": 360},
        ],
        languages=[{"tag": "nl", "share": "0.6"}, {"tag": "en", "share": "0.4"}],
        must_have_certifications=["GDPR DPA"],
        desired_certifications=[
            {"name": "ISO 27001", "points": 30},
            {"name": "PCI DSS", "points": 20},
        ],
        fx_rates=[{"currency": "USD", "rate": "0.90"}],
    )
    ids = {}
    for minutes, (name, bid) in enumerate(bids.items()):
        submitted = now - timedelta(minutes=50 - minutes)
        ids[name] = proposal_make(event=event, vendor=vendors[name], now=submitted, **bid).pk
    evaluators = [make_user("procurement"), make_user("procurement")]
    for name, ratings in RATINGS.items():
        if name in ids:
            for evaluator, rating in zip(evaluators, ratings, strict=False):
                proposal = event.proposals.get(pk=ids[name])
                rating_set(proposal=proposal, evaluator=evaluator, rating=rating)
    return event, ids
