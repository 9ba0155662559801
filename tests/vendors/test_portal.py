"""The vendor portal: invitations, submitting, editing and withdrawing a proposal until the
deadline, frozen after it, clear messages for bad input, and nothing of another vendor."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.support.pages import page, proposal_form
from tests.support.vendors import (
    COMPONENT_RATE,
    MINIMUM,
    PAGE_SECRETS,
    RATE,
    SETUP_FEE,
    STATED_HOURS,
    closed_event_with_proposals,
    event_make,
    proposal_make,
    secrets_in,
    vendor_make,
)
from vendors.models import Proposal, ProposalStatus, SourcingEvent

pytestmark = pytest.mark.django_db

MISSING = 987654321


@pytest.fixture
def world(make_user):
    """Vendors A and B invited to a shared open event; B alone to another; a draft for A."""
    a, b = vendor_make("Alpha Contact"), vendor_make("Bravo Support")
    return {
        "a": a,
        "b": b,
        "ua": make_user("vendor", vendor=a),
        "ub": make_user("vendor", vendor=b),
        "shared": event_make(invited=[a, b], title="Shared RFP"),
        "only_b": event_make(invited=[b], title="Bravo only RFP"),
        "draft": event_make(invited=[a], title="Draft RFP", opened=False),
    }


def errors_of(response) -> dict:
    forms = response.context["forms"]
    return {
        "form": forms.form.errors,
        "one_off": forms.one_off.errors,
        "prices": [f.errors for f in forms.prices.forms],
        "prices_table": list(forms.prices.non_form_errors()),
        "fees": [f.errors for f in forms.fees.forms],
        "languages": [f.errors for f in forms.languages.forms],
    }


# Invitations ------------------------------------------------------------------------------


def test_a_vendor_lists_the_events_it_is_invited_to_but_not_drafts_or_others(client, world):
    client.force_login(world["ua"])
    html = page(client, "/events/")
    assert "Shared RFP" in html and "Invitations" in html
    assert "Bravo only RFP" not in html and "Draft RFP" not in html
    assert "Bravo Support" not in html


def test_a_vendor_without_invitations_sees_an_empty_state(client, make_user):
    client.force_login(make_user("vendor", vendor=vendor_make()))
    assert "No invitations yet." in page(client, "/events/")


def test_events_it_is_not_invited_to_and_drafts_are_404(client, world):
    client.force_login(world["ua"])
    for pk in (world["only_b"].pk, world["draft"].pk, MISSING):
        for url in (f"/portal/events/{pk}/", f"/portal/events/{pk}/propose/", f"/events/{pk}/"):
            assert client.get(url).status_code == 404, url
        assert client.post(f"/portal/events/{pk}/propose/", proposal_form()).status_code == 404


def test_the_portal_event_page_shows_requirements_and_no_other_vendor(client, world):
    proposal_make(event=world["shared"], vendor=world["b"])
    client.force_login(world["ua"])
    html = page(client, f"/portal/events/{world['shared'].pk}/")
    assert "Submit a proposal" in html and "80% within 20 s" in html and "0.92" in html
    assert "Bravo Support" not in html and not secrets_in(html)


# Submitting, editing, withdrawing --------------------------------------------------------------


def test_a_vendor_submits_a_proposal_through_the_form(client, world):
    client.force_login(world["ua"])
    url = f"/portal/events/{world['shared'].pk}/propose/"
    form = page(client, url)
    assert 'name="price-0-c1_share"' in form and 'aria-label="Part 1: share (0-1)"' in form
    response = client.post(url, proposal_form())
    assert response.status_code == 302, errors_of(response)
    proposal = Proposal.objects.get(vendor=world["a"])
    assert proposal.submitted_by == world["ua"] and proposal.status == ProposalStatus.SUBMITTED
    assert proposal.minimum_monthly_charge == Decimal(MINIMUM)
    assert proposal.setup_fee == Decimal(SETUP_FEE)
    phone, every = proposal.prices.all()
    assert (phone.channel, phone.model, phone.rate) == (
        "phone",
        "per_production_hour",
        Decimal(RATE),
    )
    assert phone.stated_hours == Decimal(STATED_HOURS)
    assert every.channel == "" and every.model == "hybrid"
    assert [(c.model, c.share) for c in every.components.all()] == [
        ("per_contact", Decimal("0.5")),
        ("per_handled_minute", Decimal("0.5")),
    ]
    assert [lang.tag for lang in proposal.languages.all()] == ["nl", "en-GB"]
    html = page(client, f"/portal/events/{world['shared'].pk}/")
    assert "Edit proposal" in html and "Withdraw" in html
    assert all(secret in html for secret in PAGE_SECRETS)  # its own figures, before the deadline


def test_a_second_submission_goes_to_the_edit_page(client, world):
    proposal = proposal_make(event=world["shared"], vendor=world["a"])
    client.force_login(world["ua"])
    response = client.get(f"/portal/events/{world['shared'].pk}/propose/")
    assert response.status_code == 302 and response["Location"] == f"/proposals/{proposal.pk}/edit/"


def test_a_vendor_edits_its_proposal_with_the_form_prefilled(client, world):
    proposal = proposal_make(event=world["shared"], vendor=world["a"])
    client.force_login(world["ua"])
    form = page(client, f"/proposals/{proposal.pk}/edit/")
    assert f'value="{SETUP_FEE}"' in form and f'value="{COMPONENT_RATE}' in form
    assert 'value="en-GB"' in form
    response = client.post(
        f"/proposals/{proposal.pk}/edit/", proposal_form(**{"oneoff-setup": "1000.00"})
    )
    assert response.status_code == 302, errors_of(response)
    proposal.refresh_from_db()
    assert proposal.setup_fee == Decimal("1000.00") and proposal.prices.count() == 2


def test_a_vendor_withdraws_and_then_submits_again(client, world):
    proposal = proposal_make(event=world["shared"], vendor=world["a"])
    client.force_login(world["ua"])
    response = client.post(f"/proposals/{proposal.pk}/withdraw/", follow=True)
    assert "Proposal withdrawn." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    again = client.post(f"/portal/events/{world['shared'].pk}/propose/", proposal_form())
    assert again.status_code == 302
    assert Proposal.objects.filter(vendor=world["a"], status="submitted").count() == 1


def test_withdrawing_is_a_post(client, world):
    proposal = proposal_make(event=world["shared"], vendor=world["a"])
    client.force_login(world["ua"])
    assert client.get(f"/proposals/{proposal.pk}/withdraw/").status_code == 405


# Bad input -------------------------------------------------------------------------------------


@pytest.fixture
def submit(client, world):
    client.force_login(world["ua"])

    def post(**overrides):
        url = f"/portal/events/{world['shared'].pk}/propose/"
        response = client.post(url, proposal_form(**overrides))
        assert response.status_code == 200, "the form is shown again with its errors"
        assert not Proposal.objects.exists()
        return errors_of(response), response.content.decode()

    return post


def test_negative_money_is_refused_on_its_field(submit):
    errors, html = submit(**{"oneoff-setup": "-5", "price-0-rate": "-1", "fee-0-amount": "-2"})
    assert errors["one_off"]["setup"] == ["Must not be negative."]
    assert errors["prices"][0]["rate"] == ["Must not be negative."]
    assert errors["fees"][0]["amount"] == ["Must not be negative."]
    assert "Must not be negative." in html


def test_a_negative_minimum_charge_is_refused_on_its_field(submit):
    errors, _ = submit(minimum_monthly_charge="-100")
    assert errors["form"]["minimum_monthly_charge"] == ["Must not be negative."]


def test_non_numeric_money_is_refused_on_its_field(submit):
    errors, _ = submit(**{"price-0-rate": "sixty", "oneoff-training": "1.000,50"})
    # An English reader: the message names the form expected (core.forms.LocalizedDecimalField).
    expected = "is not a number as written here; write it like 1,234.50."
    assert errors["prices"][0]["rate"] == [f"“sixty” {expected}"]
    assert errors["one_off"]["training"] == [f"“1.000,50” {expected}"]


def test_an_unknown_language_tag_is_refused_on_its_row(submit):
    errors, _ = submit(**{"lang-0-tag": "", "lang-0-level": "", "lang-1-tag": "klingon-xx"})
    assert errors["languages"][0] == {}
    assert "is not a BCP 47 language tag" in errors["languages"][1]["tag"][0]


def test_hybrid_shares_not_summing_to_one_are_shown_on_the_row(submit):
    errors, _ = submit(**{"price-1-c2_share": "0.3"})
    assert errors["prices"][1]["c1_share"] == ["Shares must sum to 1, they sum to 0.8000."]


def test_a_hybrid_part_without_a_model_is_named(submit):
    errors, _ = submit(**{"price-1-c2_model": ""})
    assert errors["prices"][1]["c2_model"] == ["Choose this part's model."]


def test_a_currency_without_an_fx_rate_is_refused_on_the_currency(submit):
    errors, _ = submit(currency="GBP")
    assert errors["form"]["currency"] == ["This event has no FX rate for GBP; price in EUR or USD."]


def test_an_unpriced_channel_is_said_above_the_price_rows(submit):
    overrides = {f"price-1-{name}": "" for name in ("model", "c1_model", "c1_rate", "c1_share")}
    overrides |= {f"price-1-{name}": "" for name in ("c2_model", "c2_rate", "c2_share")}
    errors, _ = submit(**overrides)
    assert errors["prices_table"] == ["email is not priced; price it or give a price for all."]


# After the deadline ----------------------------------------------------------------------------


@pytest.fixture
def closed(world):
    event, (proposal,) = closed_event_with_proposals(world["a"], title="Closed RFP")
    return event, proposal


def test_after_the_deadline_the_portal_says_frozen_and_shows_no_form(client, world, closed):
    event, proposal = closed
    client.force_login(world["ua"])
    html = page(client, f"/portal/events/{event.pk}/")
    content = html.split("</header>")[1].split("</main>")[0]  # the footer has the language form
    assert "Bids are frozen since" in html and "<form" not in content
    assert "Edit proposal" not in html and "Withdraw" not in html
    detail = page(client, f"/proposals/{proposal.pk}/")
    assert "This proposal is frozen" in detail


def test_editing_or_withdrawing_after_the_deadline_changes_nothing(client, world, closed):
    event, proposal = closed
    client.force_login(world["ua"])
    edit = client.post(f"/proposals/{proposal.pk}/edit/", proposal_form(minimum_monthly_charge="1"))
    assert edit.status_code == 302
    withdraw = client.post(f"/proposals/{proposal.pk}/withdraw/", follow=True)
    assert "Bids are frozen since" in withdraw.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "submitted" and proposal.minimum_monthly_charge == Decimal(MINIMUM)


def test_a_proposal_for_a_closed_event_is_refused_with_a_message(client, make_user):
    vendor = vendor_make()
    event, _ = closed_event_with_proposals(vendor_make())
    event.invited_vendors.add(vendor)
    client.force_login(make_user("vendor", vendor=vendor))
    response = client.post(f"/portal/events/{event.pk}/propose/", proposal_form(), follow=True)
    assert response.status_code == 200
    assert "This event takes no bids" in response.content.decode()
    assert not Proposal.objects.filter(vendor=vendor).exists()


def test_a_form_sent_just_after_the_deadline_is_refused_by_the_domain(client, world, monkeypatch):
    """The page checked the deadline, then it passed: the domain's 409 becomes a message."""
    client.force_login(world["ua"])
    url = f"/portal/events/{world['shared'].pk}/propose/"
    from vendors.web.views import proposals_pages

    monkeypatch.setattr(proposals_pages, "biddable", lambda event, now: True)
    SourcingEvent.objects.filter(pk=world["shared"].pk).update(
        bid_deadline=timezone.now() - timedelta(seconds=1)
    )
    response = client.post(url, proposal_form(), follow=True)
    assert "Bids are frozen since" in response.content.decode()
    assert not Proposal.objects.exists()


# Isolation ----------------------------------------------------------------------------------


def test_another_vendors_proposal_is_a_404_for_every_page(client, world):
    theirs = proposal_make(event=world["shared"], vendor=world["b"])
    client.force_login(world["ua"])
    for pk in (theirs.pk, MISSING):
        assert client.get(f"/proposals/{pk}/").status_code == 404
        assert client.get(f"/proposals/{pk}/edit/").status_code == 404
        assert client.post(f"/proposals/{pk}/edit/", proposal_form()).status_code == 404
        assert client.post(f"/proposals/{pk}/withdraw/").status_code == 404
        assert client.post(f"/proposals/{pk}/rate/", {f"r{pk}-rating": "5"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "submitted"


def test_a_vendors_proposal_list_shows_only_its_own(client, world):
    proposal_make(event=world["shared"], vendor=world["b"])
    mine = proposal_make(event=world["shared"], vendor=world["a"])
    client.force_login(world["ua"])
    html = page(client, "/proposals/")
    assert f"/proposals/{mine.pk}/" in html and "Bravo" not in html
    assert page(client, f"/proposals/?vendor={world['b'].pk}").count("/proposals/") <= 1


def test_buyers_cannot_use_the_portal_forms(client, procurement_user, world):
    proposal = proposal_make(event=world["shared"], vendor=world["a"])
    client.force_login(procurement_user)
    assert client.get(f"/portal/events/{world['shared'].pk}/propose/").status_code == 404
    assert client.get(f"/proposals/{proposal.pk}/edit/").status_code == 404
    assert client.post(f"/proposals/{proposal.pk}/withdraw/").status_code == 404
    portal = client.get(f"/portal/events/{world['shared'].pk}/")
    assert portal.status_code == 302 and portal["Location"] == f"/events/{world['shared'].pk}/"
