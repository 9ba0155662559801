"""Disputes (DOMAIN.md "Disputes"): the vendor contests a breach within `dispute_days`, a
manager accepts (the credit is waived, the month's total follows) or rejects (it stands)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kpis.models import Breach, Dispute, Evaluation
from outbox.models import OutboxMail
from outbox.services import mail_send
from tests.support.disputes import PDF_BYTES, dispute_made, pdf_file
from tests.support.evaluation import make_contract, month_rows, report
from tests.support.factories import UserFactory, VendorFactory
from tests.support.jobs import run_waiver_reevaluations
from tests.support.outbox import deliver_outbox

pytestmark = pytest.mark.django_db

D = Decimal
MARCH = date(2026, 3, 1)


@pytest.fixture(autouse=True)
def mail_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def breach(vendor):
    """March with the service level (3,600) and the ASA (3,000) in breach: 6,600 credit."""
    from kpis.evaluation.service import contract_month_evaluate

    contract = make_contract(vendor)
    report(contract, "2026-03", month_rows(sl="70", asa="35"))
    contract_month_evaluate(contract=contract, period=MARCH)
    return Breach.objects.get(contract=contract, period=MARCH, target__metric="service_level")


@pytest.fixture
def vendor_user(make_user, vendor):
    return make_user("vendor", vendor=vendor, email="vera@vendor.example")


@pytest.fixture
def manager_user(make_user):
    return make_user("manager", email="mia@buyer.example")


def dispute_url(breach, step: str = "") -> str:
    return f"/api/v1/breaches/{breach.pk}/dispute/" + (f"{step}/" if step else "")


def post_dispute(client, breach, *, statement="Our figures show 81 %.", evidence=None):
    body = {"statement": statement, "evidence": evidence or pdf_file()}
    return client.post(dispute_url(breach), body, format="multipart")


def month_credit(breach) -> Decimal:
    return Evaluation.objects.get(
        contract=breach.contract_id, period=breach.period, is_current=True
    ).credit_total


# Opening --------------------------------------------------------------------------------------


def test_the_vendor_disputes_its_breach_and_the_breach_shows_the_open_dispute(
    api_as, breach, vendor_user
):
    response = post_dispute(api_as(vendor_user), breach)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"] == breach.pk and body["status"] == "open"
    dispute = body["dispute"]
    assert dispute["status"] == "open"
    assert dispute["statement"] == "Our figures show 81 %."
    assert dispute["evidence_url"] == f"/api/v1/breaches/{breach.pk}/dispute/evidence/"
    assert dispute["evidence_name"] == "outage_report.pdf"
    assert (dispute["decided_by"], dispute["reason"], dispute["decided_at"]) == (None, "", None)
    assert dispute["opened_by"] == vendor_user.username and dispute["opened_at"]
    assert month_credit(breach) == D("6600.00")  # the credit stands until a decision


def test_a_breach_without_a_dispute_shows_null(api_as, breach, vendor_user):
    answer = api_as(vendor_user).get(f"/api/v1/breaches/{breach.pk}/").json()
    assert answer["dispute"] is None


def test_the_evidence_is_stored_under_its_contract_with_a_random_name(breach, vendor_user):
    dispute = dispute_made(breach, vendor_user)
    name = dispute.evidence.name
    assert name.startswith(f"dispute-evidence/contract-{breach.contract_id}/")
    assert name.endswith(".pdf") and "outage" not in name
    assert dispute.evidence.read() == PDF_BYTES


def test_another_vendor_cannot_see_nor_dispute_the_breach(api_as, breach):
    stranger = UserFactory(role="vendor", vendor=VendorFactory())
    assert post_dispute(api_as(stranger), breach).status_code == 404
    assert not Dispute.objects.exists()


def test_managers_cannot_dispute_and_vendors_cannot_decide(api_as, breach, vendor_user,
                                                           manager_user):  # fmt: skip
    assert post_dispute(api_as(manager_user), breach).status_code == 403
    post_dispute(api_as(vendor_user), breach)
    for step in ("accept", "reject"):
        answer = api_as(vendor_user).post(dispute_url(breach, step), {"reason": "x"})
        assert answer.status_code == 403
    assert Dispute.objects.get().status == "open"


def test_a_dispute_after_the_deadline_is_refused_naming_it(api_as, breach, vendor_user, clock):
    evaluated = Evaluation.objects.get(contract=breach.contract_id, period=MARCH).created_at
    clock.move_to(evaluated + timedelta(days=10, minutes=1))

    response = post_dispute(api_as(vendor_user), breach)

    assert response.status_code == 409
    deadline = timezone.localtime(evaluated + timedelta(days=10))
    message = response.json()["detail"]
    assert "ended on" in message and f"{deadline:%Y-%m-%d %H:%M}" in message
    assert "10 days after the month was evaluated" in message
    assert not Dispute.objects.exists()


def test_a_dispute_on_the_last_day_is_accepted(api_as, breach, vendor_user, clock):
    evaluated = Evaluation.objects.get(contract=breach.contract_id, period=MARCH).created_at
    clock.move_to(evaluated + timedelta(days=9, hours=23))
    assert post_dispute(api_as(vendor_user), breach).status_code == 201


def test_the_contracts_dispute_days_set_the_window(api_as, breach, vendor_user, clock):
    type(breach.contract).objects.filter(pk=breach.contract_id).update(dispute_days=3)
    evaluated = Evaluation.objects.get(contract=breach.contract_id, period=MARCH).created_at
    clock.move_to(evaluated + timedelta(days=4))
    response = post_dispute(api_as(vendor_user), breach)
    assert response.status_code == 409 and "3 days" in response.json()["detail"]


def test_evidence_of_a_wrong_type_or_size_is_refused_naming_the_field(
    api_as, breach, vendor_user, monkeypatch
):
    client = api_as(vendor_user)
    renamed = pdf_file("run.pdf", b"#!/bin/sh\necho owned\n\x00")
    response = post_dispute(client, breach, evidence=renamed)
    assert response.status_code == 400 and "none of the accepted types" in str(
        response.json()["evidence"]
    )
    monkeypatch.setattr("kpis.evaluation.evidence.EVIDENCE_MAX_BYTES", 100)
    big = pdf_file("big.pdf", PDF_BYTES + b"0" * 200)
    response = post_dispute(client, breach, evidence=big)
    assert response.status_code == 400 and "the limit is" in str(response.json()["evidence"])
    assert post_dispute(client, breach, statement="  ").status_code == 400
    assert not Dispute.objects.exists()


def test_one_open_dispute_per_breach_and_a_rejected_one_is_not_reopened(
    api_as, breach, vendor_user, manager_user
):
    client = api_as(vendor_user)
    assert post_dispute(client, breach).status_code == 201
    again = post_dispute(client, breach)
    assert again.status_code == 409 and "already disputed" in again.json()["detail"]
    api_as(manager_user).post(dispute_url(breach, "reject"), {"reason": "Our logs differ."})
    reopened = post_dispute(client, breach)
    assert reopened.status_code == 409
    assert "rejected dispute cannot be reopened" in reopened.json()["detail"]
    assert Dispute.objects.count() == 1


# Deciding -------------------------------------------------------------------------------------


def test_accepting_waives_the_credit_and_the_months_total_drops_by_it_exactly(
    api_as, breach, vendor_user, manager_user
):
    dispute_made(breach, vendor_user)
    response = api_as(manager_user).post(
        dispute_url(breach, "accept"), {"reason": "Buyer telephony outage"}, format="json"
    )
    run_waiver_reevaluations()

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "waived"
    assert body["reason"] == "dispute accepted: Buyer telephony outage"
    assert body["dispute"]["status"] == "accepted"
    assert body["dispute"]["decided_by"] == manager_user.username
    assert body["dispute"]["reason"] == "Buyer telephony outage"
    # 6,600 - the service level's 30 % x 12,000 at risk = 3,000
    assert month_credit(breach) == D("3000.00")


def test_rejecting_keeps_the_credit_and_needs_a_reason(api_as, breach, vendor_user,
                                                        manager_user):  # fmt: skip
    dispute_made(breach, vendor_user)
    client = api_as(manager_user)
    assert client.post(dispute_url(breach, "reject"), {"reason": " "}).status_code == 400
    response = client.post(dispute_url(breach, "reject"), {"reason": "Logs show 70 %."})
    run_waiver_reevaluations()

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "open" and body["dispute"]["status"] == "rejected"
    assert body["dispute"]["reason"] == "Logs show 70 %."
    assert month_credit(breach) == D("6600.00")
    again = client.post(dispute_url(breach, "accept"), {"reason": "changed my mind"})
    assert again.status_code == 409 and "already decided" in again.json()["detail"]


def test_deciding_a_breach_nobody_disputed_is_a_conflict(api_as, breach, manager_user):
    answer = api_as(manager_user).post(dispute_url(breach, "accept"), {"reason": "x"})
    assert answer.status_code == 409 and "not been disputed" in answer.json()["detail"]


# Evidence ------------------------------------------------------------------------------------


def test_the_evidence_is_served_as_a_safe_attachment_to_those_who_may_read_the_breach(
    client, breach, vendor_user, auditor_user, manager_user
):
    dispute_made(breach, vendor_user)
    url = dispute_url(breach, "evidence")
    for reader in (vendor_user, auditor_user, manager_user):
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 200, reader
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="outage_report.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"


def test_another_vendors_user_gets_404_for_the_evidence(client, breach, vendor_user):
    dispute_made(breach, vendor_user)
    client.force_login(UserFactory(role="vendor", vendor=VendorFactory()))
    assert client.get(dispute_url(breach, "evidence")).status_code == 404


# E-mails and history -------------------------------------------------------------------------


def test_each_side_is_e_mailed_once_per_step_even_when_the_send_task_runs_twice(
    api_as, breach, vendor_user, manager_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        dispute = dispute_made(breach, vendor_user)
    from kpis.evaluation.dispute_notices import dispute_opened_notify

    assert dispute_opened_notify(dispute=dispute) == 0  # the step's e-mails are kept already
    opened = OutboxMail.objects.get(kind="dispute_opened")
    assert opened.recipient == "mia@buyer.example" and opened.key == f"dispute:{dispute.pk}:opened"
    assert mail_send(mail_id=opened.pk) is True
    assert mail_send(mail_id=opened.pk) is False  # a second run of the task sends nothing
    assert len(mail.outbox) == 1
    assert "disputes the breach of Service level (phone)" in mail.outbox[0].subject
    assert "Our figures" not in mail.outbox[0].body
    assert "The outage was the buyer's telephony." in mail.outbox[0].body

    api_as(manager_user).post(dispute_url(breach, "reject"), {"reason": "Logs show 70 %."})
    assert deliver_outbox() == 1 and deliver_outbox() == 0
    told = mail.outbox[-1]
    assert told.to == ["vera@vendor.example"]
    assert "was rejected" in told.subject and "Logs show 70 %." in told.body


def test_the_history_of_the_breach_shows_the_exchange(
    client, api_as, breach, vendor_user, manager_user, auditor_user
):
    dispute_made(breach, vendor_user, statement="Buyer-side outage on 3 March.")
    api_as(manager_user).post(dispute_url(breach, "accept"), {"reason": "Confirmed by IT."})
    versions = Dispute.history.order_by("history_id")
    assert [(v.status, v.history_user_id) for v in versions] == [
        ("open", vendor_user.pk), ("accepted", manager_user.pk),
    ]  # fmt: skip
    client.force_login(auditor_user)
    page = client.get(f"/history/kpis/breach/{breach.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Buyer-side outage on 3 March." in text and "Confirmed by IT." in text


def test_the_breach_list_reads_disputes_without_a_query_per_breach(api_as, breach, vendor_user):
    client = api_as(vendor_user)
    dispute_made(breach, vendor_user)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/breaches/").status_code == 200
    other = Breach.objects.exclude(pk=breach.pk).get()
    dispute_made(other, vendor_user)
    with CaptureQueriesContext(connection) as two:
        answer = client.get("/api/v1/breaches/").json()
    assert [b["dispute"]["status"] for b in answer["results"]] == ["open", "open"]
    assert len(two.captured_queries) == len(one.captured_queries)
