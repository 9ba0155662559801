"""Reads of the vendors app: who sees which row, an event's status, the sealed-bid rule, and
bids, history and panels as the pages show them.

Every API route, admin page and HTML page asks these functions; none decides on its own.
Templates never receive a `Proposal` row. They receive a `Bid`: who bid, when and in which
state, and `content` (prices, fees, minimums, languages) filled only when
`proposal_prices_visible` allows it, so a template cannot print a sealed amount by mistake.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from statistics import median
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core import formatting
from core.history import SealedVersion
from core.labels import label_of
from core.roles import BUYER_ROLES, Role, role_of
from vendors.labels import MONTH_ABBREVIATIONS
from vendors.models import (
    PRICING_MODEL_CHOICES,
    REQUIREMENT_FIELDS,
    EventStage,
    EventStatus,
    Proposal,
    ProposalPrice,
    ProposalRating,
    ProposalStatus,
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


def event_has_live_bids(event: SourcingEvent) -> bool:
    """Whether a vendor has a live (not withdrawn) proposal on the event: its requirements,
    which that bid was priced against, are then frozen (`vendors.models.FROZEN_ONCE_BID`)."""
    return event.proposals.exclude(status=ProposalStatus.WITHDRAWN).exists()


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


def rating_history_visible(user, pk) -> bool:
    """Whether `user` may read rating `pk`'s history: the same rule as its proposal's."""
    rating = ProposalRating.objects.filter(pk=pk).values_list("proposal_id", flat=True).first()
    return rating is not None and proposal_history_visible(user, rating)


def _sealed_version(proposal: Proposal | None, *, created: bool) -> SealedVersion | None:
    """A version of (a part of) `proposal` as a feed may name it while its event is open."""
    if proposal is not None and bids_frozen(proposal.event, timezone.now()):
        return None
    if proposal is None:  # gone: nothing is left to judge, so nothing is said
        return SealedVersion(kind=_("proposal"), label=_("a proposal changed"), key="proposal")
    values = {"vendor": proposal.vendor.name, "event": proposal.event.title}
    label = (
        _("%(vendor)s submitted a proposal for %(event)s")
        if created
        else _("%(vendor)s changed its proposal for %(event)s")
    ) % values
    return SealedVersion(
        kind=_("proposal"), label=label, key=f"proposal:{proposal.pk}", created=created
    )


def proposal_version_sealed(row) -> SealedVersion | None:
    """A historical proposal row as a feed may show it: who submitted or changed it, not what,
    until the event's bid deadline (`core.history.history_seal_register`)."""
    proposal = Proposal.objects.select_related("event", "vendor").filter(pk=row.id).first()
    return _sealed_version(proposal, created=row.history_type == "+")


def proposal_part_version_sealed(row) -> SealedVersion | None:
    """A historical row of a proposal's prices, fees, languages or ratings, as a feed may
    show it: only that the vendor changed its proposal, until the event's bid deadline."""
    proposal = Proposal.objects.select_related("event", "vendor").filter(pk=row.proposal_id).first()
    return _sealed_version(proposal, created=False)


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
                        "scope": component_scope(bands=c.bands or [], months=c.months or []),
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
    "title": gettext_lazy("Title"),
    "currency": gettext_lazy("Currency"),
    "industry": gettext_lazy("Industry"),
    "shrinkage": gettext_lazy("Shrinkage"),
    "channels": gettext_lazy("Channels"),
    "languages": gettext_lazy("Languages"),
    "term_months": gettext_lazy("Term (months)"),
    "start_date": gettext_lazy("Start date"),
    "bid_deadline": gettext_lazy("Bid deadline"),
    "max_occupancy": gettext_lazy("Maximum occupancy"),
    "fte_hours": gettext_lazy("Hours per FTE"),
    "weight_cost": gettext_lazy("Cost weight"),
    "weight_expertise": gettext_lazy("Expertise weight"),
    "weight_security": gettext_lazy("Security weight"),
    "weight_language": gettext_lazy("Language weight"),
    "weight_performance": gettext_lazy("Performance (track record) weight"),
    "newcomer_performance": gettext_lazy("Newcomer performance score"),
    "must_have_certifications": gettext_lazy("Must-have certifications"),
    "desired_certifications": gettext_lazy("Desired certifications"),
    "fx_rates": gettext_lazy("FX rates"),
    "minimum_notice_hours": gettext_lazy("Minimum notice (hours)"),
    "stage": gettext_lazy("Stage"),
}


STAGE_WORDS = {
    "draft": pgettext_lazy("status", "Draft"),
    "open": pgettext_lazy("status", "Open"),
    "awarded": gettext_lazy("Awarded"),
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
        return "; ".join(_row_text(item) for item in value) or _("(none)")
    if isinstance(value, str) and value in STAGE_WORDS:
        return str(STAGE_WORDS[value])
    return _("(none)") if value in (None, "") else str(value)


def _row_text(item: object) -> str:
    if not isinstance(item, dict):
        return str(item)
    if "monthly_volume" in item:
        about = {
            **item,
            "channel": label_of(item["channel"]),
            "monthly_volume": formatting.number(item["monthly_volume"]),
            "aht_seconds": formatting.number(item["aht_seconds"]),
            "sl_percent": formatting.number(item.get("sl_percent")),
            "sl_seconds": formatting.number(item.get("sl_seconds")),
            "opening_hours": formatting.number(item["opening_hours"]),
        }
        if item.get("sl_percent") is not None:
            return (
                _(
                    "%(channel)s %(monthly_volume)s/month, AHT %(aht_seconds)s s, "
                    "SL %(sl_percent)s%% in %(sl_seconds)s s, %(opening_hours)s h open"
                )
                % about
            )
        return (
            _(
                "%(channel)s %(monthly_volume)s/month, AHT %(aht_seconds)s s, "
                "%(opening_hours)s h open"
            )
            % about
        )
    if "share" in item:
        text = f"{item['tag']} {formatting.fraction_percent(item['share'])}"
        if item.get("required"):
            coverage = Decimal(str(item.get("minimum_hours_coverage", 1))) * 100
            text += " " + _(
                "(required: %(level)s or better for %(coverage)s%% of opening hours)"
            ) % {"level": item.get("minimum_level"), "coverage": formatting.number(coverage)}
        return text
    if "points" in item:
        return _("%(name)s (%(points)s points)") % item
    if "rate" in item:
        return f"1 {item['currency']} = {formatting.number(item['rate'])}"
    return ", ".join(f"{k} {v}" for k, v in item.items())


def event_history(event: SourcingEvent) -> list[HistoryEntry]:
    """Every saved version of the event, newest first, with what it changed."""
    records = list(event.history.select_related("history_user").order_by("history_date"))
    entries = []
    previous = None
    for record in records:
        if previous is None:
            kind, changes = _("Created"), []
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
            kind = _("Opened") if opened else _("Changed")
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


def component_scope(*, bands: list[str], months: list[int]) -> str:
    """A scoped hybrid component's bands and months as words (`day; Nov, Dec`); "" unscoped."""
    parts = []
    if bands:
        parts.append(", ".join(bands))
    if months:
        parts.append(", ".join(str(MONTH_ABBREVIATIONS[m - 1]) for m in sorted(months)))
    if bands and not months:
        parts.append(_("all year"))
    if months and not bands:
        parts.insert(0, _("all bands"))
    return "; ".join(parts)
