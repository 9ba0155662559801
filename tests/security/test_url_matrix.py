"""The role policy of every URL: one GET per URL pattern of the project, as each role.

The matrix below is the policy (DOMAIN.md's role table, applied to each page and endpoint),
written once. The test walks django.urls.get_resolver() recursively (pages, the API router,
the admin) and fails when a pattern has no entry, when an entry names no pattern, or when a
GET answers differently from the matrix. The sample objects all belong to the vendor user's
own vendor, so a vendor's 404 below is "not for vendors", not "someone else's data"
(another vendor's objects are tests/vendors/test_isolation.py's).

Outcomes: L = redirect to the login page, A = redirect to the admin's login page,
R = another redirect, or the HTTP status of the answer.
"""

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.services.tokens import token_issue
from kpis.evaluation.service import contract_month_evaluate
from kpis.models import Breach, KpiUpload
from reports.models import Report
from tests.support.disputes import dispute_made
from tests.support.evaluation import make_contract, month_rows, report, set_baseline
from tests.support.factories import UserFactory
from tests.support.vendors import (
    closed_event_with_proposals,
    event_make,
    proposal_make,
    vendor_make,
)
from vendors.services.proposals import rating_set

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "procurement", "manager", "auditor", "vendor", "admin")

# route pattern -> (sample object the URL's ids name, outcomes for ROLES in order)
MATRIX: dict[str, tuple[str | None, str]] = {
    # accounts
    "": (None, "L 200 200 200 200 200"),
    "login/": (None, "200 R R R R R"),
    "logout/": (None, "405 405 405 405 405 405"),
    "account/tokens/": (None, "L 200 200 200 200 200"),
    "account/tokens/new/": (None, "L 405 405 405 405 405"),
    "account/tokens/<int:pk>/revoke/": ("vendor", "L 405 405 405 405 405"),
    "account/password/": (None, "L 200 200 200 200 200"),
    "account/language/": (None, "L 405 405 405 405 405"),
    "account/users/": (None, "L 403 403 403 403 200"),
    "account/users/new/": (None, "L 403 403 403 403 200"),
    "account/users/<int:pk>/": ("vendor_user", "L 403 403 403 403 200"),
    "account/users/<int:pk>/deactivate/": ("vendor_user", "L 403 403 403 403 200"),
    "account/users/<int:pk>/password/": ("vendor_user", "L 405 405 405 405 405"),
    "i18n/setlang/": (None, "R R R R R R"),
    "jsi18n/": (None, "200 200 200 200 200 200"),
    "history/<slug:app_label>/<slug:model_name>/<int:pk>/": (
        "contract",
        "L 403 403 200 404 200",
    ),
    # sourcing: vendors, events, proposals, comparison
    "vendors/": (None, "L 200 200 200 200 200"),
    "vendors/new/": (None, "L 200 403 403 404 200"),
    "vendors/me/": (None, "L 404 404 404 200 404"),
    "vendors/<int:pk>/": ("vendor", "L 200 200 200 200 200"),
    "vendors/<int:pk>/edit/": ("vendor", "L 200 403 403 200 200"),
    "vendors/<int:pk>/scorecard/": ("vendor", "L 200 200 200 200 200"),
    "events/": (None, "L 200 200 200 200 200"),
    "events/new/": (None, "L 200 403 403 404 200"),
    "events/<int:pk>/": ("event", "L 200 200 200 R 200"),
    "events/<int:pk>/edit/": ("draft_event", "L 200 403 403 404 200"),
    "events/<int:pk>/open/": ("draft_event", "L 405 405 405 405 405"),
    "events/<int:pk>/comparison/": ("event", "L 200 200 200 404 200"),
    "events/<int:pk>/comparison/table/": ("event", "L 200 200 200 404 200"),
    "events/<int:pk>/comparison/export.csv": ("event", "L 200 200 200 404 200"),
    "events/<int:pk>/comparison/export.xlsx": ("event", "L 200 200 200 404 200"),
    "portal/events/<int:pk>/": ("open_event", "L R R R 200 R"),
    "portal/events/<int:event_pk>/propose/": ("open_event", "L 404 404 404 R 404"),
    "proposals/": (None, "L 200 200 200 200 200"),
    "proposals/<int:pk>/": ("proposal", "L 200 200 200 200 200"),
    "proposals/<int:pk>/edit/": ("open_proposal", "L 404 404 404 200 404"),
    "proposals/<int:pk>/withdraw/": ("open_proposal", "L 405 405 405 405 405"),
    "proposals/<int:pk>/rate/": ("proposal", "L 405 405 405 405 405"),
    # contracts
    "contracts/": (None, "L 200 200 200 200 200"),
    "contracts/new/": (None, "L 403 200 403 403 200"),
    "contracts/award/<int:event_pk>/": ("event", "L 200 403 403 404 403"),
    "contracts/<int:pk>/": ("contract", "L 200 200 200 200 200"),
    "contracts/<int:pk>/baseline/": ("contract", "L 403 200 403 403 200"),
    "contracts/<int:pk>/targets/": ("draft_contract", "L 403 200 403 403 200"),
    "contracts/<int:pk>/activate/": ("contract", "L 405 405 405 405 405"),
    "contracts/<int:pk>/terminate/": ("contract", "L 405 405 405 405 405"),
    "contracts/<int:pk>/amend/": ("contract", "L 403 200 403 403 200"),
    # KPIs, evaluations, breaches, ROI
    "kpis/": (None, "L 200 200 200 200 200"),
    "kpis/uploads/<int:pk>/": ("upload", "L 200 200 200 200 200"),
    "kpis/uploads/<int:pk>/outcome/": ("upload", "L 200 200 200 200 200"),
    "kpis/uploads/<int:pk>/row/": ("upload", "L 200 200 200 200 200"),
    "contracts/<int:pk>/sla/": ("contract", "L 200 200 200 200 200"),
    "contracts/<int:pk>/sla/<str:period>/": ("contract", "L 200 200 200 200 200"),
    "contracts/<int:pk>/roi/": ("contract", "L 200 200 200 404 200"),
    "contracts/<int:pk>/invoices/": ("contract", "L 200 200 200 200 200"),
    "breaches/": (None, "L 200 200 200 200 200"),
    "breaches/<int:pk>/decide/": ("breach", "L 405 405 405 405 405"),
    "breaches/<int:pk>/row/": ("breach", "L 200 200 200 200 200"),
    "breaches/<int:pk>/dispute/": ("breach", "L 200 200 200 200 200"),
    "breaches/<int:pk>/dispute/decide/": ("breach", "L 405 405 405 405 405"),
    # reports
    "reports/": (None, "L 200 200 200 200 200"),
    "reports/<int:pk>/row/": ("report", "L 200 200 200 404 200"),
    "reports/<int:pk>/download/": ("report", "L 200 200 200 404 200"),
    # API
    "api/v1/auth/token/": (None, "405 405 405 405 405 405"),
    "api/v1/^auth/tokens/$": (None, "401 200 200 200 200 200"),
    "api/v1/^auth/tokens/(?P<pk>[^/.]+)/$": ("vendor", "401 405 405 405 405 405"),
    "api/v1/^users/$": (None, "401 403 403 403 403 200"),
    "api/v1/^users/(?P<pk>[^/.]+)/$": ("vendor_user", "401 403 403 403 403 200"),
    "api/v1/^vendors/$": (None, "401 200 200 200 200 200"),
    "api/v1/^vendors/(?P<pk>[^/.]+)/$": ("vendor", "401 200 200 200 200 200"),
    "api/v1/^events/$": (None, "401 200 200 200 200 200"),
    "api/v1/^events/(?P<pk>[^/.]+)/$": ("event", "401 200 200 200 200 200"),
    "api/v1/^events/(?P<pk>[^/.]+)/open/$": ("draft_event", "401 405 405 405 405 405"),
    "api/v1/^proposals/$": (None, "401 200 200 200 200 200"),
    "api/v1/^proposals/(?P<pk>[^/.]+)/$": ("proposal", "401 200 200 200 200 200"),
    "api/v1/^proposals/(?P<pk>[^/.]+)/withdraw/$": ("open_proposal", "401 405 405 405 405 405"),
    "api/v1/proposals/<int:pk>/ratings/": ("proposal", "401 200 200 200 403 200"),
    "api/v1/events/<int:pk>/ranking/": ("event", "401 200 200 200 404 200"),
    "api/v1/events/<int:pk>/scenarios/": ("event", "401 200 200 200 404 200"),
    "api/v1/events/<int:pk>/award/": ("event", "401 405 403 403 403 403"),
    "api/v1/^contracts/$": (None, "401 200 200 200 200 200"),
    "api/v1/^contracts/(?P<pk>[^/.]+)/$": ("contract", "401 200 200 200 200 200"),
    "api/v1/^contracts/(?P<pk>[^/.]+)/activate/$": ("contract", "401 405 405 405 405 405"),
    "api/v1/^contracts/(?P<pk>[^/.]+)/amendments/$": ("contract", "401 200 200 200 200 200"),
    "api/v1/^contracts/(?P<pk>[^/.]+)/terminate/$": ("contract", "401 405 405 405 405 405"),
    "api/v1/^contracts/(?P<pk>[^/.]+)/terms/$": ("contract", "401 200 200 200 200 200"),
    "api/v1/contracts/<int:pk>/kpis/": ("contract", "401 200 200 200 200 200"),
    "api/v1/^kpi-uploads/$": (None, "401 200 200 200 200 200"),
    "api/v1/^kpi-uploads/(?P<pk>[^/.]+)/$": ("upload", "401 200 200 200 200 200"),
    "api/v1/contracts/<int:pk>/evaluations/": ("contract", "401 200 200 200 200 200"),
    "api/v1/contracts/<int:pk>/roi/": ("contract", "401 200 200 200 404 200"),
    "api/v1/vendors/<int:pk>/scorecard/": ("vendor", "401 200 200 200 200 200"),
    "api/v1/contracts/<int:pk>/invoices/": ("contract", "401 200 200 200 200 200"),
    "api/v1/^breaches/$": (None, "401 200 200 200 200 200"),
    "api/v1/^breaches/(?P<pk>[^/.]+)/$": ("breach", "401 200 200 200 200 200"),
    "api/v1/^breaches/(?P<pk>[^/.]+)/acknowledge/$": ("breach", "401 405 405 405 405 405"),
    "api/v1/^breaches/(?P<pk>[^/.]+)/waive/$": ("breach", "401 405 405 405 405 405"),
    "api/v1/breaches/<int:pk>/dispute/": ("breach", "401 405 405 405 405 405"),
    "api/v1/breaches/<int:pk>/dispute/accept/": ("breach", "401 405 405 405 405 405"),
    "api/v1/breaches/<int:pk>/dispute/reject/": ("breach", "401 405 405 405 405 405"),
    "api/v1/breaches/<int:pk>/dispute/evidence/": ("breach", "401 200 200 200 200 200"),
    "api/v1/^reports/$": (None, "401 200 200 200 200 200"),
    "api/v1/^reports/(?P<pk>[^/.]+)/$": ("report", "401 200 200 200 404 200"),
    "api/v1/^reports/(?P<pk>[^/.]+)/download/$": ("report", "401 200 200 200 404 200"),
    "api/schema/": (None, "200 200 200 200 200 200"),
    "api/docs/": (None, "200 200 200 200 200 200"),
    "healthz": (None, "200 200 200 200 200 200"),
    "readyz": (None, "200 200 200 200 200 200"),
    "status/": (None, "L 403 200 200 403 200"),
    "api/v1/status/": (None, "401 403 200 200 403 200"),
}

# The Django admin is for staff accounts only (admins manage users and reference data there):
# every role of the product is sent to the admin's login page, like an anonymous visitor.
ADMIN_RULE = "A A A A A A"
ADMIN_OPEN = {"admin/login/": "200 200 200 200 200 200", "admin/logout/": "R R R R R R"}
# Endpoints that need a query to answer at all (without it: 400 for everyone).
QUERIES = {
    "api/v1/^contracts/(?P<pk>[^/.]+)/terms/$": "?month=2026-03",
    "api/v1/contracts/<int:pk>/evaluations/": "?period=2026-03",
}
PARAMETERS = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)|(\([^)]*\))")


def walk(resolver=None, prefix: str = "", namespace: str = ""):
    """(route pattern, namespace) of every URL pattern, recursively."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace or "") if n)
            yield from walk(entry, route, inner)
        elif isinstance(entry, URLPattern):
            yield route, namespace


def url_for(route: str, sample) -> str:
    """The route with its parameters filled from the sample object."""
    values = {
        "pk": getattr(sample, "pk", None),
        "event_pk": getattr(sample, "pk", None),
        "period": "2026-03",
        "app_label": "contracts",
        "model_name": "contract",
        "content_type_id": 1,
        "id": getattr(sample, "pk", None),
        "url": "no-such-page/",  # the admin's catch-all
        "object_id": getattr(sample, "pk", None),
    }

    def fill(match: re.Match) -> str:
        if match.group(3):  # an unnamed regex group (the admin's): any id will do
            return "1"
        return str(values[match.group(1) or match.group(2)])

    path = "/" + PARAMETERS.sub(fill, route).replace("^", "").replace("$", "")
    return path + QUERIES.get(route, "")


def outcome(response) -> str:
    """The outcome letter or status of a response."""
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith("/admin/login/"):
            return "A"
        return "L" if location.startswith("/login/") else "R"
    return str(response.status_code)


@pytest.fixture
def world(settings, tmp_path):
    """One of each object, all of the vendor user's vendor, made by the domain functions."""
    settings.MEDIA_ROOT = tmp_path
    own, other = vendor_make("Matrix Own BV"), vendor_make("Matrix Other BV")
    users = {r: UserFactory(role=r, vendor=own if r == "vendor" else None) for r in ROLES[1:]}
    event, (proposal, _) = closed_event_with_proposals(own, other)
    rating_set(proposal=proposal, evaluator=users["procurement"], rating=4)
    open_event = event_make(invited=[own])
    open_proposal = proposal_make(event=open_event, vendor=own)
    contract = make_contract(own, reference="MATRIX-NL-01")
    set_baseline(contract, "150000")
    upload = report(contract, "2026-03", month_rows(sl="70"), user=users["vendor"])
    contract_month_evaluate(contract=contract, period=date(2026, 3, 1))
    breach = Breach.objects.filter(contract=contract).first()
    dispute_made(breach, users["vendor"])  # its exchange and evidence are read by every role
    stored = Report.objects.create(
        kind=Report.Kind.ROI, status=Report.Status.DONE, created_by=users["auditor"],
        parameters={"contract": contract.pk}, sha256="0" * 64, size=9,
        file=ContentFile(b"%PDF-1.7\n", name="matrix.pdf"), finished_at=timezone.now(),
    )  # fmt: skip
    samples = {
        "vendor": own,
        "event": event,
        "draft_event": event_make(invited=[own], opened=False),
        "open_event": open_event,
        "proposal": proposal,
        "open_proposal": open_proposal,
        "contract": contract,
        "draft_contract": make_contract(own, reference="MATRIX-NL-02", activate=False),
        "upload": KpiUpload.objects.get(pk=upload.pk),
        "breach": breach,
        "report": stored,
        "vendor_user": users["vendor"],
    }
    return users, samples


def expected_for(route: str, namespace: str) -> str:
    if namespace == "admin":
        return ADMIN_OPEN.get(route, ADMIN_RULE)
    return MATRIX[route][1]


def test_every_url_pattern_has_a_matrix_entry_and_every_entry_a_pattern():
    routes = {route for route, namespace in walk() if namespace != "admin"}
    assert routes - set(MATRIX) == set(), "URL patterns without a matrix entry"
    assert set(MATRIX) - routes == set(), "matrix entries naming no URL pattern"
    assert all(len(outcomes.split()) == len(ROLES) for _, outcomes in MATRIX.values())


def test_every_url_answers_a_get_as_the_role_policy_says(client, world):
    users, samples = world
    patterns = list(walk())
    differences = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        column = ROLES.index(role)
        for route, namespace in patterns:
            if route not in MATRIX and namespace != "admin":
                continue  # the other test names it
            sample = samples.get(MATRIX[route][0]) if route in MATRIX else users["vendor"]
            url = url_for(route, sample)
            got = outcome(client.get(url))
            want = expected_for(route, namespace).split()[column]
            if got != want:
                differences.append(f"{role:11} GET {url} ({route}): {got}, policy {want}")
    assert not differences, "\n".join(differences)


def test_api_tokens_get_the_same_answers_as_sessions(client, world):
    """Spot check: the API as token users (how vendors' scripts call it) follows the matrix."""
    users, samples = world
    for role in ("vendor", "auditor"):
        key = token_issue(user=users[role])[1]
        for route in ("api/v1/contracts/<int:pk>/roi/", "api/v1/^users/$"):
            url = url_for(route, samples.get(MATRIX[route][0]))
            got = outcome(client.get(url, HTTP_AUTHORIZATION=f"Token {key}"))
            assert got == MATRIX[route][1].split()[ROLES.index(role)], (role, url)


def test_a_staff_admin_reaches_the_django_admin(client, world):
    admin = get_user_model().objects.create_superuser("matrix-staff", password="x-long-pass-1")
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/vendors/vendor/").status_code == 200
