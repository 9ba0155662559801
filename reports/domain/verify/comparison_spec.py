"""Rank a comparison report's `inputs.spec` again (docs/reports.md, kind "comparison").

The specs are read back with `vendors.domain.spec_data.spec_from_data` and ranked with
`vendors.domain.scoring.rank_event`, the function that ranked them for the report: Erlang C / A
staffing over the seasons and time bands, pricing of the forecast usage with each price list
(FX, minimum charge, monthly fees), every term month's cost, the TCO, qualification, the scores,
the totals, the ranks and the sensitivity. The award scenarios are recomputed from that ranking
with `vendors.domain.ranked_scenarios.ranking_scenarios`. Each difference names the figure and the
inputs it is computed from. No Django, no I/O.
"""

from collections.abc import Mapping, Sequence
from decimal import InvalidOperation
from typing import Any

from core.months import add_months
from reports.domain.verify.common import Check, UnreadableInputs
from vendors.domain.pricing import PricingError
from vendors.domain.ranked_scenarios import ranking_scenarios
from vendors.domain.scenarios import Scenario
from vendors.domain.scoring import (
    Criterion,
    EventSpec,
    ProposalSpec,
    RankedProposal,
    Ranking,
    rank_event,
)
from vendors.domain.spec_data import spec_from_data

SPEC = "inputs.spec"
STAFFING_FIGURES = (
    "required_production_hours", "production_hours", "required_fte", "fte", "understaffed",
)  # fmt: skip


def _channel_sources(event: EventSpec) -> str:
    """The event's channel needs that staffing and the forecast read."""
    fields = (
        "monthly_volume", "aht_seconds", "opening_hours", "sl_percent", "sl_seconds",
        "profile", "patience_seconds",
    )  # fmt: skip
    return ", ".join(
        f"{SPEC}.event.channels[{c.channel.value}].{name}"
        for c in event.channels
        for name in fields
    )


def cost_sources(event: EventSpec, proposal: ProposalSpec) -> str:
    """What a proposal's monthly costs are computed from: the event's needs, its staffing
    assumptions, the term, the FX rate of the quoted currency and the price list."""
    where = f"{SPEC}.event"
    parts = [
        _channel_sources(event),
        f"{where}.shrinkage, {where}.max_occupancy, {where}.fte_hours, {where}.start_date, "
        f"{where}.term_months",
    ]
    currency = proposal.price_list.currency
    if currency != event.currency:
        parts.append(f"{where}.fx_rates[{currency}]")
    parts.append(f"{SPEC}.proposals[{proposal.id}].price_list")
    return "; ".join(parts)


def _score_sources(event: EventSpec, proposal: ProposalSpec) -> dict[Criterion, str]:
    p = f"{SPEC}.proposals[{proposal.id}]"
    e = f"{SPEC}.event"
    return {
        Criterion.COST: f"{p}'s TCO and the lowest qualified TCO ({cost_sources(event, proposal)}"
        f" and every other qualified proposal's price list)",
        Criterion.EXPERTISE: f"{e}.industry, {e}.channels, {p}.vendor.industries, "
        f"{p}.vendor.channels, {p}.ratings",
        Criterion.SECURITY: f"{e}.desired_certifications, {e}.start_date, "
        f"{p}.vendor.certifications",
        Criterion.LANGUAGE: f"{e}.languages, {p}.languages (else {p}.vendor.languages)",
        Criterion.PERFORMANCE: f"{p}.track_record, {e}.newcomer_performance",
    }


def _qualification_sources(proposal: ProposalSpec) -> str:
    p = f"{SPEC}.proposals[{proposal.id}]"
    e = f"{SPEC}.event"
    return (
        f"{e}.must_have_certifications, {e}.start_date, {e}.languages, {e}.channels, "
        f"{p}.vendor.certifications, {p}.languages, {p}.price_list"
    )


def _month_label(event: EventSpec, index: int) -> str:
    """The term month at a 0-based position, as YYYY-MM."""
    return f"{add_months(event.start_date.replace(day=1), index):%Y-%m}"


def _key(value: object) -> str:
    return str(value)


def _costs(
    check: Check,
    event: EventSpec,
    spec: ProposalSpec,
    row: RankedProposal,
    shown: Mapping[str, Any],
) -> None:
    """Each term month's cost and the TCO."""
    where = f"results.proposals[{row.proposal}]"
    sources = cost_sources(event, spec)
    stated = list(shown.get("monthly_costs") or [])
    for n in range(max(len(stated), len(row.monthly_costs))):
        check.same(
            f"{where}.monthly_costs[{_month_label(event, n)}]",
            stated[n] if n < len(stated) else None,
            row.monthly_costs[n] if n < len(row.monthly_costs) else None,
            sources,
        )
    check.same(f"{where}.tco", shown.get("tco"), row.tco, f"{sources} (one_off_fees)")


def _staffing(
    check: Check,
    event: EventSpec,
    spec: ProposalSpec,
    row: RankedProposal,
    shown: Mapping[str, Any],
) -> None:
    """The hours and FTE behind each calendar month's price, per channel."""
    where = f"results.proposals[{row.proposal}].staffing"
    stated = {
        (_key(s.get("month")), _key(s.get("channel"))): s for s in shown.get("staffing") or []
    }
    sources = cost_sources(event, spec)
    for month in row.explanation.months:
        for f in month.forecast:
            said = stated.pop((_key(month.month), f.channel.value), {})
            for name in STAFFING_FIGURES:
                value = getattr(f, name)
                check.same(
                    f"{where}[{month.month}][{f.channel.value}].{name}",
                    _text(said.get(name)),
                    _text(value),
                    sources,
                )
    for month_key, channel in stated:
        check.same(f"{where}[{month_key}][{channel}]", "stated", None, sources)


def _text(value: Any) -> str | None:
    """Booleans as yes/no (compared as words), everything else as given."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return None if value is None else str(value)


def _row(
    check: Check,
    event: EventSpec,
    spec: ProposalSpec,
    row: RankedProposal,
    shown: Mapping[str, Any],
) -> None:
    """One proposal: qualification, costs, staffing, scores, total and rank."""
    where = f"results.proposals[{row.proposal}]"
    qualification = _qualification_sources(spec)
    if "qualified" in shown:
        check.same(
            f"{where}.qualified", _text(shown["qualified"]), _text(row.qualified), qualification
        )
        check.same(
            f"{where}.disqualification_reasons",
            "; ".join(shown.get("disqualification_reasons") or []),
            "; ".join(row.disqualification_reasons),
            qualification,
        )
    _costs(check, event, spec, row, shown)
    _staffing(check, event, spec, row, shown)
    scores = shown.get("scores") or {}
    sources = _score_sources(event, spec)
    for c in Criterion:
        if c.value in scores:  # the criteria the report weighs (a disqualified row states none)
            recomputed = None if row.scores is None else row.scores.of(c)
            check.same(f"{where}.scores.{c.value}", scores.get(c.value), recomputed, sources[c])
    check.same(
        f"{where}.total",
        shown.get("total"),
        row.total,
        f"{SPEC}.event.weights and {where}'s scores ({SPEC}.proposals[{row.proposal}])",
    )
    check.same(
        f"{where}.rank",
        shown.get("rank"),
        row.rank,
        f"{SPEC}.event.weights and every proposal's qualification, total, TCO and submitted_at "
        f"({SPEC}.proposals)",
    )


def _sensitivity(check: Check, ranking: Ranking, stated: Mapping[str, Any]) -> None:
    """Each criterion's flip weight and the proposal that would then rank first."""
    sources = f"{SPEC}.event.weights and every qualified proposal's recomputed scores"
    for c in Criterion:
        if c.value not in stated:
            continue
        found = getattr(ranking.sensitivity, c.value)
        said = stated[c.value] or {}
        where = f"results.sensitivity.{c.value}"
        check.same(
            f"{where}.flip_weight",
            said.get("flip_weight"),
            None if found is None else found.weight,
            sources,
        )
        check.same(
            f"{where}.new_winner",
            _text(said.get("new_winner")),
            None if found is None else _text(found.new_winner),
            sources,
        )


def _assignments(scenario: Scenario | Mapping[str, Any]) -> str:
    if isinstance(scenario, Scenario):
        pairs = [(c.value, p) for c, p in scenario.assignments]
    else:
        pairs = [(a["channel"], a["proposal"]) for a in scenario.get("assignments") or []]
    return ", ".join(f"{c} to {p}" for c, p in pairs)


def _scenarios(
    check: Check,
    event: EventSpec,
    proposals: Sequence[ProposalSpec],
    ranking: Ranking,
    stated: Sequence[Mapping[str, Any]],
) -> None:
    """First-ranked alone and the cheapest split, from the recomputed ranking."""
    served = {p.vendor.id: p.vendor.channels for p in proposals}
    recomputed = ranking_scenarios(
        channels=[c.channel for c in event.channels], ranking=ranking, served=served
    )
    found = {s.name.value: s for s in recomputed.all()}
    sources = (
        f"the recomputed ranking: the qualified proposals' monthly pricing lines, fees, minimum "
        f"charges and FX rates ({SPEC}.proposals[].price_list, {SPEC}.event.fx_rates) and the "
        f"channels their vendors serve ({SPEC}.proposals[].vendor.channels)"
    )
    for said in stated:
        name = str(said.get("name"))
        scenario = found.pop(name, None)
        where = f"results.scenarios[{name}]"
        if scenario is None:
            check.same(where, "stated", None, sources)
            continue
        check.same(f"{where}.assignments", _assignments(said), _assignments(scenario), sources)
        check.same(f"{where}.tco", said.get("tco"), scenario.tco, sources)
        check.same(f"{where}.difference", said.get("difference"), scenario.difference, sources)
        contracts = {_key(c.get("proposal")): c for c in said.get("contracts") or []}
        for contract in scenario.contracts:
            shown = contracts.get(_key(contract.proposal), {})
            check.same(
                f"{where}.contracts[{contract.proposal}].tco",
                shown.get("tco"),
                contract.tco,
                sources,
            )
    for name in found:
        check.same(f"results.scenarios[{name}]", None, "a scenario", sources)


def read_spec(value: Mapping[str, Any]) -> tuple[EventSpec, list[ProposalSpec]]:
    """The attached specs, or UnreadableInputs naming what is wrong."""
    try:
        return spec_from_data(value)
    except (ValueError, InvalidOperation, IndexError) as error:
        raise UnreadableInputs(f"{SPEC}: {error}") from None


def verify_spec(check: Check, document: Mapping[str, Any]) -> None:
    """Rank `inputs.spec` again and compare every result the report states."""
    inputs, results = document["inputs"], document["results"]
    event, proposals = read_spec(inputs[SPEC.removeprefix("inputs.")])
    try:
        ranking = rank_event(event=event, proposals=proposals)
    except (PricingError, InvalidOperation) as error:
        raise UnreadableInputs(f"{SPEC} cannot be ranked: {error}") from None
    for c in Criterion:
        if c.value in inputs.get("weights", {}):
            check.same(
                f"inputs.weights.{c.value}",
                inputs["weights"][c.value],
                event.weights.of(c),
                f"{SPEC}.event.weights",
            )
    specs = {_key(p.id): p for p in proposals}
    stated = {_key(r["proposal"]): r for r in results["proposals"]}
    for row in ranking.results:
        _row(check, event, specs[_key(row.proposal)], row, stated.pop(_key(row.proposal), {}))
    for proposal in stated:
        check.same(f"results.proposals[{proposal}]", "stated", None, f"{SPEC}.proposals")
    _sensitivity(check, ranking, results.get("sensitivity") or {})
    _scenarios(check, event, proposals, ranking, results.get("scenarios") or [])
