"""Home-page panels of the vendors app: procurement's open events and ratings to give, events
awaiting an award and unopened drafts, a vendor's invitations and its own proposals. A panel
never shows a price."""

from django.utils import timezone

from vendors.models import EventStatus, SourcingEvent
from vendors.selectors import (
    bid_of,
    event_status_q,
    events_visible_to,
    open_events,
    proposals_awaiting_rating,
    proposals_visible_to,
    with_bid_counts,
    with_own_proposals,
    with_status,
)

ROWS = 10


def procurement_panel(request) -> dict:
    """Events open to bids (soonest deadline first) and proposals awaiting the user's rating."""
    now = timezone.now()
    return {
        "open_events": list(open_events(now)[:ROWS]),
        "to_rate": list(proposals_awaiting_rating(request.user, now)[:ROWS]),
    }


def procurement_awards_panel(request) -> dict:
    """Events whose deadline has passed but which nobody has awarded yet, and unopened drafts."""
    now = timezone.now()
    closed = SourcingEvent.objects.filter(event_status_q(EventStatus.CLOSED, now))
    drafts = SourcingEvent.objects.filter(event_status_q(EventStatus.DRAFT, now))
    return {
        "to_award": list(with_bid_counts(closed).order_by("bid_deadline", "id")[:ROWS]),
        "drafts": list(drafts.order_by("bid_deadline", "id")[:ROWS]),
    }


def vendor_panel(request) -> dict:
    """The vendor's invitations (never drafts) and its own proposals with their status."""
    now = timezone.now()
    events = with_own_proposals(events_visible_to(request.user), request.user.vendor_id)
    proposals = proposals_visible_to(request.user).order_by("-submitted_at", "-id")
    return {
        "invitations": with_status(events.order_by("-bid_deadline", "-id")[:ROWS], now),
        "proposals": [bid_of(request.user, p, now, with_content=False) for p in proposals[:ROWS]],
    }
