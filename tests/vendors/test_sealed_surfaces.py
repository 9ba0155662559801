"""Sealed bids on the surfaces besides the API and the pages: the Django admin's changelist
lookups (which accept any local field from the query string) and every feed of versions (the
auditor's "Recent changes", history pages). Before the deadline they say who bid, never what."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist

from accounts.web.home_panels import recent_changes
from tests.support.vendors import (
    MINIMUM,
    SETUP_FEE,
    closed_event_with_proposals,
    event_make,
    proposal_make,
    secrets_in,
    vendor_make,
)
from vendors.services.proposals import proposal_update, rating_set

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/vendors/proposal/"


@pytest.fixture
def superuser(make_user):
    return make_user("admin", is_staff=True, is_superuser=True)


@pytest.fixture
def two_open_bids():
    """One open event, two bids: one in USD with distinctive amounts, one in EUR with others."""
    secret, other = vendor_make("Secret Bidder BV"), vendor_make("Other Bidder BV")
    event = event_make(invited=[secret, other])
    proposal_make(event=event, vendor=secret, currency="USD")
    proposal_make(
        event=event, vendor=other, one_off_fees={"setup": "100.00"},
        minimum_monthly_charge="10.00", languages=[{"tag": "de", "level": "B1"}],
    )  # fmt: skip
    return event


def listed(client, query: str) -> tuple[int, str]:
    response = client.get(f"{CHANGELIST}?{query}")
    return response.status_code, response.content.decode()


SEALED_LOOKUPS = [
    f"setup_fee={SETUP_FEE}",
    f"setup_fee__gte={SETUP_FEE}",
    f"minimum_monthly_charge__gte={MINIMUM}",
    f"minimum_monthly_charge={MINIMUM}",
    "training_fee__lt=1",
    "project_management_fee__gt=1000",
    "currency=USD",
    "currency__exact=USD",
    "prices__rate__gte=60",
    "prices__model=hybrid",
    "prices__stated_hours__gt=1000",
    "monthly_fees__amount__gt=1",
    "languages__tag=de",
    "languages__level=B1",
    "languages__hours_coverage__lt=1",
    "ratings__rating__gte=3",
    "event__proposals__setup_fee=100.00",
    "vendor__proposals__currency=USD",
]


@pytest.mark.parametrize("lookup", SEALED_LOOKUPS)
def test_the_admin_changelist_refuses_every_lookup_on_a_sealed_field(
    client, superuser, two_open_bids, lookup
):
    client.force_login(superuser)
    status, page = listed(client, f"event__id__exact={two_open_bids.pk}&{lookup}")
    # Before: 200, listing only the bid that matched. Now a 400 that names no bidder.
    assert status == 400, lookup
    assert "Secret Bidder BV" not in page and "Other Bidder BV" not in page


def test_the_admin_changelist_still_filters_on_who_bid_on_what_and_when(
    client, superuser, two_open_bids
):
    client.force_login(superuser)
    secret = two_open_bids.proposals.get(vendor__name="Secret Bidder BV")
    for query, both in [
        (f"event__id__exact={two_open_bids.pk}", True),
        ("status__exact=submitted", True),
        (f"vendor__id__exact={secret.vendor_id}", False),
        ("q=Secret", False),
        (f"submitted_at__gte={two_open_bids.opened_at.date().isoformat()}", True),
    ]:
        status, page = listed(client, query)
        assert status == 200, query
        assert "Secret Bidder BV" in page, query
        assert ("Other Bidder BV" in page) is both, query
        assert secrets_in(page) == [], query


def test_no_admin_of_any_model_filters_on_a_proposal_s_sealed_fields(
    client, superuser, two_open_bids
):
    """Every registered admin, through each relation that can reach a proposal."""
    client.force_login(superuser)
    paths = ["proposals", "event__proposals", "proposal", "invited_events__proposals"]
    sealed = ["setup_fee", "currency", "minimum_monthly_charge", "prices__rate", "languages__tag"]
    tried = 0
    for model, _model_admin in admin.site._registry.items():
        for path in paths:
            try:
                model._meta.get_field(path.split("__")[0])
            except FieldDoesNotExist:
                continue
            for field in sealed:
                url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
                unfiltered = client.get(url).content.decode()
                response = client.get(f"{url}?{path}__{field}=USD")
                tried += 1
                narrowed = response.status_code == 200 and response.content.decode() != unfiltered
                assert not narrowed, (url, path, field)
    assert tried >= 10  # vendors, events and users reach proposals


# Feeds and history ------------------------------------------------------------------------


def auditor_home(client, make_user) -> str:
    client.force_login(make_user("auditor"))
    html = client.get("/").content.decode()
    return html.split('data-testid="recent-changes"')[1].split("</table>")[0]


def test_recent_changes_say_who_bid_but_not_what_before_the_deadline(client, make_user):
    vendor = vendor_make("Manila Contact BV")
    vendor_user = make_user("vendor", vendor=vendor, username="vendor-manila")
    event = event_make(invited=[vendor], title="Helpdesk 2027")
    proposal_make(
        event=event, vendor=vendor, by=vendor_user, languages=[{"tag": "nl", "level": "B1"}]
    )

    panel = auditor_home(client, make_user)

    assert "Manila Contact BV submitted a proposal for Helpdesk 2027" in panel
    revealing_texts = [
        "nl (B1)", "Proposal language", "Proposal price", "Proposal monthly fee",
        "per production hour", "per_production_hour", "Account management",
    ]  # fmt: skip
    for revealing in revealing_texts:
        assert revealing not in panel
    assert secrets_in(panel) == []
    # One submission, one line (not one per price, fee and language row).
    assert panel.count("submitted a proposal") == 1 and "changed its proposal" not in panel


def test_a_change_to_a_sealed_bid_reads_as_a_change_without_its_content(clock):
    vendor = vendor_make("Manila Contact BV")
    event = event_make(invited=[vendor], title="Helpdesk 2027")
    proposal = proposal_make(event=event, vendor=vendor)
    clock.shift(timedelta(minutes=10))
    proposal_update(proposal=proposal, data={"languages": [{"tag": "nl", "level": "C2"}]})

    newest = recent_changes(limit=50)[0]
    assert (newest.kind, newest.sign) == ("proposal", "~")
    assert newest.label == "Manila Contact BV changed its proposal for Helpdesk 2027"
    labels = " ".join(c.label for c in recent_changes(limit=50))
    assert "nl (C2)" not in labels and "proposal language" not in {
        c.kind for c in recent_changes(limit=50)
    }


def test_after_the_deadline_recent_changes_show_the_proposal_s_rows(clock):
    vendor = vendor_make("Manila Contact BV")
    event, _ = closed_event_with_proposals(vendor)
    kinds = {c.kind for c in recent_changes(limit=50)}
    assert {"proposal language", "proposal price"} <= kinds
    assert any(c.label == "nl (native)" for c in recent_changes(limit=50))


def test_the_history_pages_of_a_sealed_bid_and_its_parts_are_not_found(client, make_user):
    vendor = vendor_make()
    proposal = proposal_make(event=event_make(invited=[vendor]), vendor=vendor)
    client.force_login(make_user("auditor"))
    assert client.get(f"/history/vendors/proposal/{proposal.pk}/").status_code == 404
    page = client.get(f"/history/vendors/sourcingevent/{proposal.event_id}/").content.decode()
    assert secrets_in(page) == []
    page = client.get(f"/history/vendors/vendor/{vendor.pk}/").content.decode()
    assert secrets_in(page) == []


def test_the_admin_history_of_a_sealed_bid_shows_no_content(client, superuser):
    vendor = vendor_make()
    proposal = proposal_make(event=event_make(invited=[vendor]), vendor=vendor)
    client.force_login(superuser)
    for url in (
        f"/admin/vendors/proposal/{proposal.pk}/history/",
        f"/admin/vendors/sourcingevent/{proposal.event_id}/history/",
        f"/admin/vendors/vendor/{vendor.pk}/history/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert secrets_in(response.content.decode()) == [], url


def test_a_rating_s_history_follows_its_proposal_s_seal(client, make_user, clock):
    vendor = vendor_make()
    event, (proposal,) = closed_event_with_proposals(vendor)
    rating, _ = rating_set(proposal=proposal, evaluator=make_user("procurement"), rating=4)
    client.force_login(make_user("auditor"))
    assert client.get(f"/history/vendors/proposalrating/{rating.pk}/").status_code == 200
    clock.move_to(event.bid_deadline - timedelta(minutes=5))  # as if the event were still open
    assert client.get(f"/history/vendors/proposalrating/{rating.pk}/").status_code == 404
