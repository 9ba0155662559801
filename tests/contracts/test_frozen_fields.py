"""Frozen is refused, loudly: an awarded contract's vendor, proposal, currency and agreed terms
cannot be PATCHed (400 naming the field), read-only fields are never silently ignored, and a
contract past draft refuses every field by name (409). Before, a PATCH of `vendor` handed the
winner's contract, prices included, to a competitor."""

from datetime import date

import pytest

from contracts.models import Contract
from contracts.services.award import contract_award
from contracts.services.lifecycle import contract_activate
from tests.support.contracts import payload
from tests.support.vendors import closed_event_with_proposals, vendor_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def awarded(make_user):
    winner, loser = vendor_make("Winner BV"), vendor_make("Runner-up BV")
    event, (winning, losing) = closed_event_with_proposals(winner, loser)
    contract = contract_award(
        event=event, proposal_id=winning.pk, reference="WIN-NL-01",
        start_date=date(2027, 1, 1), user=make_user("procurement"),
    )  # fmt: skip
    return contract, winning, losing


def patch(client, contract, body):
    return client.patch(f"/api/v1/contracts/{contract.pk}/", body, format="json")


def test_an_awarded_contract_cannot_be_handed_to_another_vendor(api_as, make_user, awarded):
    contract, winning, losing = awarded
    response = patch(api_as(make_user("manager")), contract, {"vendor": losing.vendor_id})
    assert response.status_code == 400 and list(response.json()) == ["vendor"]
    assert "amendment" in response.json()["vendor"][0]
    assert Contract.objects.get(pk=contract.pk).vendor_id == winning.vendor_id
    # The competitor still cannot read the winner's terms; the winner still can.
    loser = api_as(make_user("vendor", vendor=losing.vendor))
    winner = api_as(make_user("vendor", vendor=winning.vendor))
    terms = f"/api/v1/contracts/{contract.pk}/terms/?month=2027-01"
    assert loser.get(terms).status_code == 404
    assert winner.get(terms).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"currency": "USD"},
        {"pricing": [{"channel": None, "model": "per_contact", "rate": "1.00"}]},
        {"one_off_fees": {"setup": "1.00", "training": "0", "project_management": "0"}},
        {"monthly_fees": []},
        {"minimum_monthly_charge": "1.00"},
        {"fte_hours": "150"},
        {"contracted_fte": {"phone": "1"}},
    ],
    ids=lambda body: next(iter(body)),
)
def test_an_awarded_contract_s_agreed_terms_are_refused_by_name(api_as, make_user, awarded, body):
    contract, _, _ = awarded
    before = api_as(make_user("manager")).get(f"/api/v1/contracts/{contract.pk}/").json()
    response = patch(api_as(make_user("manager")), contract, body)
    (field,) = body
    assert response.status_code == 400 and list(response.json()) == [field]
    after = api_as(make_user("manager")).get(f"/api/v1/contracts/{contract.pk}/").json()
    assert after == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("status", "terminated"), ("proposal", None), ("termination_reason", "x"), ("id", 999)],
)
def test_read_only_fields_sent_with_a_new_value_are_refused_not_ignored(
    api_as, make_user, awarded, field, value
):
    contract, _, losing = awarded
    value = losing.pk if field == "proposal" else value
    response = patch(api_as(make_user("manager")), contract, {field: value})
    assert response.status_code == 400 and list(response.json()) == [field]
    assert "read-only" in response.json()[field][0]


def test_an_unknown_field_is_refused_by_name(api_as, make_user, awarded):
    contract, _, _ = awarded
    response = patch(api_as(make_user("manager")), contract, {"vendorr": 3})
    assert response.status_code == 400 and response.json() == {"vendorr": ["Unknown field."]}


def test_what_was_read_can_be_sent_back_with_one_change(api_as, make_user, awarded):
    contract, _, _ = awarded
    client = api_as(make_user("manager"))
    body = client.get(f"/api/v1/contracts/{contract.pk}/").json()
    body["at_risk_percent"] = "10.00"
    body.pop("sla_targets")  # replaced as a list: their ids and dates are the server's
    body.pop("baseline")
    response = patch(client, contract, body)
    assert response.status_code == 200, response.json()
    assert response.json()["at_risk_percent"] == "10.00"


def test_an_awarded_draft_keeps_its_buyer_side_fields_editable(api_as, make_user, awarded):
    contract, _, _ = awarded
    body = {"at_risk_percent": "10", "retained_management_monthly": "999.00"}
    response = patch(api_as(make_user("manager")), contract, body)
    assert response.status_code == 200
    assert response.json()["retained_management_monthly"] == "999.00"


def test_a_direct_draft_contract_may_still_change_vendor_and_terms(api_as, make_user):
    first, second = vendor_make(), vendor_make()
    client = api_as(make_user("manager"))
    created = client.post("/api/v1/contracts/", payload(first), format="json").json()
    contract = Contract.objects.get(pk=created["id"])
    response = patch(client, contract, {"vendor": second.pk, "minimum_monthly_charge": "1.00"})
    assert response.status_code == 200
    assert (response.json()["vendor"], response.json()["minimum_monthly_charge"]) == (
        second.pk,
        "1.00",
    )


def test_an_active_contract_refuses_every_field_by_name_with_a_409(api_as, make_user, awarded):
    contract, _, _ = awarded
    contract_activate(contract=contract)
    response = patch(api_as(make_user("manager")), contract, {"at_risk_percent": "10"})
    assert response.status_code == 409
    assert "amendment" in response.json()["detail"] and "at_risk_percent" in response.json()


def test_a_status_sent_on_create_is_refused_not_ignored(api_as, make_user):
    body = payload(vendor_make(), status="active")
    response = api_as(make_user("manager")).post("/api/v1/contracts/", body, format="json")
    assert response.status_code == 400 and list(response.json()) == ["status"]
    assert not Contract.objects.exists()
