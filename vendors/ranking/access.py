"""Who may read an event's ranking, and when: buyer-side users, after the bid deadline.

The role rule is here (vendor users never see a ranking: 404); the sealed-bid rule is
`vendors.selectors`' (`bids_frozen`, `proposal_prices_visible`), asked, never restated.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import Http404

from core.roles import BUYER_ROLES, role_of
from vendors.domain.scoring import ProposalSpec, Ranking, Weights, WeightsError, rank_event
from vendors.models import Proposal, ProposalStatus, SourcingEvent
from vendors.ranking.adapter import event_spec, live_proposals, proposal_specs
from vendors.ranking.figures import Comparison, comparison_of
from vendors.selectors import bids_frozen, proposal_prices_visible


class RankingSealed(Exception):
    """The event's bids are sealed: no ranking, score or price before the bid deadline."""

    def __init__(self, deadline: datetime) -> None:
        super().__init__(
            f"Bids on this event are sealed until {deadline.isoformat()}; "
            "the ranking can be read after the deadline."
        )
        self.deadline = deadline


def ranking_readable(user: Any) -> bool:
    """Rankings are for buyer-side users; a vendor user or a user without a role never sees one."""
    return role_of(user) in BUYER_ROLES


def _readable_specs(*, user: Any, event: SourcingEvent, now: datetime) -> list[ProposalSpec]:
    """The live proposals `user` may rank at `now`; Http404 or RankingSealed otherwise."""
    if not ranking_readable(user):
        raise Http404("No such sourcing event.")
    if not bids_frozen(event, now):
        raise RankingSealed(event.bid_deadline)
    proposals = list(live_proposals(event))
    for proposal in proposals:
        proposal.event = event  # the rule reads the proposal's event: it is this one
    if not all(proposal_prices_visible(user, p, now) for p in proposals):
        raise RankingSealed(event.bid_deadline)
    return proposal_specs(event, proposals)


def ranking_for(
    *, user: Any, event: SourcingEvent, now: datetime, weights: Weights | None = None
) -> Ranking:
    """The event's ranking as `user` may read it at `now` (what-if `weights` optional).

    Http404 for anyone but a buyer-side user; RankingSealed before the bid deadline.
    """
    specs = _readable_specs(user=user, event=event, now=now)
    return rank_event(event=event_spec(event), proposals=specs, weights=weights)


@dataclass(frozen=True)
class Bidder:
    """Who submitted a live proposal and when: all a sealed event shows (no prices)."""

    vendor: str
    submitted_at: datetime


def event_bidders(event: SourcingEvent) -> list[Bidder]:
    """The vendors with a live proposal, earliest first; reads no price column."""
    rows = (
        Proposal.objects.filter(event=event, status=ProposalStatus.SUBMITTED)
        .order_by("submitted_at", "id")
        .values_list("vendor__name", "submitted_at")
    )
    return [Bidder(vendor=name, submitted_at=at) for name, at in rows]


def comparison_for(
    *, user: Any, event: SourcingEvent, now: datetime, weights: Weights | None = None
) -> Comparison:
    """`ranking_for`, rounded and spelt out: what the API, the page and the exports show."""
    spec = event_spec(event)
    specs = _readable_specs(user=user, event=event, now=now)
    ranking = rank_event(event=spec, proposals=specs, weights=weights)
    return comparison_of(ranking=ranking, spec=spec)


def weights_messages(error: WeightsError) -> list[str]:
    """Unusable what-if weights as sentences: `cost: must be a whole number from 0 to 100.`"""
    messages = []
    for name, message in error.problems:
        if name != "weights":
            messages.append(f"{name}: {message}.")
        elif message.startswith("must"):
            messages.append(f"The weights {message}.")
        else:
            messages.append(f"{message[0].upper()}{message[1:]}.")
    return messages
