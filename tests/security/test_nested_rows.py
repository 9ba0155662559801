"""Unknown keys inside nested objects and rows are refused by path, never silently dropped
(issue #21, "Frozen means refused, loudly"): `pricing[0].foo`, `channels[0].foo`, `weights.foo`
answer 400 in DRF's nested shape (`{"pricing": {"0": {"foo": [...]}}}`). Read-only keys of a row
sent back as read (a contract's `sla_targets[].id`, its baseline's computed lines) stay
accepted; an id naming no row is refused.
"""

from typing import Any

import pytest
from rest_framework import serializers

from accounts.api.serializers import UserSerializer
from accounts.api.tokens import AuthTokenSerializer
from contracts.api.serializers import (
    AmendmentSerializer,
    AwardSerializer,
    ContractSerializer,
    TerminateSerializer,
)
from contracts.models import Contract
from core.serializers import RefuseDroppedInputMixin
from kpis.api.evaluation_serializers import DecisionSerializer, WaiveSerializer
from kpis.api.serializers import UploadRequestSerializer
from reports.api.serializers import ReportRequestSerializer
from tests.support.contracts import payload as contract_payload
from tests.support.vendors import event_make, event_payload, proposal_values, vendor_make
from vendors.api.serializers import (
    EventSerializer,
    ProposalCreateSerializer,
    ProposalInputSerializer,
    ProposalRatingSerializer,
    VendorSerializer,
)

pytestmark = pytest.mark.django_db

UNKNOWN = ["Unknown field."]

# Every serializer a view reads a request body with.
REQUEST_SERIALIZERS = [
    EventSerializer, ProposalCreateSerializer, ProposalInputSerializer, ProposalRatingSerializer,
    VendorSerializer, ContractSerializer, TerminateSerializer, AmendmentSerializer,
    AwardSerializer, UserSerializer, AuthTokenSerializer, UploadRequestSerializer,
    ReportRequestSerializer, DecisionSerializer, WaiveSerializer,
]  # fmt: skip


def _nested(serializer: serializers.BaseSerializer, path: str) -> list[tuple[str, Any]]:
    """Every writable nested serializer under `serializer`, with its path."""
    found = []
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ListSerializer):
            found.append((f"{path}.{name}[]", field.child))
            found += _nested(field.child, f"{path}.{name}[]")
        elif isinstance(field, serializers.BaseSerializer):
            found.append((f"{path}.{name}", field))
            found += _nested(field, f"{path}.{name}")
    return found


@pytest.mark.parametrize("cls", REQUEST_SERIALIZERS, ids=lambda cls: cls.__name__)
def test_every_request_serializer_and_every_row_inside_it_refuses_what_it_drops(cls):
    assert issubclass(cls, RefuseDroppedInputMixin), cls
    for path, nested in _nested(cls(), cls.__name__):
        assert isinstance(nested, RefuseDroppedInputMixin), path


# Events --------------------------------------------------------------------------------------


def _event_body(**changes) -> dict:
    body = event_payload()
    body.update(changes)
    return body


@pytest.mark.parametrize(
    "change, error",
    [
        (lambda b: b["channels"][0].update(foo=1), {"channels": {"0": {"foo": UNKNOWN}}}),
        (lambda b: b["weights"].update(foo=1), {"weights": {"foo": UNKNOWN}}),
        (lambda b: b["languages"][1].update(x="y"), {"languages": {"1": {"x": UNKNOWN}}}),
        (
            lambda b: b["fx_rates"][0].update(inverse="1.08"),
            {"fx_rates": {"0": {"inverse": UNKNOWN}}},
        ),
        (
            lambda b: b["desired_certifications"][0].update(weight=3),
            {"desired_certifications": {"0": {"weight": UNKNOWN}}},
        ),
        (
            lambda b: b["channels"][0].update(profile={"months": [1] * 12, "peak": 11}),
            {"channels": {"0": {"profile": {"peak": UNKNOWN}}}},
        ),
        (
            lambda b: b["channels"][0].update(
                profile={"bands": [{"name": "all", "hours": "260", "share": "1", "x": 1}]}
            ),
            {"channels": {"0": {"profile": {"bands": {"0": {"x": UNKNOWN}}}}}},
        ),
    ],
    ids=["channels", "weights", "languages", "fx_rates", "desired", "profile", "bands"],
)
def test_an_unknown_key_in_an_event_row_is_a_400_naming_its_path(
    api_as, procurement_user, change, error
):
    client = api_as(procurement_user)
    event = event_make(invited=[vendor_make()], opened=False)
    url = f"/api/v1/events/{event.pk}/"
    body = _event_body()
    body.pop("invited_vendors")
    change(body)
    for response in (
        client.post("/api/v1/events/", body, format="json"),
        client.patch(url, {k: body[k] for k in error}, format="json"),
    ):
        assert response.status_code == 400, response.content
        assert response.json() == error


# Proposals and vendors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, error",
    [
        (lambda b: b["pricing"][0].update(foo=1), {"pricing": {"0": {"foo": UNKNOWN}}}),
        (
            lambda b: b["pricing"].__setitem__(
                0,
                {"channel": "phone", "model": "hybrid", "components": [
                    {"model": "per_contact", "rate": "3", "share": "1", "bar": 2}]},
            ),
            {"pricing": {"0": {"components": {"0": {"bar": UNKNOWN}}}}},
        ),
        (lambda b: b.update(one_off_fees={"setup": "1", "hidden": "2"}),
         {"one_off_fees": {"hidden": UNKNOWN}}),
        (lambda b: b.update(monthly_fees=[{"name": "x", "amount": "1", "vat": "21"}]),
         {"monthly_fees": {"0": {"vat": UNKNOWN}}}),
        (lambda b: b.update(languages=[{"tag": "nl", "level": "C2", "x": 1}]),
         {"languages": {"0": {"x": UNKNOWN}}}),
    ],
    ids=["pricing", "components", "one_off_fees", "monthly_fees", "languages"],
)  # fmt: skip
def test_an_unknown_key_in_a_proposal_row_is_a_400_naming_its_path(
    api_as, make_user, change, error
):
    vendor = vendor_make()
    client = api_as(make_user("vendor", vendor=vendor))
    event = event_make(invited=[vendor])
    body = {**proposal_values(), "event": event.pk}
    change(body)
    response = client.post("/api/v1/proposals/", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == error
    assert not event.proposals.exists()


@pytest.mark.parametrize(
    "body, error",
    [
        (
            {"languages": [{"tag": "nl", "level": "C2", "x": 1}]},
            {"languages": {"0": {"x": UNKNOWN}}},
        ),
        (
            {"certifications": [{"name": "ISO 27001", "valid_until": None, "issuer": "BSI"}]},
            {"certifications": {"0": {"issuer": UNKNOWN}}},
        ),
        (
            {"industries": [{"industry": "retail", "years": 3, "since": 2020}]},
            {"industries": {"0": {"since": UNKNOWN}}},
        ),
    ],
    ids=["languages", "certifications", "industries"],
)
def test_an_unknown_key_in_a_vendor_row_is_a_400_naming_its_path(
    api_as, procurement_user, body, error
):
    vendor = vendor_make()
    response = api_as(procurement_user).patch(f"/api/v1/vendors/{vendor.pk}/", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == error


# Contracts: rows with read-only keys ---------------------------------------------------------


@pytest.fixture
def draft(api_as, manager_user):
    client = api_as(manager_user)
    response = client.post("/api/v1/contracts/", contract_payload(vendor_make()), format="json")
    assert response.status_code == 201, response.content
    return client, response.json()


@pytest.mark.parametrize(
    "change, error",
    [
        (lambda b: b["sla_targets"][2].update(bar=1), {"sla_targets": {"2": {"bar": UNKNOWN}}}),
        (lambda b: b["pricing"][1].update(foo=1), {"pricing": {"1": {"foo": UNKNOWN}}}),
        (lambda b: b["one_off_fees"].update(x=1), {"one_off_fees": {"x": UNKNOWN}}),
        (lambda b: b["monthly_fees"][0].update(x=1), {"monthly_fees": {"0": {"x": UNKNOWN}}}),
        (lambda b: b["baseline"].update(foo=1), {"baseline": {"foo": UNKNOWN}}),
    ],
    ids=["sla_targets", "pricing", "one_off_fees", "monthly_fees", "baseline"],
)
def test_an_unknown_key_in_a_contract_row_is_a_400_naming_its_path(
    api_as, manager_user, draft, change, error
):
    client, read = draft
    body = contract_payload(vendor_make("Other BV"), reference="ACME-NL-02")
    change(body)
    response = client.post("/api/v1/contracts/", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == error
    name = next(iter(error))
    sent = {name: body[name]}
    response = client.patch(f"/api/v1/contracts/{read['id']}/", sent, format="json")
    assert response.status_code == 400 and response.json() == error


def test_targets_and_baseline_sent_back_as_read_are_accepted(draft):
    client, read = draft
    targets = read["sla_targets"]
    assert targets and all("id" in t and "valid_from" in t for t in targets)
    (level,) = [t for t in targets if t["metric"] == "service_level"]
    level["expected"] = "79.0000"
    body = {"sla_targets": targets, "baseline": read["baseline"]}
    response = client.patch(f"/api/v1/contracts/{read['id']}/", body, format="json")
    assert response.status_code == 200, response.content
    after = response.json()
    expected = {t["metric"]: t["expected"] for t in after["sla_targets"]}
    assert expected["service_level"] == "79.0000" and len(expected) == len(targets)
    assert (
        after["baseline"]["computed_monthly_amount"] == read["baseline"]["computed_monthly_amount"]
    )


def test_a_target_id_that_names_no_target_of_the_contract_is_refused(draft):
    client, read = draft
    targets = read["sla_targets"]
    other = Contract.objects.exclude(pk=read["id"]).count()
    assert other == 0
    targets[1]["id"] = max(t["id"] for t in targets) + 1000
    response = client.patch(
        f"/api/v1/contracts/{read['id']}/", {"sla_targets": targets}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["sla_targets"].keys() == {"1"}
    # Not a stored row: its id, and the dates read with it, are each refused by name.
    assert sorted(response.json()["sla_targets"]["1"]) == ["id", "valid_from", "valid_until"]


def test_a_target_id_sent_on_a_new_contract_is_refused(api_as, manager_user):
    body = contract_payload(vendor_make())
    body["sla_targets"][0]["id"] = 1
    response = api_as(manager_user).post("/api/v1/contracts/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()["sla_targets"]["0"]) == ["id"]
    assert not Contract.objects.exists()


def test_a_changed_computed_baseline_amount_is_refused(draft):
    client, read = draft
    baseline = {**read["baseline"], "computed_monthly_amount": "1.00"}
    response = client.patch(
        f"/api/v1/contracts/{read['id']}/", {"baseline": baseline}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["baseline"]) == ["computed_monthly_amount"]
