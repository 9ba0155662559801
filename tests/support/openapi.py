"""Real responses against the OpenAPI schema that drf-spectacular generates."""

import re
from typing import Any

import jsonschema
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema


def openapi_schema() -> dict[str, Any]:
    """The public schema, validated as OpenAPI 3."""
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


def template_of(openapi: dict[str, Any], path: str) -> str:
    """The schema's path template that `path` fills in (`/api/v1/events/{id}/ranking/`)."""
    path = path.partition("?")[0]
    if path in openapi["paths"]:
        return path
    return next(
        t for t in openapi["paths"] if re.fullmatch(re.sub(r"\{[^}]+\}", r"[^/]+", t), path)
    )


def check(openapi: dict[str, Any], method: str, path: str, response) -> None:
    """Validate a response body against the schema of its path, method and status code."""
    template = template_of(openapi, path)
    operation = openapi["paths"][template][method]
    documented = operation["responses"].get(str(response.status_code))
    assert documented is not None, (
        f"{method.upper()} {template} {response.status_code} undocumented"
    )
    schema = documented["content"]["application/json"]["schema"]
    root = {"components": json_schema(openapi["components"]), **json_schema(schema)}
    jsonschema.Draft7Validator(root, format_checker=jsonschema.FormatChecker()).validate(
        response.json()
    )
