"""The demo contract tells the story the README promises: a year of data, a few breaches, one
chronic target, credits that agree with a hand calculation and a payback month."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from contracts.models import Contract
from demo import contract_story
from demo.contract_story import NORTHWIND_BID
from demo.kpi_files import ABANDONMENT, ASA, SERVICE_LEVEL
from demo.loader import EARLIER_EVENT_TITLE, NORTHWIND
from kpis.models import Breach, ChronicFlag, Evaluation, KpiUpload
from kpis.roi.service import contract_roi
from vendors.models import EventStage
from vendors.ranking import event_ranking

pytestmark = pytest.mark.django_db(transaction=False)


def month(index: int) -> date:
    year, month0 = divmod(contract_story.START.month - 1 + index, 12)
    return date(contract_story.START.year + year, month0 + 1, 1)


def number(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


@pytest.fixture
def contract():
    call_command("load_demo")
    return Contract.objects.get(reference=contract_story.REFERENCE)


def test_the_contract_was_awarded_to_the_winner_of_the_2025_event(contract):
    event = contract.proposal.event
    assert event.title == EARLIER_EVENT_TITLE and event.stage == EventStage.AWARDED
    winner = event_ranking(event=event).results[0]
    assert winner.proposal == contract.proposal_id and winner.qualified
    assert contract.status == Contract.Status.ACTIVE and contract.vendor.name == NORTHWIND
    assert contract.minimum_monthly_charge == Decimal(NORTHWIND_BID["minimum_monthly_charge"])


def test_loading_twice_ingests_and_evaluates_each_month_once(contract):
    uploads = KpiUpload.objects.count()
    call_command("load_demo")
    assert KpiUpload.objects.filter(duplicate_of__isnull=True).count() == uploads == 12
    current = Evaluation.objects.filter(contract=contract, is_current=True)
    assert sorted(current.values_list("period", flat=True)) == [month(i) for i in range(12)]
    assert Evaluation.objects.filter(contract=contract).count() == 12  # no new revisions


def test_breaches_are_the_months_below_minimum_in_the_files(contract):
    # Minimums from the demo's targets: service level >= 75 %, ASA <= 45 s, abandonment <= 8 %.
    expected = {(month(i), "service_level") for i, v in enumerate(SERVICE_LEVEL) if number(v) < 75}
    expected |= {(month(i), "asa_seconds") for i, v in enumerate(ASA) if number(v) > 45}
    expected |= {(month(i), "abandonment_rate") for i, v in enumerate(ABANDONMENT) if number(v) > 8}
    found = set(Breach.objects.filter(contract=contract).values_list("period", "target__metric"))
    assert found == expected and len(found) == 6


def test_exactly_one_target_is_chronic(contract):
    flags = ChronicFlag.objects.filter(contract=contract)
    assert set(flags.values_list("target__metric", flat=True)) == {"service_level"}


def test_the_may_credit_agrees_with_a_hand_calculation(contract):
    evaluation = Evaluation.objects.get(contract=contract, period=date(2026, 5, 1), is_current=True)
    # May: 12 % of the month's charges at risk; breaches of the targets allocated 30 % (service
    # level), 20 % (ASA) and 15 % (abandonment) = 65 % of it, under the cap.
    at_risk = (evaluation.charges * Decimal("0.12")).quantize(Decimal("0.01"))
    assert evaluation.at_risk_amount == at_risk
    assert evaluation.credit_total == (at_risk * Decimal("0.65")).quantize(Decimal("0.01"))
    assert evaluation.credit_total == Decimal("9608.04")


def test_the_roi_has_a_payback_month(contract):
    roi = contract_roi(contract=contract).roi
    assert roi.payback_period == "2026-01"
    assert Decimal(0) < roi.savings_percent < Decimal(50)
