"""The "Scenarios" section of the comparison page: three scenarios side by side and a composer.

The composer is a plain GET form (`?split_phone=12&split_email=14`), so it works without
JavaScript; the composed split is priced by the same function as the API's POST.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest

from vendors.domain.scoring import Ranking
from vendors.models import SourcingEvent
from vendors.ranking import RankingSealed, ranking_for
from vendors.scenarios.labels import channel_label, scenario_label
from vendors.scenarios.service import (
    ScenarioInputError,
    scenario_options,
    scenarios_data,
    scenarios_of_ranking,
)

PREFIX = "split_"


def composed_from_query(
    request: HttpRequest, channels: list[str]
) -> list[tuple[str, object]] | None:
    """The composer's choices as (channel, proposal) pairs; None when nothing was composed."""
    query = request.GET
    if not any(key.startswith(PREFIX) for key in query):
        return None
    pairs: list[tuple[str, object]] = []
    for channel in channels:
        raw = query.get(PREFIX + channel, "").strip()
        if raw:
            pairs.append((channel, int(raw) if raw.isdigit() else raw))
    return pairs


def split_query(scenario: dict[str, Any]) -> str:
    """`phone:12,email:14`: the assignment as the award page reads it (`?split=`)."""
    return ",".join(f"{a['channel']}:{a['proposal']}" for a in scenario["assignments"])


def scenarios_section(
    *, request: HttpRequest, event: SourcingEvent, now: datetime, ranking: Ranking | None = None
) -> dict:
    """The section's context; empty when the ranking is sealed (the page says so already).

    `ranking`: the event's ranking with its saved weights, read by `user` at `now`, when the
    caller has it already (it is computed otherwise, by the same access rule).
    """
    if ranking is None:
        try:
            ranking = ranking_for(user=request.user, event=event, now=now)
        except RankingSealed:
            return {}
    channels = [c["channel"] for c in event.channels]
    composed = composed_from_query(request, channels)
    errors: list[str] = []
    try:
        scenarios = scenarios_of_ranking(event=event, ranking=ranking, assignments=composed)
    except ScenarioInputError as error:
        errors = error.messages
        scenarios = scenarios_of_ranking(event=event, ranking=ranking)
    data = scenarios_data(scenarios, ranking)
    for scenario in data:
        scenario["label"] = scenario_label(scenario["name"])
        scenario["split"] = split_query(scenario)
        for contract in scenario["contracts"]:
            contract["channel_labels"] = [channel_label(c) for c in contract["channels"]]
        scenario["saving"] = -scenario["difference"] if scenario["difference"] < 0 else None
        scenario["extra"] = scenario["difference"] if scenario["difference"] > 0 else None
    by_name = {s["name"]: s for s in data}
    shown = by_name.get("composed") or by_name.get("cheapest_split") or by_name.get("first_ranked")
    chosen = {a["channel"]: a["proposal"] for a in shown["assignments"]} if shown else {}
    if composed is not None:
        chosen = {channel: proposal for channel, proposal in composed}
    options = [
        {
            "channel": row["channel"],
            "label": channel_label(row["channel"]),
            "field": PREFIX + row["channel"],
            "proposals": [
                {**p, "selected": chosen.get(row["channel"]) == p["proposal"]}
                for p in row["proposals"]
            ],
        }
        for row in scenario_options(event=event, ranking=ranking)
    ]
    return {
        "scenarios": data,
        "scenario_options": options,
        "scenario_errors": errors,
        "scenario_currency": ranking.currency,
        "scenario_channels": len(channels),
    }
