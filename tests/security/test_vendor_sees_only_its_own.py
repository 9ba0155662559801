"""A vendor's user sees nothing of any other vendor: not in a page, a choice list, a filter, an
autocomplete, the browsable API's forms, an API list or an OPTIONS answer.

The test walks every URL pattern of the project (tests/support/urls.py), fills its ids with
objects the vendor may see (its own contract, upload, breach, report, proposal, events), GETs
it as the vendor (pages; the API as JSON, as the browsable HTML with its filter and POST forms,
and OPTIONS), and looks for the rival vendor's name, its contract's reference, its user and the
event only it was invited to in every answer.
"""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.services.tokens import token_issue
from kpis.evaluation.service import contract_month_evaluate
from kpis.models import Breach, KpiUpload
from reports.models import Report
from tests.support.evaluation import make_contract, month_rows, report, set_baseline
from tests.support.factories import UserFactory
from tests.support.urls import fill, walk
from tests.support.vendors import (
    closed_event_with_proposals,
    event_make,
    proposal_make,
    vendor_make,
)

pytestmark = pytest.mark.django_db

RIVAL = "Zyxwv Rival Contact BV"
RIVAL_REFERENCE = "RIVAL-SECRET-01"
RIVAL_USER = "rival-staff-user"
RIVAL_EVENT = "Rival Only RFP 2027"
SECRETS = (RIVAL, RIVAL_REFERENCE, RIVAL_USER, RIVAL_EVENT)

# Which of the vendor's own objects fills a route's ids: the first keyword the route contains.
SAMPLES = (
    ("history/", "contract"),
    ("portal/events/", "open_event"),
    ("/edit/", "open_proposal"),
    ("withdraw", "open_proposal"),
    ("comparison", "event"),
    ("award", "event"),
    ("events", "event"),
    ("proposals", "proposal"),
    ("vendors", "vendor"),
    ("kpis/uploads", "upload"),
    ("kpi-uploads", "upload"),
    ("breaches", "breach"),
    ("reports", "report"),
    ("auth/tokens", "token"),
    ("users", "user"),
    ("contracts", "contract"),
)


def _objects_of(vendor, user, *, reference: str, auditor, title: str) -> dict:
    """A vendor's contract with a month of KPIs, its evaluation and breach, a report, events."""
    contract = make_contract(vendor, reference=reference)
    set_baseline(contract, "150000")
    upload = report(contract, "2026-03", month_rows(sl="70"), user=user)
    contract_month_evaluate(contract=contract, period=date(2026, 3, 1))
    stored = Report.objects.create(
        kind=Report.Kind.ROI, status=Report.Status.DONE, created_by=auditor,
        parameters={"contract": contract.pk, "reference": reference}, sha256="0" * 64, size=9,
        file=ContentFile(b"%PDF-1.7\n", name=f"{reference}.pdf"), finished_at=timezone.now(),
    )  # fmt: skip
    open_event = event_make(invited=[vendor], title=title)
    return {
        "contract": contract,
        "upload": KpiUpload.objects.get(pk=upload.pk),
        "breach": Breach.objects.filter(contract=contract).first(),
        "report": stored,
        "open_event": open_event,
        "open_proposal": proposal_make(event=open_event, vendor=vendor),
    }


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    own, rival = vendor_make("Own Contact BV"), vendor_make(RIVAL)
    me = UserFactory(role="vendor", vendor=own)
    them = UserFactory(role="vendor", vendor=rival, username=RIVAL_USER)
    auditor = UserFactory(role="auditor")
    event, (proposal, _) = closed_event_with_proposals(own, rival)
    mine = _objects_of(own, me, reference="OWN-NL-01", auditor=auditor, title="Own RFP 2027")
    _objects_of(rival, them, reference=RIVAL_REFERENCE, auditor=auditor, title=RIVAL_EVENT)
    token, _ = token_issue(user=me)
    token_issue(user=them)
    samples = {**mine, "vendor": own, "event": event, "proposal": proposal, "token": token,
               "user": me}  # fmt: skip
    return me, samples


def sample_for(route: str, samples: dict):
    return next((samples[name] for key, name in SAMPLES if key in route), None)


def leaks(response) -> list[str]:
    body = response.content.decode("utf-8", errors="replace")
    return [secret for secret in SECRETS if secret in body]


def test_no_answer_to_a_vendor_names_another_vendor_or_its_objects(client, world):
    me, samples = world
    client.force_login(me)
    found, visited = [], 0
    for route, namespace in walk():
        if namespace == "admin":
            continue  # staff only: a vendor is sent to the admin's login page
        url = fill(route, sample_for(route, samples))
        if "auth/tokens/" in route and "pk" in route:
            continue  # DELETE only
        query = {"contracts/<int:pk>/sla/": "?from=2026-01&to=2026-12"}.get(route, "")
        calls = [("GET", {})]
        if url.startswith("/api/v1/"):
            calls += [("GET", {"HTTP_ACCEPT": "text/html"}), ("OPTIONS", {})]
        for method, headers in calls:
            response = client.generic(method, url + query, **headers)
            visited += 1
            found += [f"{method} {url} {headers or ''}: {secret}" for secret in leaks(response)]
    assert visited > 100  # the walk reached the whole project
    assert not found, "\n".join(found)


def test_list_filters_offer_a_vendor_only_its_own_vendor(client, world):
    me, samples = world
    client.force_login(me)
    page = client.get("/contracts/").content.decode()
    assert "Own Contact BV" in page and RIVAL not in page
    api = client.get("/api/v1/contracts/", HTTP_ACCEPT="text/html").content.decode()
    assert RIVAL not in api
