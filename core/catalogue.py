"""The metric catalogue of DOMAIN.md: unit, direction, range and monthly aggregation rule."""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from core.texts import gettext_noop


class Direction(StrEnum):
    """Which way is better for a metric; counts have none."""

    HIGHER = "higher"
    LOWER = "lower"
    NONE = "none"


class Aggregate(StrEnum):
    """How daily rows become one monthly value."""

    WEIGHTED_MEAN = "weighted_mean"  # sum(value x volume) / sum(volume)
    SUM = "sum"


@dataclass(frozen=True)
class Metric:
    """One catalogue entry; `volume` names what the volume column counts for rate metrics."""

    code: str
    label: str
    unit: str
    direction: Direction
    aggregate: Aggregate
    volume: str | None
    minimum: Decimal | None
    maximum: Decimal | None

    @property
    def needs_volume(self) -> bool:
        return self.aggregate is Aggregate.WEIGHTED_MEAN

    def in_range(self, value: Decimal) -> bool:
        """True when the value lies within the metric's allowed range (inclusive)."""
        if self.minimum is not None and value < self.minimum:
            return False
        return not (self.maximum is not None and value > self.maximum)


_ZERO, _HUNDRED = Decimal(0), Decimal(100)
_W, _S = Aggregate.WEIGHTED_MEAN, Aggregate.SUM
_HI, _LO, _NO = Direction.HIGHER, Direction.LOWER, Direction.NONE

METRICS: dict[str, Metric] = {
    m.code: m
    for m in (
        Metric(
            "service_level", gettext_noop("Service level"), "%", _HI, _W, "offered", _ZERO, _HUNDRED
        ),
        Metric(
            "asa_seconds",
            gettext_noop("Average speed of answer"),
            "s",
            _LO,
            _W,
            "answered",
            _ZERO,
            None,
        ),
        Metric(
            "aht_seconds", gettext_noop("Average handle time"), "s", _LO, _W, "handled", _ZERO, None
        ),
        Metric(
            "abandonment_rate",
            gettext_noop("Abandonment rate"),
            "%",
            _LO,
            _W,
            "offered",
            _ZERO,
            _HUNDRED,
        ),
        Metric(
            "fcr_rate",
            gettext_noop("First-contact resolution"),
            "%",
            _HI,
            _W,
            "surveyed",
            _ZERO,
            _HUNDRED,
        ),
        Metric(
            "csat",
            gettext_noop("Customer satisfaction (top-2-box)"),
            "%",
            _HI,
            _W,
            "responses",
            _ZERO,
            _HUNDRED,
        ),
        Metric(
            "nps",
            gettext_noop("Net promoter score"),
            "",
            _HI,
            _W,
            "responses",
            Decimal(-100),
            _HUNDRED,
        ),
        Metric(
            "qa_score",
            gettext_noop("Quality assurance score"),
            "%",
            _HI,
            _W,
            "evaluations",
            _ZERO,
            _HUNDRED,
        ),
        Metric(
            "email_response_hours",
            gettext_noop("E-mail response time"),
            "h",
            _LO,
            _W,
            "emails",
            _ZERO,
            None,
        ),
        Metric(
            "contacts_handled",
            gettext_noop("Contacts handled"),
            "count",
            _NO,
            _S,
            None,
            _ZERO,
            None,
        ),
        Metric(
            "handled_minutes", gettext_noop("Handled minutes"), "count", _NO, _S, None, _ZERO, None
        ),
        Metric(
            "production_hours",
            gettext_noop("Production hours"),
            "count",
            _NO,
            _S,
            None,
            _ZERO,
            None,
        ),
    )
}

USAGE_METRICS = ("contacts_handled", "handled_minutes", "production_hours")
TARGETABLE_METRICS = tuple(code for code, m in METRICS.items() if m.direction is not _NO)
METRIC_CHOICES = [(m.code, m.label) for m in METRICS.values()]  # English: core.labels translates
