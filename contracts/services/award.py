"""Awarding an event: one proposal for the whole event, or a split (each channel to one
qualified proposal). Each awarded proposal becomes a draft contract that copies (freezes) its
pricing for its channels, its fees and minimum, and starts with the event's service levels as
critical targets; every contract of one award is created in one transaction (docs/award.md)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.domain.split import (
    SplitPart,
    channels_priced,
    restricted_tco,
    service_level_targets,
    split_problems,
    terms_for_channels,
)
from contracts.models import Contract
from contracts.services.lifecycle import contract_create
from core.audit import history_record_rows
from core.errors import Conflict
from core.months import add_months
from vendors.domain.apportion import band_splits_at_award
from vendors.domain.pricing import DEDICATED_MODELS, PriceList, PricingModel
from vendors.domain.terms import TermsError, price_list_from_terms
from vendors.models import EventStage, EventStatus, Proposal, ProposalStatus, SourcingEvent
from vendors.ranking import event_ranking, event_spec
from vendors.selectors import event_status
from vendors.services.proposals import proposal_values

__all__ = ["AwardPlan", "SplitPart", "award_choices", "award_notify", "award_plan",
           "contract_award", "contracts_award"]  # fmt: skip


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return str(value) if isinstance(value, Decimal) else value


def _bills_fte(price: dict[str, Any]) -> bool:
    models = [price["model"], *(c["model"] for c in price.get("components", []))]
    return PricingModel.PER_FTE_MONTH in models


def _contracted_fte(ranked, terms: dict[str, Any], channels: list[str]) -> dict[str, str]:
    """FTE billed per channel: the stated FTE, or the FTE required at award when none was."""
    if not any(_bills_fte(p) for p in terms["pricing"]):
        return {}
    return {
        f.channel.value: str(f.fte)
        for f in ranked.explanation.forecast
        if f.model in DEDICATED_MODELS | {PricingModel.HYBRID}
        and f.fte
        and f.channel.value in channels
    }


def _checked_event(event: SourcingEvent, now) -> SourcingEvent:
    event = SourcingEvent.objects.select_for_update().get(pk=event.pk)
    status = event_status(event, now)
    if status == EventStatus.AWARDED:
        raise Conflict(_("This event has already been awarded."))
    if status != EventStatus.CLOSED:
        raise Conflict(
            _("An event can be awarded only after its bid deadline; it is %(status)s.")
            % {"status": str(EventStatus(status).label).lower()}
        )
    return event


@dataclass(frozen=True)
class PlannedContract:
    """One contract an award will create: the proposal, its channels, terms, targets, TCO."""

    proposal: Proposal
    channels: tuple[str, ...]
    reference: str
    terms: dict[str, Any]
    targets: list[dict[str, Any]]
    tco: Decimal | None
    ranked: Any


@dataclass(frozen=True)
class AwardPlan:
    """What an award creates (shown on the review step, then created as is)."""

    event: SourcingEvent
    contracts: tuple[PlannedContract, ...]
    first_ranked: int | None
    needs_justification: bool

    @property
    def tco(self) -> Decimal | None:
        """The award's TCO: the sum of its contracts' TCO over the term (event currency)."""
        parts = [c.tco for c in self.contracts]
        return None if None in parts else sum((p or Decimal(0) for p in parts), Decimal(0))


def _price_list(terms: dict[str, Any]) -> PriceList | None:
    try:
        return price_list_from_terms(
            currency=terms["currency"], pricing=terms["pricing"],
            one_off_fees=terms["one_off_fees"], monthly_fees=terms["monthly_fees"],
            minimum_monthly_charge=terms["minimum_monthly_charge"],
        )  # fmt: skip
    except TermsError:
        return None


def _raise(problems: list[tuple[str, str]]) -> None:
    if problems:
        errors: dict[str, list[str]] = {}
        for name, message in problems:
            errors.setdefault(name, []).append(message)
        raise ValidationError(errors)


def award_plan(*, event: SourcingEvent, parts: list[SplitPart], split: bool) -> AwardPlan:
    """Check an award and say what it creates; ValidationError names each bad part.

    `split=False`: one part, the proposal for the whole event (its channels are all)."""
    ranking = event_ranking(event=event)
    by_proposal = {r.proposal: r for r in ranking.results}
    qualified = {r.proposal for r in ranking.results if r.qualified}
    first = next((r.proposal for r in ranking.results if r.qualified and r.rank == 1), None)
    channels = [str(c["channel"]) for c in event.channels]
    live = {
        p.pk: p
        for p in Proposal.objects.filter(
            event=event, status=ProposalStatus.SUBMITTED, pk__in=[part.proposal for part in parts]
        ).select_related("vendor")
    }
    terms = {pk: _jsonable(proposal_values(p)) for pk, p in live.items()}
    price_lists = {pk: _price_list(t) for pk, t in terms.items()}
    if not split:
        part = parts[0]
        if part.proposal not in live:
            raise Http404(_("No live proposal with that id in this event."))
        ranked = by_proposal[part.proposal]
        if not ranked.qualified:
            reasons = "; ".join(ranked.disqualification_reasons)
            raise ValidationError(
                {
                    "proposal": [
                        _("This proposal is disqualified: %(reasons)s") % {"reasons": reasons}
                    ]
                }
            )
        parts = [SplitPart(part.proposal, tuple(channels), part.reference)]
    else:
        priced = {
            pk: channels_priced(pl, channels) for pk, pl in price_lists.items() if pl is not None
        }
        _raise(split_problems(event_channels=channels, parts=parts, translate=_,
                              qualified=qualified & set(live), priced=priced))  # fmt: skip
    spec = event_spec(event)
    levels = {str(c["channel"]): c.get("sl_percent") for c in event.channels}
    planned = []
    for part in parts:
        whole = set(part.channels) == set(channels)
        own = (
            terms[part.proposal]
            if whole
            else terms_for_channels(terms[part.proposal], part.channels)
        )
        price_list = price_lists[part.proposal]
        tco = None
        if price_list is not None:
            try:
                tco = restricted_tco(event=spec, price_list=price_list, channels=part.channels)
            except ValueError:
                tco = None
        ordered = tuple(c for c in channels if c in part.channels)
        planned.append(
            PlannedContract(
                proposal=live[part.proposal],
                channels=ordered,
                reference=part.reference,
                terms=own,
                tco=tco,
                ranked=by_proposal[part.proposal],
                targets=service_level_targets(sl_percents=[(c, levels.get(c)) for c in ordered]),
            )  # fmt: skip
        )
    alone = len(planned) == 1 and planned[0].proposal.pk == first
    return AwardPlan(event=event, contracts=tuple(planned), first_ranked=first,
                     needs_justification=not alone)  # fmt: skip


def award_choices(*, event: SourcingEvent) -> tuple[Any, dict[int, set[str]]]:
    """The event's ranking and, per qualified proposal, the event channels it prices (what a
    split may give it)."""
    ranking = event_ranking(event=event)
    qualified = [r.proposal for r in ranking.results if r.qualified]
    channels = [str(c["channel"]) for c in event.channels]
    priced: dict[int, set[str]] = {}
    for proposal in Proposal.objects.filter(pk__in=qualified):
        price_list = _price_list(_jsonable(proposal_values(proposal)))
        priced[proposal.pk] = set() if price_list is None else channels_priced(price_list, channels)
    return ranking, priced


def _fields(plan: AwardPlan, item: PlannedContract, start_date: date, justification: str) -> dict:
    event, terms = plan.event, item.terms
    splits = band_splits_at_award(event=event_spec(event))
    return {
        "reference": item.reference,
        "vendor": item.proposal.vendor,
        "proposal": item.proposal,
        "currency": item.proposal.currency,
        "start_date": start_date,
        "end_date": add_months(start_date, event.term_months) - timedelta(days=1),
        "pricing": terms["pricing"],
        "one_off_fees": terms["one_off_fees"],
        "monthly_fees": terms["monthly_fees"],
        "minimum_monthly_charge": Decimal(terms["minimum_monthly_charge"]),
        "fte_hours": event.fte_hours,
        "contracted_fte": _contracted_fte(item.ranked, terms, list(item.channels)),
        # The event's bands and forecast agents, frozen: later event edits change no contract.
        "band_split": {c: v for c, v in splits.items() if c in item.channels},
        "award_justification": justification,
    }


@transaction.atomic
def contracts_award(
    *,
    event: SourcingEvent,
    parts: list[SplitPart],
    start_date: date,
    user,
    justification: str = "",
    split: bool = True,
    now=None,
) -> list[Contract]:
    """Award a closed event: one draft contract per awarded proposal, all or none; the event
    is awarded and the invited vendors are told the outcome (outbox rows of this transaction).

    A justification is required unless the award is the first-ranked proposal alone."""
    now = now or timezone.now()
    event = _checked_event(event, now)
    plan = award_plan(event=event, parts=parts, split=split)
    justification = (justification or "").strip()
    if plan.needs_justification and not justification:
        raise ValidationError({"justification": [_(
            "Say why: this award is not the first-ranked proposal alone."
        )]})  # fmt: skip
    contracts = []
    for n, item in enumerate(plan.contracts):
        try:
            contract = contract_create(
                fields=_fields(plan, item, start_date, justification), targets=item.targets,
                user=user,
            )  # fmt: skip
        except ValidationError as error:
            if not split or not hasattr(error, "error_dict"):
                raise
            raise ValidationError(
                {f"split[{n}].{name}": messages for name, messages in error.message_dict.items()}
            ) from error
        contracts.append(contract)
    SourcingEvent.objects.filter(pk=event.pk).update(stage=EventStage.AWARDED)
    history_record_rows(SourcingEvent, [event.pk], update=True, user=user, reason="Awarded")
    award_notify(event_id=event.pk)
    return contracts


def contract_award(
    *,
    event: SourcingEvent,
    proposal_id: int,
    reference: str,
    start_date: date,
    user,
    justification: str = "",
    now=None,
) -> Contract:
    """Award one proposal the whole event: a draft contract with the frozen terms."""
    (contract,) = contracts_award(
        event=event, parts=[SplitPart(proposal_id, (), reference)], start_date=start_date,
        user=user, justification=justification, split=False, now=now,
    )  # fmt: skip
    return contract


def award_notify(*, event_id: int) -> int:
    """Tell every live bidder the outcome (through the outbox, in each reader's language):
    a winner what it won (channels, contract reference), the others that they were not
    selected; how many vendors are told. Calling it again sends nothing twice."""
    from contracts.services.award_mail import award_outcome_mails

    return award_outcome_mails(event_id=event_id)
