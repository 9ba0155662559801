"""A report is written in the language of the person who asked for it, and records which."""

import pytest
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from accounts.services.tokens import token_issue
from reports import kinds
from reports.models import Report
from reports.services.rendering import report_render, report_request
from tests.support.reports import plain_months, roi_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(vendor):
    contract = roi_contract(vendor, years=1)
    plain_months(contract, 2)
    return contract


def roi(contract) -> dict:
    return {"kind": "roi", "contract": contract.pk, "from": "2026-01", "to": "2026-02"}


def test_a_report_requested_by_a_romanian_user_records_ro_and_the_centre_shows_it(
    make_user, contract
):
    user = make_user("auditor", language="ro")
    key = token_issue(user=user)[1]
    api = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.post("/api/v1/reports/", roi(contract), format="json")
    assert response.status_code == 202, response.content
    assert response.json()["language"] == "ro"
    assert Report.objects.get(pk=response.json()["id"]).language == "ro"
    page = Client()
    page.force_login(user)
    centre = page.get("/reports/").content.decode()
    assert 'data-testid="report-language" lang="ro">Română' in centre


def test_a_report_asked_for_on_a_page_is_written_in_the_language_the_page_speaks(
    make_user, contract
):
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(make_user("auditor"))
    client.post("/reports/", roi(contract))
    assert Report.objects.get().language == "es"


def test_a_report_requested_without_a_page_uses_the_requesters_saved_language(make_user, contract):
    user = make_user("auditor", language="nl")
    assert report_request(kind="roi", parameters=roi(contract), user=user).language == "nl"
    other = make_user("auditor")
    assert report_request(kind="roi", parameters=roi(contract), user=other).language == "en"


def test_the_renderer_builds_the_report_in_its_recorded_language(monkeypatch, make_user):
    heard = []

    def build(parameters):
        heard.append(translation.get_language())
        raise RuntimeError("stop before the PDF")

    monkeypatch.setitem(kinds._KINDS, "roi", kinds.ReportKindSpec(build=build))
    report = Report.objects.create(kind="roi", parameters={}, language="ro")
    with translation.override("en"):
        report_render(report_id=report.pk)
    assert heard == ["ro"]
