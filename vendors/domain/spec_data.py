"""The ranking's inputs as plain data: `EventSpec` and `ProposalSpec`s to JSON-able dicts and back.

The comparison report attaches them (`inputs.spec`, docs/reports.md) and `report_verify` reads
them back to call `rank_event` again; the ORM adapter (vendors/ranking/adapter.py) builds its
specs through the same `*_from_data` functions, so what the report carries is what was ranked.

The shapes (every field of the dataclasses, by the same names):

- decimals are exact strings (`"30.00"`), counts and seconds whole numbers, dates ISO 8601
  (`"2027-01-01"`), instants ISO 8601 with their offset, channels and models their codes;
- `event.channels[].profile` is `{months: [12 factors, January first], bands: [{name, hours,
  share}]}` (as the event stores it; absent or empty is flat), `event.fx_rates` a list of
  `{currency, rate}` (event-currency units per one unit of `currency`), `event.weights`
  `{cost, expertise, security, language, performance}` and `event.track_record_months`
  `[first, last]` (first days of months) or null;
- `proposals[].price_list {currency, channel_prices[{channel (null: every other channel), model,
  rate, components[{model, rate, share, bands[], months[]}], stated_hours, stated_fte}],
  monthly_fees[{name, amount}], minimum_monthly_charge, one_off_fees {setup, training,
  project_management}}`, `proposals[].vendor {id, name, channels[], languages[{tag, level}],
  certifications[{name, valid_until}], industries {industry: years}}` and
  `proposals[].track_record {met, warning, breach, missing}` or null.

The readers accept what the writers write and also the event's stored JSON (missing optional
keys take the dataclasses' defaults). Pure: no Django, no I/O.
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

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
    RequiredLanguage,
    VendorLanguage,
    VendorProfile,
    Weights,
)
from vendors.domain.staffing import MONTHS, Band, VolumeProfile
from vendors.domain.track_record import TrackRecord, track_record_of

Data = dict[str, Any]
ONE = Decimal(1)


def _text(value: Decimal | int | None) -> str | None:
    """A decimal as its exact string (None stays None)."""
    return None if value is None else str(value)


def _dec(value: Any) -> Decimal | None:
    """A stated number (string, int or Decimal) as a Decimal; None or "" is None."""
    return None if value in (None, "") else Decimal(str(value))


def _decimal(value: Any, default: Decimal | None = None) -> Decimal:
    """A required number; `default` when absent (and one is given)."""
    found = _dec(value)
    if found is None:
        if default is None:
            raise ValueError("a number is required")
        return default
    return found


def _whole(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


def _day(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


# Volume profiles ------------------------------------------------------------------------------


def profile_to_data(profile: VolumeProfile) -> Data:
    """A profile as `{months: [12 factors], bands: [{name, hours, share}]}`."""
    return {
        "months": [str(f) for f in profile.months],
        "bands": [
            {"name": b.name, "hours": str(b.hours), "share": str(b.share)} for b in profile.bands
        ],
    }


def profile_from_data(value: Mapping[str, Any] | None) -> VolumeProfile:
    """A stored or attached profile as a VolumeProfile (flat when absent or empty)."""
    if not value:
        return VolumeProfile()
    months: Sequence[Any] = value.get("months") or ()
    return VolumeProfile(
        months=tuple(_decimal(f) for f in months) if months else (ONE,) * MONTHS,
        bands=tuple(
            Band(name=b["name"], hours=_decimal(b["hours"]), share=_decimal(b["share"]))
            for b in value.get("bands") or ()
        ),
    )


# The event ------------------------------------------------------------------------------------


def channel_to_data(need: EventChannel) -> Data:
    """One event channel's needs."""
    return {
        "channel": need.channel.value,
        "monthly_volume": need.monthly_volume,
        "aht_seconds": need.aht_seconds,
        "opening_hours": str(need.opening_hours),
        "sl_percent": _text(need.sl_percent),
        "sl_seconds": need.sl_seconds,
        "profile": profile_to_data(need.profile),
        "patience_seconds": need.patience_seconds,
    }


def channel_from_data(value: Mapping[str, Any]) -> EventChannel:
    """One event channel's needs from its data (or the event's stored channel JSON)."""
    return EventChannel(
        channel=Channel(value["channel"]),
        monthly_volume=int(value["monthly_volume"]),
        aht_seconds=int(value["aht_seconds"]),
        opening_hours=Decimal(str(value.get("opening_hours") or 0)),
        sl_percent=_dec(value.get("sl_percent")),
        sl_seconds=_whole(value.get("sl_seconds")),
        profile=profile_from_data(value.get("profile")),
        patience_seconds=_whole(value.get("patience_seconds")),
    )


def language_from_data(value: Mapping[str, Any]) -> RequiredLanguage:
    """One of the event's languages, its share and any knock-out rule."""
    return RequiredLanguage(
        tag=value["tag"],
        share=_decimal(value["share"]),
        required=bool(value.get("required", False)),
        minimum_level=value.get("minimum_level") or None,
        minimum_hours_coverage=_decimal(value.get("minimum_hours_coverage"), ONE),
    )


def event_to_data(event: EventSpec) -> Data:
    """Every field of an EventSpec as plain data (module docstring)."""
    window = event.track_record_months
    return {
        "currency": event.currency,
        "term_months": event.term_months,
        "start_date": event.start_date.isoformat(),
        "industry": event.industry,
        "weights": {
            "cost": event.weights.cost,
            "expertise": event.weights.expertise,
            "security": event.weights.security,
            "language": event.weights.language,
            "performance": event.weights.performance,
        },
        "channels": [channel_to_data(c) for c in event.channels],
        "languages": [
            {
                "tag": x.tag,
                "share": str(x.share),
                "required": x.required,
                "minimum_level": x.minimum_level,
                "minimum_hours_coverage": str(x.minimum_hours_coverage),
            }
            for x in event.languages
        ],
        "must_have_certifications": list(event.must_have_certifications),
        "desired_certifications": [
            {"name": d.name, "points": d.points} for d in event.desired_certifications
        ],
        "fx_rates": [{"currency": c, "rate": str(r)} for c, r in event.fx_rates.items()],
        "shrinkage": str(event.shrinkage),
        "max_occupancy": str(event.max_occupancy),
        "fte_hours": str(event.fte_hours),
        "newcomer_performance": str(event.newcomer_performance),
        "track_record_months": None if window is None else [d.isoformat() for d in window],
    }


def event_from_data(value: Mapping[str, Any]) -> EventSpec:
    """An EventSpec from `event_to_data`'s shape (missing optional keys: the defaults)."""
    window = value.get("track_record_months")
    first, last = (None, None) if not window else (_day(window[0]), _day(window[1]))
    start = _day(value["start_date"])
    if start is None:
        raise ValueError("start_date is required")
    return EventSpec(
        currency=value["currency"],
        term_months=int(value["term_months"]),
        start_date=start,
        industry=value.get("industry") or "",
        weights=Weights(**{k: int(n) for k, n in value["weights"].items()}),
        channels=tuple(channel_from_data(c) for c in value["channels"]),
        languages=tuple(language_from_data(x) for x in value.get("languages") or ()),
        must_have_certifications=tuple(value.get("must_have_certifications") or ()),
        desired_certifications=tuple(
            DesiredCertification(name=d["name"], points=int(d["points"]))
            for d in value.get("desired_certifications") or ()
        ),
        fx_rates={f["currency"]: _decimal(f["rate"]) for f in value.get("fx_rates") or ()},
        shrinkage=_decimal(value.get("shrinkage"), EventSpec.shrinkage),
        max_occupancy=_decimal(value.get("max_occupancy"), EventSpec.max_occupancy),
        fte_hours=_decimal(value.get("fte_hours"), EventSpec.fte_hours),
        newcomer_performance=_decimal(
            value.get("newcomer_performance"), EventSpec.newcomer_performance
        ),
        track_record_months=None if first is None or last is None else (first, last),
    )


# Proposals ------------------------------------------------------------------------------------


def price_list_to_data(price_list: PriceList) -> Data:
    """A price list (a proposal's prices and fees) as plain data."""
    fees = price_list.one_off_fees
    return {
        "currency": price_list.currency,
        "channel_prices": [
            {
                "channel": None if p.channel is None else p.channel.value,
                "model": p.model.value,
                "rate": str(p.rate),
                "components": [
                    {
                        "model": c.model.value,
                        "rate": str(c.rate),
                        "share": _text(c.share),
                        "bands": list(c.bands),
                        "months": list(c.months),
                    }
                    for c in p.components
                ],
                "stated_hours": _text(p.stated_hours),
                "stated_fte": _text(p.stated_fte),
            }
            for p in price_list.channel_prices
        ],
        "monthly_fees": [
            {"name": f.name, "amount": str(f.amount)} for f in price_list.monthly_fees
        ],
        "minimum_monthly_charge": str(price_list.minimum_monthly_charge),
        "one_off_fees": {
            "setup": str(fees.setup),
            "training": str(fees.training),
            "project_management": str(fees.project_management),
        },
    }


def _component(value: Mapping[str, Any]) -> PriceComponent:
    return PriceComponent(
        model=PricingModel(value["model"]),
        rate=_decimal(value["rate"]),
        share=_dec(value.get("share")),
        bands=tuple(value.get("bands") or ()),
        months=tuple(int(m) for m in value.get("months") or ()),
    )


def price_list_from_data(value: Mapping[str, Any]) -> PriceList:
    """A PriceList from `price_list_to_data`'s shape."""
    fees = value.get("one_off_fees") or {}
    zero = Decimal(0)
    return PriceList(
        currency=value["currency"],
        channel_prices=tuple(
            ChannelPrice(
                channel=Channel(p["channel"]) if p.get("channel") else None,
                model=PricingModel(p["model"]),
                rate=_decimal(p.get("rate"), zero),
                components=tuple(_component(c) for c in p.get("components") or ()),
                stated_hours=_dec(p.get("stated_hours")),
                stated_fte=_dec(p.get("stated_fte")),
            )
            for p in value["channel_prices"]
        ),
        monthly_fees=tuple(
            MonthlyFee(name=f["name"], amount=_decimal(f["amount"]))
            for f in value.get("monthly_fees") or ()
        ),
        minimum_monthly_charge=_decimal(value.get("minimum_monthly_charge"), zero),
        one_off_fees=OneOffFees(
            setup=_decimal(fees.get("setup"), zero),
            training=_decimal(fees.get("training"), zero),
            project_management=_decimal(fees.get("project_management"), zero),
        ),
    )


def vendor_to_data(vendor: VendorProfile) -> Data:
    """The vendor facts the scores use (channels in code order)."""
    return {
        "id": vendor.id,
        "name": vendor.name,
        "channels": sorted(c.value for c in vendor.channels),
        "languages": [{"tag": x.tag, "level": x.level} for x in vendor.languages],
        "certifications": [
            {
                "name": c.name,
                "valid_until": None if c.valid_until is None else c.valid_until.isoformat(),
            }
            for c in vendor.certifications
        ],
        "industries": {
            name: years if isinstance(years, int) else str(years)
            for name, years in vendor.industries.items()
        },
    }


def vendor_from_data(value: Mapping[str, Any]) -> VendorProfile:
    """A VendorProfile from `vendor_to_data`'s shape."""
    return VendorProfile(
        id=value["id"],
        name=value["name"],
        channels=frozenset(Channel(c) for c in value.get("channels") or ()),
        languages=tuple(
            VendorLanguage(tag=x["tag"], level=x["level"]) for x in value.get("languages") or ()
        ),
        certifications=tuple(
            Certification(name=c["name"], valid_until=_day(c.get("valid_until")))
            for c in value.get("certifications") or ()
        ),
        industries={
            name: years if isinstance(years, int) else _decimal(years)
            for name, years in (value.get("industries") or {}).items()
        },
    )


def track_record_to_data(record: TrackRecord | None) -> Data | None:
    """The four counts a track record is computed from (None: none known)."""
    if record is None:
        return None
    return {
        "met": record.met,
        "warning": record.warning,
        "breach": record.breach,
        "missing": record.missing,
    }


def track_record_from_data(value: Mapping[str, Any] | None) -> TrackRecord | None:
    """The track record of the four counts (`track_record_of`)."""
    if value is None:
        return None
    return track_record_of(
        met=int(value["met"]), warning=int(value["warning"]),
        breach=int(value["breach"]), missing=int(value["missing"]),
    )  # fmt: skip


def proposal_to_data(proposal: ProposalSpec) -> Data:
    """Every field of a ProposalSpec as plain data (module docstring)."""
    return {
        "id": proposal.id,
        "vendor": vendor_to_data(proposal.vendor),
        "submitted_at": proposal.submitted_at.isoformat(),
        "price_list": price_list_to_data(proposal.price_list),
        "languages": [
            {"tag": x.tag, "level": x.level, "hours_coverage": str(x.hours_coverage)}
            for x in proposal.languages
        ],
        "ratings": list(proposal.ratings),
        "track_record": track_record_to_data(proposal.track_record),
    }


def proposal_from_data(value: Mapping[str, Any]) -> ProposalSpec:
    """A ProposalSpec from `proposal_to_data`'s shape."""
    submitted = value["submitted_at"]
    return ProposalSpec(
        id=value["id"],
        vendor=vendor_from_data(value["vendor"]),
        submitted_at=(
            submitted if isinstance(submitted, datetime) else datetime.fromisoformat(submitted)
        ),
        price_list=price_list_from_data(value["price_list"]),
        languages=tuple(
            OfferedLanguage(
                tag=x["tag"],
                level=x["level"],
                hours_coverage=_decimal(x.get("hours_coverage"), ONE),
            )
            for x in value.get("languages") or ()
        ),
        ratings=tuple(int(r) for r in value.get("ratings") or ()),
        track_record=track_record_from_data(value.get("track_record")),
    )


# Both -----------------------------------------------------------------------------------------


def spec_to_data(*, event: EventSpec, proposals: Sequence[ProposalSpec]) -> Data:
    """`{event, proposals[]}`: everything `rank_event` reads, as plain data."""
    return {"event": event_to_data(event), "proposals": [proposal_to_data(p) for p in proposals]}


def spec_from_data(value: Mapping[str, Any]) -> tuple[EventSpec, list[ProposalSpec]]:
    """The EventSpec and ProposalSpecs of `spec_to_data`'s shape."""
    return event_from_data(value["event"]), [proposal_from_data(p) for p in value["proposals"]]
