"""The demo contract: Northwind won the 2025 event and runs NL/EN/DE support since November
2025, with a year of KPI files ingested and evaluated through the product's own paths
(idempotent): award, targets and baseline on the draft, activation, then the monthly files."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from contracts.models import Baseline, Contract
from contracts.services.award import contract_award
from contracts.services.baseline import baseline_set
from contracts.services.lifecycle import contract_activate, contract_update
from demo.kpi_files import KpiFile, demo_kpi_files
from kpis.evaluation.service import add_months, contract_month_evaluate
from kpis.ingestion.service import AFFECTED_MONTHS_HOOKS, kpi_upload_create, kpi_upload_ingest
from vendors.models import Proposal, ProposalStatus, SourcingEvent, Vendor

User = get_user_model()

REFERENCE = "NWC-NL-01"
START = date(2025, 11, 1)
MONTHS = 12

# What Northwind bid in 2025; the award copies it into the contract's terms.
NORTHWIND_BID = {
    "currency": "EUR",
    "pricing": [{"channel": None, "model": "per_contact", "rate": "4.50"}],
    "one_off_fees": {"setup": "60000", "training": "45000", "project_management": "25000"},
    "monthly_fees": [{"name": "Account management", "amount": "1500"}],
    "minimum_monthly_charge": "80000",
    "languages": [
        {"tag": "nl", "level": "native"},
        {"tag": "en", "level": "C1"},
        {"tag": "de", "level": "C1", "hours_coverage": "0.6"},
    ],
}
# Negotiated after the award, before activation.
SLA_TERMS = {
    "at_risk_percent": Decimal(12),
    "pool_percent": Decimal(150),
    "retained_management_monthly": Decimal("6000.00"),
}
TARGETS = [
    {"metric": "service_level", "channel": "phone", "expected": Decimal(80), "minimum": Decimal(75),
     "critical": True, "allocation_percent": Decimal(30)},
    {"metric": "asa_seconds", "channel": "phone", "expected": Decimal(30),
     "minimum": Decimal(45), "critical": True, "allocation_percent": Decimal(20)},
    {"metric": "abandonment_rate", "channel": "phone", "expected": Decimal(5),
     "minimum": Decimal(8), "critical": True, "allocation_percent": Decimal(15)},
    {"metric": "email_response_hours", "channel": "email", "expected": Decimal(24),
     "minimum": Decimal(36), "critical": True, "allocation_percent": Decimal(20)},
    {"metric": "csat", "channel": "", "expected": Decimal(85), "minimum": Decimal(80),
     "critical": False, "allocation_percent": Decimal(0)},
]  # fmt: skip
# Fully loaded in-house cost of the same service: 32 agents, as DOMAIN.md warns, with
# facilities, ICT, recruitment, absenteeism and depreciation included.
BASELINE = {
    "fte": Decimal(32), "gross_salary": Decimal(3100), "employer_oncost_percent": Decimal(28),
    "facilities_per_fte": Decimal(450), "ict_per_fte": Decimal(250),
    "recruitment_training_per_fte": Decimal(180), "management_overhead": Decimal(9000),
    "depreciation": Decimal(3000), "absenteeism_percent": Decimal(8),
    "kpis": {"service_level": "76.5", "csat": "81.0", "abandonment_rate": "6.5"},
}  # fmt: skip


def _contract(event: SourcingEvent, vendor: Vendor, procurement: User) -> Contract:
    contract = Contract.objects.filter(reference=REFERENCE).first()
    if contract is None:
        proposal = Proposal.objects.get(event=event, vendor=vendor, status=ProposalStatus.SUBMITTED)
        contract = contract_award(
            event=event, proposal_id=proposal.pk, reference=REFERENCE, start_date=START,
            user=procurement,
        )  # fmt: skip
        contract = contract_update(contract=contract, fields=SLA_TERMS, targets=TARGETS)
        contract = contract_activate(contract=contract)
    if not Baseline.objects.filter(contract=contract).exists():
        baseline_set(contract=contract, data=BASELINE)
    return contract


@contextmanager
def _evaluated_here() -> Iterator[None]:
    """Ingestion queues each month for a worker; the demo loads before the worker starts, so
    it evaluates each month itself, in order, and queues nothing."""
    hooks = AFFECTED_MONTHS_HOOKS[:]
    AFFECTED_MONTHS_HOOKS.clear()
    try:
        yield
    finally:
        AFFECTED_MONTHS_HOOKS[:] = hooks


def _history(contract: Contract, vendor_user: User) -> int:
    """Ingest each month's file as the vendor uploaded it, then evaluate the month."""
    ingested = 0
    with _evaluated_here():
        for index, kpi_file in enumerate(
            demo_kpi_files(reference=REFERENCE, start=START, months=MONTHS)
        ):
            ingested += _month(contract, vendor_user, index, kpi_file)
    return ingested


def _month(contract: Contract, vendor_user: User, index: int, kpi_file: KpiFile) -> int:
    upload = kpi_upload_create(
        file=ContentFile(kpi_file.content, name=kpi_file.name), name=kpi_file.name,
        user=vendor_user, source="command", queue=False,
    )  # fmt: skip
    ingested = 0
    if upload.duplicate_of_id is None:
        kpi_upload_ingest(upload_id=upload.pk)
        ingested = 1
    contract_month_evaluate(contract=contract, period=add_months(START, index))
    return ingested


def demo_contract(
    *, event: SourcingEvent, vendor: Vendor, procurement: User, vendor_user: User
) -> list[str]:
    """The demo contract with its baseline and a year of evaluated KPI data."""
    contract = _contract(event, vendor, procurement)
    ingested = _history(contract, vendor_user)
    return [f"Contract {REFERENCE}: {MONTHS} months of KPI data ({ingested} files ingested now)."]
