"""Read an event and its live proposals from the database into the scoring module's inputs.

A fixed number of queries whatever the number of proposals (prefetches), then pure scoring.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from .channels import Channel
from .models import Proposal, ProposalStatus, SourcingEvent, Vendor
from .pricing import ChannelPrice, MonthlyFee, OneOffFees, PriceComponent, PriceList, PricingModel
from .scoring import (
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
    rank_event,
)


def _dec(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def event_weights(event: SourcingEvent) -> Weights:
    """The event's saved criterion weights."""
    return Weights(
        cost=event.weight_cost,
        expertise=event.weight_expertise,
        security=event.weight_security,
        language=event.weight_language,
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
            RequiredLanguage(tag=x["tag"], share=Decimal(str(x["share"]))) for x in event.languages
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
    )


def vendor_profile(vendor: Vendor) -> VendorProfile:
    """A vendor's profile (prefetched relations) as the scoring module's VendorProfile."""
    return VendorProfile(
        id=vendor.pk,
        name=vendor.name,
        channels=frozenset(Channel(c.channel) for c in vendor.served_channels.all()),
        languages=tuple(VendorLanguage(tag=x.tag, level=x.level) for x in vendor.languages.all()),
        certifications=tuple(
            Certification(name=c.name, valid_until=c.valid_until)
            for c in vendor.certifications.all()
        ),
        industries={i.industry: i.years for i in vendor.industries.all()},
    )


def proposal_price_list(proposal: Proposal) -> PriceList:
    """A proposal's prices and fees (prefetched) as a PriceList."""
    prices = tuple(
        ChannelPrice(
            channel=Channel(p.channel) if p.channel else None,
            model=PricingModel(p.model),
            rate=p.rate,
            components=tuple(
                PriceComponent(model=PricingModel(c.model), rate=c.rate, share=c.share)
                for c in p.components.all()
            ),
            stated_hours=p.stated_hours,
            stated_fte=p.stated_fte,
        )
        for p in proposal.prices.all()
    )
    return PriceList(
        currency=proposal.currency,
        channel_prices=prices,
        monthly_fees=tuple(
            MonthlyFee(name=f.name, amount=f.amount) for f in proposal.monthly_fees.all()
        ),
        minimum_monthly_charge=proposal.minimum_monthly_charge,
        one_off_fees=OneOffFees(
            setup=proposal.setup_fee,
            training=proposal.training_fee,
            project_management=proposal.project_management_fee,
        ),
    )


def live_proposals(event: SourcingEvent):
    """The event's submitted (not withdrawn) proposals with everything scoring reads."""
    return (
        Proposal.objects.filter(event=event, status=ProposalStatus.SUBMITTED)
        .select_related("vendor")
        .prefetch_related(
            "prices__components",
            "monthly_fees",
            "languages",
            "ratings",
            "vendor__served_channels",
            "vendor__languages",
            "vendor__certifications",
            "vendor__industries",
        )
    )


def proposal_spec(proposal: Proposal) -> ProposalSpec:
    """A proposal (prefetched) as the scoring module's ProposalSpec."""
    return ProposalSpec(
        id=proposal.pk,
        vendor=vendor_profile(proposal.vendor),
        submitted_at=proposal.submitted_at,
        price_list=proposal_price_list(proposal),
        languages=tuple(
            OfferedLanguage(tag=x.tag, level=x.level, hours_coverage=x.hours_coverage)
            for x in proposal.languages.all()
        ),
        ratings=tuple(r.rating for r in proposal.ratings.all()),
    )


def event_ranking(*, event: SourcingEvent, weights: Weights | None = None) -> Ranking:
    """Rank the event's live proposals (what-if weights replace the saved ones)."""
    specs = [proposal_spec(p) for p in live_proposals(event)]
    return rank_event(event=event_spec(event), proposals=specs, weights=weights)


def months_after(start: date, months: int) -> date:
    """The first day `months` months after `start`'s month."""
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
