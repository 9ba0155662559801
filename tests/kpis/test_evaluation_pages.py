"""The SLA dashboard, the month page, the breach list with decisions, the ROI page, home panels."""

from datetime import date

import pytest
from django.test import Client

from kpis.models import Breach
from tests.support.evaluation import evaluate, make_contract, month_rows, report
from tests.support.factories import VendorFactory
from tests.support.jobs import run_waiver_reevaluations

pytestmark = pytest.mark.django_db


@pytest.fixture
def browse(make_user, vendor):
    def make(role, **kwargs):
        client = Client()
        if role == "vendor":
            kwargs.setdefault("vendor", vendor)
        client.force_login(make_user(role, **kwargs))
        return client

    return make


def test_the_dashboard_shows_statuses_credits_chronic_flags_findings_and_trends(browse, contract):
    response = browse("manager").get(f"/contracts/{contract.pk}/sla/?from=2026-01&to=2026-04")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="grid-row"') == 5
    assert html.count('data-status="breach"') == 3
    assert html.count('data-status="missing"') == 5  # April: nothing reported
    assert "⚑" in html and "in breach in 3 or more of the last 6 months" in html
    assert "3,600.00" in html  # the credit of each breached month
    assert "did not report" in html  # missing reports are findings
    assert html.count('data-testid="trend-chart"') == 5
    assert "<svg" in html and "Expected" in html and "Minimum" in html
    assert f'href="/contracts/{contract.pk}/roi/"' in html


def test_the_dashboard_without_evaluations_says_so(browse, vendor):
    contract = make_contract(vendor, reference="NEW-01")
    response = browse("manager").get(f"/contracts/{contract.pk}/sla/")
    assert response.status_code == 200
    assert 'data-testid="sla-empty"' in response.content.decode()


def test_a_backwards_range_is_an_inline_error(browse, contract):
    response = browse("manager").get(f"/contracts/{contract.pk}/sla/?from=2026-05&to=2026-01")
    assert response.status_code == 400
    assert "must start before it ends" in response.content.decode()


def test_the_month_page_shows_the_workings_and_revisions(browse, contract):
    response = browse("auditor").get(f"/contracts/{contract.pk}/sla/2026-03/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="credit-total">€3,600.00' in html
    assert "per contact" in html and "per_contact" not in html and "10,000" in html
    assert "r1" in html and "#" in html
    assert browse("auditor").get(f"/contracts/{contract.pk}/sla/2025-03/").status_code == 200
    assert browse("auditor").get(f"/contracts/{contract.pk}/sla/March/").status_code == 404


def test_the_roi_page_shows_the_payback_month_and_percentages(browse, contract):
    response = browse("manager").get(f"/contracts/{contract.pk}/roi/?from=2026-01&to=2026-03")
    assert response.status_code == 200
    html = response.content.decode()
    # Savings 130,000 - (100,000 - 3,600) = 33,600 a month: 67,200 by February passes 50,000.
    assert 'data-testid="payback">February 2026<' in html
    assert 'data-testid="payback-row"' in html
    assert 'data-testid="roi-percent">101.60%' in html  # (100,800 - 50,000) / 50,000
    assert 'data-testid="roi-chart"' in html and "One-off fees" in html
    assert 'data-testid="kpi-deltas"' in html


def test_the_roi_page_without_a_baseline_has_an_empty_state(browse, vendor):
    contract = make_contract(vendor, reference="NOBASE-01")
    html = browse("manager").get(f"/contracts/{contract.pk}/roi/").content.decode()
    assert 'data-testid="roi-unavailable"' in html and "Enter the baseline" in html


@pytest.mark.parametrize("role", ["manager", "admin", "auditor", "procurement"])
def test_buyer_roles_see_every_page(browse, contract, role):
    client = browse(role)
    for url in (f"/contracts/{contract.pk}/sla/", f"/contracts/{contract.pk}/roi/", "/breaches/"):
        assert client.get(url).status_code == 200, url
    detail = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert 'data-testid="link-sla"' in detail and 'data-testid="link-roi"' in detail


def test_vendors_see_their_own_dashboard_and_breaches_but_no_roi(browse, contract):
    other = make_contract(VendorFactory(), reference="OTHER-01")
    report(other, "2026-03", month_rows(sl="70"))
    evaluate(other, "2026-03")
    client = browse("vendor")
    assert client.get(f"/contracts/{contract.pk}/sla/").status_code == 200
    assert client.get(f"/contracts/{other.pk}/sla/").status_code == 404
    assert client.get(f"/contracts/{contract.pk}/roi/").status_code == 404
    listed = client.get("/breaches/").content.decode()
    assert "EVAL-NL-01" in listed and "OTHER-01" not in listed
    assert "Waive credit" not in listed
    breach = Breach.objects.filter(contract=contract).first()
    decision = {"action": "waive", "reason": "x"}
    assert client.post(f"/breaches/{breach.pk}/decide/", decision).status_code == 403
    detail = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert 'data-testid="link-sla"' in detail and 'data-testid="link-roi"' not in detail


def test_the_breach_list_filters_like_the_api(browse, contract):
    client = browse("manager")
    html = client.get(f"/breaches/?contract={contract.pk}&period=2026-02").content.decode()
    assert html.count('data-testid="breach-row"') == 1
    empty = client.get("/breaches/?status=waived").content.decode()
    assert 'data-testid="breaches-empty"' in empty


def test_waiving_in_place_needs_a_reason_shown_inline_then_waives(browse, contract):
    client = browse("manager")
    breach = Breach.objects.get(contract=contract, period=date(2026, 3, 1))
    url = f"/breaches/{breach.pk}/decide/"
    htmx = {"HTTP_HX_REQUEST": "true"}

    refused = client.post(url, {"action": "waive", "reason": ""}, **htmx)
    assert refused.status_code == 200
    assert 'data-testid="reason-error"' in refused.content.decode()
    breach.refresh_from_db()
    assert breach.status == "open"

    done = client.post(url, {"action": "waive", "reason": "Our IVR was down"}, **htmx)
    run_waiver_reevaluations()
    html = done.content.decode()
    assert done.status_code == 200 and html.startswith(f'<tr id="breach-{breach.pk}"')
    assert "Waived" in html and "Our IVR was down" in html and "<s " in html
    breach.refresh_from_db()
    assert breach.status == "waived"


def test_a_plain_form_post_comes_back_to_the_list(browse, contract):
    client = browse("manager")
    breach = Breach.objects.get(contract=contract, period=date(2026, 2, 1))
    url = f"/breaches/{breach.pk}/decide/"
    bad = client.post(url, {"action": "waive", "reason": " ", "next": "/breaches/?period=2026-02"})
    assert bad.status_code == 400 and "Say why the credit is waived." in bad.content.decode()
    ok = client.post(url, {"action": "acknowledge", "next": "/breaches/?period=2026-02"})
    assert (ok.status_code, ok["Location"]) == (302, "/breaches/?period=2026-02")
    again = client.post(url, {"action": "acknowledge", "next": "https://evil.example/"})
    assert (
        again.status_code == 400 and "acknowledged cannot be acknowledged" in again.content.decode()
    )


def test_auditors_cannot_decide(browse, contract):
    client = browse("auditor")
    breach = Breach.objects.filter(contract=contract).first()
    assert "Waive credit" not in client.get("/breaches/").content.decode()
    assert (
        client.post(f"/breaches/{breach.pk}/decide/", {"action": "acknowledge"}).status_code == 403
    )


def test_the_manager_home_shows_new_breaches_and_chronic_flags(browse, contract):
    html = browse("manager").get("/").content.decode()
    assert 'data-testid="new-breaches"' in html and "EVAL-NL-01" in html
    assert 'data-testid="chronic-flags"' in html and "March 2026" in html


def test_the_manager_home_without_breaches_has_empty_states(browse, db):
    html = browse("manager").get("/").content.decode()
    assert "No open breaches" in html and "No target is chronic." in html
