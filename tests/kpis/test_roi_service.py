"""The ROI of a contract over months, from the stored evaluations (DOMAIN.md "ROI")."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.services.amendments import amendment_create
from kpis.evaluation.service import contract_month_evaluate
from kpis.roi.service import RoiUnavailable, contract_roi, kpi_levels
from tests.support.evaluation import make_contract, month_rows, report, set_baseline

pytestmark = pytest.mark.django_db

D = Decimal


def evaluate(contract, *periods):
    for period in periods:
        year, month = map(int, period.split("-"))
        contract_month_evaluate(contract=contract, period=date(year, month, 1))


@pytest.fixture
def contract(vendor, manager_user):
    """Charges 100,000 a month; retained 2,500, then 3,000 from April; one-off fees 60,000."""
    contract = make_contract(
        vendor, retained_management_monthly=D("2500"),
        one_off_fees={"setup": "40000", "training": "15000", "project_management": "5000"},
    )  # fmt: skip
    set_baseline(contract, "130000")
    amendment_create(contract=contract, effective_month=date(2026, 4, 1), user=manager_user,
                     reason="More oversight",
                     changes={"retained_management_monthly": "3000"})  # fmt: skip
    report(contract, "2026-01", month_rows())
    report(contract, "2026-02", month_rows(sl="70"))  # 3,600 credit
    report(contract, "2026-03", month_rows())
    report(contract, "2026-04", month_rows())
    evaluate(contract, "2026-01", "2026-02", "2026-03", "2026-04")
    return contract


def test_monthly_rows_totals_percentages_and_payback(contract):
    report = contract_roi(contract=contract, period_from=date(2026, 1, 1),
                          period_to=date(2026, 4, 1))  # fmt: skip
    roi = report.roi
    rows = [(m.period, m.credits, m.retained, m.outsourced_cost, m.savings, m.cumulative_savings)
            for m in roi.months]  # fmt: skip
    assert rows == [
        ("2026-01", D("0.00"), D("2500.00"), D("102500.00"), D("27500.00"), D("27500.00")),
        ("2026-02", D("3600.00"), D("2500.00"), D("98900.00"), D("31100.00"), D("58600.00")),
        ("2026-03", D("0.00"), D("2500.00"), D("102500.00"), D("27500.00"), D("86100.00")),
        ("2026-04", D("0.00"), D("3000.00"), D("103000.00"), D("27000.00"), D("113100.00")),
    ]
    assert roi.totals.inhouse == D("520000.00") and roi.totals.savings == D("113100.00")
    assert roi.totals.one_off == D("60000")
    assert roi.savings_percent == D("21.75")  # 113,100 / 520,000
    assert roi.roi_percent == D("88.50")  # (113,100 - 60,000) / 60,000
    assert roi.payback_period == "2026-03"  # the first month to reach 60,000
    assert report.months_not_evaluated == () and report.months_not_priced == ()


def test_the_default_range_runs_from_the_start_to_the_latest_evaluated_month(contract):
    report = contract_roi(contract=contract)
    assert (report.period_from, report.period_to) == ("2026-01", "2026-04")
    assert len(report.evaluations) == 4


def test_months_without_an_evaluation_are_left_out_and_listed(contract):
    report = contract_roi(contract=contract, period_from=date(2026, 3, 1),
                          period_to=date(2026, 6, 1))  # fmt: skip
    assert [m.period for m in report.roi.months] == ["2026-03", "2026-04"]
    assert report.months_not_evaluated == ("2026-05", "2026-06")
    assert report.roi.payback_period is None  # 54,500 of 60,000


def test_roi_is_n_a_without_one_off_fees(vendor):
    contract = make_contract(vendor, reference="NOFEE-01")
    set_baseline(contract, "90000")
    report(contract, "2026-01", month_rows())
    evaluate(contract, "2026-01")
    roi = contract_roi(contract=contract).roi
    assert roi.roi_percent is None
    assert roi.totals.savings == D("-10000.00")  # dearer than in-house
    assert roi.payback_period is None  # cumulative savings never reach even zero


def test_without_a_baseline_there_is_no_roi(vendor):
    with pytest.raises(RoiUnavailable):
        contract_roi(contract=make_contract(vendor, reference="NOBASE-01"))


def test_kpi_levels_are_volume_weighted_over_the_months_and_channels(vendor):
    contract = make_contract(vendor, reference="KPI-01", pricing=[
        {"channel": None, "model": "per_contact", "rate": "5"}])  # fmt: skip
    set_baseline(contract, "50000", {"service_level": "75", "aht_seconds": "300",
                                     "contacts_handled": "9000"})  # fmt: skip
    report(contract, "2026-01", {("phone", "service_level"): ("80", "1000"),
                                 ("chat", "service_level"): ("90", "3000"),
                                 ("phone", "contacts_handled"): "8000"})  # fmt: skip
    # February reports an all-channels figure too: it stands for the month, not added twice.
    report(contract, "2026-02", {("phone", "service_level"): ("60", "1000"),
                                 ("", "service_level"): ("70", "4000"),
                                 ("phone", "contacts_handled"): "12000",
                                 ("phone", "aht_seconds"): ("280", "12000")})  # fmt: skip
    evaluate(contract, "2026-01", "2026-02")
    levels = kpi_levels(contract, ["service_level", "aht_seconds", "contacts_handled", "csat"],
                        date(2026, 1, 1), date(2026, 2, 1))  # fmt: skip
    # (80 x 1000 + 90 x 3000 + 70 x 4000) / 8000 = 78.75
    assert levels == {"service_level": D("78.75"), "aht_seconds": D("280.00"),
                      "contacts_handled": D("10000.00"), "csat": None}  # fmt: skip
    deltas = {d.metric: d for d in contract_roi(contract=contract).kpi_deltas}
    assert (deltas["service_level"].delta, deltas["service_level"].change) == (D("3.75"), "better")
    assert deltas["aht_seconds"].change == "better"  # lower is better
    assert deltas["contacts_handled"].change is None  # a count has no better way
