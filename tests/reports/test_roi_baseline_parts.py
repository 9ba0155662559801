"""The ROI report's baseline method: the paid FTE and per-FTE cost it prints recompute the
monthly in-house cost to the cent (DOMAIN.md: full precision, rounded only when shown)."""

import re
from decimal import Decimal

import pytest

from contracts.services.baseline import baseline_set
from reports.services.rendering import report_render, report_request
from tests.support.reports import pdf_text, plain_months, roi_contract

pytestmark = pytest.mark.django_db

PARTS = {
    "fte": Decimal(32), "gross_salary": Decimal(3100), "employer_oncost_percent": Decimal(28),
    "facilities_per_fte": Decimal(450), "ict_per_fte": Decimal(250),
    "recruitment_training_per_fte": Decimal(180), "management_overhead": Decimal(9000),
    "depreciation": Decimal(3000), "absenteeism_percent": Decimal(8),
}  # fmt: skip


def roi_text(vendor, auditor_user) -> str:
    contract = roi_contract(vendor, years=1)
    baseline_set(contract=contract, data=PARTS)
    plain_months(contract, 2)
    report = report_request(kind="roi", parameters={"contract": contract.pk}, user=auditor_user)
    report_render(report_id=report.pk)
    report.refresh_from_db()
    return " ".join(pdf_text(report.file.read()).split())


def money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):,}"


def test_the_printed_inputs_recompute_every_baseline_part_by_hand(vendor, auditor_user):
    text = roi_text(vendor, auditor_user)
    # The inputs themselves are printed, with their units.
    for shown in ("32", "€3,100.00", "28%", "8%", "€450.00", "€250.00",
                  "€180.00", "€9,000.00", "€3,000.00"):  # fmt: skip
        assert shown in text, shown
    per_fte = Decimal(3100) * Decimal("1.28") + 450 + 250 + 180  # 4,848
    by_hand = {
        "32 x 3,100": Decimal(32) * 3100,
        "32 x 3,100 x 28 %": Decimal(32) * 3100 * Decimal("0.28"),
        "32 x 450": Decimal(32) * 450,
        "32 x 8 / (100 - 8) x 4,848": Decimal(32) * 8 / 92 * per_fte,
    }
    for worked, amount in by_hand.items():
        assert re.search(
            re.escape(worked).replace(r"\ ", r"\s*") + r"\s.*?" + re.escape(money(amount)), text
        ), worked
    assert "€" + money(per_fte) in text
    monthly = sum(by_hand.values()) + 32 * 250 + 32 * 180 + 9000 + 3000
    assert money(monthly) == "180,626.09" and "180,626.09" in text


def test_paid_fte_is_printed_with_two_decimals_and_nothing_with_more_than_four(
    vendor, auditor_user
):
    text = roi_text(vendor, auditor_user)
    assert "= 34.78" in text  # 32 / (1 - 8 %) = 34.7826...
    assert not re.search(r"\d\.\d{5,}", text), re.findall(r"\S*\d\.\d{5,}\S*", text)
    assert "None" not in text
