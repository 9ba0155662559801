"""Earn-back (DOMAIN.md "Earn-back"): a credit returned K months later, worked by hand.

The worked example's contract: 10,000 phone contacts at EUR 10 = EUR 100,000 of charges, at risk
12 % = EUR 12,000; the service level is allocated 30 %, so its breach is a credit of EUR 3,600.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from kpis.evaluation.breaches import breach_waive
from kpis.evaluation.earnback import CreditSource, deducted_after_cap, earn_back_lines
from kpis.evaluation.selectors import evaluation_detail
from kpis.evaluation.service import contract_month_evaluate
from kpis.models import Breach, Evaluation
from kpis.roi.service import contract_roi
from tests.support.evaluation import evaluate, make_contract, month_rows, report, set_baseline

pytestmark = pytest.mark.django_db

D = Decimal
MARCH, MAY, JUNE = date(2026, 3, 1), date(2026, 5, 1), date(2026, 6, 1)


def current(contract, period) -> Evaluation:
    return Evaluation.objects.get(contract=contract, period=period, is_current=True)


def breached_in_march_met_april_to_june(vendor, months=3, reference="EARN-NL-01"):
    contract = make_contract(vendor, reference=reference, earn_back_months=months)
    report(contract, "2026-03", month_rows(sl="70"))
    for period in ("2026-04", "2026-05", "2026-06"):
        report(contract, period, month_rows())
    evaluate(contract, "2026-03", "2026-04", "2026-05", "2026-06")
    return contract


def test_a_march_breach_met_april_to_june_is_earned_back_in_june_with_three_months(vendor):
    contract = breached_in_march_met_april_to_june(vendor)

    march, june = current(contract, MARCH), current(contract, JUNE)

    assert march.credit_total == D("3600.00")  # March stays as it was judged
    assert march.earn_back == 0
    assert current(contract, MAY).earn_back == 0
    assert june.credit_total == D("0.00")
    assert june.earn_back == D("-3600.00")
    assert june.credit_net == D("-3600.00")
    (line,) = june.earn_back_lines
    assert line["metric"] == "service_level"
    assert line["channel"] == "phone"
    assert line["source_period"] == "2026-03"
    assert line["amount"] == "-3600.00"


def test_revising_may_to_a_breach_cancels_the_june_earn_back(vendor):
    contract = breached_in_march_met_april_to_june(vendor)
    assert current(contract, JUNE).earn_back == D("-3600.00")

    report(contract, "2026-05", month_rows(sl="70"))
    contract_month_evaluate(contract=contract, period=MAY)  # cascades to June

    june = current(contract, JUNE)
    assert june.earn_back == 0
    assert june.earn_back_lines == []
    assert june.credit_net == D("0.00")


def test_re_evaluating_without_a_change_adds_no_revision(vendor):
    contract = breached_in_march_met_april_to_june(vendor)
    revision = current(contract, JUNE).revision

    contract_month_evaluate(contract=contract, period=MAY)
    contract_month_evaluate(contract=contract, period=JUNE)

    assert current(contract, JUNE).revision == revision
    assert current(contract, JUNE).earn_back == D("-3600.00")


def test_a_month_flagged_chronic_earns_nothing_back(vendor):
    contract = make_contract(vendor, reference="EARN-NL-02", earn_back_months=3)
    for period in ("2026-01", "2026-02", "2026-03"):  # 3 breaches in 6 months: March chronic
        report(contract, period, month_rows(sl="70"))
    for period in ("2026-04", "2026-05", "2026-06"):
        report(contract, period, month_rows())
    evaluate(contract, "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06")

    sl = current(contract, MARCH).results.get(metric="service_level")
    assert sl.chronic and sl.credit == D("3600.00")
    june = current(contract, JUNE)
    assert june.earn_back == 0
    assert june.credit_net == D("0.00")


def test_a_waived_credit_is_not_earned_back(
    vendor, manager_user, django_capture_on_commit_callbacks
):
    contract = breached_in_march_met_april_to_june(vendor)
    breach = Breach.objects.get(contract=contract, period=MARCH)

    breach_waive(breach=breach, user=manager_user, reason="Storm outage")
    contract_month_evaluate(contract=contract, period=MARCH)  # what the waiver job runs

    assert current(contract, MARCH).credit_total == D("0.00")
    assert current(contract, JUNE).earn_back == 0


def test_without_earn_back_months_nothing_is_returned(vendor):
    contract = breached_in_march_met_april_to_june(vendor, months=0, reference="EARN-NL-03")

    june = current(contract, JUNE)
    assert june.earn_back == 0
    assert june.earn_back_lines == []
    assert june.credit_net == june.credit_total == D("0.00")


def test_one_month_earn_back_returns_the_credit_in_april(vendor):
    contract = breached_in_march_met_april_to_june(vendor, months=1, reference="EARN-NL-04")

    assert current(contract, date(2026, 4, 1)).earn_back == D("-3600.00")
    assert current(contract, MAY).earn_back == 0


def test_under_the_cap_each_credit_is_earned_back_pro_rata(vendor):
    # Four breaches allocated 30 + 25 + 40 + 35 = 130 %: 15,600 capped at 12,000. Each credit
    # returns credit x 12,000 / 15,600: 2,769.23 + 2,307.69 + 3,692.31 + 3,230.77 = 12,000.00.
    contract = make_contract(vendor, reference="EARN-NL-05", earn_back_months=1)
    report(contract, "2026-03", month_rows(sl="70", asa="35", abandon="9", aht="400"))
    report(contract, "2026-04", month_rows())
    evaluate(contract, "2026-03", "2026-04")

    april = current(contract, date(2026, 4, 1))
    amounts = {line["metric"]: line["amount"] for line in april.earn_back_lines}
    assert amounts == {
        "service_level": "-2769.23", "asa_seconds": "-2307.69",
        "abandonment_rate": "-3692.31", "aht_seconds": "-3230.77",
    }  # fmt: skip
    assert april.earn_back == D("-12000.00")


def test_the_month_page_and_the_api_name_the_credit_returned(vendor):
    contract = breached_in_march_met_april_to_june(vendor)

    detail = evaluation_detail(contract=contract, period=JUNE)

    assert detail["earn_back"] == D("-3600.00")
    assert detail["credit_net"] == D("-3600.00")
    assert detail["earn_back_lines"][0]["source_period"] == "2026-03"


def test_the_roi_counts_credits_net_of_earn_back(vendor):
    contract = breached_in_march_met_april_to_june(vendor)
    set_baseline(contract, "130000")

    roi = contract_roi(contract=contract, period_from=MARCH, period_to=JUNE)

    by_month = {m.period: m for m in roi.roi.months}
    assert by_month["2026-03"].credits == D("3600.00")
    assert by_month["2026-06"].credits == D("-3600.00")
    assert by_month["2026-06"].earn_back == D("-3600.00")
    # 100,000 - (-3,600) + 0 retained
    assert by_month["2026-06"].outsourced_cost == D("103600.00")
    assert roi.roi.totals.credits == D("0.00")
    assert roi.roi.totals.earn_back == D("-3600.00")


def test_deducted_after_cap_is_the_credit_when_no_cap_applied():
    assert deducted_after_cap(
        credit=D("3600.00"), credit_before_cap=D("6600.00"), credit_total=D("6600.00")
    ) == D("3600.00")


def test_fewer_later_months_than_k_earn_nothing():
    source = CreditSource(target_id=1, lineage_id=1, metric="service_level", channel="phone",
                          credit=D("3600.00"), waived=False, chronic=False)  # fmt: skip
    lines = earn_back_lines(
        months=3, source_period="2026-03", sources=[source], credit_before_cap=D("3600.00"),
        credit_total=D("3600.00"), later_met={1: [True, True]},
    )  # fmt: skip
    assert lines == ()


def test_the_sla_dashboard_and_month_page_show_the_earn_back_line(vendor, make_user):
    contract = breached_in_march_met_april_to_june(vendor)
    client = Client()
    client.force_login(make_user("manager"))

    grid = client.get(f"/contracts/{contract.pk}/sla/?from=2026-03&to=2026-06").content.decode()
    month = client.get(f"/contracts/{contract.pk}/sla/2026-06/").content.decode()

    assert 'data-testid="earn-back-row"' in grid and "of March 2026" in grid
    assert 'data-testid="earn-back-line"' in month and "2026-03" in month
    assert 'data-testid="credit-net"' in month
