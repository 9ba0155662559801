"""The award scenarios of a ranking (DOMAIN.md "Award, split awards and scenarios").

Each qualified ranking row's pricing, month by month and channel by channel, becomes the
`ProposalCosts` that `vendors.domain.scenarios` assigns; the product's scenarios service and
`report_verify` both call `ranking_scenarios`, so a report's scenarios recompute from its ranking.
Pure: no Django, no I/O.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal

from core.channels import Channel
from vendors.domain.scenarios import MonthCharges, ProposalCosts, Scenarios, event_scenarios_of
from vendors.domain.scoring import RankedProposal, Ranking, VendorId

ZERO = Decimal(0)


def proposal_costs(*, row: RankedProposal, serves: frozenset[Channel]) -> ProposalCosts:
    """A qualified ranking row's pricing, month by month, split by channel (quoted currency)."""
    months = [m for m in row.explanation.months if m.pricing is not None]
    first = months[0].pricing if months else row.explanation.pricing
    if first is None:
        raise ValueError(f"proposal {row.proposal} is qualified but unpriced")
    charges = []
    for month in months:
        usage: dict[Channel, Decimal] = {}
        for line in month.pricing.lines if month.pricing else ():
            usage[line.channel] = usage.get(line.channel, ZERO) + line.amount
        charges.append(MonthCharges(count=len(month.term_months), usage=usage))
    return ProposalCosts(
        id=row.proposal,
        months=tuple(charges),
        serves=serves,
        one_off_fees=first.quoted.one_off_fees,
        fixed_monthly_fees=first.quoted.fixed_fees,
        minimum_monthly_charge=first.minimum_monthly_charge,
        fx_rate=first.fx_rate,
    )


def ranking_scenarios(
    *,
    channels: Sequence[Channel],
    ranking: Ranking,
    served: Mapping[VendorId, frozenset[Channel]],
    assignments: Sequence[tuple[str, object]] | None = None,
) -> Scenarios:
    """The scenarios of a ranking: its qualified rows in rank order, each serving the event
    channels its vendor serves (`served`, by vendor id). The product's service and
    `report_verify` both call this."""
    rows = [r for r in ranking.results if r.qualified]
    proposals = [
        proposal_costs(row=r, serves=served.get(r.vendor, frozenset()) & frozenset(channels))
        for r in rows
    ]
    return event_scenarios_of(channels=channels, proposals=proposals, assignments=assignments)
