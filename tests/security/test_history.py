"""The audit trail: every listed model keeps its versions, bulk writes included, and auditors
read them per object on /history/<app>/<model>/<pk>/ (vendors never; sealed bids stay sealed)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.models import SlaTarget
from contracts.services.amendments import amendment_create
from core import formatting
from kpis.evaluation.breaches import breach_acknowledge, breach_waive
from kpis.evaluation.service import contract_month_evaluate
from kpis.models import Breach, KpiValue
from tests.support.evaluation import make_contract, month_rows, report
from tests.support.jobs import run_waiver_reevaluations
from tests.support.vendors import event_make, proposal_make, vendor_make

pytestmark = pytest.mark.django_db


def history_url(obj) -> str:
    meta = obj._meta
    return reverse("object-history", args=[meta.app_label, meta.model_name, obj.pk])


def test_kpi_values_stored_by_copy_leave_a_version_and_a_revision_retires_the_old_one(
    vendor, manager_user
):
    contract = make_contract(vendor)
    report(contract, "2026-03", month_rows(sl="82"), user=manager_user)
    values = KpiValue.objects.filter(contract=contract)
    first = values.get(metric="service_level")
    assert KpiValue.history.filter(history_type="+").count() == values.count()
    assert first.history.get().history_user == manager_user

    report(contract, "2026-03", month_rows(sl="70"), user=manager_user)
    retired = first.history.order_by("history_date")
    assert [row.history_type for row in retired] == ["+", "~"]
    assert retired.last().is_current is False
    assert "Superseded" in retired.last().history_change_reason
    revised = KpiValue.objects.get(contract=contract, metric="service_level", is_current=True)
    assert revised.history.get().history_type == "+"


def test_breach_decisions_made_by_update_leave_who_and_why(vendor, manager_user):
    contract = make_contract(vendor)
    report(contract, "2026-03", month_rows(sl="70"))
    contract_month_evaluate(contract=contract, period=date(2026, 3, 1))
    breach = Breach.objects.get(contract=contract, target__metric="service_level")
    assert breach.history.get().history_type == "+"

    breach_acknowledge(breach=breach, user=manager_user, reason="Known outage")
    breach_waive(breach=breach, user=manager_user, reason="Storm week, agreed with vendor")
    run_waiver_reevaluations()
    rows = list(breach.history.order_by("history_date", "history_id"))
    statuses = [(row.status, row.history_user_id, row.history_change_reason) for row in rows]
    assert ("acknowledged", manager_user.pk, "Acknowledged") in statuses
    assert ("waived", manager_user.pk, "Waived") in statuses
    assert rows[-1].reason == "Storm week, agreed with vendor"


def test_an_auditor_reads_a_contracts_targets_and_amendments_on_its_history_page(
    client, vendor, manager_user, auditor_user
):
    contract = make_contract(vendor, user=manager_user)
    sl = contract.targets.get(metric="service_level")
    assert sl.history.filter(history_type="+").exists()  # bulk-created targets too
    amendment_create(
        contract=contract, effective_month=date(2026, 6, 1), user=manager_user,
        reason="Tighter service level",
        changes={"targets": {"change": [{"id": sl.pk, "expected": "83"}]}},
    )  # fmt: skip
    client.force_login(auditor_user)
    page = client.get(history_url(contract))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tighter service level" in text  # the amendment, and its reason on the closed target
    assert "Valid until" in text and "2026-05-31" in text  # closed target: before -> after
    assert "83" in text  # the replacing target's expected level
    assert "Activated" in text and manager_user.username in text
    replacement = SlaTarget.objects.get(replaces=sl)
    assert client.get(history_url(replacement)).status_code == 200
    detail = client.get(reverse("contract-detail", args=[contract.pk])).content.decode()
    assert history_url(contract) in detail


def test_the_history_page_is_paginated(client, auditor_user):
    vendor = vendor_make("Paged BV")
    for n in range(30):
        vendor.headcount = n + 1
        vendor.save()
    client.force_login(auditor_user)
    first = client.get(history_url(vendor))
    assert first.content.decode().count('data-testid="history-entry"') == 25
    second = client.get(history_url(vendor) + "?page=2")
    assert second.content.decode().count('data-testid="history-entry"') >= 5


def test_unknown_models_and_objects_are_not_found(client, auditor_user, vendor):
    client.force_login(auditor_user)
    assert client.get("/history/accounts/user/1/").status_code == 404
    assert client.get("/history/kpis/kpiupload/1/").status_code == 404
    assert client.get("/history/vendors/vendor/999999/").status_code == 404
    assert client.get(history_url(vendor)).status_code == 200


@pytest.mark.parametrize("role, expected", [("vendor", 404), ("manager", 403),
                                            ("procurement", 403), ("admin", 200)])  # fmt: skip
def test_only_auditors_and_admins_read_history_and_vendors_never_see_it(
    client, make_user, vendor, role, expected
):
    client.force_login(make_user(role, vendor=vendor if role == "vendor" else None))
    assert client.get(history_url(vendor)).status_code == expected


def test_a_proposals_history_is_sealed_until_the_deadline(client, auditor_user):
    ours = vendor_make("Sealed BV")
    event = event_make(invited=[ours], bid_deadline=timezone.now() + timedelta(days=3))
    proposal = proposal_make(event=event, vendor=ours)
    client.force_login(auditor_user)
    assert client.get(history_url(proposal)).status_code == 404
    assert client.get(history_url(event)).status_code == 200


def test_a_proposals_rates_fees_and_languages_keep_their_versions(client, auditor_user):
    """A vendor changes its phone rate and monthly fee before the deadline; after it, the
    auditor reads the old and the new rows on the proposal's history page."""
    from tests.support.vendors import MONTHLY_FEE, RATE, proposal_values
    from vendors.models import ProposalMonthlyFee, ProposalPrice, SourcingEvent
    from vendors.services.proposals import proposal_update

    real_now = timezone.now()
    ours = vendor_make("Versioned BV")
    event = event_make(
        invited=[ours],
        bid_deadline=real_now + timedelta(days=3),
        now=real_now - timedelta(hours=2),
    )
    proposal = proposal_make(event=event, vendor=ours, now=real_now - timedelta(hours=1))
    pricing = proposal_values()["pricing"]
    pricing[0] = {**pricing[0], "rate": "31.7700"}
    fees = [{"name": "Account management", "amount": "2222.22"}]
    data = {"pricing": pricing, "monthly_fees": fees}
    proposal_update(proposal=proposal, data=data, now=real_now - timedelta(minutes=30))
    phone = ProposalPrice.history.filter(proposal_id=proposal.pk, channel="phone")
    assert sorted(phone.values_list("history_type", "rate")) == [
        ("+", Decimal("31.77")),
        ("+", Decimal(RATE)),
        ("-", Decimal(RATE)),
    ]
    versions = ProposalMonthlyFee.history.filter(proposal_id=proposal.pk)
    assert sorted(versions.values_list("history_type", "amount")) == [
        ("+", Decimal("2222.22")),
        ("+", Decimal(MONTHLY_FEE)),
        ("-", Decimal(MONTHLY_FEE)),
    ]
    SourcingEvent.objects.filter(pk=event.pk).update(bid_deadline=real_now - timedelta(minutes=1))
    client.force_login(auditor_user)
    page = client.get(history_url(proposal)).content.decode()
    # Amounts as the reader writes them (English: grouped thousands, no padding zeros).
    assert "31.77" in page and "2,222.22" in page and formatting.number(MONTHLY_FEE) in page
