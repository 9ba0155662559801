"""Awarding a closed event: the contract freezes the winning bid's terms; once only."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from contracts.models import Contract
from contracts.services.award import award_notify
from tests.support.outbox import deliver_outbox
from tests.support.vendors import (
    MINIMUM,
    MONTHLY_FEE,
    RATE,
    SETUP_FEE,
    closed_event_with_proposals,
    event_make,
    proposal_make,
    vendor_make,
)
from vendors.models import EventStage, SourcingEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed():
    winner, loser = vendor_make("Winner BV"), vendor_make("Runner-up BV")
    event, proposals = closed_event_with_proposals(winner, loser)
    return event, proposals


def award(client, event, proposal, reference="WIN-NL-01"):
    return client.post(
        f"/api/v1/events/{event.pk}/award/",
        {"proposal": proposal.pk, "reference": reference, "start_date": "2027-01-01"},
        format="json",
    )


def test_awarding_copies_and_freezes_the_bid_into_a_draft_contract(api_as, make_user, closed):
    event, (winning, _) = closed
    response = award(api_as(make_user("procurement")), event, winning)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["proposal"] == winning.pk
    assert (body["start_date"], body["end_date"]) == ("2027-01-01", "2028-12-31")  # 24 months
    assert Decimal(body["pricing"][0]["rate"]) == Decimal(RATE)
    assert Decimal(body["one_off_fees"]["setup"]) == Decimal(SETUP_FEE)
    assert Decimal(body["monthly_fees"][0]["amount"]) == Decimal(MONTHLY_FEE)
    assert body["minimum_monthly_charge"] == MINIMUM
    assert SourcingEvent.objects.get(pk=event.pk).stage == EventStage.AWARDED


def test_the_contract_keeps_its_terms_when_the_proposal_rows_change(api_as, make_user, closed):
    event, (winning, _) = closed
    contract_id = award(api_as(make_user("procurement")), event, winning).json()["id"]
    winning.prices.update(rate=Decimal("1.00"))
    assert Decimal(Contract.objects.get(pk=contract_id).pricing[0]["rate"]) == Decimal(RATE)


def test_awarding_twice_is_a_conflict(api_as, make_user, closed):
    event, (winning, other) = closed
    client = api_as(make_user("procurement"))
    assert award(client, event, winning).status_code == 201
    assert award(client, event, other, reference="WIN-NL-02").status_code == 409


def test_an_event_cannot_be_awarded_before_its_deadline(api_as, make_user):
    vendor = vendor_make()
    event = event_make(invited=[vendor])
    proposal = proposal_make(event=event, vendor=vendor)
    assert award(api_as(make_user("procurement")), event, proposal).status_code == 409


def test_a_proposal_of_another_event_is_not_found(api_as, make_user, closed):
    event, _ = closed
    _, (foreign,) = closed_event_with_proposals(vendor_make())
    assert award(api_as(make_user("procurement")), event, foreign).status_code == 404


def test_a_disqualified_proposal_cannot_be_awarded(api_as, make_user):
    unqualified = vendor_make(certifications=[])  # lacks the must-have GDPR DPA
    event, (proposal,) = closed_event_with_proposals(unqualified)
    response = award(api_as(make_user("procurement")), event, proposal)
    assert response.status_code == 400 and "GDPR DPA" in str(response.json())


def test_a_used_reference_is_a_field_error(api_as, make_user, closed, vendor):
    Contract.objects.create(
        reference="WIN-NL-01", vendor=vendor, currency="EUR",
        start_date=date(2026, 1, 1), end_date=date(2026, 12, 31),
    )  # fmt: skip
    event, (winning, _) = closed
    response = award(api_as(make_user("procurement")), event, winning)
    assert response.status_code == 400 and "reference" in response.json()


@pytest.mark.parametrize("role", ["manager", "admin", "auditor", "vendor"])
def test_only_procurement_awards_through_the_api(api_as, make_user, closed, vendor, role):
    event, (winning, _) = closed
    user = make_user(role, vendor=vendor if role == "vendor" else None)
    assert award(api_as(user), event, winning).status_code == 403
    assert not Contract.objects.exists()
    assert SourcingEvent.objects.get(pk=event.pk).stage == EventStage.OPEN


def test_every_bidder_is_told_the_outcome_once_by_email(api_as, make_user, closed):
    event, (winning, losing) = closed
    make_user("vendor", vendor=losing.vendor, email="bids@runnerup.example")
    make_user("vendor", vendor=winning.vendor, email="bids@winner.example")
    assert award(api_as(make_user("procurement")), event, winning).status_code == 201
    assert award_notify(event_id=event.pk) == 2  # a redelivery adds nothing
    assert deliver_outbox() == 2
    told = {m.to[0]: m for m in mail.outbox}
    assert "not selected" in told["bids@runnerup.example"].body
    assert "WIN-NL-01" in told["bids@winner.example"].body
    assert all(event.title in m.subject for m in mail.outbox)


def test_an_fte_bid_contracts_the_stated_or_required_fte(api_as, make_user):
    vendor = vendor_make()
    real_now = timezone.now()
    event = event_make(
        invited=[vendor], bid_deadline=real_now - timedelta(minutes=1),
        now=real_now - timedelta(hours=2),
    )  # fmt: skip
    proposal = proposal_make(
        event=event, vendor=vendor, now=real_now - timedelta(hours=1),
        pricing=[{"channel": None, "model": "per_fte_month", "rate": "5200", "stated_fte": "3"}],
    )  # fmt: skip
    body = award(api_as(make_user("procurement")), event, proposal).json()
    # phone needs many more than 3 FTE at 12,000 calls, so the required FTE is contracted.
    assert Decimal(body["contracted_fte"]["phone"]) > 3
    assert "email" in body["contracted_fte"]


def test_the_award_page_ranks_the_bids_and_awards_one(client, make_user, closed):
    event, (winning, _) = closed
    client.force_login(make_user("procurement"))
    page = client.get(f"/contracts/award/{event.pk}/").content.decode()
    assert "Winner BV" in page and "Runner-up BV" in page and "TCO" in page
    choices = {"proposal": winning.pk, "reference": "PAGE-01", "start_date": "2027-02-01"}
    review = client.post(f"/contracts/award/{event.pk}/", {**choices, "step": "review"})
    assert "Confirm award" in review.content.decode() and not Contract.objects.exists()
    response = client.post(f"/contracts/award/{event.pk}/", {**choices, "step": "confirm"})
    contract = Contract.objects.get(reference="PAGE-01")
    assert response.status_code == 302 and response.url == f"/contracts/{contract.pk}/"
    again = client.get(f"/contracts/award/{event.pk}/").content.decode()
    assert "already been awarded" in again


def test_the_award_page_shows_bad_references_on_the_field(client, make_user, closed):
    event, (winning, _) = closed
    client.force_login(make_user("procurement"))
    response = client.post(
        f"/contracts/award/{event.pk}/",
        {"proposal": winning.pk, "reference": "bad ref", "start_date": "2027-02-01"},
    )
    assert response.status_code == 200 and "capital letters" in response.content.decode()
    assert not Contract.objects.exists()


def test_the_award_page_is_sealed_before_the_deadline(client, make_user):
    vendor = vendor_make()
    event = event_make(invited=[vendor])
    proposal_make(event=event, vendor=vendor)
    client.force_login(make_user("procurement"))
    page = client.get(f"/contracts/award/{event.pk}/").content.decode()
    assert "sealed until the deadline" in page and "TCO" not in page


def test_vendors_and_auditors_cannot_open_the_award_page(client, make_user, closed, vendor):
    event, _ = closed
    client.force_login(make_user("vendor", vendor=vendor))
    assert client.get(f"/contracts/award/{event.pk}/").status_code == 404
    client.force_login(make_user("auditor"))
    assert client.get(f"/contracts/award/{event.pk}/").status_code == 403


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_and_admins_cannot_award_on_the_page(client, make_user, closed, role):
    event, (winning, _) = closed
    client.force_login(make_user(role))
    assert client.get(f"/contracts/award/{event.pk}/").status_code == 403
    response = client.post(
        f"/contracts/award/{event.pk}/",
        {"proposal": winning.pk, "reference": "PAGE-01", "start_date": "2027-02-01"},
    )
    assert response.status_code == 403 and not Contract.objects.exists()


@pytest.mark.parametrize(("role", "shown"), [("procurement", True), ("manager", False),
                                             ("admin", False), ("auditor", False)])  # fmt: skip
def test_the_award_button_shows_only_to_procurement(client, make_user, closed, role, shown):
    event, _ = closed
    client.force_login(make_user(role))
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert ('data-testid="award-link"' in page) is shown
