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
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.services.award import contract_award
from contracts.services.lifecycle import contract_activate, contract_terminate
from kpis.models.evaluation import Breach
from tests.support.contracts import payload as contract_payload
from tests.support.disputes import dispute_made, pdf_file
from tests.support.evaluation import breached_contract, make_contract
from tests.support.factories import PASSWORD, UserFactory
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


# Every POST: an unknown key and each read-only key are refused by name ---------------------
#
# POST path -> a function of the world giving (role, url, a valid body, format): the body as it
# is succeeds (so a 400 with a key added is that key's), and the object it acts on is in a
# state where the action is allowed.


def _breach(world, status: str = "open") -> Breach:
    contract = breached_contract(world["vendors"][2])
    return Breach.objects.filter(contract=contract, status=status).order_by("pk").first()


def _kpi_file() -> SimpleUploadedFile:
    text = b"contract;period;channel;metric;value;volume\nNOPE-01;2026-03;phone;csat;80;10\n"
    return SimpleUploadedFile("walk.csv", text, content_type="text/csv")


def _post_setups() -> dict[str, Any]:
    def token(world):
        user = UserFactory(role="manager", username="walk-token")
        return (
            "manager",
            "/api/v1/auth/token/",
            {"username": user.username, "password": PASSWORD},
            "json",
        )

    def acknowledge(world):
        url = f"/api/v1/breaches/{_breach(world).pk}/acknowledge/"
        return "manager", url, {"reason": "seen"}, "json"

    def waive(world):
        return "manager", f"/api/v1/breaches/{_breach(world).pk}/waive/", {"reason": "x"}, "json"

    def dispute(world):
        contract = breached_contract(world["vendors"][0])  # the vendor user's own
        breach = Breach.objects.filter(contract=contract, status="open").order_by("pk").first()
        body = {"statement": "Our figures differ.", "evidence": pdf_file}
        return "vendor", f"/api/v1/breaches/{breach.pk}/dispute/", body, "multipart"

    def decide(step: str):
        def make(world):
            breach = _breach(world)
            dispute_made(breach, UserFactory(role="vendor", vendor=world["vendors"][2]))
            url = f"/api/v1/breaches/{breach.pk}/dispute/{step}/"
            return "manager", url, {"reason": "checked"}, "json"

        return make

    def activate(world):
        contract = make_contract(world["vendors"][0], reference="WALK-AC-01", activate=False)
        return "manager", f"/api/v1/contracts/{contract.pk}/activate/", {}, "json"

    def amend(world):
        contract = make_contract(world["vendors"][0], reference="WALK-AM-01")
        body = {
            "effective_month": "2026-05",
            "reason": "fees",
            "changes": {"minimum_monthly_charge": "1"},
        }
        return "manager", f"/api/v1/contracts/{contract.pk}/amendments/", body, "json"

    def terminate(world):
        contract = make_contract(world["vendors"][0], reference="WALK-TE-01")
        body = {"date": "2026-06-30", "reason": "walk"}
        return "manager", f"/api/v1/contracts/{contract.pk}/terminate/", body, "json"

    def award(world):
        event, (winning,) = closed_event_with_proposals(world["vendors"][1])
        body = {"proposal": winning.pk, "reference": "WALK-AW-01", "start_date": "2027-01-01"}
        return "procurement", f"/api/v1/events/{event.pk}/award/", body, "json"

    def scenarios(world):
        event, (bid,) = closed_event_with_proposals(world["vendors"][1])
        rows = [{"channel": c["channel"], "proposal": bid.pk} for c in event.channels]
        return "procurement", f"/api/v1/events/{event.pk}/scenarios/", {"assignments": rows}, "json"

    def open_event(world):
        event = event_make(invited=[world["vendors"][0]], opened=False)
        return "procurement", f"/api/v1/events/{event.pk}/open/", {}, "json"

    def upload(world):
        return "manager", "/api/v1/kpi-uploads/", {"file": _kpi_file}, "multipart"

    def rate(world):
        _, (proposal,) = closed_event_with_proposals(world["vendors"][1])
        return "procurement", f"/api/v1/proposals/{proposal.pk}/ratings/", {"rating": 4}, "json"

    def withdraw(world):
        a = world["vendors"][0]
        proposal = proposal_make(event=event_make(invited=[a]), vendor=a)
        return "vendor", f"/api/v1/proposals/{proposal.pk}/withdraw/", {}, "json"

    def report(world):
        contract = breached_contract(world["vendors"][1])  # evaluated January to April
        body = {"kind": "sla", "contract": str(contract.pk), "period": "2026-03"}
        return "manager", "/api/v1/reports/", body, "json"

    def invoice(world):
        contract = breached_contract(world["vendors"][1])  # evaluated January to April
        line = {"kind": "usage", "channel": "phone", "amount": "100000.00"}
        body = {"period": "2026-03", "total": "100000.00", "lines": [line]}
        return "manager", f"/api/v1/contracts/{contract.pk}/invoices/", body, "json"

    def create(path):
        def make(world):
            role, body = _create_bodies(world)[path]
            return role, path, body, "json"

        return make

    return {
        "/api/v1/auth/token/": token,
        "/api/v1/breaches/{id}/acknowledge/": acknowledge,
        "/api/v1/breaches/{id}/dispute/": dispute,
        "/api/v1/breaches/{id}/dispute/accept/": decide("accept"),
        "/api/v1/breaches/{id}/dispute/reject/": decide("reject"),
        "/api/v1/breaches/{id}/waive/": waive,
        "/api/v1/contracts/": create("/api/v1/contracts/"),
        "/api/v1/contracts/{id}/activate/": activate,
        "/api/v1/contracts/{id}/amendments/": amend,
        "/api/v1/contracts/{id}/invoices/": invoice,
        "/api/v1/contracts/{id}/terminate/": terminate,
        "/api/v1/events/": create("/api/v1/events/"),
        "/api/v1/events/{id}/award/": award,
        "/api/v1/events/{id}/open/": open_event,
        "/api/v1/events/{id}/scenarios/": scenarios,
        "/api/v1/kpi-uploads/": upload,
        "/api/v1/proposals/": create("/api/v1/proposals/"),
        "/api/v1/proposals/{id}/ratings/": rate,
        "/api/v1/proposals/{id}/withdraw/": withdraw,
        "/api/v1/reports/": report,
        "/api/v1/users/": create("/api/v1/users/"),
        "/api/v1/vendors/": create("/api/v1/vendors/"),
    }


POST_SETUPS = _post_setups()


def _post_keys(openapi: dict, path: str) -> tuple[set[str], set[str]]:
    """(the keys the request takes, the keys the answer shows) of a POST operation."""
    operation = openapi["paths"][path]["post"]
    sent: set[str] = set()
    for content in operation.get("requestBody", {}).get("content", {}).values():
        sent |= set(_resolve(openapi, content["schema"]).get("properties", {}))
    shown: set[str] = set()
    for code, answer in operation["responses"].items():
        json_schema = answer.get("content", {}).get("application/json", {}).get("schema")
        if code.startswith("2") and json_schema:
            shown |= set(_resolve(openapi, json_schema).get("properties", {}))
    return sent, shown


def test_the_post_walk_covers_every_post_operation_of_the_api(openapi):
    posted = {path for path, ops in openapi["paths"].items() if "post" in ops}
    assert posted == set(POST_SETUPS)


def _body(body: dict, extra: dict) -> dict:
    """A fresh copy of the body (files are made anew each time) with `extra` added."""
    return {k: (v() if callable(v) else v) for k, v in body.items()} | extra


@pytest.mark.parametrize("path", sorted(POST_SETUPS))
def test_every_post_refuses_an_unknown_key_and_each_read_only_key_by_name(
    api_as, openapi, world, path
):
    role, url, body, fmt = POST_SETUPS[path](world)
    client = api_as(world["users"][role])
    sent, shown = _post_keys(openapi, path)
    keys = ["walk_unknown_key", *sorted(shown - sent)]
    for key in keys:
        response = client.post(url, _body(body, {key: "2026-01-01"}), format=fmt)
        where = (path, key, response.status_code)
        assert response.status_code == 400, (*where, response.content)
        assert _names(response.json(), key), (*where, response.json())
    answer = client.post(url, _body(body, {}), format=fmt)
    assert 200 <= answer.status_code < 300, (path, answer.status_code, answer.content)
