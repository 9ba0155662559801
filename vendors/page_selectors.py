"""Reads for the HTML pages of the vendors app: bids as templates may show them, history, panels.

Templates never receive a `Proposal` row. They receive a `Bid`: who bid, when and in which
state, and `content` (prices, fees, minimums, languages) filled only when
`vendors.selectors.proposal_prices_visible` allows it, so a template cannot print a sealed
amount by mistake.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from statistics import median
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from vendors.models import (
    PRICING_MODEL_CHOICES,
    EventStatus,
    Proposal,
    ProposalRating,
    ProposalStatus,
    SourcingEvent,
)
from vendors.selectors import (
    event_status,
    event_status_q,
    proposal_prices_visible,
    proposals_visible_to,
)
from vendors.services.events import REQUIREMENT_FIELDS

MODEL_LABELS = dict(PRICING_MODEL_CHOICES)

# Bids --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceLine:
    """One channel price of a bid as shown."""

    channel: str
    model: str
    rate: Decimal | None
    components: list[dict[str, Any]]
    stated_hours: Decimal | None
    stated_fte: Decimal | None


@dataclass(frozen=True)
class BidContent:
    """What a bid quotes: shown only to those `proposal_prices_visible` admits."""

    currency: str
    fx_rate: str | None
    prices: list[PriceLine]
    setup_fee: Decimal
    training_fee: Decimal
    project_management_fee: Decimal
    monthly_fees: list[dict[str, Any]]
    minimum_monthly_charge: Decimal
    languages: list[dict[str, Any]]


@dataclass(frozen=True)
class Bid:
    """A proposal as a page may show it; `content` is None while the bid is sealed."""

    pk: int
    event_id: int
    event_title: str
    vendor_id: int
    vendor_name: str
    status: str
    status_label: str
    submitted_at: datetime
    updated_at: datetime
    withdrawn_at: datetime | None
    content: BidContent | None
    ratings: list[ProposalRating] = field(default_factory=list)

    @property
    def live(self) -> bool:
        return self.status == ProposalStatus.SUBMITTED

    @property
    def sealed(self) -> bool:
        return self.content is None


def _content(proposal: Proposal) -> BidContent:
    """The quoted figures of a proposal (call only where its prices are visible)."""
    rates = {row["currency"]: row["rate"] for row in proposal.event.fx_rates}
    return BidContent(
        currency=proposal.currency,
        fx_rate=rates.get(proposal.currency),
        prices=[
            PriceLine(
                channel=price.channel,
                model=MODEL_LABELS.get(price.model, price.model),
                rate=None if price.model == "hybrid" else price.rate,
                components=[
                    {
                        "model": MODEL_LABELS.get(c.model, c.model),
                        "rate": c.rate,
                        "share": c.share,
                    }
                    for c in price.components.all()
                ],
                stated_hours=price.stated_hours,
                stated_fte=price.stated_fte,
            )
            for price in proposal.prices.all()
        ],
        setup_fee=proposal.setup_fee,
        training_fee=proposal.training_fee,
        project_management_fee=proposal.project_management_fee,
        monthly_fees=[{"name": f.name, "amount": f.amount} for f in proposal.monthly_fees.all()],
        minimum_monthly_charge=proposal.minimum_monthly_charge,
        languages=[
            {"tag": lang.tag, "level": lang.level, "hours_coverage": lang.hours_coverage}
            for lang in proposal.languages.all()
        ],
    )


def bid_of(user, proposal: Proposal, now: datetime, *, with_content: bool = True) -> Bid:
    """A proposal as `user` may see it at `now` (`with_content=False`: never the figures)."""
    visible = with_content and proposal_prices_visible(user, proposal, now)
    return Bid(
        pk=proposal.pk,
        event_id=proposal.event_id,
        event_title=proposal.event.title,
        vendor_id=proposal.vendor_id,
        vendor_name=proposal.vendor.name,
        status=proposal.status,
        status_label=proposal.get_status_display(),
        submitted_at=proposal.submitted_at,
        updated_at=proposal.updated_at,
        withdrawn_at=proposal.withdrawn_at,
        content=_content(proposal) if visible else None,
    )


def bids_of_event(user, event: SourcingEvent, now: datetime, *, ratings: bool) -> list[Bid]:
    """The event's proposals visible to `user`, newest state first per vendor, with ratings."""
    proposals = proposals_visible_to(user).filter(event=event).order_by("vendor__name", "-id")
    if ratings:
        rated = ProposalRating.objects.select_related("evaluator").order_by("created_at", "id")
        proposals = proposals.prefetch_related(Prefetch("ratings", queryset=rated))
    bids = []
    for proposal in proposals:
        bid = bid_of(user, proposal, now)
        if ratings:
            bid.ratings.extend(proposal.ratings.all())
        bids.append(bid)
    return bids


def rating_median(bid: Bid) -> Decimal | None:
    """The median of a bid's ratings (the figure the expertise score uses), or None."""
    if not bid.ratings:
        return None
    return Decimal(str(median(r.rating for r in bid.ratings))).quantize(Decimal("0.01"))


# Event history -----------------------------------------------------------------------------

HISTORY_FIELDS = (*REQUIREMENT_FIELDS, "stage")
HISTORY_LABELS = {
    "term_months": "Term (months)",
    "start_date": "Start date",
    "bid_deadline": "Bid deadline",
    "max_occupancy": "Maximum occupancy",
    "fte_hours": "Hours per FTE",
    "weight_cost": "Cost weight",
    "weight_expertise": "Expertise weight",
    "weight_security": "Security weight",
    "weight_language": "Language weight",
    "must_have_certifications": "Must-have certifications",
    "desired_certifications": "Desired certifications",
    "fx_rates": "FX rates",
    "stage": "Stage",
}


@dataclass(frozen=True)
class HistoryEntry:
    """One saved version of an event's requirements: who, when, and each change before/after."""

    when: datetime
    who: str
    kind: str
    changes: list[tuple[str, str, str]]


def requirement_text(value: object) -> str:
    """A requirement value as one line of text (lists of rows joined by semicolons)."""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M %Z")
    if isinstance(value, list):
        return "; ".join(_row_text(item) for item in value) or "(none)"
    return "(none)" if value in (None, "") else str(value)


def _row_text(item: object) -> str:
    if not isinstance(item, dict):
        return str(item)
    if "monthly_volume" in item:
        text = f"{item['channel']} {item['monthly_volume']}/month, AHT {item['aht_seconds']} s"
        if item.get("sl_percent") is not None:
            text += f", SL {item['sl_percent']}% in {item['sl_seconds']} s"
        return text + f", {item['opening_hours']} h open"
    if "share" in item:
        return f"{item['tag']} {item['share']}"
    if "points" in item:
        return f"{item['name']} ({item['points']} points)"
    if "rate" in item:
        return f"1 {item['currency']} = {item['rate']}"
    return ", ".join(f"{k} {v}" for k, v in item.items())


def event_history(event: SourcingEvent) -> list[HistoryEntry]:
    """Every saved version of the event, newest first, with what it changed."""
    records = list(event.history.select_related("history_user").order_by("history_date"))
    entries = []
    previous = None
    for record in records:
        if previous is None:
            kind, changes = "Created", []
        else:
            delta = record.diff_against(previous, included_fields=list(HISTORY_FIELDS))
            changes = [
                (
                    HISTORY_LABELS.get(c.field, c.field.replace("_", " ").capitalize()),
                    requirement_text(c.old),
                    requirement_text(c.new),
                )
                for c in delta.changes
            ]
            opened = any(c.field == "stage" and c.new == "open" for c in delta.changes)
            kind = "Opened" if opened else "Changed"
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=user.get_username() if user else "-",
                kind=kind,
                changes=changes,
            )
        )
        previous = record
    return list(reversed(entries))


# Lists and panels --------------------------------------------------------------------------


def with_status(events: Iterable[SourcingEvent], now: datetime) -> list[SourcingEvent]:
    """The events with `shown_status` set (the status every page and the API show)."""
    rows = list(events)
    for event in rows:
        event.shown_status = event_status(event, now)
    return rows


def with_bid_counts(events: QuerySet[SourcingEvent]) -> QuerySet[SourcingEvent]:
    """Events annotated with how many live proposals they received (a count is not sealed)."""
    return events.annotate(
        live_bids=Count("proposals", filter=~Q(proposals__status=ProposalStatus.WITHDRAWN))
    )


def with_own_proposals(events: QuerySet[SourcingEvent], vendor_id: int) -> QuerySet:
    """Events with `own_proposals`: the vendor's own proposals on each (for its portal)."""
    own = Proposal.objects.filter(vendor_id=vendor_id).order_by("-id")
    return events.prefetch_related(Prefetch("proposals", queryset=own, to_attr="own_proposals"))


def open_events(now: datetime) -> QuerySet[SourcingEvent]:
    """Events open to bids at `now`, soonest deadline first, with their live bid counts."""
    events = SourcingEvent.objects.filter(event_status_q(EventStatus.OPEN, now))
    return with_bid_counts(events).order_by("bid_deadline", "id")


def proposals_awaiting_rating(user, now: datetime) -> QuerySet[Proposal]:
    """Live proposals of closed events that `user` has not rated yet."""
    closed = SourcingEvent.objects.filter(event_status_q(EventStatus.CLOSED, now)).values("pk")
    return (
        Proposal.objects.filter(event__in=closed, status=ProposalStatus.SUBMITTED)
        .exclude(ratings__evaluator=user)
        .select_related("event", "vendor")
        .order_by("event__bid_deadline", "vendor__name")
    )
