"""The award's outcome, e-mailed to every live bidder's users in their own language: a winner
what it won (channels and contract reference), the others that they were not selected."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from contracts.models import Contract
from core.channels import CHANNEL_CHOICES
from outbox.people import mail_users
from vendors.models import Proposal, ProposalStatus, SourcingEvent

User = get_user_model()
LABELS = dict(CHANNEL_CHOICES)


def contract_channels(contract: Contract, event: SourcingEvent) -> list[str]:
    """The channels a contract serves: its priced channels, all the event's for an
    all-channels price."""
    event_channels = [str(c["channel"]) for c in event.channels]
    priced = [p.get("channel") for p in contract.pricing]
    if None in priced or "" in priced:
        return event_channels
    return [c for c in event_channels if c in priced]


def _won(event: SourcingEvent, won: list[tuple[str, list[str]]]):
    def render(user) -> tuple[str, str]:
        lines = [
            _("%(reference)s: %(channels)s")
            % {"reference": ref, "channels": ", ".join(str(LABELS.get(c, c)) for c in chans)}
            for ref, chans in won
        ]
        subject = _("You won: %(title)s") % {"title": event.title}
        body = "\n".join([
            _('Your proposal for the sourcing event "%(title)s" has been selected.')
            % {"title": event.title},
            "",
            _("Contract reference and channels:"),
            *(f"  - {line}" for line in lines),
            "",
            _("The contract starts as a draft; the buyer's contract manager will contact you."),
        ])  # fmt: skip
        return subject, body

    return render


def _lost(event: SourcingEvent):
    def render(user) -> tuple[str, str]:
        subject = _("%(title)s: the event has been awarded") % {"title": event.title}
        body = _(
            'Thank you for your proposal for "%(title)s". Your proposal was not selected. '
            "It stays on record unchanged."
        ) % {"title": event.title}
        return subject, body

    return render


def award_outcome_mails(*, event_id: int) -> int:
    """Keep the outcome e-mails in the outbox (once per user and event); vendors told."""
    event = SourcingEvent.objects.get(pk=event_id)
    contracts = Contract.objects.filter(proposal__event=event).order_by("reference")
    won: dict[int, list[tuple[str, list[str]]]] = {}
    for contract in contracts:
        won.setdefault(contract.vendor_id, []).append(
            (contract.reference, contract_channels(contract, event))
        )
    bidders = (
        Proposal.objects.filter(event=event, status=ProposalStatus.SUBMITTED)
        .select_related("vendor")
        .order_by("pk")
    )
    told = 0
    for proposal in bidders:
        users = User.objects.filter(vendor_id=proposal.vendor_id, is_active=True).exclude(email="")
        if not users.exists():
            continue
        winner = proposal.vendor_id in won
        mail_users(
            kind="award_won" if winner else "award_outcome",
            object_ref=f"vendors.proposal:{proposal.pk}",
            key=f"event:{event.pk}",
            users=users.order_by("pk"),
            render=_won(event, won[proposal.vendor_id]) if winner else _lost(event),
        )
        told += 1
    return told
