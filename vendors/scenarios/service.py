"""An event's award scenarios from the database, as plain data (DOMAIN.md "Award, split awards").

`event_scenarios` applies no access rule (the award flow calls it after its own checks);
`scenarios_for` applies the ranking's rule, asked of `vendors.ranking.ranking_for`, never
restated: buyer-side users only (404 otherwise), sealed until the bid deadline.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from core.channels import Channel
from vendors.domain.ranked_scenarios import ranking_scenarios
from vendors.domain.scenarios import (
    AssignmentError,
    AssignmentProblem,
    ProblemKind,
    Scenario,
    Scenarios,
)
from vendors.domain.scoring import RankedProposal, Ranking
from vendors.models import SourcingEvent, VendorChannel
from vendors.ranking import event_ranking, ranking_for

# (channel, proposal id) pairs, or the API's rows {"channel": ..., "proposal": ...}.
Assignments = Sequence[tuple[str, object] | Mapping[str, object]]


def _pairs(assignments: Assignments | None) -> list[tuple[str, object]] | None:
    """Assignments as (channel, proposal) pairs, whichever of the two forms was given."""
    if assignments is None:
        return None
    return [
        (str(a.get("channel")), a.get("proposal")) if isinstance(a, Mapping) else (a[0], a[1])
        for a in assignments
    ]


class ScenarioInputError(ValueError):
    """A composed assignment is unusable; `messages` are sentences for people, one per problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


def _served(event: SourcingEvent, rows: Sequence[RankedProposal]) -> dict[int, frozenset[Channel]]:
    """Per vendor, the event's channels its profile says it serves (one query)."""
    wanted = {Channel(c["channel"]) for c in event.channels}
    served: dict[int, set[Channel]] = {}
    pairs = VendorChannel.objects.filter(vendor__in={r.vendor for r in rows}).values_list(
        "vendor_id", "channel"
    )
    for vendor, channel in pairs:
        if channel in wanted:
            served.setdefault(vendor, set()).add(Channel(channel))
    return {vendor: frozenset(channels) for vendor, channels in served.items()}


def _problem_message(problem: AssignmentProblem) -> str:
    """One problem of a composed assignment as a sentence."""
    values = {"channel": problem.channel, "proposal": problem.proposal}
    messages = {
        ProblemKind.UNASSIGNED: _("Channel %(channel)s is assigned to no proposal."),
        ProblemKind.TWICE: _("Channel %(channel)s is assigned more than once."),
        ProblemKind.UNKNOWN_CHANNEL: _("%(channel)s is not a channel of this event."),
        ProblemKind.UNQUALIFIED: _(
            "Proposal %(proposal)s (for channel %(channel)s) is not a qualified proposal "
            "of this event."
        ),
        ProblemKind.NOT_SERVED: _("Proposal %(proposal)s does not serve channel %(channel)s."),
    }
    return messages[problem.kind] % values


def _data(scenario: Scenario, names: dict[int, str]) -> dict[str, Any]:
    """A scenario as plain data (Decimals unrounded: callers round when they show)."""
    return {
        "name": scenario.name.value,
        "assignments": [
            {"channel": channel.value, "proposal": proposal}
            for channel, proposal in scenario.assignments
        ],
        "tco": scenario.tco,
        "difference": scenario.difference,
        "contracts": [
            {
                "proposal": c.proposal,
                "vendor": names.get(c.proposal, ""),
                "channels": [channel.value for channel in c.channels],
                "tco": c.tco,
            }
            for c in scenario.contracts
        ],
    }


def scenarios_of_ranking(
    *, event: SourcingEvent, ranking: Ranking, assignments: Assignments | None = None
) -> Scenarios:
    """The scenarios of a ranking already computed (the comparison page has one)."""
    rows = [r for r in ranking.results if r.qualified]
    channels = [Channel(c["channel"]) for c in event.channels]
    try:
        return ranking_scenarios(
            channels=channels,
            ranking=ranking,
            served=_served(event, rows),
            assignments=_pairs(assignments),
        )
    except AssignmentError as error:
        raise ScenarioInputError([_problem_message(p) for p in error.problems]) from error


def scenarios_data(scenarios: Scenarios, ranking: Ranking) -> list[dict[str, Any]]:
    """The scenarios as the API and the award flow read them (API.md `events/{id}/scenarios/`)."""
    names = {r.proposal: r.vendor_name for r in ranking.results}
    return [_data(s, names) for s in scenarios.all()]


def event_scenarios(
    event: SourcingEvent, assignments: Assignments | None = None
) -> list[dict[str, Any]]:
    """First-ranked alone, the cheapest split and (given `assignments`) the composed one.

    `assignments` are (channel, proposal id) pairs or {"channel", "proposal"} rows. Plain
    data, amounts unrounded in the event's currency. No access rule is applied: callers decide
    who may see it. Raises ScenarioInputError naming every bad channel or proposal.
    """
    ranking = event_ranking(event=event)
    scenarios = scenarios_of_ranking(event=event, ranking=ranking, assignments=assignments)
    return scenarios_data(scenarios, ranking)


def scenarios_for(
    *, user: Any, event: SourcingEvent, now: datetime, assignments: Assignments | None = None
) -> list[dict[str, Any]]:
    """`event_scenarios` as `user` may read it at `now`: the ranking's rule (404, sealed)."""
    ranking = ranking_for(user=user, event=event, now=now)
    scenarios = scenarios_of_ranking(event=event, ranking=ranking, assignments=assignments)
    return scenarios_data(scenarios, ranking)


def scenario_options(*, event: SourcingEvent, ranking: Ranking) -> list[dict[str, Any]]:
    """Per event channel, the qualified proposals (rank order) that serve it, for a composer."""
    rows = [r for r in ranking.results if r.qualified]
    served = _served(event, rows)
    return [
        {
            "channel": c["channel"],
            "proposals": [
                {"proposal": r.proposal, "vendor": r.vendor_name, "rank": r.rank}
                for r in rows
                if Channel(c["channel"]) in served.get(r.vendor, frozenset())
            ],
        }
        for c in event.channels
    ]
