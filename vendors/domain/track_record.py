"""The track record of a vendor (DOMAIN.md, "performance" criterion): pure arithmetic.

score = 100 x (met + 0.5 x warning) / judged, over the vendor's target-months (every contract,
critical and key targets), where judged = met + warning + breach + missing (missing counts 0).
Fewer than MIN_JUDGED judged target-months is no track record (a newcomer): no score.

It lives in vendors/domain because the ranking (vendors) scores the "performance" criterion
with it; the statuses are passed as their codes ("met", "warning", "breach", "missing"), so
the evaluation (kpis, a higher layer) and the reports feed it without vendors importing them.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

MIN_JUDGED = 6
STATUSES = ("met", "warning", "breach", "missing")
_HALF = Decimal("0.5")
_HUNDRED = Decimal(100)


@dataclass(frozen=True, kw_only=True)
class TrackRecord:
    """The counts of judged target-months and the score (None for a newcomer)."""

    judged: int
    met: int
    warning: int
    breach: int
    missing: int
    newcomer: bool
    score: Decimal | None  # full precision; shown rounded half-up to two decimals

    @property
    def rate(self) -> Decimal | None:
        """The same formula without the newcomer rule (a month's trend); None when nothing
        was judged."""
        if not self.judged:
            return None
        return _HUNDRED * (self.met + _HALF * self.warning) / self.judged


def track_record(*, statuses: Iterable[str | None]) -> TrackRecord:
    """The track record of these target-month statuses; None (not evaluated) is not judged."""
    counts = Counter(str(s) for s in statuses if s is not None)
    unknown = set(counts) - set(STATUSES)
    if unknown:
        raise ValueError(f"not a target status: {', '.join(sorted(unknown))}")
    return track_record_of(
        met=counts["met"], warning=counts["warning"], breach=counts["breach"],
        missing=counts["missing"],
    )  # fmt: skip


def track_record_of(*, met: int, warning: int, breach: int, missing: int) -> TrackRecord:
    """The track record from the four counts."""
    if min(met, warning, breach, missing) < 0:
        raise ValueError("counts must not be negative")
    judged = met + warning + breach + missing
    newcomer = judged < MIN_JUDGED
    score = None if newcomer else _HUNDRED * (met + _HALF * warning) / judged
    return TrackRecord(
        judged=judged, met=met, warning=warning, breach=breach, missing=missing,
        newcomer=newcomer, score=score,
    )  # fmt: skip


def performance_score(*, record: TrackRecord, newcomer_performance: Decimal) -> Decimal:
    """The ranking's performance score: the track record, or the event's newcomer score."""
    return newcomer_performance if record.score is None else record.score
