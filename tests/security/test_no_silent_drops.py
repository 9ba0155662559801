"""Never 2xx with part of a request silently dropped (STYLE.md 14, "frozen is refused").

The walk reads every PATCH operation from the OpenAPI schema and, for each object state, sends
every field of the object, writable or read-only, one at a time with a changed value, as the
role that writes it. The answer must be either applied (the value reads back changed) or
refused (400/409 naming the field). A PATCH endpoint the walk has no states for fails the test,
so a new serializer cannot slip past it. Write-only fields (a password) cannot read back and are
checked by their own tests.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import pytest

from contracts.services.award import contract_award
from contracts.services.lifecycle import contract_activate, contract_terminate
from tests.support.contracts import payload as contract_payload
from tests.support.evaluation import make_contract
from tests.support.factories import UserFactory
from tests.support.vendors import (
    closed_event_with_proposals,
    event_make,
    event_payload,
    proposal_make,
    proposal_values,
    vendor_make,
)
from vendors.models import EventStage, SourcingEvent

pytestmark = pytest.mark.django_db

WRITE_ONLY = {"password"}


# States of each resource: (name, object, role that writes it) -------------------------------


def _event_states(world) -> list[tuple[str, Any]]:
    a, b, _ = world["vendors"]
    draft = event_make(invited=[a], opened=False)
    open_with_bid = event_make(invited=[a, b])
    proposal_make(event=open_with_bid, vendor=a)
    closed, _ = closed_event_with_proposals(a)
    awarded, _ = closed_event_with_proposals(b)
    SourcingEvent.objects.filter(pk=awarded.pk).update(stage=EventStage.AWARDED)
    return [("draft", draft), ("open", open_with_bid), ("closed", closed), ("awarded", awarded)]


def _proposal_states(world) -> list[tuple[str, Any]]:
    a = world["vendors"][0]
    before = proposal_make(event=event_make(invited=[a]), vendor=a)
    _, (after,) = closed_event_with_proposals(a)
    return [("before the deadline", before), ("after the deadline", after)]


def _contract_states(world) -> list[tuple[str, Any]]:
    a, b, _ = world["vendors"]
    direct = make_contract(a, reference="WALK-NL-01", activate=False)
    event, (winning,) = closed_event_with_proposals(b)
    awarded = contract_award(
        event=event, proposal_id=winning.pk, reference="WALK-NL-02",
        start_date=date(2027, 1, 1), user=world["users"]["procurement"],
    )  # fmt: skip
    active = make_contract(a, reference="WALK-NL-03")
    terminated = contract_terminate(
        contract=make_contract(a, reference="WALK-NL-04"), on=date(2026, 6, 30), reason="walk"
    )
    return [
        ("draft", direct),
        ("awarded draft", awarded),
        ("active", active),
        ("terminated", terminated),
        ("active after award", contract_activate(contract=_award_another(world))),
    ]


def _award_another(world):
    event, (winning,) = closed_event_with_proposals(world["vendors"][0])
    return contract_award(
        event=event, proposal_id=winning.pk, reference="WALK-NL-05",
        start_date=date(2027, 1, 1), user=world["users"]["procurement"],
    )  # fmt: skip


def _vendor_states(world) -> list[tuple[str, Any]]:
    return [("vendor", vendor_make())]


def _user_states(world) -> list[tuple[str, Any]]:
    return [("manager", UserFactory(role="manager")), ("vendor user", world["users"]["vendor"])]


# PATCH path -> (the states, the role that writes)
RESOURCES = {
    "/api/v1/events/{id}/": (_event_states, "procurement"),
    "/api/v1/proposals/{id}/": (_proposal_states, "vendor"),
    "/api/v1/contracts/{id}/": (_contract_states, "manager"),
    "/api/v1/vendors/{id}/": (_vendor_states, "procurement"),
    "/api/v1/users/{id}/": (_user_states, "admin"),
}


@pytest.fixture
def world():
    vendors = [vendor_make("Walk A BV"), vendor_make("Walk B BV"), vendor_make("Walk C BV")]
    users = {
        role: UserFactory(role=role, vendor=vendors[0] if role == "vendor" else None)
        for role in ("procurement", "manager", "admin", "vendor")
    }
    return {"vendors": vendors, "users": users}


# Changed values ---------------------------------------------------------------------------


def _resolve(openapi: dict, node: dict) -> dict:
    """A property's schema with $ref, allOf and oneOf followed to the first concrete one."""
    while True:
        if "$ref" in node:
            node = openapi["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
        elif node.get("allOf"):
            node = node["allOf"][0]
        elif node.get("oneOf"):
            node = next((n for n in node["oneOf"] if "$ref" in n or "enum" in n), node["oneOf"][0])
            if node.get("enum") == [None]:
                return {}
        else:
            return node


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _changed_scalar(value: Any, enum: list | None, world) -> Any:
    if enum:
        return next(v for v in enum if v not in (value, None, ""))
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        ids = [v.pk for v in world["vendors"]]
        return next((i for i in ids if i != value), value + 1)
    if isinstance(value, str):
        for parse, step in ((date.fromisoformat, timedelta(days=1)),):
            try:
                return (parse(value) + step).isoformat()
            except ValueError:
                pass
        try:
            return (datetime.fromisoformat(value) + timedelta(days=2)).isoformat()
        except ValueError:
            pass
        number = _number(value)
        if number is not None:
            return str(number + 1)
        return value + " (changed)"
    return "changed"


NULL_SAMPLES = {
    "baseline": {"monthly_amount": "50000.00"},
    "withdrawn_at": "2026-12-01T10:00:00+00:00",
    "headcount": 10,
    "termination_date": "2026-06-30",
    "vendor": "vendor",  # replaced by a vendor id
}


def _changed(name: str, value: Any, prop: dict, openapi: dict, world) -> Any:
    """A value different from `value`, valid where that is easy, of the field's shape."""
    prop = _resolve(openapi, prop)
    if value is None:
        sample = NULL_SAMPLES.get(name, "changed")
        return world["vendors"][1].pk if sample == "vendor" else sample
    if isinstance(value, dict) and not value:
        return {"phone": "1"}  # the one empty object of the API: contracted FTE per channel
    if isinstance(value, dict):
        key = _leaf(value)
        inner = (prop.get("properties") or {}).get(key, {})
        return {**value, key: _changed(key, value[key], inner, openapi, world)}
    if isinstance(value, list):
        items = prop.get("items", {})
        if not value:
            return [_changed(name, None, items, openapi, world)] if name != "vendor" else [1]
        if isinstance(value[0], dict):
            return [_changed(name, value[0], items, openapi, world), *value[1:]]
        # A list of values is a set to the server: add one it does not hold yet.
        enum = _resolve(openapi, items).get("enum")
        ids = [v.pk for v in world["vendors"]] if isinstance(value[0], int) else []
        new = [v for v in (enum or ids) if v not in value and v is not None]
        return [*value, new[0] if new else _changed(name, value[0], items, openapi, world)]
    return _changed_scalar(value, prop.get("enum"), world)


def _leaf(row: dict) -> str:
    """The key of a row to change: a number if there is one (ids aside), else the first."""
    numbers = [k for k, v in row.items() if k != "id" and _number(v) is not None]
    return (numbers or [k for k in row if k != "id"] or list(row))[0]


def _names(errors: Any, field: str) -> bool:
    """Whether an error body names the field (`field`, `field.part`, `field[0].part`)."""
    return isinstance(errors, dict) and any(
        key == field or key.startswith((f"{field}.", f"{field}[")) for key in errors
    )


def _properties(openapi: dict, path: str) -> dict[str, dict]:
    operation = openapi["paths"][path]["patch"]
    request = operation["requestBody"]["content"]["application/json"]["schema"]
    response = operation["responses"]["200"]["content"]["application/json"]["schema"]
    properties = dict(_resolve(openapi, response).get("properties", {}))
    for name, prop in _resolve(openapi, request).get("properties", {}).items():
        properties.setdefault(name, prop)
    return properties


# The walk ----------------------------------------------------------------------------------


def test_the_walk_covers_every_patch_operation_of_the_api(openapi):
    patched = {path for path, ops in openapi["paths"].items() if "patch" in ops}
    assert patched == set(RESOURCES)


@pytest.mark.parametrize("path", sorted(RESOURCES))
def test_every_field_sent_is_applied_or_refused_by_name_in_every_state(
    api_as, openapi, world, path
):
    make_states, role = RESOURCES[path]
    client = api_as(world["users"][role])
    properties = _properties(openapi, path)
    outcomes: dict[str, int] = {"applied": 0, "refused": 0}
    for state, obj in make_states(world):
        url = path.replace("{id}", str(obj.pk))
        for name, prop in properties.items():
            if name in WRITE_ONLY:
                continue
            before = client.get(url)
            assert before.status_code == 200, (state, url, before.status_code)
            sent = _changed(name, before.json().get(name), prop, openapi, world)
            response = client.patch(url, {name: sent}, format="json")
            where = (path, state, name, sent, response.status_code)
            if response.status_code < 300:
                after = client.get(url).json().get(name)
                assert after != before.json().get(name), ("silently dropped", *where)
                outcomes["applied"] += 1
            else:
                assert response.status_code in (400, 409), (*where, response.content)
                assert _names(response.json(), name), (*where, response.json())
                outcomes["refused"] += 1
    # The walk saw both answers: each resource has writable fields and refused ones.
    assert outcomes["refused"] > 0 and outcomes["applied"] > 0, outcomes


# Creating: a read-only field sent with a new object is refused too ------------------------


def _create_bodies(world) -> dict[str, tuple[str, dict[str, Any]]]:
    """POST path -> (role, a valid body): each creates an object when sent as it is."""
    a = world["vendors"][0]
    open_event = event_make(invited=[a])
    proposal = proposal_values()
    return {
        "/api/v1/events/": ("procurement", event_payload(invited_vendors=[a.pk])),
        "/api/v1/contracts/": ("manager", contract_payload(a, reference="WALK-NEW-01")),
        "/api/v1/vendors/": ("procurement", {"name": "Walk New BV", "country": "NL"}),
        "/api/v1/users/": (
            "admin",
            {"username": "walk-new", "password": "a-long-passphrase-77", "role": "manager"},
        ),
        "/api/v1/proposals/": ("vendor", {**proposal, "event": open_event.pk}),
    }


def _read_only(openapi: dict, path: str) -> list[str]:
    operation = openapi["paths"][path]["post"]
    request = operation["requestBody"]["content"]["application/json"]["schema"]
    response = operation["responses"]["201"]["content"]["application/json"]["schema"]
    sent = set(_resolve(openapi, request).get("properties", {}))
    return sorted(set(_resolve(openapi, response).get("properties", {})) - sent)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/events/", "/api/v1/contracts/", "/api/v1/vendors/", "/api/v1/users/",
     "/api/v1/proposals/"],
)  # fmt: skip
def test_a_read_only_field_sent_on_create_is_refused_by_name(api_as, openapi, world, path):
    role, body = _create_bodies(world)[path]
    client = api_as(world["users"][role])
    read_only = _read_only(openapi, path)
    assert read_only, path  # every object has at least its id
    for name in read_only:
        response = client.post(path, {**body, name: "2026-01-01"}, format="json")
        assert response.status_code == 400, (path, name, response.status_code)
        assert _names(response.json(), name), (path, name, response.json())
    assert client.post(path, body, format="json").status_code == 201, path
