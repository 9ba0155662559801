"""Dispute pages: the vendor's action and form, the manager's panel and decision, the marks."""

from datetime import date, timedelta

import pytest

from kpis.evaluation.service import contract_month_evaluate
from kpis.models import Breach, Dispute, Evaluation
from tests.support.disputes import dispute_made, pdf_file
from tests.support.evaluation import make_contract, month_rows, report
from tests.support.factories import UserFactory, VendorFactory
from tests.support.jobs import run_waiver_reevaluations

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 1)


@pytest.fixture
def breach(vendor):
    contract = make_contract(vendor)
    report(contract, "2026-03", month_rows(sl="70"))
    contract_month_evaluate(contract=contract, period=MARCH)
    return Breach.objects.get(contract=contract, period=MARCH)


def page(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_vendors_breach_list_offers_a_dispute_with_its_deadline(client, breach, vendor_user):
    text = page(client, vendor_user, "/breaches/")
    assert 'data-testid="dispute-action"' in text and f"/breaches/{breach.pk}/dispute/" in text
    evaluated = Evaluation.objects.get(contract=breach.contract_id).created_at
    assert f"{evaluated + timedelta(days=10):%Y-%m-%d}" in text
    assert "Acknowledge it, or waive" not in text
    assert "dispute it with a statement and evidence" in text


def test_the_vendor_disputes_through_the_form_and_the_credit_reads_disputed(
    client, breach, vendor_user
):
    client.force_login(vendor_user)
    response = client.post(
        f"/breaches/{breach.pk}/dispute/",
        {"statement": "Buyer-side outage on 3 March.", "evidence": pdf_file()},
    )
    assert response.status_code == 302
    assert Dispute.objects.get().statement == "Buyer-side outage on 3 March."
    exchange = page(client, vendor_user, f"/breaches/{breach.pk}/dispute/")
    assert "Buyer-side outage on 3 March." in exchange and "outage_report.pdf" in exchange
    assert 'data-testid="dispute-form"' not in exchange  # once only
    listed = page(client, vendor_user, "/breaches/")
    assert 'data-testid="disputed"' in listed
    month = page(client, vendor_user, f"/contracts/{breach.contract_id}/sla/2026-03/")
    assert 'data-testid="disputed"' in month and "Buyer-side outage on 3 March." in month
    grid = page(
        client, vendor_user, f"/contracts/{breach.contract_id}/sla/?from=2026-03&to=2026-03"
    )
    assert 'data-testid="cell-disputed"' in grid


def test_a_refused_file_is_shown_on_the_form(client, breach, vendor_user):
    client.force_login(vendor_user)
    response = client.post(
        f"/breaches/{breach.pk}/dispute/",
        {"statement": "x", "evidence": pdf_file("x.pdf", b"MZ\x90\x00binary")},
    )
    assert response.status_code == 400
    assert "none of the accepted types" in response.content.decode()
    assert not Dispute.objects.exists()


def test_after_the_deadline_the_page_says_why_and_offers_no_form(
    client, breach, vendor_user, clock
):
    clock.move_to(Evaluation.objects.get().created_at + timedelta(days=11))
    text = page(client, vendor_user, f"/breaches/{breach.pk}/dispute/")
    assert "The time to dispute this breach ended on" in text
    assert 'data-testid="dispute-form"' not in text
    assert 'data-testid="dispute-action"' not in page(client, vendor_user, "/breaches/")


def test_another_vendor_gets_404_and_a_manager_cannot_dispute(client, breach, manager_user):
    client.force_login(UserFactory(role="vendor", vendor=VendorFactory()))
    assert client.get(f"/breaches/{breach.pk}/dispute/").status_code == 404
    client.force_login(manager_user)
    answer = client.post(f"/breaches/{breach.pk}/dispute/", {"statement": "x"})
    assert answer.status_code == 403


def test_the_manager_sees_the_panel_and_rejects_only_with_a_reason(
    client, breach, vendor_user, manager_user
):
    dispute_made(breach, vendor_user)
    home = page(client, manager_user, "/")
    assert "Disputes awaiting your decision" in home and 'data-testid="disputes-awaiting"' in home
    url = f"/breaches/{breach.pk}/dispute/decide/"
    refused = client.post(url, {"action": "reject", "reason": ""})
    assert refused.status_code == 400
    assert "Say why the dispute is rejected." in refused.content.decode()
    assert client.post(url, {"action": "reject", "reason": "Logs show 70 %."}).status_code == 302
    assert Dispute.objects.get().status == "rejected"
    assert "No dispute awaits a decision." in page(client, manager_user, "/")
    exchange = page(client, vendor_user, f"/breaches/{breach.pk}/dispute/")
    assert "Logs show 70 %." in exchange and "the credit stands" in exchange


def test_the_manager_accepts_and_the_credit_is_waived(client, breach, vendor_user, manager_user):
    dispute_made(breach, vendor_user)
    client.force_login(manager_user)
    url = f"/breaches/{breach.pk}/dispute/decide/"
    assert client.post(url, {"action": "accept", "reason": "IT confirmed"}).status_code == 302
    run_waiver_reevaluations()
    breach.refresh_from_db()
    assert (breach.status, breach.reason) == ("waived", "dispute accepted: IT confirmed")


def test_a_vendor_cannot_decide(client, breach, vendor_user):
    dispute_made(breach, vendor_user)
    client.force_login(vendor_user)
    answer = client.post(f"/breaches/{breach.pk}/dispute/decide/", {"action": "accept"})
    assert answer.status_code == 403
    assert Dispute.objects.get().status == "open"


def test_the_auditor_reads_the_exchange(client, breach, vendor_user, auditor_user):
    dispute_made(breach, vendor_user, statement="Buyer-side outage.")
    text = page(client, auditor_user, f"/breaches/{breach.pk}/dispute/")
    assert "Buyer-side outage." in text
    assert 'data-testid="decide-form"' not in text and 'data-testid="dispute-form"' not in text
