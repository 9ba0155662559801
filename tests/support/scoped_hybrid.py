"""The hand-worked contract awarded from a hybrid scoped by bands and months, shared by
tests/kpis/test_scoped_hybrid_contract.py (which works its figures out by hand in its
docstring) and the SLA report's verification tests (no tests here)."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from contracts.models import Contract
from contracts.services.award import contract_award
from contracts.services.lifecycle import contract_activate, contract_update
from tests.support.evaluation import target
from tests.support.vendors import event_make, proposal_make, vendor_make

D = Decimal

PHONE = {
    "channel": "phone",
    "monthly_volume": 10000,
    "aht_seconds": 300,
    "sl_percent": "80",
    "sl_seconds": 20,
    "opening_hours": "326",
    "profile": {
        "months": ["0.95"] * 10 + ["1.25", "1.25"],
        "bands": [
            {"name": "day", "hours": "176", "share": "0.8"},
            {"name": "night", "hours": "150", "share": "0.2"},
        ],
    },
}
HYBRID = [
    {
        "channel": "phone",
        "model": "hybrid",
        "components": [
            {"model": "per_production_hour", "rate": "40", "bands": ["day"], "months": [11, 12]},
            {"model": "per_contact", "rate": "3", "bands": ["day"], "months": list(range(1, 11))},
            {"model": "per_contact", "rate": "3", "bands": ["night"]},
        ],
    }
]


def cents(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


NOVEMBER = cents(D(1900) * 1408 / 1858 * 40) + D("7200") + D("1000")
MARCH = D(7200 * 3 + 1800 * 3 + 1000)


def awarded(make_user) -> Contract:
    real_now = timezone.now()
    vendor = vendor_make()
    event = event_make(
        invited=[vendor],
        channels=[PHONE],
        term_months=12,
        bid_deadline=real_now - timedelta(minutes=1),
        now=real_now - timedelta(hours=2),
    )
    proposal = proposal_make(
        event=event,
        vendor=vendor,
        now=real_now - timedelta(hours=1),
        pricing=HYBRID,
        monthly_fees=[{"name": "Account management", "amount": "1000"}],
        minimum_monthly_charge="0",
    )
    contract = contract_award(
        event=event,
        proposal_id=proposal.pk,
        reference="HYB-NL-01",
        start_date=date(2026, 3, 1),
        user=make_user("procurement"),
    )
    contract = contract_update(
        contract=contract,
        fields={},
        targets=[target("service_level", "phone", "80", "75", "50")],
    )
    return contract_activate(contract=contract)


def month(contract, contacts, minutes, hours, sl="82"):
    return {
        ("phone", "contacts_handled"): contacts,
        ("phone", "handled_minutes"): minutes,
        ("phone", "production_hours"): hours,
        ("phone", "service_level"): (sl, contacts),
    }
