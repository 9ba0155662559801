"""A contract awarded from a hybrid scoped by bands and months is priced from its KPIs.

Hand-worked (docs/volume-profiles.md, "Contracts from scoped hybrids"): phone, 10,000 calls a
month, AHT 300 s, 80/20, bands day (176 h, share 0.8) and night (150 h, share 0.2), November and
December 1.25, the other months 0.95. The bid: dedicated EUR 40 per production hour by day in
November and December, EUR 3 per contact by day the rest of the year and at night all year.

Staffing frozen at award, November (12,500 calls): day 10,000 calls in 176 h is DOMAIN.md's
reference check, N = 8; night 2,500 calls in 150 h is A = 1.3889 Erlangs, N = 2 gives SL 45 %,
N = 3 gives SL 82 % (Erlang B 0.11751, C 0.19868, SL = 1 - 0.19868 x exp(-1.6111 x 20 / 300)),
so N = 3. Day hours 8 x 176 = 1408, night 3 x 150 = 450: day's share of hours 1408 / 1858.

November actuals: 12,000 contacts, 60,000 minutes, 1,900 production hours.
  day hours = 1900 x 1408 / 1858; x EUR 40 = 57,593.11
  night contacts = 12,000 x 0.2 = 2,400; x EUR 3 = 7,200.00
  + fixed fee 1,000.00 = 65,793.11
March actuals: 9,000 contacts (1,500 production hours bill nothing: March is blended):
  day 7,200 x 3 + night 1,800 x 3 = 27,000.00; + 1,000.00 = 28,000.00
"""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from contracts.models import Contract
from kpis.models.evaluation import Evaluation
from kpis.roi.service import contract_roi
from reports.models import Report
from reports.services.rendering import report_render, report_request
from tests.support.evaluation import evaluate, report, set_baseline
from tests.support.openapi import check
from tests.support.reports import pdf_text
from tests.support.scoped_hybrid import MARCH, NOVEMBER, PHONE, awarded, cents, month

pytestmark = pytest.mark.django_db
D = Decimal


def test_the_award_freezes_the_bands_and_the_forecast_agents(make_user):
    contract = awarded(make_user)
    split = contract.band_split["phone"]
    assert [b["name"] for b in split["bands"]] == ["day", "night"]
    assert split["agents"]["11"] == [8, 3]  # the hand-worked November staffing
    assert D(split["months"][10]) == D("1.25")


def test_a_scoped_hybrid_contract_is_priced_month_by_month_by_band(make_user):
    assert D("65793.11") == NOVEMBER
    contract = awarded(make_user)
    report(contract, "2026-03", month(contract, "9000", "45000", "1500"))
    report(contract, "2026-11", month(contract, "12000", "60000", "1900", sl="70"))
    evaluate(contract, "2026-03", "2026-11")
    march = Evaluation.objects.get(contract=contract, period=date(2026, 3, 1), is_current=True)
    november = Evaluation.objects.get(contract=contract, period=date(2026, 11, 1), is_current=True)
    assert march.findings == [] and november.findings == []
    assert march.charges == MARCH
    assert november.charges == NOVEMBER
    lines = {(tuple(x["bands"]), x["model"]): x for x in november.pricing["lines"]}
    assert set(lines) == {(("day",), "per_production_hour"), (("night",), "per_contact")}
    assert D(lines[("night",), "per_contact"]["quantity"]) == 2400
    day = next(b for b in november.pricing["band_usage"] if b["band"] == "day")
    assert (day["agents"], D(day["forecast_hours"])) == (8, 1408)
    assert round(D(day["production_hours"]), 20) == round(D(1900) * 1408 / 1858, 20)
    assert all(x["model"] == "per_contact" for x in march.pricing["lines"])
    # The November breach (70 < 75) costs 50 % of the 12 % at risk.
    assert november.credit_total == cents(NOVEMBER * D("0.12") * D("0.5"))


def test_the_roi_counts_the_same_charges_as_the_evaluation(make_user):
    contract = awarded(make_user)
    set_baseline(contract, "90000")
    report(contract, "2026-03", month(contract, "9000", "45000", "1500"))
    report(contract, "2026-11", month(contract, "12000", "60000", "1900", sl="70"))
    evaluate(contract, "2026-03", "2026-11")
    roi = contract_roi(contract=contract, period_from=date(2026, 3, 1), period_to=date(2026, 11, 1))
    charges = {m.period: m.charges for m in roi.roi.months}
    assert charges == {"2026-03": MARCH, "2026-11": NOVEMBER}
    credit = cents(NOVEMBER * D("0.12") * D("0.5"))
    assert roi.roi.totals.outsourced_cost == MARCH + NOVEMBER - credit


def test_later_event_edits_do_not_change_the_contract(make_user):
    contract = awarded(make_user)
    event = contract.proposal.event
    channels = [{**PHONE, "profile": {**PHONE["profile"], "bands": [
        {"name": "day", "hours": "176", "share": "0.5"},
        {"name": "night", "hours": "150", "share": "0.5"},
    ]}}]  # fmt: skip
    type(event).objects.filter(pk=event.pk).update(channels=channels)
    report(contract, "2026-03", month(contract, "9000", "45000", "1500"))
    evaluate(contract, "2026-03")
    march = Evaluation.objects.get(contract=contract, period=date(2026, 3, 1), is_current=True)
    assert march.charges == MARCH


def test_a_contract_without_a_band_split_names_the_problem(make_user):
    contract = awarded(make_user)
    Contract.objects.filter(pk=contract.pk).update(band_split={})
    contract.refresh_from_db()
    report(contract, "2026-03", month(contract, "9000", "45000", "1500"))
    evaluate(contract, "2026-03")
    march = Evaluation.objects.get(contract=contract, period=date(2026, 3, 1), is_current=True)
    assert march.charges is None
    (finding,) = [f for f in march.findings if f["code"] == "pricing_failed"]
    assert "day" in finding["message"] and "night" in finding["message"]


def test_the_sla_page_and_report_explain_the_split_by_band(make_user):
    contract = awarded(make_user)
    report(contract, "2026-11", month(contract, "12000", "60000", "1900"))
    evaluate(contract, "2026-11")
    manager = make_user("manager")
    client = Client()
    client.force_login(manager)
    page = client.get(f"/contracts/{contract.pk}/sla/2026-11/").content.decode()
    assert "Usage split by time band" in page and "8 x 176" in page
    assert "65,793.11" in page or "65793.11" in page
    pdf = report_request(
        kind="sla", parameters={"contract": str(contract.pk), "period": "2026-11"}, user=manager
    )
    report_render(report_id=pdf.pk)
    pdf.refresh_from_db()
    assert pdf.status == Report.Status.DONE, pdf.error
    text = pdf_text(pdf.file.read())
    assert "Usage split by time band" in text and "8 x 176" in text and "65,793.11" in text


def test_the_contract_api_shows_the_scopes_and_the_frozen_split(make_user, api_as, openapi):
    contract = awarded(make_user)
    client = api_as(make_user("auditor"))
    response = client.get(f"/api/v1/contracts/{contract.pk}/")
    check(openapi, "get", f"/api/v1/contracts/{contract.pk}/", response)
    components = response.json()["pricing"][0]["components"]
    assert [(c["bands"], c["months"], c["share"]) for c in components] == [
        (["day"], [11, 12], None),
        (["day"], list(range(1, 11)), None),
        (["night"], [], None),
    ]
    assert response.json()["band_split"]["phone"]["agents"]["11"] == [8, 3]
