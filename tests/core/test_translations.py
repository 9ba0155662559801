"""Every string a person reads is marked for translation (docs/i18n.md, "Writing strings").

Under a pseudo-locale every marked string reads ⟦…⟧: the demo's pages for each role, its e-mails
and its PDF reports' HTML may hold our English words only inside the markers, once the data
people typed (names, references, titles) is left out. tests/core/test_catalogs_complete.py checks
that nl, ro and es translate every one of them.
"""

import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.template import engines

from contracts.models import Contract
from demo import contract_story
from demo.loader import EVENT_TITLE
from kpis.models import Breach, KpiUpload
from outbox.models import OutboxMail
from reports.models import Report
from reports.services import rendering
from tests.support.pseudo import pseudo_locale, readable_text, unmarked
from tests.support.urls import fill, walk
from tests.support.vendors import event_make, proposal_make
from vendors.models import Proposal, SourcingEvent, Vendor

pytestmark = pytest.mark.django_db

OUR_APPS = ("accounts", "vendors", "contracts", "kpis", "reports", "outbox")
# Page routes that are not pages: the API, its schema, the admin (Django's own), probes, files.
NOT_PAGES = ("api/", "admin/", "healthz", "readyz", "i18n/", "jsi18n/", "logout/")
# Known unmarked text, listed so that it can only shrink: a route here must still show some
# (the test fails once it is clean: then remove it). Empty: every page is clean.
PENDING: dict[str, str] = {}


def typed_data() -> set[str]:
    """Every short text people typed into the database: names, references, titles, file names."""
    values: set[str] = set()
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.FileField) and not f.choices
            ]
            for row in model.objects.values_list(*fields):
                values.update(str(v) for v in row if v)
    return values


def samples() -> dict[str, object]:
    """The demo's objects each route's ids name, by the route's first segment."""
    northwind = get_user_model().objects.get(username="vendor-northwind").vendor
    event = SourcingEvent.objects.get(title=EVENT_TITLE)
    contract = Contract.objects.get(reference=contract_story.REFERENCE)
    open_event = event_make(invited=[northwind])
    return {
        "vendors": northwind,
        "events": event,
        "portal": open_event,
        "proposals": Proposal.objects.filter(event=event, vendor=northwind).first(),
        "proposals-edit": proposal_make(event=open_event, vendor=northwind),
        "events-edit": event_make(invited=[northwind], opened=False),
        "contracts": contract,
        "history": contract,
        "kpis": KpiUpload.objects.filter(vendor=contract.vendor).first(),
        "breaches": Breach.objects.filter(contract=contract).first(),
        "reports": Report.objects.first(),
    }


def sample_for(route: str, objects: dict[str, object]) -> object:
    head = route.split("/", 1)[0]
    if route.endswith("/edit/") and f"{head}-edit" in objects:
        return objects[f"{head}-edit"]
    return objects.get(head)


def page_problems(client, objects: dict[str, object], data: set[str]) -> list[str]:
    problems, pending = [], set()
    routes = [r for r, namespace in walk() if namespace != "admin" and not r.startswith(NOT_PAGES)]
    for user in get_user_model().objects.filter(
        username__in=["procurement", "manager", "auditor", "admin", "vendor-northwind"]
    ):
        client.force_login(user)
        for route in routes:
            try:
                url = fill(route, sample_for(route, objects))
            except KeyError:
                continue
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            found = unmarked(readable_text(response.content.decode()), data)
            if route in PENDING:
                pending.update([route] if found else [])
                continue
            problems += [f"{user.username} GET {url}: {f}" for f in found]
    problems += [f"{r!r} is clean now: remove it from PENDING" for r in set(PENDING) - pending]
    return problems


@pytest.fixture
def captured_pdf_html(monkeypatch):
    """The HTML each report is printed from (the PDF's text, before WeasyPrint)."""
    pages: list[str] = []
    real = rendering.html_to_pdf

    def capture(*, html: str, **kwargs):
        pages.append(html)
        return real(html=html, **kwargs)

    monkeypatch.setattr(rendering, "html_to_pdf", capture)
    return pages


@pytest.mark.timeout(1200)
def test_the_demo_shows_every_role_only_marked_text(client, captured_pdf_html, settings):
    settings.LANGUAGE_CODE = "en"
    with pseudo_locale():
        call_command("load_demo", stdout=io.StringIO())
        contract = Contract.objects.get(reference=contract_story.REFERENCE)
        event = SourcingEvent.objects.get(title=EVENT_TITLE)
        auditor = get_user_model().objects.get(username="auditor")
        window = {"from": "2025-11", "to": "2026-10"}
        for kind, parameters in (
            ("roi", {"contract": contract.pk, **window}),
            ("sla", {"contract": contract.pk, "period": "2026-07"}),
            ("comparison", {"event": event.pk}),
            ("scorecard", {"vendor": contract.vendor_id, **window}),
        ):
            report = rendering.report_request(kind=kind, parameters=parameters, user=auditor)
            rendering.report_render(report_id=report.pk)
        objects = samples()
        data = typed_data() | set(Vendor.objects.values_list("name", flat=True))
        problems = page_problems(client, objects, data)
        for mail in OutboxMail.objects.all():
            found = unmarked(f"{mail.subject}\n{mail.body}", data)
            problems += [f"e-mail {mail.kind} to {mail.recipient}: {f}" for f in found]
        for number, html in enumerate(captured_pdf_html, 1):
            problems += [f"report {number}: {f}" for f in unmarked(readable_text(html), data)]
    assert len(captured_pdf_html) == 4
    assert not problems, f"{len(problems)} unmarked:\n" + "\n".join(problems)


FIXTURE_TEMPLATE = (
    '{% load i18n %}<h1>{% translate "Contracts" %}</h1><p title="{% translate "Vendor" %}">'
    "{% blocktranslate with ref=ref %}Contract {{ ref }} runs{% endblocktranslate %}</p>"
    "<p>{{ ref }}</p>"
)


def render_fixture(extra: str = "") -> str:
    template = engines["django"].from_string(FIXTURE_TEMPLATE + extra)
    with pseudo_locale():
        return template.render({"ref": "NWC-NL-01"})


def test_marked_text_and_typed_data_pass_the_pseudo_locale():
    assert unmarked(readable_text(render_fixture()), data={"NWC-NL-01"}) == []


def test_an_unmarked_template_string_fails_the_pseudo_locale():
    found = unmarked(readable_text(render_fixture("<p>Contract deadline</p>")), {"NWC-NL-01"})
    assert found and "'Contract'" in found[0]


def test_an_unmarked_attribute_fails_the_pseudo_locale():
    page = render_fixture('<button aria-label="Withdraw the proposal">x</button>')
    assert any("'Withdraw'" in f for f in unmarked(readable_text(page), {"NWC-NL-01"}))


def test_a_string_marked_in_python_passes_and_a_plain_one_fails():
    from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext

    with pseudo_locale():
        marked = " ".join(
            [gettext("Contract"), str(gettext_lazy("Vendor")), pgettext("verb", "Open")]
            + [ngettext("%(n)s breach", "%(n)s breaches", 2) % {"n": 2}]
        )
    assert unmarked(marked) == []
    assert unmarked(marked + " Proposal") != []
