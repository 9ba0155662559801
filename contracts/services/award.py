"""Awarding a proposal: the contract copies (freezes) its pricing, fees and minimum."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contracts.models import Contract
from contracts.services.lifecycle import contract_create
from core.audit import history_record_rows
from core.errors import Conflict
from core.i18n import by_language
from core.months import add_months
from outbox.services import mail_enqueue
from vendors.domain.apportion import band_splits_at_award
from vendors.domain.pricing import DEDICATED_MODELS, PricingModel
from vendors.models import EventStage, EventStatus, Proposal, ProposalStatus, SourcingEvent
from vendors.ranking import event_ranking, event_spec
from vendors.selectors import event_status
from vendors.services.proposals import proposal_values


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return str(value) if isinstance(value, Decimal) else value


def _bills_fte(price: dict[str, Any]) -> bool:
    models = [price["model"], *(c["model"] for c in price.get("components", []))]
    return PricingModel.PER_FTE_MONTH in models


def _contracted_fte(ranked, terms: dict[str, Any]) -> dict[str, str]:
    """FTE billed per channel: the stated FTE, or the FTE required at award when none was."""
    if not any(_bills_fte(p) for p in terms["pricing"]):
        return {}
    return {
        f.channel.value: str(f.fte)
        for f in ranked.explanation.forecast
        if f.model in DEDICATED_MODELS | {PricingModel.HYBRID} and f.fte
    }


def _checked_event(event: SourcingEvent, now) -> SourcingEvent:
    event = SourcingEvent.objects.select_for_update().get(pk=event.pk)
    status = event_status(event, now)
    if status == EventStatus.AWARDED:
        raise Conflict(_("This event has already been awarded."))
    if status != EventStatus.CLOSED:
        raise Conflict(
            _("An event can be awarded only after its bid deadline; it is %(status)s.")
            % {"status": str(status.label).lower()}
        )
    return event


@transaction.atomic
def contract_award(
    *, event: SourcingEvent, proposal_id: int, reference: str, start_date: date, user, now=None
) -> Contract:
    """Award a closed event's proposal: a draft contract with the frozen terms; event awarded."""
    now = now or timezone.now()
    event = _checked_event(event, now)
    proposal = Proposal.objects.filter(
        pk=proposal_id, event=event, status=ProposalStatus.SUBMITTED
    ).first()
    if proposal is None:
        raise Http404("No live proposal with that id in this event.")
    ranked = next(r for r in event_ranking(event=event).results if r.proposal == proposal.pk)
    if not ranked.qualified:
        reasons = "; ".join(ranked.disqualification_reasons)
        raise ValidationError({"proposal": [f"This proposal is disqualified: {reasons}"]})
    terms = _jsonable(proposal_values(proposal))
    fields = {
        "reference": reference,
        "vendor": proposal.vendor,
        "proposal": proposal,
        "currency": proposal.currency,
        "start_date": start_date,
        "end_date": add_months(start_date, event.term_months) - timedelta(days=1),
        "pricing": terms["pricing"],
        "one_off_fees": terms["one_off_fees"],
        "monthly_fees": terms["monthly_fees"],
        "minimum_monthly_charge": Decimal(terms["minimum_monthly_charge"]),
        "fte_hours": event.fte_hours,
        "contracted_fte": _contracted_fte(ranked, terms),
        # The event's bands and forecast agents, frozen: later event edits change no contract.
        "band_split": band_splits_at_award(event=event_spec(event)),
    }
    contract = contract_create(fields=fields, targets=[], user=user)
    SourcingEvent.objects.filter(pk=event.pk).update(stage=EventStage.AWARDED)
    history_record_rows(SourcingEvent, [event.pk], update=True, user=user, reason="Awarded")
    # The e-mails are outbox rows of this transaction: sent once each, by the e-mail queue.
    award_notify(event_id=event.pk, proposal_id=proposal.pk)
    return contract


def award_notify(*, event_id: int, proposal_id: int) -> int:
    """E-mail (through the outbox) the vendors not chosen that the event was awarded to
    another bid; how many vendors are told. Calling it again sends nothing twice."""
    event = SourcingEvent.objects.get(pk=event_id)
    losing = (
        Proposal.objects.filter(event=event, status=ProposalStatus.SUBMITTED)
        .exclude(pk=proposal_id)
        .prefetch_related("vendor__users")
    )
    sent = 0
    for proposal in losing:
        users = [u for u in proposal.vendor.users.all() if u.email and u.is_active]
        for language, readers in by_language(users).items():
            with translation.override(language):
                mail_enqueue(
                    kind="award_outcome",
                    object_ref=f"vendors.proposal:{proposal.pk}",
                    key=f"event:{event.pk}",
                    recipients=[u.email for u in readers],
                    subject=_("%(title)s: the event has been awarded") % {"title": event.title},
                    body=_(
                        "Thank you for your proposal for %(title)s. The event has been awarded "
                        "to another vendor. Your proposal stays on record unchanged."
                    )
                    % {"title": event.title},
                )
        sent += bool(users)
    return sent
