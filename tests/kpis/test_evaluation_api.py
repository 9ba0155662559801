"""`contracts/{id}/evaluations/`, `breaches/`, `contracts/{id}/roi/`: shapes and who sees what."""

from datetime import date

import pytest

from kpis.evaluation.service import contract_month_evaluate
from kpis.models import Breach
from tests.support.evaluation import make_contract, month_rows, report, set_baseline
from tests.support.factories import VendorFactory
from tests.support.jobs import run_waiver_reevaluations

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 1)
BUYERS = ["manager", "admin", "auditor", "procurement"]


@pytest.fixture
def contract(vendor):
    contract = make_contract(vendor, one_off_fees={"setup": "20000", "training": "5000",
                                                   "project_management": "0"})  # fmt: skip
    set_baseline(contract, "120000", {"service_level": "72.5", "csat": "80"})
    report(contract, "2026-03", month_rows(sl="70", asa="35"))
    contract_month_evaluate(contract=contract, period=MARCH)
    return contract


@pytest.fixture
def other(contract):
    other = make_contract(VendorFactory(), reference="OTHER-01")
    report(other, "2026-03", month_rows(sl="70"))
    contract_month_evaluate(contract=other, period=MARCH)
    return other


@pytest.fixture
def client_for(api_as, make_user, vendor):
    def make(role):
        return api_as(make_user(role, vendor=vendor if role == "vendor" else None))

    return make


def test_the_evaluation_of_a_month_in_api_md_shape_with_money_as_strings(client_for, contract):
    response = client_for("manager").get(
        f"/api/v1/contracts/{contract.pk}/evaluations/?period=2026-03"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["period"], body["charges"], body["at_risk_amount"], body["credit_total"]) == (
        "2026-03", "100000.00", "12000.00", "6600.00",
    )  # fmt: skip
    sl = next(t for t in body["targets"] if t["metric"] == "service_level")
    assert {k: sl[k] for k in ("metric", "channel", "actual", "status", "credit", "chronic")} == {
        "metric": "service_level", "channel": "phone", "actual": "70", "status": "breach",
        "credit": "3600.00", "chronic": False,
    }  # fmt: skip
    assert sl["target"] == contract.targets.get(metric="service_level").pk
    assert sl["breach_status"] == "open"
    csat = next(t for t in body["targets"] if t["metric"] == "csat")
    assert csat["channel"] is None and csat["credit"] == "0.00"
    assert (body["revision"], body["cap_adjustment"]) == (1, "0.00")
    assert [h["revision"] for h in body["history"]] == [1]
    assert body["pricing"]["lines"][0]["quantity"] == "10000"


def test_earlier_revisions_stay_readable(client_for, contract, manager_user):
    from kpis.evaluation.breaches import breach_waive

    breach = Breach.objects.get(contract=contract, target__metric="service_level")
    breach_waive(breach=breach, user=manager_user, reason="Our outage")
    run_waiver_reevaluations()
    client = client_for("auditor")
    url = f"/api/v1/contracts/{contract.pk}/evaluations/?period=2026-03"
    current, first = client.get(url).json(), client.get(url + "&revision=1").json()
    assert (current["revision"], current["credit_total"], current["credit_waived"]) == (
        2, "3000.00", "3600.00",
    )  # fmt: skip
    assert (first["revision"], first["credit_total"], first["is_current"]) == (1, "6600.00", False)
    assert [(h["revision"], h["trigger"]) for h in current["history"]] == [
        (2, "waiver"), (1, "command"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("", 400),
        ("?period=March", 400),
        ("?period=2026-05", 404),
        ("?period=2026-03&revision=9", 404),
    ],
)
def test_a_month_must_be_given_and_evaluated(client_for, contract, query, status):
    response = client_for("manager").get(f"/api/v1/contracts/{contract.pk}/evaluations/{query}")
    assert response.status_code == status


@pytest.mark.parametrize("role", [*BUYERS, "vendor"])
def test_every_role_reads_evaluations_and_breaches_of_contracts_it_may_see(
    client_for, contract, other, role
):
    client = client_for(role)
    own = client.get(f"/api/v1/contracts/{contract.pk}/evaluations/?period=2026-03")
    assert own.status_code == 200
    foreign = client.get(f"/api/v1/contracts/{other.pk}/evaluations/?period=2026-03")
    breaches = client.get("/api/v1/breaches/").json()
    if role == "vendor":  # its own contract only, and nothing of another vendor's
        assert foreign.status_code == 404
        assert {b["reference"] for b in breaches["results"]} == {"EVAL-NL-01"}
        other_breach = Breach.objects.get(contract=other)
        assert client.get(f"/api/v1/breaches/{other_breach.pk}/").status_code == 404
    else:
        assert foreign.status_code == 200
        assert {b["reference"] for b in breaches["results"]} == {"EVAL-NL-01", "OTHER-01"}


def test_breach_list_shape_and_filters(client_for, contract, other):
    client = client_for("manager")
    body = client.get(f"/api/v1/breaches/?contract={contract.pk}&period=2026-03&status=open")
    assert body.status_code == 200
    rows = body.json()["results"]
    assert sorted((b["metric"], b["credit"]) for b in rows) == [
        ("asa_seconds", "3000.00"), ("service_level", "3600.00"),
    ]  # fmt: skip
    assert set(rows[0]) >= {"id", "contract", "target", "period", "actual", "credit", "status",
                            "chronic", "decided_by", "reason"}  # fmt: skip
    assert rows[0]["period"] == "2026-03" and rows[0]["decided_by"] is None
    assert client.get("/api/v1/breaches/?status=waived").json()["count"] == 0
    assert client.get("/api/v1/breaches/?period=2026-04").json()["count"] == 0
    assert client.get("/api/v1/breaches/?period=April").status_code == 400


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_and_admins_acknowledge_and_waive_with_409_from_wrong_states(
    client_for, contract, role
):
    client = client_for(role)
    breach = Breach.objects.get(contract=contract, target__metric="service_level")
    url = f"/api/v1/breaches/{breach.pk}"
    acknowledged = client.post(f"{url}/acknowledge/", {}, format="json")
    assert acknowledged.status_code == 200 and acknowledged.json()["status"] == "acknowledged"
    assert client.post(f"{url}/acknowledge/", {}, format="json").status_code == 409
    assert client.post(f"{url}/waive/", {"reason": " "}, format="json").status_code == 400
    assert "reason" in client.post(f"{url}/waive/", {}, format="json").json()
    waived = client.post(f"{url}/waive/", {"reason": "Outage at our end"}, format="json")
    run_waiver_reevaluations()
    assert waived.status_code == 200, waived.content
    body = waived.json()
    assert (body["status"], body["reason"], body["credit"]) == (
        "waived", "Outage at our end", "3600.00",
    )  # fmt: skip
    assert body["decided_by"] and body["decided_at"]
    assert client.post(f"{url}/waive/", {"reason": "again"}, format="json").status_code == 409
    month = client.get(f"/api/v1/contracts/{contract.pk}/evaluations/?period=2026-03").json()
    assert month["credit_total"] == "3000.00"


@pytest.mark.parametrize("role", ["auditor", "procurement", "vendor"])
def test_other_roles_may_not_decide_on_breaches(client_for, contract, role):
    breach = Breach.objects.filter(contract=contract).first()
    client = client_for(role)
    for action in ("acknowledge", "waive"):
        response = client.post(f"/api/v1/breaches/{breach.pk}/{action}/", {"reason": "x"})
        assert response.status_code == 403
    breach.refresh_from_db()
    assert breach.status == "open"


def test_anonymous_users_get_401(api, contract):
    assert api.get("/api/v1/breaches/").status_code == 401
    assert api.get(f"/api/v1/contracts/{contract.pk}/roi/").status_code == 401
    assert (
        api.get(f"/api/v1/contracts/{contract.pk}/evaluations/?period=2026-03").status_code == 401
    )


@pytest.mark.parametrize("role", BUYERS)
def test_buyer_roles_read_the_roi(client_for, contract, role):
    response = client_for(role).get(f"/api/v1/contracts/{contract.pk}/roi/?from=2026-03&to=2026-03")
    assert response.status_code == 200, response.content
    body = response.json()
    # outsourced = 100,000 - 6,600 + 0 retained = 93,400; savings = 120,000 - 93,400 = 26,600
    assert body["months"] == [{
        "period": "2026-03", "inhouse": "120000.00", "charges": "100000.00",
        "credits": "6600.00", "retained": "0.00", "outsourced_cost": "93400.00",
        "savings": "26600.00", "cumulative_savings": "26600.00", "earn_back": "0.00",
    }]  # fmt: skip
    assert body["totals"] == {
        "inhouse": "120000.00", "charges": "100000.00", "credits": "6600.00", "retained": "0.00",
        "outsourced_cost": "93400.00", "savings": "26600.00", "one_off": "25000.00",
        "earn_back": "0.00",
    }  # fmt: skip
    assert (body["savings_percent"], body["roi_percent"], body["payback_period"]) == (
        "22.17", "6.40", "2026-03",
    )  # fmt: skip
    assert (body["from"], body["to"]) == ("2026-03", "2026-03")
    deltas = {d["metric"]: d for d in body["kpi_deltas"]}
    assert deltas["service_level"]["actual"] == "70.00"
    assert deltas["service_level"]["change"] == "worse"


def test_vendors_get_no_roi_not_even_for_their_own_contract(client_for, contract):
    assert client_for("vendor").get(f"/api/v1/contracts/{contract.pk}/roi/").status_code == 404


def test_roi_without_a_baseline_is_a_conflict_and_bad_months_are_400(client_for, other):
    client = client_for("manager")
    assert client.get(f"/api/v1/contracts/{other.pk}/roi/").status_code == 409
    assert client.get(f"/api/v1/contracts/{other.pk}/roi/?from=2026-13").status_code == 400


def test_an_roi_range_backwards_is_400(client_for, contract):
    response = client_for("manager").get(
        f"/api/v1/contracts/{contract.pk}/roi/?from=2026-05&to=2026-03"
    )
    assert response.status_code == 400
