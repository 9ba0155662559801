"""The PDF reports in human words: money with its currency and separators, targets as min/max
with their unit, months named, codes as labels (read back with pdftotext)."""

import pytest

from reports.models import Report
from reports.services.rendering import report_render, report_request
from tests.support.reports import pdf_text, plain_months, roi_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(vendor):
    contract = roi_contract(vendor)
    plain_months(contract, 3, {"2026-02": {"sl": "70"}})
    return contract


def rendered_text(kind: str, user, **parameters) -> str:
    report = report_request(kind=kind, parameters=parameters, user=user)
    report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    return pdf_text(report.file.read())


def test_the_sla_report_shows_money_with_currency_and_targets_with_units(contract, manager_user):
    text = rendered_text("sla", manager_user, contract=str(contract.pk), period="2026-02")
    assert "€100,000.00" in text and "€12,000.00" in text  # charges and the at-risk amount
    assert "February 2026" in text
    # abandonment: lower is better, a maximum in percent (narrow columns may wrap other units)
    assert "max 5%" in text and "max 8%" in text and "At risk (12%)" in text
    assert "seconds" in text and "min 8%" not in text
    assert "100000.00" not in text and "per_contact" not in text


def test_the_roi_report_shows_money_with_currency_and_percentages(contract, manager_user):
    text = rendered_text("roi", manager_user, contract=str(contract.pk), **{
        "from": "2026-01", "to": "2026-03"})  # fmt: skip
    assert "€130,000.00" in text or "130,000.00" in text
    assert "€60,000.00" in text  # the one-off fees, with their currency
    assert "130000.00" not in text and "project_management" not in text
