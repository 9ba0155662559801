"""The ROI names the months its totals cover and the months without KPI data; no month of the
range is skipped without a word, on the API, the page and the report's data."""

from datetime import date
from decimal import Decimal

import pytest

from kpis.evaluation.service import contract_month_evaluate
from kpis.roi.service import contract_roi
from tests.support.evaluation import make_contract, month_rows, report, set_baseline

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(vendor):
    """Jan, Feb, May reported and evaluated; March evaluated without data (the vendor did not
    report: the minimum charge still applies); April neither reported nor evaluated."""
    contract = make_contract(vendor, minimum_monthly_charge=Decimal("50000"))
    set_baseline(contract, "130000")
    for period in ("2026-01", "2026-02", "2026-05"):
        report(contract, period, month_rows())
    for month in (1, 2, 3, 5):
        contract_month_evaluate(contract=contract, period=date(2026, month, 1))
    return contract


def test_the_roi_names_the_months_without_data_and_what_its_totals_cover(contract):
    roi = contract_roi(contract=contract, period_from=date(2026, 1, 1),
                       period_to=date(2026, 5, 1))  # fmt: skip
    assert [m.period for m in roi.roi.months] == ["2026-01", "2026-02", "2026-03", "2026-05"]
    assert roi.months_without_data == ("2026-03", "2026-04")
    assert (roi.covered_from, roi.covered_to) == ("2026-01", "2026-05")
    assert roi.coverage == (
        "4 months, January 2026 to May 2026; 2 months without data: March 2026, April 2026; "
        "not counted (not evaluated or not priced): April 2026"
    )
    assert [(r["period"], r["figures"] is not None, r["reason"]) for r in roi.rows] == [
        ("2026-01", True, None),
        ("2026-02", True, None),
        ("2026-03", True, "no_data"),
        ("2026-04", False, "no_data"),
        ("2026-05", True, None),
    ]


def test_the_roi_api_adds_the_coverage_fields(contract, api_as, manager_user, openapi):
    response = api_as(manager_user).get(f"/api/v1/contracts/{contract.pk}/roi/",
                                        {"from": "2026-01", "to": "2026-05"})  # fmt: skip
    assert response.status_code == 200
    body = response.json()
    assert body["months_without_data"] == ["2026-03", "2026-04"]
    assert (body["covered_from"], body["covered_to"], body["months_covered"]) == (
        "2026-01", "2026-05", 4,
    )  # fmt: skip
    assert body["months_not_evaluated"] == ["2026-04"]  # the existing fields stay
    assert "2 months without data" in body["coverage"]
    fields = openapi["components"]["schemas"]["Roi"]["properties"]
    assert {"months_without_data", "covered_from", "covered_to", "months_covered"} <= set(fields)


def test_the_roi_page_marks_each_month_without_data_in_its_table(contract, client, manager_user):
    client.force_login(manager_user)
    body = client.get(f"/contracts/{contract.pk}/roi/", {"from": "2026-01", "to": "2026-05"})
    html = body.content.decode()
    covered = "4 months, January 2026 to May 2026; 2 months without data: March 2026, April 2026"
    assert covered in html
    assert html.count('data-testid="roi-no-data"') == 1  # March: counted, marked
    assert html.count('data-testid="roi-gap"') == 1  # April: a row saying why it is empty
    assert "no KPI data: not counted in the totals" in html


def test_the_sla_grid_marks_months_without_data_and_months_not_evaluated(
    contract, client, manager_user
):
    client.force_login(manager_user)
    html = client.get(
        f"/contracts/{contract.pk}/sla/", {"from": "2026-01", "to": "2026-06"}
    ).content.decode()
    assert html.count('data-testid="sla-no-data"') == 3  # March, April, June
    assert html.count('data-testid="sla-not-evaluated"') == 2  # April, June


def test_a_range_longer_than_the_sla_grid_says_where_the_grid_stops(contract, client, manager_user):
    client.force_login(manager_user)
    html = client.get(
        f"/contracts/{contract.pk}/sla/", {"from": "2024-01", "to": "2027-06"}
    ).content.decode()
    assert 'data-testid="sla-cut"' in html
    assert "The grid shows 36 months, January 2024 to December 2026, of the range asked for" in html
