"""The OpenAPI schema describes what the server answers: real responses validate against it."""

import re
from typing import Any

import jsonschema
import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from tests.vendors.factories import (
    closed_event_with_proposals,
    event_make,
    proposal_make,
    proposal_values,
    vendor_make,
)
from vendors.services.proposals import rating_set

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    return schema


def json_schema(node: Any) -> Any:
    """OpenAPI 3.0 to JSON Schema: `nullable: true` becomes "or null"."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def check(openapi: dict[str, Any], method: str, path: str, response) -> None:
    """Validate a response body against the schema of its path, method and status code."""
    template = next(
        t for t in openapi["paths"] if re.fullmatch(re.sub(r"\{[^}]+\}", r"[^/]+", t), path)
    )
    operation = openapi["paths"][template][method]
    documented = operation["responses"].get(str(response.status_code))
    assert documented is not None, (
        f"{method.upper()} {template} {response.status_code} undocumented"
    )
    schema = documented["content"]["application/json"]["schema"]
    root = {"components": json_schema(openapi["components"]), **json_schema(schema)}
    jsonschema.Draft7Validator(root).validate(response.json())


def test_the_schema_is_valid_openapi_and_lists_the_sourcing_routes(openapi):
    for path in (
        "/api/v1/vendors/",
        "/api/v1/events/{id}/open/",
        "/api/v1/proposals/{id}/withdraw/",
        "/api/v1/proposals/{id}/ratings/",
    ):
        assert path in openapi["paths"]


def test_sealed_and_unsealed_proposals_both_match_the_schema(
    openapi, api_as, make_user, procurement_user
):
    vendor = vendor_make()
    live = proposal_make(event=event_make(invited=[vendor]), vendor=vendor)
    _, (closed,) = closed_event_with_proposals(vendor)
    buyer, own = api_as(procurement_user), api_as(make_user("vendor", vendor=vendor))
    for client in (buyer, own):
        check(openapi, "get", "/api/v1/proposals/", client.get("/api/v1/proposals/"))
        for proposal in (live, closed):
            url = f"/api/v1/proposals/{proposal.pk}/"
            check(openapi, "get", url, client.get(url))


def test_writes_answer_in_their_documented_shapes(openapi, api_as, make_user, procurement_user):
    vendor = vendor_make()
    client = api_as(make_user("vendor", vendor=vendor))
    event = event_make(invited=[vendor])
    created = client.post(
        "/api/v1/proposals/", {"event": event.pk, **proposal_values()}, format="json"
    )
    check(openapi, "post", "/api/v1/proposals/", created)
    url = f"/api/v1/proposals/{created.json()['id']}/"
    check(openapi, "patch", url, client.patch(url, {"currency": "USD"}, format="json"))
    check(openapi, "post", f"{url}withdraw/", client.post(f"{url}withdraw/"))
    draft = event_make(invited=[vendor], opened=False)
    opened = api_as(procurement_user).post(f"/api/v1/events/{draft.pk}/open/")
    check(openapi, "post", f"/api/v1/events/{draft.pk}/open/", opened)


def test_events_vendors_and_ratings_match_the_schema(openapi, api_as, make_user, procurement_user):
    vendor = vendor_make()
    _, (proposal,) = closed_event_with_proposals(vendor)
    rating_set(proposal=proposal, evaluator=procurement_user, rating=4, comment="Solid")
    for user in (procurement_user, make_user("vendor", vendor=vendor)):
        client = api_as(user)
        for url in ("/api/v1/events/", f"/api/v1/events/{proposal.event_id}/", "/api/v1/vendors/"):
            check(openapi, "get", url, client.get(url))
        check(
            openapi,
            "get",
            f"/api/v1/vendors/{vendor.pk}/",
            client.get(f"/api/v1/vendors/{vendor.pk}/"),
        )
    ratings = f"/api/v1/proposals/{proposal.pk}/ratings/"
    buyer = api_as(procurement_user)
    check(openapi, "get", ratings, buyer.get(ratings))
    check(openapi, "post", ratings, buyer.post(ratings, {"rating": 5}, format="json"))
