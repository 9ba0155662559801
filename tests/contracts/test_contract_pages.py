"""Contract pages: list with filters and empty state, detail, forms that use the domain rules."""

from decimal import Decimal

import pytest

from contracts.models import Contract
from tests.support.contracts import payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(api_as, manager_user, vendor):
    response = api_as(manager_user).post("/api/v1/contracts/", payload(vendor), format="json")
    return Contract.objects.get(pk=response.json()["id"])


def test_the_list_shows_an_empty_state(client, manager_user):
    client.force_login(manager_user)
    assert "No contracts match" in client.get("/contracts/").content.decode()


def test_the_list_filters_by_status(client, manager_user, contract):
    client.force_login(manager_user)
    assert contract.reference in client.get("/contracts/?status=draft").content.decode()
    assert contract.reference not in client.get("/contracts/?status=active").content.decode()


def test_the_detail_shows_terms_targets_and_the_baseline_part_by_part(
    client, manager_user, contract
):
    client.force_login(manager_user)
    page = client.get(f"/contracts/{contract.pk}/?month=2026-03").content.decode()
    assert "Terms for March 2026" in page and "as signed" in page
    assert "€59,750.00" in page and "Absence cover" in page  # amounts are grouped
    assert "Service level" in page and "key measurement" in page


def test_a_vendor_sees_its_contract_but_not_the_baseline(client, make_user, vendor, contract):
    client.force_login(make_user("vendor", vendor=vendor))
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert contract.reference in page and "59750" not in page and "Retained" not in page


def test_manager_creates_a_direct_contract_through_the_form(client, manager_user, vendor):
    client.force_login(manager_user)
    form = {
        "reference": "FORM-01", "vendor": vendor.pk, "currency": "eur",
        "start_date": "2026-01-01", "end_date": "2026-12-31", "minimum_monthly_charge": "0",
        "at_risk_percent": "12", "pool_percent": "150", "retained_management_monthly": "0",
        "fte_hours": "160",
        "price-TOTAL_FORMS": "1", "price-INITIAL_FORMS": "0",
        "price-0-channel": "phone", "price-0-model": "per_contact", "price-0-rate": "4.50",
        "fee-TOTAL_FORMS": "1", "fee-INITIAL_FORMS": "0",
        "oneoff-setup": "0", "oneoff-training": "0", "oneoff-project_management": "0",
        "target-TOTAL_FORMS": "1", "target-INITIAL_FORMS": "0",
        "target-0-metric": "service_level", "target-0-channel": "phone",
        "target-0-expected": "80", "target-0-minimum": "70", "target-0-critical": "on",
        "target-0-allocation_percent": "200",
    }  # fmt: skip
    refused = client.post("/contracts/new/", form)
    assert refused.status_code == 200 and "more than the pool" in refused.content.decode()
    form["target-0-allocation_percent"] = "40"
    created = client.post("/contracts/new/", form)
    contract = Contract.objects.get(reference="FORM-01")
    assert created.status_code == 302 and contract.currency == "EUR"
    (price,) = contract.pricing
    assert (price["channel"], price["model"], Decimal(price["rate"])) == (
        "phone", "per_contact", Decimal("4.5")
    )  # fmt: skip


def test_activate_amend_and_see_the_terms_in_force(client, manager_user, contract):
    client.force_login(manager_user)
    client.post(f"/contracts/{contract.pk}/activate/")
    sl = contract.targets.get(metric="service_level")
    response = client.post(
        f"/contracts/{contract.pk}/amend/",
        {"effective_month": "2026-09", "reason": "New minimum", "minimum_monthly_charge": "",
         "fee-TOTAL_FORMS": "0", "fee-INITIAL_FORMS": "0",
         f"target-{sl.pk}-minimum": "77"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    august = client.get(f"/contracts/{contract.pk}/?month=2026-08").content.decode()
    september = client.get(f"/contracts/{contract.pk}/?month=2026-09").content.decode()
    assert "as signed" in august and "including amendments" in september
    assert ">min 77%<" in september and ">min 75%<" in august


def test_baseline_form_needs_an_amount_or_every_part(client, manager_user, contract):
    client.force_login(manager_user)
    bad = client.post(f"/contracts/{contract.pk}/baseline/", {"fte": "3"})
    assert "Required when the baseline is built from parts" in bad.content.decode()
    client.post(f"/contracts/{contract.pk}/baseline/", {"monthly_amount": "61000"})
    contract.refresh_from_db()
    assert str(contract.baseline.monthly_amount) == "61000.00"


@pytest.mark.parametrize("role", ["auditor", "procurement", "vendor"])
def test_only_managers_reach_the_contract_forms(client, make_user, vendor, contract, role):
    user = make_user(role, vendor=vendor if role == "vendor" else None)
    client.force_login(user)
    assert client.get("/contracts/new/").status_code == 403
    assert client.post(f"/contracts/{contract.pk}/activate/").status_code == 403


def test_terminating_needs_a_reason(client, manager_user, contract):
    client.force_login(manager_user)
    client.post(f"/contracts/{contract.pk}/activate/")
    client.post(f"/contracts/{contract.pk}/terminate/", {"date": "2026-05-31", "reason": ""})
    contract.refresh_from_db()
    assert contract.status == "active"
    client.post(f"/contracts/{contract.pk}/terminate/", {"date": "2026-05-31", "reason": "Moved"})
    contract.refresh_from_db()
    assert contract.status == "terminated"
