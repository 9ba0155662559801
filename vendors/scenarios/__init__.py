"""Award scenarios of an event: first-ranked alone, the cheapest split, a composed split.

The arithmetic is `vendors.domain.scenarios` (pure); `service` reads an event's ranking into
it and answers plain data for the API, the comparison page, the report and the award flow.
"""

from vendors.domain.scenarios import proposal_channels_tco
from vendors.scenarios.service import (
    ScenarioInputError,
    event_scenarios,
    scenarios_data,
    scenarios_for,
    scenarios_of_ranking,
)

__all__ = [
    "ScenarioInputError",
    "event_scenarios",
    "proposal_channels_tco",
    "scenarios_data",
    "scenarios_for",
    "scenarios_of_ranking",
]
