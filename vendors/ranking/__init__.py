"""An event's ranking from the database: the adapter, who may read it, and how it is shown.

`adapter` reads an event and its live proposals into `vendors.domain.scoring`'s inputs; `access`
applies the role rule and the sealed-bid rule; `figures` rounds a ranking and spells its
formulas out for the API, the comparison page and its exports.
"""

from vendors.ranking.access import (
    Bidder,
    RankingSealed,
    comparison_for,
    event_bidders,
    ranking_for,
    ranking_readable,
    weights_messages,
)
from vendors.ranking.adapter import (
    event_ranking,
    event_spec,
    event_weights,
    live_proposals,
    proposal_language_reasons,
    proposal_specs,
)
from vendors.ranking.figures import (
    Breakdown,
    ChannelFigures,
    Comparison,
    ComparisonRow,
    LanguageFigures,
    ScoreFormulas,
    SensitivityLine,
    StaffingFigures,
    comparison_of,
)

__all__ = [
    "Bidder",
    "Breakdown",
    "ChannelFigures",
    "Comparison",
    "ComparisonRow",
    "LanguageFigures",
    "RankingSealed",
    "ScoreFormulas",
    "SensitivityLine",
    "StaffingFigures",
    "comparison_for",
    "comparison_of",
    "event_bidders",
    "event_ranking",
    "event_spec",
    "event_weights",
    "live_proposals",
    "proposal_language_reasons",
    "proposal_specs",
    "ranking_for",
    "ranking_readable",
    "weights_messages",
]
