"""The ORM -> scoring adapter: an event and its live proposals as `vendors.domain.scoring`'s inputs.

A fixed number of queries whatever the number of proposals (ten: the proposals with their
vendors, then one per child table read as plain values; plus one for the bidders' track
records), then pure scoring.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from vendors.domain.scoring import (
    Criterion,
    EventSpec,
    OfferedLanguage,
    ProposalSpec,
    Ranking,
    Weights,
    language_shortfalls,
    rank_event,
)
from vendors.domain.spec_data import event_from_data, proposal_from_data, track_record_to_data
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

# Child rows by table name, then by proposal (or vendor, or price) id, in position order.
ChildRows = dict[str, dict[int, list[dict[str, Any]]]]


def event_weights(event: SourcingEvent) -> Weights:
    """The event's saved criterion weights."""
    return Weights(
        cost=event.weight_cost,
        expertise=event.weight_expertise,
        security=event.weight_security,
        language=event.weight_language,
        performance=event.weight_performance,
    )


def event_data(event: SourcingEvent) -> dict[str, Any]:
    """The event's requirements in `vendors.domain.spec_data`'s shape (its stored JSON as is)."""
    weights = event_weights(event)
    first, last = track_record_window(event.bid_deadline)
    return {
        "currency": event.currency,
        "term_months": event.term_months,
        "start_date": event.start_date.isoformat(),
        "industry": event.industry,
        "weights": {c.value: weights.of(c) for c in Criterion},
        "channels": event.channels,
        "languages": event.languages,
        "must_have_certifications": event.must_have_certifications,
        "desired_certifications": event.desired_certifications,
        "fx_rates": event.fx_rates,
        "shrinkage": str(event.shrinkage),
        "max_occupancy": str(event.max_occupancy),
        "fte_hours": str(event.fte_hours),
        "newcomer_performance": str(event.newcomer_performance),
        "track_record_months": [first.isoformat(), last.isoformat()],
    }


def event_spec(event: SourcingEvent) -> EventSpec:
    """The event's requirements as the scoring module's EventSpec, read through its data form
    (`vendors.domain.spec_data`), the same reader `report_verify` uses on the report's JSON."""
    return event_from_data(event_data(event))


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


def _vendor_data(vendor: Vendor, rows: ChildRows) -> dict[str, Any]:
    """A vendor's profile in `vendors.domain.spec_data`'s shape."""
    return {
        "id": vendor.pk,
        "name": vendor.name,
        "channels": [r["channel"] for r in rows["channels"][vendor.pk]],
        "languages": [
            {"tag": r["tag"], "level": r["level"]} for r in rows["vendor_languages"][vendor.pk]
        ],
        "certifications": [
            {"name": r["name"], "valid_until": _iso(r["valid_until"])}
            for r in rows["certifications"][vendor.pk]
        ],
        "industries": {r["industry"]: r["years"] for r in rows["industries"][vendor.pk]},
    }


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _price_list_data(proposal: Proposal, rows: ChildRows) -> dict[str, Any]:
    """A proposal's prices and fees in `vendors.domain.spec_data`'s shape."""
    prices = [
        {
            "channel": p["channel"] or None,
            "model": p["model"],
            "rate": str(p["rate"]),
            "components": [
                {
                    "model": c["model"],
                    "rate": str(c["rate"]),
                    "share": _text(c["share"]),
                    "bands": list(c.get("bands") or ()),
                    "months": list(c.get("months") or ()),
                }
                for c in rows["components"][p["id"]]
            ],
            "stated_hours": _text(p["stated_hours"]),
            "stated_fte": _text(p["stated_fte"]),
        }
        for p in rows["prices"][proposal.pk]
    ]
    return {
        "currency": proposal.currency,
        "channel_prices": prices,
        "monthly_fees": [
            {"name": f["name"], "amount": str(f["amount"])} for f in rows["fees"][proposal.pk]
        ],
        "minimum_monthly_charge": str(proposal.minimum_monthly_charge),
        "one_off_fees": {
            "setup": str(proposal.setup_fee),
            "training": str(proposal.training_fee),
            "project_management": str(proposal.project_management_fee),
        },
    }


def proposal_specs(event: SourcingEvent, proposals: Sequence[Proposal]) -> list[ProposalSpec]:
    """The event's live proposals (`live_proposals`) as the scoring module's ProposalSpecs, read
    through their data form (`vendors.domain.spec_data`), as `report_verify` reads them.

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
        proposal_from_data(
            {
                "id": p.pk,
                "vendor": _vendor_data(p.vendor, rows),
                "submitted_at": p.submitted_at.isoformat(),
                "price_list": _price_list_data(p, rows),
                "languages": [
                    {
                        "tag": x["tag"],
                        "level": x["level"],
                        "hours_coverage": str(x["hours_coverage"]),
                    }
                    for x in rows["languages"][p.pk]
                ],
                "ratings": [r["rating"] for r in rows["ratings"][p.pk]],
                "track_record": track_record_to_data(records[p.vendor_id]),
            }
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
