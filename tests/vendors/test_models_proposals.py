"""Proposals and ratings through the domain functions: validation, freezing, withdrawal."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from core.errors import Conflict
from tests.support.vendors import (
    COMPONENT_RATE,
    RATE,
    SETUP_FEE,
    closed_event_with_proposals,
    event_make,
    proposal_make,
    proposal_values,
    vendor_make,
)
from vendors.models import ProposalRating, ProposalStatus
from vendors.selectors import proposal_prices_visible
from vendors.services.proposals import (
    proposal_submit,
    proposal_update,
    proposal_withdraw,
    rating_set,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bidder():
    return vendor_make()


@pytest.fixture
def event(bidder):
    return event_make(invited=[bidder])


def errors_of(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def submit(event, vendor, **overrides):
    return lambda: proposal_make(event=event, vendor=vendor, **overrides)


def test_a_submitted_proposal_stores_prices_components_fees_and_languages(event, bidder):
    proposal = proposal_make(event=event, vendor=bidder)
    phone, rest = proposal.prices.all()
    assert (phone.channel, phone.model, phone.rate) == (
        "phone",
        "per_production_hour",
        Decimal(RATE),
    )
    assert rest.channel == "" and rest.model == "hybrid"
    assert [c.rate for c in rest.components.all()] == [Decimal(COMPONENT_RATE), Decimal("0.82")]
    assert proposal.setup_fee == Decimal(SETUP_FEE)
    assert [lang.tag for lang in proposal.languages.all()] == ["nl", "en-GB"]
    assert proposal.status == ProposalStatus.SUBMITTED and proposal.submitted_at is not None


@pytest.mark.parametrize(
    "pricing, field, message",
    [
        (
            [{"channel": None, "model": "per_seat", "rate": "1"}],
            "pricing[0].model",
            "not a pricing model",
        ),
        (
            [{"channel": "fax", "model": "per_contact", "rate": "1"}],
            "pricing[0].channel",
            "not a channel",
        ),
        (
            [{"channel": None, "model": "per_contact", "rate": "-1"}],
            "pricing[0].rate",
            "Must not be negative.",
        ),
        (
            [{"channel": None, "model": "per_contact", "rate": "abc"}],
            "pricing[0].rate",
            "not a number",
        ),
        ([{"channel": None, "model": "per_contact"}], "pricing[0].rate", "A rate is required."),
        (
            [{"channel": None, "model": "per_contact", "rate": "1.23456"}],
            "pricing[0].rate",
            "at most 4 decimal",
        ),
        (
            [
                {
                    "channel": None,
                    "model": "hybrid",
                    "components": [
                        {"model": "per_contact", "rate": "4", "share": "0.5"},
                        {"model": "per_production_hour", "rate": "30", "share": "0.4"},
                    ],
                }
            ],
            "pricing[0].components",
            "Shares must sum to 1, they sum to 0.9000.",
        ),
        (
            [
                {
                    "channel": None,
                    "model": "per_contact",
                    "rate": "4",
                    "components": [{"model": "per_contact", "rate": "4", "share": "1"}],
                }
            ],
            "pricing[0].components",
            "Only a hybrid price has components.",
        ),
        (
            [
                {"channel": None, "model": "per_contact", "rate": "4"},
                {"channel": None, "model": "per_contact", "rate": "5"},
            ],
            "pricing[1].channel",
            "All channels are priced more than once.",
        ),
        ([], "pricing", "At least one price is needed."),
        ("per_contact", "pricing", "Expected a list of objects."),
    ],
)
def test_bad_prices_are_field_errors_with_pricing_rules(event, bidder, pricing, field, message):
    errors = errors_of(submit(event, bidder, pricing=pricing))
    assert any(message in text for text in errors[field]), errors


def test_a_price_for_a_channel_the_event_does_not_need_is_refused(event, bidder):
    pricing = [{"channel": "social", "model": "per_contact", "rate": "4"}]
    errors = errors_of(submit(event, bidder, pricing=pricing))
    assert errors["pricing[0].channel"] == [
        "The event does not include social; it needs phone, email."
    ]


def test_every_channel_of_the_event_must_be_priced(event, bidder):
    pricing = [{"channel": "phone", "model": "per_contact", "rate": "4"}]
    errors = errors_of(submit(event, bidder, pricing=pricing))
    assert errors["pricing"] == ["email is not priced; price it or give a price for all."]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"one_off_fees": {"setup": "-100"}}, "one_off_fees.setup"),
        ({"one_off_fees": {"setup": "ten"}}, "one_off_fees.setup"),
        ({"one_off_fees": {"travel": "10"}}, "one_off_fees.travel"),
        ({"one_off_fees": ["setup"]}, "one_off_fees"),
        ({"monthly_fees": [{"name": "", "amount": "10"}]}, "monthly_fees[0].name"),
        ({"monthly_fees": [{"name": "Licences", "amount": "-1"}]}, "monthly_fees[0].amount"),
        ({"minimum_monthly_charge": "-0.01"}, "minimum_monthly_charge"),
        ({"minimum_monthly_charge": "1e20"}, "minimum_monthly_charge"),
        ({"languages": [{"tag": "nl", "level": "fluent"}]}, "languages[0].level"),
        ({"languages": [{"tag": "dutch", "level": "C1"}]}, "languages[0].tag"),
        (
            {"languages": [{"tag": "nl", "level": "C1", "hours_coverage": "1.5"}]},
            "languages[0].hours_coverage",
        ),
        ({"currency": "EURO"}, "currency"),
    ],
)
def test_bad_fees_languages_and_currencies_are_field_errors(event, bidder, overrides, field):
    assert field in errors_of(submit(event, bidder, **overrides))


def test_a_currency_without_an_fx_rate_is_refused(event, bidder):
    errors = errors_of(submit(event, bidder, currency="GBP"))
    assert errors["currency"] == ["This event has no FX rate for GBP; price in EUR or USD."]


def test_a_currency_with_an_fx_rate_is_accepted(event, bidder):
    assert proposal_make(event=event, vendor=bidder, currency="usd").currency == "USD"


def test_a_vendor_has_one_live_proposal_per_event(event, bidder):
    first = proposal_make(event=event, vendor=bidder)
    with pytest.raises(Conflict, match=f"Your proposal {first.pk} for this event exists"):
        proposal_make(event=event, vendor=bidder)
    proposal_withdraw(proposal=first)
    assert proposal_make(event=event, vendor=bidder).pk != first.pk


def test_an_uninvited_vendor_finds_no_event(event):
    with pytest.raises(Http404):
        proposal_make(event=event, vendor=vendor_make())


def test_a_draft_event_takes_no_proposal(bidder):
    draft = event_make(invited=[bidder], opened=False)
    with pytest.raises(Http404):
        proposal_make(event=draft, vendor=bidder)


def test_bids_are_frozen_from_the_deadline_on(bidder):
    late = vendor_make()
    event = event_make(invited=[bidder, late])
    proposal = proposal_make(event=event, vendor=bidder)
    at_deadline = event.bid_deadline
    frozen = f"Bids are frozen since {event.bid_deadline.isoformat()}."
    with pytest.raises(Conflict, match="Bids are frozen since") as caught:
        proposal_update(proposal=proposal, data={"minimum_monthly_charge": "1"}, now=at_deadline)
    assert str(caught.value) == frozen
    with pytest.raises(Conflict, match="Bids are frozen since"):
        proposal_withdraw(proposal=proposal, now=at_deadline)
    with pytest.raises(Conflict, match="Bids are frozen since"):
        proposal_submit(event=event, vendor=late, now=at_deadline, **proposal_values())


def test_an_update_changes_only_the_parts_given(event, bidder):
    proposal = proposal_make(event=event, vendor=bidder)
    later = timezone.now() + timedelta(minutes=5)
    proposal_update(proposal=proposal, data={"minimum_monthly_charge": "100.50"}, now=later)
    proposal.refresh_from_db()
    assert proposal.minimum_monthly_charge == Decimal("100.50")
    assert proposal.setup_fee == Decimal(SETUP_FEE) and proposal.prices.count() == 2
    assert proposal.updated_at == later and proposal.submitted_at < later


def test_one_off_fees_left_out_of_an_update_keep_their_amounts(event, bidder):
    proposal = proposal_make(event=event, vendor=bidder)
    proposal_update(proposal=proposal, data={"one_off_fees": {"training": "0"}})
    proposal.refresh_from_db()
    assert (proposal.setup_fee, proposal.training_fee) == (Decimal(SETUP_FEE), Decimal(0))


def test_an_update_is_validated_whole(event, bidder):
    proposal = proposal_make(event=event, vendor=bidder)
    errors = errors_of(lambda: proposal_update(proposal=proposal, data={"currency": "GBP"}))
    assert "no FX rate for GBP" in errors["currency"][0]


def test_a_withdrawn_proposal_cannot_be_changed_or_withdrawn_again(event, bidder):
    proposal = proposal_withdraw(proposal=proposal_make(event=event, vendor=bidder))
    assert proposal.status == ProposalStatus.WITHDRAWN and proposal.withdrawn_at is not None
    with pytest.raises(Conflict, match="withdrawn"):
        proposal_withdraw(proposal=proposal)
    with pytest.raises(Conflict, match="withdrawn"):
        proposal_update(proposal=proposal, data={})


# Ratings ----------------------------------------------------------------------------------


def test_ratings_wait_for_the_deadline(event, bidder, procurement_user):
    proposal = proposal_make(event=event, vendor=bidder)
    with pytest.raises(Conflict, match="rated after the bid deadline"):
        rating_set(proposal=proposal, evaluator=procurement_user, rating=4)


def test_a_second_rating_by_the_same_evaluator_replaces_the_first(bidder, procurement_user):
    _, (proposal,) = closed_event_with_proposals(bidder)
    first, created = rating_set(proposal=proposal, evaluator=procurement_user, rating=3)
    second, created_again = rating_set(
        proposal=proposal, evaluator=procurement_user, rating=5, comment="Strong references"
    )
    assert created and not created_again and first.pk == second.pk
    assert ProposalRating.objects.get().rating == 5
    assert ProposalRating.objects.get().comment == "Strong references"


@pytest.mark.parametrize("rating", [-1, 6, 2.5, True, "4"])
def test_a_rating_is_a_whole_number_from_0_to_5(bidder, procurement_user, rating):
    _, (proposal,) = closed_event_with_proposals(bidder)
    errors = errors_of(
        lambda: rating_set(proposal=proposal, evaluator=procurement_user, rating=rating)
    )
    assert errors["rating"] == ["Must be a whole number from 0 to 5."]


@pytest.mark.parametrize("role", ["manager", "auditor", "admin"])
def test_only_procurement_rates(bidder, make_user, role):
    _, (proposal,) = closed_event_with_proposals(bidder)
    with pytest.raises(PermissionDenied):
        rating_set(proposal=proposal, evaluator=make_user(role), rating=3)


# The sealed-bid rule ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["procurement", "manager", "auditor", "admin"])
def test_buyers_see_prices_only_from_the_deadline_on(event, bidder, make_user, role):
    proposal = proposal_make(event=event, vendor=bidder)
    user = make_user(role)
    assert not proposal_prices_visible(user, proposal, event.bid_deadline - timedelta(seconds=1))
    assert proposal_prices_visible(user, proposal, event.bid_deadline)


def test_a_vendor_sees_its_own_prices_and_never_another_vendors(event, bidder, make_user):
    proposal = proposal_make(event=event, vendor=bidder)
    after = event.bid_deadline + timedelta(days=1)
    own = make_user("vendor", vendor=bidder)
    other = make_user("vendor", vendor=vendor_make())
    assert proposal_prices_visible(own, proposal, timezone.now())
    assert not proposal_prices_visible(other, proposal, after)


def test_a_user_without_a_role_never_sees_prices(event, bidder, django_user_model):
    proposal = proposal_make(event=event, vendor=bidder)
    nobody = django_user_model.objects.create_user(username="nobody", is_superuser=False)
    assert not proposal_prices_visible(nobody, proposal, event.bid_deadline + timedelta(days=1))
