"""Writes on proposals and ratings: submit, update, withdraw until the deadline; rate after it.

The price rules themselves (negative amounts, duplicate channel prices, hybrid shares) are
`vendors.domain.pricing.validate_price_list`'s; this module parses the input into its dataclasses,
adds what only the event knows (its channels, its FX rates, its deadline) and stores rows.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.channels import Channel
from core.errors import Conflict
from core.names import mixed_scripts
from core.roles import Role, role_of
from vendors.domain.pricing import (
    ChannelPrice,
    MonthlyFee,
    OneOffFees,
    PriceComponent,
    PriceList,
    PricingModel,
    coverage_problems,
    validate_price_list,
)
from vendors.models import (
    EventStage,
    Proposal,
    ProposalLanguage,
    ProposalMonthlyFee,
    ProposalPrice,
    ProposalPriceComponent,
    ProposalRating,
    ProposalStatus,
    SourcingEvent,
    Vendor,
)
from vendors.selectors import bids_frozen
from vendors.services.validation import (
    InvalidValue,
    Problems,
    currency_code,
    decimal_value,
    language_level,
    language_tag,
    object_list,
    scalar_list,
    whole_number,
)
from vendors.services.volume_profiles import profile_from_json

PROPOSAL_FIELDS = (
    "currency",
    "pricing",
    "one_off_fees",
    "monthly_fees",
    "minimum_monthly_charge",
    "languages",
)
ONE_OFF_FEES = ("setup", "training", "project_management")
# Storage bounds (column sizes); the pricing rules proper are validate_price_list's.
MAX_RATE = Decimal(10) ** 8
MAX_AMOUNT = Decimal(10) ** 12
MAX_STATED = Decimal(10) ** 6


def _amount(value: object, *, places: int = 2, maximum: Decimal = MAX_AMOUNT) -> Decimal:
    """A money amount or rate: a number with at most `places` decimals, below the column size."""
    return decimal_value(value, places=places, maximum=maximum, exclusive_maximum=True)


def _optional(value: object, *, places: int) -> Decimal | None:
    """A stated figure or None."""
    if value is None or value == "":
        return None
    return decimal_value(value, places=places, maximum=MAX_STATED, exclusive_maximum=True)


def _model(value: object) -> PricingModel:
    """A pricing model name."""
    try:
        return PricingModel(str(value))
    except ValueError as error:
        names = ", ".join(m.value for m in PricingModel)
        raise InvalidValue(
            _("%(value)s is not a pricing model; use %(names)s.")
            % {"value": repr(value), "names": names}
        ) from error


def _channel(value: object, event: SourcingEvent) -> Channel | None:
    """A channel the event needs, or None for the price of every channel."""
    if value is None or value == "":
        return None
    if value not in {c.value for c in Channel}:
        raise InvalidValue(
            _("%(value)s is not a channel; use one of the event's or null for all.")
            % {"value": repr(value)}
        )
    needed = [need["channel"] for need in event.channels]
    if value not in needed:
        raise InvalidValue(
            _("The event does not include %(channel)s; it needs %(needed)s.")
            % {"channel": value, "needed": ", ".join(needed)}
        )
    return Channel(value)


def _components(problems: Problems, field: str, value: object) -> tuple[PriceComponent, ...]:
    """A hybrid price's components."""
    parts = []
    for index, item in enumerate(object_list(problems, field, value or [])):
        sub = f"{field}[{index}]"
        model = problems.check(f"{sub}.model", lambda item=item: _model(item.get("model")))
        rate = problems.check(
            f"{sub}.rate", lambda item=item: _amount(item.get("rate"), places=4, maximum=MAX_RATE)
        )
        bands = _scope_bands(problems, f"{sub}.bands", item.get("bands"))
        months = _scope_months(problems, f"{sub}.months", item.get("months"))
        share = None
        if item.get("share") is not None or not (bands or months):
            share = problems.check(
                f"{sub}.share", lambda item=item: decimal_value(item.get("share"), places=4)
            )
            if share is None:
                continue
        if model is not None and rate is not None and bands is not None and months is not None:
            parts.append(
                PriceComponent(
                    model=model, rate=rate, share=share, bands=tuple(bands), months=tuple(months)
                )
            )
    return tuple(parts)


def _scope_bands(problems: Problems, field: str, value: object) -> list[str] | None:
    """A component's band names (the event's bands are checked with the coverage)."""
    if value in (None, ""):
        return []
    names = scalar_list(problems, field, value)
    if field in problems.errors:
        return None
    cleaned = [str(name).strip() for name in names]
    if any(not name for name in cleaned):
        problems.add(field, _("A band name must not be blank."))
        return None
    return cleaned


def _scope_months(problems: Problems, field: str, value: object) -> list[int] | None:
    """A component's calendar months, whole numbers 1 (January) to 12 (December)."""
    if value in (None, ""):
        return []
    raw = scalar_list(problems, field, value)
    if field in problems.errors:
        return None
    months = []
    for index, item in enumerate(raw):
        month = problems.check(
            f"{field}[{index}]", lambda item=item: whole_number(item, minimum=1, maximum=12)
        )
        if month is None:
            return None
        months.append(month)
    return months


def _coverage(problems: Problems, price_list: PriceList, event: SourcingEvent) -> None:
    """Scoped hybrids must price every band of the channel in every month exactly once."""
    for index, price in enumerate(price_list.channel_prices):
        if not price.scoped:
            continue
        for need in event.channels:
            channel = Channel(need["channel"])
            if price_list.price_for(channel) is not price:
                continue
            hours = Decimal(str(need.get("opening_hours") or 0))
            bands = profile_from_json(need.get("profile")).bands_for(hours)
            names = [band.name for band in bands]
            for message in coverage_problems(price=price, bands=names, translate=_):
                problems.add(
                    f"pricing[{index}].components",
                    _(
                        "%(channel)s: %(problem)s. The components must price each band "
                        "(%(bands)s) in each month exactly once."
                    )
                    % {"channel": channel.value, "problem": message, "bands": ", ".join(names)},
                )


def _price(problems: Problems, field: str, item: Mapping[str, Any], event) -> ChannelPrice | None:
    """One channel price as pricing's dataclass."""
    channel = problems.check(f"{field}.channel", lambda: _channel(item.get("channel"), event))
    model = problems.check(f"{field}.model", lambda: _model(item.get("model")))
    raw_rate = item.get("rate")
    if raw_rate is None and model is not PricingModel.HYBRID:
        problems.add(f"{field}.rate", "A rate is required.")
        return None
    rate = problems.check(
        f"{field}.rate", lambda: _amount(raw_rate or 0, places=4, maximum=MAX_RATE)
    )
    components = _components(problems, f"{field}.components", item.get("components"))
    hours = problems.check(
        f"{field}.stated_hours", lambda: _optional(item.get("stated_hours"), places=2)
    )
    fte = problems.check(f"{field}.stated_fte", lambda: _optional(item.get("stated_fte"), places=2))
    if model is None or rate is None or f"{field}.channel" in problems.errors:
        return None
    return ChannelPrice(
        channel=channel,
        model=model,
        rate=rate,
        components=components,
        stated_hours=hours,
        stated_fte=fte,
    )


def _one_off(problems: Problems, value: object) -> OneOffFees:
    """The one-off fees; a fee left out is 0."""
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        problems.add("one_off_fees", _("Expected an object {setup, training, project_management}."))
        return OneOffFees()
    for name in sorted(set(value) - set(ONE_OFF_FEES)):
        problems.add(
            f"one_off_fees.{name}", "Not a one-off fee; use setup, training, project_management."
        )
    fees = {
        name: problems.check(
            f"one_off_fees.{name}", lambda name=name: _amount(value.get(name) or 0)
        )
        for name in ONE_OFF_FEES
    }
    return OneOffFees(**{k: v if v is not None else Decimal(0) for k, v in fees.items()})


def _monthly_fees(problems: Problems, value: object) -> tuple[MonthlyFee, ...]:
    """Fixed monthly fees (blank names are pricing's problem, long ones the column's)."""
    fees = []
    for index, item in enumerate(object_list(problems, "monthly_fees", value or [])):
        field = f"monthly_fees[{index}]"
        name = str(item.get("name") or "").strip()
        if len(name) > 100:
            problems.add(f"{field}.name", "Use at most 100 characters.")
        if scripts := mixed_scripts(name):  # "Management" with a Cyrillic "а" (core.names)
            problems.add(
                f"{field}.name",
                _(
                    "This fee name mixes letters of different scripts (%(scripts)s) that look "
                    "alike; write it in one script."
                )
                % {"scripts": ", ".join(scripts)},
            )
        amount = problems.check(f"{field}.amount", lambda item=item: _amount(item.get("amount")))
        if amount is not None:
            fees.append(MonthlyFee(name=name, amount=amount))
    return tuple(fees)


def _languages(problems: Problems, value: object) -> list[dict[str, Any]]:
    """Languages staffed, with level and hours coverage (0..1, default 1), each tag once."""
    result: list[dict[str, Any]] = []
    for index, item in enumerate(object_list(problems, "languages", value or [])):
        field = f"languages[{index}]"
        tag = problems.check(f"{field}.tag", lambda item=item: language_tag(item.get("tag")))
        level = problems.check(
            f"{field}.level", lambda item=item: language_level(item.get("level"))
        )
        coverage = problems.check(
            f"{field}.hours_coverage",
            lambda item=item: decimal_value(
                1 if item.get("hours_coverage") is None else item["hours_coverage"],
                places=4,
                minimum=Decimal(0),
                maximum=Decimal(1),
            ),
        )
        if tag and any(row["tag"] == tag for row in result):
            problems.add(f"{field}.tag", f"{tag} is listed more than once.")
        elif tag and level and coverage is not None:
            result.append({"tag": tag, "level": level, "hours_coverage": coverage})
    return result


def _clean(*, values: Mapping[str, Any], event: SourcingEvent) -> dict[str, Any]:
    """Validate a whole proposal against pricing's rules and the event; raise every problem."""
    problems = Problems()
    for name in sorted(set(values) - set(PROPOSAL_FIELDS)):
        problems.add(name, "Not a proposal field.")
    currency = problems.check("currency", lambda: currency_code(values.get("currency")))
    rates = {row["currency"] for row in event.fx_rates}
    if currency and currency != event.currency and currency not in rates:
        problems.add(
            "currency",
            f"This event has no FX rate for {currency}; price in {event.currency}"
            + (f" or {', '.join(sorted(rates))}." if rates else "."),
        )
    prices = []
    for index, item in enumerate(object_list(problems, "pricing", values.get("pricing"))):
        price = _price(problems, f"pricing[{index}]", item, event)
        if price is not None:
            prices.append(price)
    minimum = problems.check(
        "minimum_monthly_charge", lambda: _amount(values.get("minimum_monthly_charge") or 0)
    )
    price_list = PriceList(
        currency=currency or event.currency,
        channel_prices=tuple(prices),
        monthly_fees=_monthly_fees(problems, values.get("monthly_fees")),
        minimum_monthly_charge=minimum if minimum is not None else Decimal(0),
        one_off_fees=_one_off(problems, values.get("one_off_fees")),
    )
    for field, message in validate_price_list(price_list=price_list):
        if field not in problems.errors:
            problems.add(field, message[0].upper() + message[1:] + ".")
    if not any(key.startswith("pricing") for key in problems.errors):
        _coverage(problems, price_list, event)
    if not any(key.startswith("pricing") for key in problems.errors):
        for need in event.channels:
            if price_list.price_for(Channel(need["channel"])) is None:
                problems.add(
                    "pricing", f"{need['channel']} is not priced; price it or give a price for all."
                )
    languages = _languages(problems, values.get("languages"))
    problems.raise_if_any()
    return {"price_list": price_list, "languages": languages}


def _store(proposal: Proposal, clean: Mapping[str, Any]) -> None:
    """Write the proposal's amounts and replace its price, fee and language rows."""
    price_list: PriceList = clean["price_list"]
    proposal.prices.all().delete()
    proposal.monthly_fees.all().delete()
    proposal.languages.all().delete()
    for position, price in enumerate(price_list.channel_prices):
        row = ProposalPrice.objects.create(
            proposal=proposal,
            position=position,
            channel=price.channel.value if price.channel else "",
            model=price.model.value,
            rate=price.rate,
            stated_hours=price.stated_hours,
            stated_fte=price.stated_fte,
        )
        ProposalPriceComponent.objects.bulk_create(
            ProposalPriceComponent(
                price=row,
                position=n,
                model=c.model.value,
                rate=c.rate,
                share=c.share,
                bands=list(c.bands),
                months=list(c.months),
            )
            for n, c in enumerate(price.components)
        )
    # Prices are saved one by one and deleted through the ORM, so simple-history records
    # them; the fees and languages are inserted in bulk with their history rows.
    bulk_create_with_history(
        [
            ProposalMonthlyFee(proposal=proposal, position=n, name=fee.name, amount=fee.amount)
            for n, fee in enumerate(price_list.monthly_fees)
        ],
        ProposalMonthlyFee,
    )
    bulk_create_with_history(
        [
            ProposalLanguage(proposal=proposal, position=n, **row)
            for n, row in enumerate(clean["languages"])
        ],
        ProposalLanguage,
    )


def _apply_amounts(proposal: Proposal, price_list: PriceList) -> None:
    """Copy the price list's currency and single amounts onto the proposal row."""
    proposal.currency = price_list.currency
    proposal.minimum_monthly_charge = price_list.minimum_monthly_charge
    proposal.setup_fee = price_list.one_off_fees.setup
    proposal.training_fee = price_list.one_off_fees.training
    proposal.project_management_fee = price_list.one_off_fees.project_management


def _ensure_biddable(event: SourcingEvent, now: datetime) -> None:
    """Bids change only while the event is open and before its deadline (409 otherwise)."""
    if event.stage == EventStage.AWARDED or bids_frozen(event, now):
        raise Conflict(
            _("Bids are frozen since %(deadline)s.") % {"deadline": event.bid_deadline.isoformat()}
        )
    if event.stage != EventStage.OPEN:
        raise Conflict(_("The event is not open to bids."))


def _event_for_vendor(event: SourcingEvent, vendor: Vendor) -> SourcingEvent:
    """The event locked for this bid; 404 unless the vendor is invited and it is not a draft."""
    locked = SourcingEvent.objects.select_for_update().filter(pk=event.pk).first()
    invited = locked is not None and locked.invited_vendors.filter(pk=vendor.pk).exists()
    if not invited or locked.stage == EventStage.DRAFT:
        raise Http404("No such sourcing event.")
    return locked


@transaction.atomic
def proposal_submit(
    *,
    event: SourcingEvent,
    vendor: Vendor,
    currency: str,
    pricing: Sequence[Mapping[str, Any]],
    one_off_fees: Mapping[str, Any] | None = None,
    monthly_fees: Sequence[Mapping[str, Any]] = (),
    minimum_monthly_charge: Decimal | str | int = 0,
    languages: Sequence[Mapping[str, Any]] = (),
    submitted_by=None,
    now: datetime | None = None,
) -> Proposal:
    """Submit a vendor's proposal to an open event it is invited to, before the deadline."""
    now = now or timezone.now()
    event = _event_for_vendor(event, vendor)
    _ensure_biddable(event, now)
    live = event.proposals.filter(vendor=vendor).exclude(status=ProposalStatus.WITHDRAWN).first()
    if live is not None:
        raise Conflict(
            _("Your proposal %(id)s for this event exists; edit or withdraw it.") % {"id": live.pk}
        )
    clean = _clean(
        values={
            "currency": currency,
            "pricing": list(pricing),
            "one_off_fees": one_off_fees,
            "monthly_fees": list(monthly_fees),
            "minimum_monthly_charge": minimum_monthly_charge,
            "languages": list(languages),
        },
        event=event,
    )
    proposal = Proposal(
        event=event, vendor=vendor, submitted_by=submitted_by, submitted_at=now, updated_at=now
    )
    _apply_amounts(proposal, clean["price_list"])
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError as error:  # a concurrent submission won the race
        raise Conflict(_("Your proposal for this event already exists.")) from error
    _store(proposal, clean)
    return proposal


def proposal_values(proposal: Proposal) -> dict[str, Any]:
    """A stored proposal in the input shape of `proposal_submit` (used to apply partial edits)."""
    return {
        "currency": proposal.currency,
        "pricing": [
            {
                "channel": price.channel or None,
                "model": price.model,
                "rate": price.rate,
                "components": [
                    {
                        "model": c.model,
                        "rate": c.rate,
                        "share": c.share,
                        "bands": list(c.bands or []),
                        "months": list(c.months or []),
                    }
                    for c in price.components.all()
                ],
                "stated_hours": price.stated_hours,
                "stated_fte": price.stated_fte,
            }
            for price in proposal.prices.all()
        ],
        "one_off_fees": {
            "setup": proposal.setup_fee,
            "training": proposal.training_fee,
            "project_management": proposal.project_management_fee,
        },
        "monthly_fees": [{"name": f.name, "amount": f.amount} for f in proposal.monthly_fees.all()],
        "minimum_monthly_charge": proposal.minimum_monthly_charge,
        "languages": [
            {"tag": lang.tag, "level": lang.level, "hours_coverage": lang.hours_coverage}
            for lang in proposal.languages.all()
        ],
    }


def _locked(proposal: Proposal, now: datetime) -> Proposal:
    """The proposal row locked for a change, which must still be allowed (409 otherwise)."""
    proposal = Proposal.objects.select_for_update().select_related("event").get(pk=proposal.pk)
    _ensure_biddable(proposal.event, now)
    if proposal.status == ProposalStatus.WITHDRAWN:
        raise Conflict(_("This proposal was withdrawn; submit a new one instead."))
    return proposal


@transaction.atomic
def proposal_update(
    *, proposal: Proposal, data: Mapping[str, Any], now: datetime | None = None
) -> Proposal:
    """Change the given parts of a live proposal before the deadline; a list given replaces."""
    now = now or timezone.now()
    proposal = _locked(proposal, now)
    current = proposal_values(proposal)
    values = {**current, **data}
    if isinstance(data.get("one_off_fees"), Mapping):  # fees left out keep their amounts
        values["one_off_fees"] = {**current["one_off_fees"], **data["one_off_fees"]}
    clean = _clean(values=values, event=proposal.event)
    _apply_amounts(proposal, clean["price_list"])
    proposal.updated_at = now
    proposal.save()
    _store(proposal, clean)
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, now: datetime | None = None) -> Proposal:
    """Withdraw a live proposal before the deadline; the vendor may then submit a new one."""
    now = now or timezone.now()
    proposal = _locked(proposal, now)
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.withdrawn_at = now
    proposal.updated_at = now
    proposal.save(update_fields=["status", "withdrawn_at", "updated_at"])
    return proposal


@transaction.atomic
def rating_set(
    *,
    proposal: Proposal,
    evaluator,
    rating: int,
    comment: str = "",
    now: datetime | None = None,
) -> tuple[ProposalRating, bool]:
    """Give or change an evaluator's 0-5 rating of a proposal after the deadline; (row, created)."""
    now = now or timezone.now()
    if role_of(evaluator) != Role.PROCUREMENT:
        raise PermissionDenied("Only procurement users rate proposals.")
    problems = Problems()
    if isinstance(rating, bool) or not isinstance(rating, int) or not 0 <= rating <= 5:
        problems.add("rating", _("Must be a whole number from 0 to 5."))
    text = str(comment or "").strip()
    if len(text) > 4000:
        problems.add("comment", _("Use at most %(n)s characters.") % {"n": 4000})
    problems.raise_if_any()
    proposal = Proposal.objects.select_related("event").get(pk=proposal.pk)
    if not bids_frozen(proposal.event, now):
        raise Conflict(
            _("Proposals are rated after the bid deadline %(deadline)s.")
            % {"deadline": proposal.event.bid_deadline.isoformat()}
        )
    if proposal.status == ProposalStatus.WITHDRAWN:
        raise Conflict(_("A withdrawn proposal is not rated."))
    row, created = ProposalRating.objects.update_or_create(
        proposal=proposal,
        evaluator=evaluator,
        defaults={"rating": rating, "comment": text, "updated_at": now},
        create_defaults={"rating": rating, "comment": text, "created_at": now, "updated_at": now},
    )
    return row, created
