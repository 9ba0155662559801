"""Walking the project's URL patterns and filling their parameters (security tests)."""

import re
from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

PARAMETERS = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)|(\([^)]*\))")


def walk(resolver=None, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """(route pattern, namespace) of every URL pattern, recursively."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace or "") if n)
            yield from walk(entry, route, inner)
        elif isinstance(entry, URLPattern):
            yield route, namespace


def fill(route: str, sample: Any, extra: dict[str, Any] | None = None) -> str:
    """The route as a path, its id parameters taken from the sample object."""
    pk = getattr(sample, "pk", None)
    values = {
        "pk": pk, "event_pk": pk, "id": pk, "object_id": pk, "period": "2026-03",
        "app_label": "contracts", "model_name": "contract", "content_type_id": 1,
        "url": "no-such-page/", **(extra or {}),
    }  # fmt: skip

    def one(match: re.Match) -> str:
        if match.group(3):  # an unnamed regex group (the admin's): any id will do
            return "1"
        return str(values[match.group(1) or match.group(2)])

    return "/" + PARAMETERS.sub(one, route).replace("^", "").replace("$", "")
