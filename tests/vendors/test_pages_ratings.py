"""Ratings on the event page, home panels and navigation of the sourcing pages."""

import pytest

from tests.support.pages import page
from tests.support.vendors import (
    closed_event_with_proposals,
    event_make,
    proposal_make,
    secrets_in,
    vendor_make,
)
from vendors.models import ProposalRating
from vendors.services.proposals import proposal_withdraw

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed():
    event, proposals = closed_event_with_proposals(vendor_make("Alpha"), vendor_make("Bravo"))
    return event, proposals


def rate(client, proposal, rating, comment=""):
    return client.post(
        f"/proposals/{proposal.pk}/rate/",
        {f"r{proposal.pk}-rating": str(rating), f"r{proposal.pk}-comment": comment},
        follow=True,
    )


# Ratings ----------------------------------------------------------------------------------------


def test_procurement_rates_each_proposal_and_a_second_rating_replaces_the_first(
    client, procurement_user, closed
):
    event, (alpha, bravo) = closed
    client.force_login(procurement_user)
    html = page(client, f"/events/{event.pk}/")
    assert f'action="/proposals/{alpha.pk}/rate/"' in html and "not rated yet" in html
    assert (
        "Rating saved for Alpha."
        in rate(client, alpha, 4, "Strong telecom references").content.decode()
    )
    assert "Rating updated for Alpha." in rate(client, alpha, 2).content.decode()
    rate(client, bravo, 5)
    (row,) = ProposalRating.objects.filter(proposal=alpha)
    assert (row.rating, row.comment, row.evaluator) == (2, "", procurement_user)
    html = page(client, f"/events/{event.pk}/")
    assert "2/5" in html and "5/5" in html and ">Update<" in html


def test_the_median_of_several_evaluators_is_shown(client, make_user, closed):
    event, (alpha, _) = closed
    for rating in (1, 4, 5):
        client.force_login(make_user("procurement"))
        rate(client, alpha, rating)
    html = page(client, f"/proposals/{alpha.pk}/")
    assert "1/5" in html and "4/5" in html and "5/5" in html and "4.00" in html


def test_rating_before_the_deadline_is_refused_with_a_message(client, procurement_user):
    vendor = vendor_make()
    proposal = proposal_make(event=event_make(invited=[vendor]), vendor=vendor)
    client.force_login(procurement_user)
    html = page(client, f"/events/{proposal.event_id}/")
    assert "/rate/" not in html
    response = rate(client, proposal, 3)
    assert "Proposals are rated after the bid deadline" in response.content.decode()
    assert not ProposalRating.objects.exists()


def test_a_rating_out_of_range_is_a_message_not_a_500(client, procurement_user, closed):
    _, (alpha, _) = closed
    client.force_login(procurement_user)
    for bad in ("6", "-1", "x", ""):
        response = client.post(f"/proposals/{alpha.pk}/rate/", {f"r{alpha.pk}-rating": bad})
        assert response.status_code == 302, bad
    assert not ProposalRating.objects.exists()


def test_a_withdrawn_proposal_is_not_offered_for_rating(client, procurement_user):
    vendor = vendor_make()
    event = event_make(invited=[vendor])
    proposal_withdraw(proposal=proposal_make(event=event, vendor=vendor))
    event.bid_deadline = event.opened_at
    event.save(update_fields=["bid_deadline"])
    client.force_login(procurement_user)
    html = page(client, f"/events/{event.pk}/")
    assert "No live proposal to rate" in html


@pytest.mark.parametrize("role", ["manager", "auditor", "admin"])
def test_only_procurement_rates(client, make_user, closed, role):
    event, (alpha, _) = closed
    client.force_login(make_user(role))
    assert "/rate/" not in page(client, f"/events/{event.pk}/")
    assert (
        client.post(f"/proposals/{alpha.pk}/rate/", {f"r{alpha.pk}-rating": "3"}).status_code == 403
    )
    assert not ProposalRating.objects.exists()


# Home panels ----------------------------------------------------------------------------------


def test_procurement_home_lists_open_events_and_proposals_awaiting_its_rating(
    client, procurement_user, closed
):
    event, (alpha, bravo) = closed
    open_event = event_make(invited=[alpha.vendor], title="Open RFP")
    proposal_make(event=open_event, vendor=alpha.vendor)
    client.force_login(procurement_user)
    html = page(client, "/")
    assert "Open RFP" in html and 'data-testid="open-events"' in html
    assert f"/events/{event.pk}/#rate-{alpha.pk}" in html and f"#rate-{bravo.pk}" in html
    assert secrets_in(html) == []
    rate(client, alpha, 3)
    html = page(client, "/")
    assert f"#rate-{alpha.pk}" not in html and f"#rate-{bravo.pk}" in html


def test_the_procurement_home_has_empty_states(client, procurement_user):
    client.force_login(procurement_user)
    html = page(client, "/")
    assert "No event is open to bids." in html and "Nothing to rate" in html


def test_vendor_home_lists_its_invitations_and_its_own_proposals(client, make_user):
    a, b = vendor_make("Alpha"), vendor_make("Bravo")
    shared = event_make(invited=[a, b], title="Shared RFP")
    event_make(invited=[b], title="Bravo only RFP")
    event_make(invited=[a], title="Draft RFP", opened=False)
    mine = proposal_make(event=shared, vendor=a)
    proposal_make(event=shared, vendor=b)
    client.force_login(make_user("vendor", vendor=a))
    html = page(client, "/")
    assert "Shared RFP" in html and "Bravo only RFP" not in html and "Draft RFP" not in html
    assert f"/proposals/{mine.pk}/" in html and "Submitted" in html
    assert "Bravo" not in html.replace("Bravo only", "")
    assert secrets_in(html) == []


# Navigation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("procurement", ["/vendors/", "/events/"], ["/vendors/me/"]),
        ("manager", ["/vendors/", "/events/"], ["/vendors/me/"]),
        ("auditor", ["/vendors/", "/events/"], ["/vendors/me/"]),
        ("admin", ["/vendors/", "/events/"], ["/vendors/me/"]),
        ("vendor", ["/events/", "/vendors/me/"], ['href="/vendors/"']),
    ],
)
def test_the_navigation_offers_each_role_its_sourcing_pages(client, make_user, role, shown, hidden):
    user = make_user(role, vendor=vendor_make() if role == "vendor" else None)
    client.force_login(user)
    nav = page(client, "/").split("</nav>")[0]
    assert all(f'href="{url}"' in nav for url in shown), nav
    assert all(url not in nav for url in hidden)
