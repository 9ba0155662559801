"""Direct contracts: terms, SLA targets, baseline, lifecycle, amendments and who may do what."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.support.contracts import payload
from tests.support.factories import VendorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(api_as, manager_user):
    return api_as(manager_user)


@pytest.fixture
def contract(manager, vendor):
    response = manager.post("/api/v1/contracts/", payload(vendor), format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_manager_creates_a_direct_contract_with_targets_and_a_fully_loaded_baseline(contract):
    assert contract["status"] == "draft"
    assert contract["baseline"]["computed_monthly_amount"] == "59750.00"
    labels = [line["label"] for line in contract["baseline"]["lines"]]
    assert "Absence cover" in labels and len(labels) == 8
    assert sum(Decimal(line["amount"]) for line in contract["baseline"]["lines"]) == Decimal(
        "59750.00"
    )
    assert [t["metric"] for t in contract["sla_targets"]] == [
        "asa_seconds", "csat", "service_level"
    ]  # fmt: skip
    assert contract["pricing"][0]["rate"] == "35.0000"


def test_allocations_of_critical_targets_may_not_exceed_the_pool(manager, vendor):
    body = payload(vendor, pool_percent="50")
    response = manager.post("/api/v1/contracts/", body, format="json")
    assert response.status_code == 400
    assert "more than the pool of 50" in str(response.json()["sla_targets"])


@pytest.mark.parametrize(
    ("metric", "expected", "minimum"),
    [("service_level", "80", "85"), ("asa_seconds", "20", "10")],
)
def test_a_minimum_stricter_than_expected_is_refused(manager, vendor, metric, expected, minimum):
    target = {"metric": metric, "channel": "phone", "expected": expected, "minimum": minimum,
              "critical": True, "allocation_percent": "10"}  # fmt: skip
    response = manager.post(
        "/api/v1/contracts/", payload(vendor, sla_targets=[target]), format="json"
    )
    assert response.status_code == 400
    assert "stricter than expected" in str(response.json()["sla_targets[0].minimum"])


def test_a_key_measurement_carries_no_allocation(manager, vendor):
    target = {"metric": "csat", "expected": "85", "minimum": "80", "critical": False,
              "allocation_percent": "10"}  # fmt: skip
    response = manager.post(
        "/api/v1/contracts/", payload(vendor, sla_targets=[target]), format="json"
    )
    assert response.status_code == 400
    assert "sla_targets[0].allocation_percent" in response.json()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("at_risk_percent", "120"),
        ("currency", "XXY"),
        ("reference", "bad ref"),
        ("minimum_monthly_charge", "-1"),
        ("pricing", [{"channel": "fax", "model": "per_contact", "rate": "1"}]),
        ("pricing", [{"channel": "phone", "model": "per_contact", "rate": "abc"}]),
        ("end_date", "2025-01-01"),
    ],
)
def test_bad_input_is_a_field_error_never_a_500(manager, vendor, field, value):
    response = manager.post("/api/v1/contracts/", payload(vendor, **{field: value}), format="json")
    assert response.status_code == 400, response.content
    assert any(key.startswith(field) for key in response.json()) or "end_date" in str(
        response.json()
    )


def test_a_baseline_with_both_an_amount_and_parts_is_refused(manager, vendor):
    baseline = {**payload(vendor)["baseline"], "monthly_amount": "50000"}
    response = manager.post("/api/v1/contracts/", payload(vendor, baseline=baseline), format="json")
    assert response.status_code == 400
    assert "not both" in str(response.json())


def test_lifecycle_draft_active_terminated_with_409_from_wrong_states(manager, contract):
    url = f"/api/v1/contracts/{contract['id']}"
    assert manager.post(f"{url}/activate/").json()["status"] == "active"
    assert manager.post(f"{url}/activate/").status_code == 409
    assert (
        manager.patch(f"{url}/", {"minimum_monthly_charge": "1"}, format="json").status_code == 409
    )
    bad = manager.post(f"{url}/terminate/", {"date": "2026-06-30", "reason": " "}, format="json")
    assert bad.status_code == 400
    done = manager.post(
        f"{url}/terminate/", {"date": "2026-06-30", "reason": "Chronic SL failure"}, format="json"
    )
    assert done.json()["status"] == "terminated"
    assert done.json()["termination_reason"] == "Chronic SL failure"
    assert (
        manager.post(f"{url}/terminate/", {"date": "2026-07-01", "reason": "x"}).status_code == 409
    )


def test_a_draft_can_be_edited_and_its_targets_replaced(manager, contract):
    url = f"/api/v1/contracts/{contract['id']}/"
    response = manager.patch(url, {"minimum_monthly_charge": "25000.00"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["minimum_monthly_charge"] == "25000.00"
    assert len(response.json()["sla_targets"]) == 3


def test_an_active_contract_past_its_end_date_is_expired_and_filters_as_such(manager, vendor):
    past = payload(vendor, reference="OLD-01", start_date="2024-01-01", end_date="2024-12-31")
    created = manager.post("/api/v1/contracts/", past, format="json").json()
    assert manager.post(f"/api/v1/contracts/{created['id']}/activate/").json()["status"] == (
        "expired"
    )
    listed = manager.get("/api/v1/contracts/?status=expired").json()
    assert [c["reference"] for c in listed["results"]] == ["OLD-01"]
    assert manager.get("/api/v1/contracts/?status=active").json()["count"] == 0


def test_an_amendment_changes_fees_and_targets_from_its_effective_month(manager, contract):
    url = f"/api/v1/contracts/{contract['id']}"
    manager.post(f"{url}/activate/")
    sl = next(t for t in contract["sla_targets"] if t["metric"] == "service_level")
    response = manager.post(
        f"{url}/amendments/",
        {
            "effective_month": "2026-07",
            "reason": "Renegotiated after volume growth",
            "changes": {
                "monthly_fees": [{"name": "Account management", "amount": "1800.00"}],
                "targets": {"change": [{"id": sl["id"], "minimum": "78"}]},
            },
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    june = manager.get(f"{url}/terms/?month=2026-06").json()
    july = manager.get(f"{url}/terms/?month=2026-07").json()
    assert june["monthly_fees"][0]["amount"] == "1500.00"
    assert july["monthly_fees"][0]["amount"] == "1800.00"
    june_sl = next(t for t in june["targets"] if t["metric"] == "service_level")
    july_sl = next(t for t in july["targets"] if t["metric"] == "service_level")
    assert (june_sl["minimum"], july_sl["minimum"]) == ("75.0000", "78.0000")
    assert june_sl["id"] == sl["id"] != july_sl["id"]
    assert july["amendments"] == [response.json()["id"]] and june["amendments"] == []


def test_an_amendment_may_not_break_the_pool_or_take_effect_before_an_earlier_one(
    manager, contract
):
    url = f"/api/v1/contracts/{contract['id']}"
    manager.post(f"{url}/activate/")
    too_much = {
        "metric": "fcr_rate",
        "expected": "70",
        "minimum": "60",
        "allocation_percent": "100",
    }
    response = manager.post(
        f"{url}/amendments/",
        {
            "effective_month": "2026-05",
            "reason": "more",
            "changes": {"targets": {"add": [too_much]}},
        },
        format="json",
    )
    assert response.status_code == 400 and "pool" in str(response.json())
    ok = {
        "effective_month": "2026-05",
        "reason": "fees",
        "changes": {"minimum_monthly_charge": "1"},
    }
    assert manager.post(f"{url}/amendments/", ok, format="json").status_code == 201
    early = {**ok, "effective_month": "2026-03"}
    assert manager.post(f"{url}/amendments/", early, format="json").status_code == 400


def test_amending_a_draft_is_a_conflict(manager, contract):
    body = {"effective_month": "2026-05", "reason": "x", "changes": {"minimum_monthly_charge": "1"}}
    response = manager.post(f"/api/v1/contracts/{contract['id']}/amendments/", body, format="json")
    assert response.status_code == 409


def test_terms_for_month_needs_a_month(manager, contract):
    response = manager.get(f"/api/v1/contracts/{contract['id']}/terms/?month=July")
    assert response.status_code == 400 and "month" in response.json()


def test_vendor_users_see_their_own_contract_without_the_buyers_internal_figures(
    api_as, make_user, contract, vendor
):
    own = api_as(make_user("vendor", vendor=vendor))
    other = api_as(make_user("vendor", vendor=VendorFactory()))
    body = own.get(f"/api/v1/contracts/{contract['id']}/").json()
    assert body["reference"] == "ACME-NL-01"
    assert body["baseline"] is None and body["retained_management_monthly"] is None
    assert "59750" not in own.get("/api/v1/contracts/").content.decode()
    assert other.get(f"/api/v1/contracts/{contract['id']}/").status_code == 404
    assert other.get("/api/v1/contracts/").json()["count"] == 0
    assert own.post("/api/v1/contracts/", {}, format="json").status_code == 403


@pytest.mark.parametrize("role", ["auditor", "procurement"])
def test_auditors_and_procurement_read_but_do_not_write_contracts(
    api_as, make_user, contract, role
):
    client = api_as(make_user(role))
    assert client.get(f"/api/v1/contracts/{contract['id']}/").status_code == 200
    assert client.post(f"/api/v1/contracts/{contract['id']}/activate/").status_code == 403


def test_anonymous_users_get_401(api, contract):
    assert api.get("/api/v1/contracts/").status_code == 401


def test_contract_history_records_every_change(manager, contract):
    from contracts.models import Contract

    manager.patch(f"/api/v1/contracts/{contract['id']}/", {"at_risk_percent": "10"}, format="json")
    history = Contract.objects.get(pk=contract["id"]).history.order_by("history_date")
    assert [h.at_risk_percent for h in history] == [Decimal("12.00"), Decimal("10.00")]
    assert history.last().history_user is not None


def test_termination_date_must_lie_within_the_term(manager, contract):
    url = f"/api/v1/contracts/{contract['id']}"
    manager.post(f"{url}/activate/")
    late = (date(2027, 12, 31) + timedelta(days=1)).isoformat()
    response = manager.post(f"{url}/terminate/", {"date": late, "reason": "x"}, format="json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "changes",
    [
        {"targets": [1, 2]},
        {"targets": {"change": [{"id": "x"}]}},
        {"targets": {"change": [{"id": 999999, "minimum": "1"}]}},
        {"targets": {"add": [{"metric": "csat", "expected": "abc", "minimum": "1"}]}},
        {"targets": {"add": [{"metric": "csat"}]}},
        {"monthly_fees": [{"name": "x", "amount": "-5"}]},
        {"colour": "blue"},
    ],
)
def test_malformed_amendments_are_400s(manager, contract, changes):
    url = f"/api/v1/contracts/{contract['id']}"
    manager.post(f"{url}/activate/")
    body = {"effective_month": "2026-05", "reason": "x", "changes": changes}
    response = manager.post(f"{url}/amendments/", body, format="json")
    assert response.status_code == 400, response.content


def test_a_contract_without_monthly_or_one_off_fees_is_fine(manager, vendor):
    body = payload(vendor, monthly_fees=[], reference="NOFEES-01")
    del body["one_off_fees"]
    response = manager.post("/api/v1/contracts/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["monthly_fees"] == []
