"""The ORM -> scoring adapter: an event and its live proposals as `vendors.domain.scoring`'s inputs.

A fixed number of queries whatever the number of proposals (ten: the proposals with their
vendors, then one per child table read as plain values; plus one for the bidders' track
records), then pure scoring.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from core.channels import Channel
from vendors.domain.pricing import (
    ChannelPrice,
    MonthlyFee,
    OneOffFees,
    PriceComponent,
    PriceList,
    PricingModel,
)
from vendors.domain.scoring import (
    Certification,
    DesiredCertification,
    EventChannel,
    EventSpec,
    OfferedLanguage,
    ProposalSpec,
    Ranking,
    RequiredLanguage,
    VendorLanguage,
    VendorProfile,
    Weights,
    language_shortfalls,
    rank_event,
)
from vendors.models import (
    Proposal,
    ProposalLanguage,
    ProposalMonthlyFee,
    ProposalPrice,
    ProposalPriceComponent,
    ProposalRating,
    ProposalStatus,
    SourcingEvent,
    Vendor,
    VendorCertification,
    VendorChannel,
    VendorIndustry,
)
from vendors.models import VendorLanguage as VendorLanguageRow
from vendors.ranking.figures import shortfall_reason
from vendors.ranking.track_records import track_record_window, vendor_track_records
from vendors.services.volume_profiles import profile_from_json

# Child rows by table name, then by proposal (or vendor, or price) id, in position order.
ChildRows = dict[str, dict[int, list[dict[str, Any]]]]


def _dec(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def event_weights(event: SourcingEvent) -> Weights:
    """The event's saved criterion weights."""
    return Weights(
        cost=event.weight_cost,
        expertise=event.weight_expertise,
        security=event.weight_security,
        language=event.weight_language,
        performance=event.weight_performance,
    )


def event_spec(event: SourcingEvent) -> EventSpec:
    """The event's requirements as the scoring module's EventSpec."""
    channels = tuple(
        EventChannel(
            channel=Channel(c["channel"]),
            monthly_volume=int(c["monthly_volume"]),
            aht_seconds=int(c["aht_seconds"]),
            opening_hours=Decimal(str(c.get("opening_hours") or 0)),
            sl_percent=_dec(c.get("sl_percent")),
            sl_seconds=None if c.get("sl_seconds") in (None, "") else int(c["sl_seconds"]),
            profile=profile_from_json(c.get("profile")),
            patience_seconds=(
                None if c.get("patience_seconds") in (None, "") else int(c["patience_seconds"])
            ),
        )
        for c in event.channels
    )
    return EventSpec(
        currency=event.currency,
        term_months=event.term_months,
        start_date=event.start_date,
        industry=event.industry,
        weights=event_weights(event),
        channels=channels,
        languages=tuple(
            RequiredLanguage(
                tag=x["tag"],
                share=Decimal(str(x["share"])),
                required=bool(x.get("required", False)),
                minimum_level=x.get("minimum_level") or None,
                minimum_hours_coverage=Decimal(str(x.get("minimum_hours_coverage", 1))),
            )
            for x in event.languages
        ),
        must_have_certifications=tuple(event.must_have_certifications),
        desired_certifications=tuple(
            DesiredCertification(name=d["name"], points=int(d["points"]))
            for d in event.desired_certifications
        ),
        fx_rates={f["currency"]: Decimal(str(f["rate"])) for f in event.fx_rates},
        shrinkage=event.shrinkage,
        max_occupancy=event.max_occupancy,
        fte_hours=event.fte_hours,
        newcomer_performance=Decimal(event.newcomer_performance),
        track_record_months=track_record_window(event.bid_deadline),
    )


def live_proposals(event: SourcingEvent) -> QuerySet[Proposal]:
    """The event's submitted (not withdrawn) proposals with their vendors, earliest first."""
    return (
        Proposal.objects.filter(event=event, status=ProposalStatus.SUBMITTED)
        .select_related("vendor")
        .order_by("submitted_at", "id")
    )


def _grouped(rows: Iterable[dict[str, Any]], key: str) -> dict[int, list[dict[str, Any]]]:
    """Rows grouped by one column, each group in the query's order."""
    groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


def _child_rows(event: SourcingEvent) -> ChildRows:
    """Every child row the scores read, as plain values grouped by proposal or vendor.

    One query per table joined on the event's live proposals (a vendor has at most one), so
    the count is fixed whatever the number of proposals, and no model instance is built.
    """
    live = {"proposal__event": event, "proposal__status": ProposalStatus.SUBMITTED}
    bidder = {
        "vendor__proposals__event": event,
        "vendor__proposals__status": ProposalStatus.SUBMITTED,
    }
    price_of = {
        "price__proposal__event": event,
        "price__proposal__status": ProposalStatus.SUBMITTED,
    }
    # A vendor has at most one live proposal per event (a unique constraint): no duplicates.
    queries = {
        "prices": (
            ProposalPrice.objects.filter(**live).order_by("proposal_id", "position"),
            "proposal_id",
        ),
        "components": (
            ProposalPriceComponent.objects.filter(**price_of).order_by("price_id", "position"),
            "price_id",
        ),
        "fees": (
            ProposalMonthlyFee.objects.filter(**live).order_by("proposal_id", "position"),
            "proposal_id",
        ),
        "languages": (
            ProposalLanguage.objects.filter(**live).order_by("proposal_id", "position"),
            "proposal_id",
        ),
        "ratings": (
            ProposalRating.objects.filter(**live).order_by("proposal_id", "id"),
            "proposal_id",
        ),
        "channels": (
            VendorChannel.objects.filter(**bidder).order_by("vendor_id", "id"),
            "vendor_id",
        ),
        "vendor_languages": (
            VendorLanguageRow.objects.filter(**bidder).order_by("vendor_id", "id"),
            "vendor_id",
        ),
        "certifications": (
            VendorCertification.objects.filter(**bidder).order_by("vendor_id", "id"),
            "vendor_id",
        ),
        "industries": (
            VendorIndustry.objects.filter(**bidder).order_by("vendor_id", "id"),
            "vendor_id",
        ),
    }
    return {name: _grouped(query.values(), key) for name, (query, key) in queries.items()}


def _vendor_profile(vendor: Vendor, rows: ChildRows) -> VendorProfile:
    """A vendor's profile as the scoring module's VendorProfile."""
    return VendorProfile(
        id=vendor.pk,
        name=vendor.name,
        channels=frozenset(Channel(r["channel"]) for r in rows["channels"][vendor.pk]),
        languages=tuple(
            VendorLanguage(tag=r["tag"], level=r["level"])
            for r in rows["vendor_languages"][vendor.pk]
        ),
        certifications=tuple(
            Certification(name=r["name"], valid_until=r["valid_until"])
            for r in rows["certifications"][vendor.pk]
        ),
        industries={r["industry"]: r["years"] for r in rows["industries"][vendor.pk]},
    )


def _price_list(proposal: Proposal, rows: ChildRows) -> PriceList:
    """A proposal's prices and fees as a PriceList."""
    prices = tuple(
        ChannelPrice(
            channel=Channel(p["channel"]) if p["channel"] else None,
            model=PricingModel(p["model"]),
            rate=p["rate"],
            components=tuple(
                PriceComponent(
                    model=PricingModel(c["model"]),
                    rate=c["rate"],
                    share=c["share"],
                    bands=tuple(c.get("bands") or ()),
                    months=tuple(c.get("months") or ()),
                )
                for c in rows["components"][p["id"]]
            ),
            stated_hours=p["stated_hours"],
            stated_fte=p["stated_fte"],
        )
        for p in rows["prices"][proposal.pk]
    )
    return PriceList(
        currency=proposal.currency,
        channel_prices=prices,
        monthly_fees=tuple(
            MonthlyFee(name=f["name"], amount=f["amount"]) for f in rows["fees"][proposal.pk]
        ),
        minimum_monthly_charge=proposal.minimum_monthly_charge,
        one_off_fees=OneOffFees(
            setup=proposal.setup_fee,
            training=proposal.training_fee,
            project_management=proposal.project_management_fee,
        ),
    )


def proposal_specs(event: SourcingEvent, proposals: Sequence[Proposal]) -> list[ProposalSpec]:
    """The event's live proposals (`live_proposals`) as the scoring module's ProposalSpecs.

    Nine more queries whatever the number of proposals, and one per track-record provider
    (vendors.ranking.track_records) for every bidder's track record at once.
    """
    if not proposals:
        return []
    rows = _child_rows(event)
    from_month, to_month = track_record_window(event.bid_deadline)
    records = vendor_track_records(
        vendor_ids={p.vendor_id for p in proposals}, from_month=from_month, to_month=to_month
    )
    return [
        ProposalSpec(
            id=p.pk,
            vendor=_vendor_profile(p.vendor, rows),
            submitted_at=p.submitted_at,
            price_list=_price_list(p, rows),
            languages=tuple(
                OfferedLanguage(tag=x["tag"], level=x["level"], hours_coverage=x["hours_coverage"])
                for x in rows["languages"][p.pk]
            ),
            ratings=tuple(r["rating"] for r in rows["ratings"][p.pk]),
            track_record=records[p.vendor_id],
        )
        for p in proposals
    ]


def event_ranking(*, event: SourcingEvent, weights: Weights | None = None) -> Ranking:
    """Rank the event's live proposals (what-if weights replace the saved ones).

    No access rule is applied: callers decide who may see it (see `ranking_for`).
    """
    specs = proposal_specs(event, list(live_proposals(event)))
    return rank_event(event=event_spec(event), proposals=specs, weights=weights)


def proposal_language_reasons(proposal: Proposal) -> list[str]:
    """Why a proposal would be knocked out on the event's required languages, in words.

    Judged as the ranking judges it: the proposal's languages, else its vendor's profile.
    Empty when it meets them all (or none is required). Callers apply the sealed-bid rule.
    """
    spec = event_spec(proposal.event)
    if not any(language.required for language in spec.languages):
        return []
    offered = [
        OfferedLanguage(tag=x.tag, level=x.level, hours_coverage=x.hours_coverage)
        for x in proposal.languages.order_by("position")
    ] or [OfferedLanguage(tag=x.tag, level=x.level) for x in proposal.vendor.languages.all()]
    shortfalls = language_shortfalls(required=spec.languages, offered=offered)
    return [shortfall_reason(s) for s in shortfalls]
