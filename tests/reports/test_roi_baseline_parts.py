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


def test_the_printed_paid_fte_and_per_fte_cost_give_the_monthly_amount(vendor, auditor_user):
    contract = roi_contract(vendor, years=1)
    baseline_set(contract=contract, data=PARTS)
    plain_months(contract, 2)
    report = report_request(kind="roi", parameters={"contract": contract.pk}, user=auditor_user)
    report_render(report_id=report.pk)
    report.refresh_from_db()
    text = " ".join(pdf_text(report.file.read()).split())
    found = re.search(r"([\d.]+) paid FTE x ([\d,]+\.\d\d)", text)
    assert found, text
    paid_fte, per_fte = Decimal(found[1]), Decimal(found[2].replace(",", ""))
    # By hand: 32 / (1 - 0.08) paid FTE; 3,100 x 1.28 + 450 + 250 + 180 = 4,848 per FTE.
    assert per_fte == Decimal("4848.00")
    assert abs(paid_fte - Decimal(32) / Decimal("0.92")) < Decimal("1e-9")
    monthly = (paid_fte * per_fte + 9000 + 3000).quantize(Decimal("0.01"))
    assert monthly == Decimal("180626.09")
    assert "180,626.09" in text
