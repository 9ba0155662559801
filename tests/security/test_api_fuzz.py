"""Schemathesis against /api/schema/ on the live server, as each role: no 5xx, and every
response that the schema describes conforms to it. Bounded so it fits in `make test`.

The examples are the same on every run, so that CI passes or fails on the code, not on the
draw. FUZZ_RANDOM=1 draws new ones, and FUZZ_EXAMPLES=N more of them, to look further: a
random draw found Django's HTML 404 for /api/v1/events/-73341/ranking/ (see config/errors.py).
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from accounts.services.tokens import token_issue
from tests.support.vendors import closed_event_with_proposals, event_make, vendor_make

pytestmark = pytest.mark.fuzz
ROLES = ("admin", "procurement", "manager", "auditor", "vendor")
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
RANDOM = os.environ.get("FUZZ_RANDOM") == "1"
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def tokens(make_user):
    """A token per role, over a little data so that ids in the URLs can exist."""
    ours = vendor_make("Fuzz Own BV")
    closed_event_with_proposals(ours, vendor_make("Fuzz Other BV"))
    event_make(invited=[ours])
    users = {role: make_user(role, vendor=ours if role == "vendor" else None) for role in ROLES}
    return {role: token_issue(user=user)[1] for role, user in users.items()}


def fuzz(operation, tokens: dict[str, str]) -> None:
    """Run a few generated requests against one operation, each as every role."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        derandomize=not RANDOM,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        for token in tokens.values():
            case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)

    run()


def test_the_api_never_fails_and_keeps_to_its_schema(live_server, transactional_db, tokens):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    failures, tried = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        tried += 1
        try:
            fuzz(operation, tokens)
        except Exception as error:  # noqa: BLE001 - collected so every operation is reported
            failures.append(f"{operation.label}: {str(error)[:1500]}")
    assert tried > 20
    assert not failures, "\n\n".join(failures)
