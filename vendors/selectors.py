"""Reads of the vendors app: who sees which row, an event's status, and the sealed-bid rule.

Every API route, admin page and HTML page asks these functions; none decides on its own.
"""

from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from core.roles import BUYER_ROLES, Role, role_of
from vendors.models import (
    EventStage,
    EventStatus,
    Proposal,
    ProposalPrice,
    ProposalRating,
    SourcingEvent,
    Vendor,
)

# Event status ------------------------------------------------------------------------------


def event_status(event: SourcingEvent, now: datetime) -> EventStatus:
    """The event's status at `now`: the stored stage, except open turns closed at the deadline."""
    if event.stage == EventStage.OPEN and now >= event.bid_deadline:
        return EventStatus.CLOSED
    return EventStatus(event.stage)


def event_status_q(status: EventStatus | str, now: datetime) -> Q:
    """The database filter equal to `event_status(event, now) == status` (same rule, in SQL)."""
    status = EventStatus(status)
    if status == EventStatus.OPEN:
        return Q(stage=EventStage.OPEN, bid_deadline__gt=now)
    if status == EventStatus.CLOSED:
        return Q(stage=EventStage.OPEN, bid_deadline__lte=now)
    return Q(stage=status.value)


def bids_frozen(event: SourcingEvent, now: datetime) -> bool:
    """Whether the bid deadline has passed: proposals can no longer change and are unsealed."""
    return now >= event.bid_deadline


# The sealed-bid rule -----------------------------------------------------------------------


def proposal_prices_visible(user, proposal: Proposal, now: datetime) -> bool:
    """Whether `user` may read the proposal's prices, fees, minimums and languages at `now`.

    The proposal's own vendor always may; buyer-side users (procurement, manager, auditor,
    admin) only once the event's bid deadline has passed; nobody else ever.
    """
    role = role_of(user)
    if role == Role.VENDOR:
        return user.vendor_id is not None and proposal.vendor_id == user.vendor_id
    if role in BUYER_ROLES:
        return bids_frozen(proposal.event, now)
    return False


def proposal_history_visible(user, pk) -> bool:
    """Whether `user` may read proposal `pk`'s change history: it carries the prices, so the
    sealed-bid rule applies now; a proposal that no longer exists shows nothing."""
    proposal = Proposal.objects.select_related("event").filter(pk=pk).first()
    return proposal is not None and proposal_prices_visible(user, proposal, timezone.now())


# Visibility ---------------------------------------------------------------------------------


def vendors_visible_to(user) -> QuerySet[Vendor]:
    """Vendors a user may see: all for buyer roles, only its own for a vendor user."""
    role = role_of(user)
    vendors = Vendor.objects.prefetch_related(
        "served_channels", "languages", "certifications", "industries"
    )
    if role in BUYER_ROLES:
        return vendors
    if role == Role.VENDOR and user.vendor_id is not None:
        return vendors.filter(pk=user.vendor_id)
    return vendors.none()


def events_visible_to(user) -> QuerySet[SourcingEvent]:
    """Events a user may see: all for buyer roles; for a vendor user, invited and not draft."""
    role = role_of(user)
    events = SourcingEvent.objects.prefetch_related("invited_vendors")
    if role in BUYER_ROLES:
        return events
    if role == Role.VENDOR and user.vendor_id is not None:
        return events.filter(invited_vendors=user.vendor_id).exclude(stage=EventStage.DRAFT)
    return events.none()


def proposals_visible_to(user) -> QuerySet[Proposal]:
    """Proposals a user may see (not their prices: see `proposal_prices_visible`)."""
    role = role_of(user)
    proposals = Proposal.objects.select_related("event", "vendor").prefetch_related(
        Prefetch("prices", queryset=ProposalPrice.objects.prefetch_related("components")),
        "monthly_fees",
        "languages",
    )
    if role in BUYER_ROLES:
        return proposals
    if role == Role.VENDOR and user.vendor_id is not None:
        return proposals.filter(vendor_id=user.vendor_id)
    return proposals.none()


def ratings_of(proposal: Proposal) -> QuerySet[ProposalRating]:
    """A proposal's ratings, oldest first."""
    return ProposalRating.objects.filter(proposal=proposal).select_related("evaluator")


def invited_vendor_ids_visible(user, event: SourcingEvent) -> list[int]:
    """The invited vendors a user may see: all for buyers, only itself for a vendor user."""
    ids = sorted(v.pk for v in event.invited_vendors.all())
    role = role_of(user)
    if role in BUYER_ROLES:
        return ids
    own = user.vendor_id if role == Role.VENDOR else None
    return [own] if own in ids else []
