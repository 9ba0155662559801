"""Evaluation of a contract month: target status, service credits and chronic failure.

DOMAIN.md, "Evaluation of a contract month". Pure arithmetic over plain dataclasses; the
task that stores evaluations and breaches, the pages, the API and the PDF all call this.

Rounding. A money figure is rounded half-up to cents once, where it first becomes a figure of
its own, and every later figure is built from the rounded one, so a page recomputes from what
it prints and adds up to the cent:

    at-risk amount  = cents(charges x at_risk_percent / 100)
    target credit   = cents(at-risk amount x allocation_percent / 100)   breached critical only
    credit before cap = sum of the credits of targets that are not waived
    credit total    = min(credit before cap, at-risk amount)

Pass `charges` as stored (in cents). Targets are judged on `actual` exactly as passed, so pass
the monthly aggregate as stored and shown, or a printed 80.00 could be judged below 80.

The cap. Each target keeps its own credit (also when waived, so the history shows what was
waived); the cap shows as one adjustment line, `cap_adjustment` (zero or negative), so that
credit before cap + cap adjustment = credit total.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from core.catalogue import Direction
from core.money import cents
from core.texts import gettext_noop, rendered

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)

# DOMAIN.md: breach in 3 of the last 6 months, or below expected in 4 of the last 12.
_BREACH_WINDOW, _BREACH_COUNT = 6, 3
_BELOW_WINDOW, _BELOW_COUNT = 12, 4
# The months a chronic rule looks back over, the judged month included.
CHRONIC_WINDOW = max(_BREACH_WINDOW, _BELOW_WINDOW)


class TargetStatus(StrEnum):
    """How a month's aggregate compares with a target's expected and minimum levels."""

    MET = "met"
    WARNING = "warning"  # misses expected, not minimum
    BREACH = "breach"  # misses minimum
    MISSING = "missing"  # no data: the vendor did not report, itself a finding

    @property
    def label(self) -> str:
        """The status in words, in the reader's language."""
        return rendered(_STATUS_WORDS[self])


_STATUS_WORDS = {
    TargetStatus.MET: gettext_noop("met"),
    TargetStatus.WARNING: gettext_noop("warning"),
    TargetStatus.BREACH: gettext_noop("breach"),
    TargetStatus.MISSING: gettext_noop("missing"),
}


def target_status(
    *, direction: Direction, expected: Decimal, minimum: Decimal, actual: Decimal | None
) -> TargetStatus:
    """Judge one actual level against a target; levels equal to a threshold reach it."""
    if direction is Direction.NONE:
        raise ValueError("a target needs a metric with a direction (higher or lower is better)")
    if actual is None:
        return TargetStatus.MISSING
    # Lower-is-better is the mirror image: negating every level turns it into higher-is-better.
    sign = 1 if direction is Direction.HIGHER else -1
    if sign * actual >= sign * expected:
        return TargetStatus.MET
    if sign * actual >= sign * minimum:
        return TargetStatus.WARNING
    return TargetStatus.BREACH


@dataclass(frozen=True, kw_only=True)
class TargetInput:
    """One SLA target with the month's aggregate (`actual`, None when not reported)."""

    id: int
    metric: str
    channel: str | None
    direction: Direction
    expected: Decimal
    minimum: Decimal
    critical: bool
    allocation_percent: Decimal
    actual: Decimal | None
    waived: bool = False


@dataclass(frozen=True, kw_only=True)
class TargetResult:
    """A target's month: status and its own credit (kept when waived, but then not deducted)."""

    target_id: int
    metric: str
    channel: str | None
    critical: bool
    allocation_percent: Decimal
    actual: Decimal | None
    status: TargetStatus
    credit: Decimal
    waived: bool

    @property
    def deducted(self) -> Decimal:
        """The part of this target's credit that counts towards the month's total."""
        return _ZERO if self.waived else self.credit


@dataclass(frozen=True, kw_only=True)
class MonthEvaluation:
    """A contract month: at-risk amount, every target's result and the capped credit total."""

    charges: Decimal
    at_risk_percent: Decimal
    at_risk_amount: Decimal
    targets: tuple[TargetResult, ...]
    credit_waived: Decimal
    credit_before_cap: Decimal
    cap_adjustment: Decimal  # zero, or negative when the cap applies
    credit_total: Decimal
    cap_applied: bool


def evaluate_month(
    *, charges: Decimal, at_risk_percent: Decimal, targets: Sequence[TargetInput]
) -> MonthEvaluation:
    """Evaluate a month's targets and its service credits, capped at the at-risk amount."""
    if charges < 0:
        raise ValueError("charges must not be negative")
    if not _ZERO <= at_risk_percent <= _HUNDRED:
        raise ValueError("at_risk_percent must lie between 0 and 100")
    at_risk_amount = cents(charges * at_risk_percent / _HUNDRED)
    results = tuple(_target_result(target=t, at_risk_amount=at_risk_amount) for t in targets)
    credit_waived = sum((r.credit for r in results if r.waived), _ZERO)
    credit_before_cap = sum((r.deducted for r in results), _ZERO)
    credit_total = min(credit_before_cap, at_risk_amount)
    return MonthEvaluation(
        charges=charges,
        at_risk_percent=at_risk_percent,
        at_risk_amount=at_risk_amount,
        targets=results,
        credit_waived=credit_waived,
        credit_before_cap=credit_before_cap,
        cap_adjustment=credit_total - credit_before_cap,
        credit_total=credit_total,
        cap_applied=credit_total < credit_before_cap,
    )


def _target_result(*, target: TargetInput, at_risk_amount: Decimal) -> TargetResult:
    if target.allocation_percent < 0:
        raise ValueError(f"target {target.id}: allocation_percent must not be negative")
    status = target_status(
        direction=target.direction,
        expected=target.expected,
        minimum=target.minimum,
        actual=target.actual,
    )
    # Only a breach of a critical service level earns a credit: key measurements are
    # reported only, and a missing value is a finding rather than a measured breach.
    earns_credit = target.critical and status is TargetStatus.BREACH
    credit = cents(at_risk_amount * target.allocation_percent / _HUNDRED) if earns_credit else _ZERO
    return TargetResult(
        target_id=target.id,
        metric=target.metric,
        channel=target.channel,
        critical=target.critical,
        allocation_percent=target.allocation_percent,
        actual=target.actual,
        status=status,
        credit=credit,
        waived=target.waived,
    )


class ChronicRule(StrEnum):
    """A rule of chronic failure; either one gives the buyer a termination right."""

    BREACH_3_OF_6 = "breach_3_of_6"
    BELOW_EXPECTED_4_OF_12 = "below_expected_4_of_12"

    @property
    def label(self) -> str:
        """The rule in words, for pages and reports."""
        if self is ChronicRule.BREACH_3_OF_6:
            return rendered(gettext_noop("in breach in 3 or more of the last 6 months"))
        return rendered(
            gettext_noop("below expected (warning or breach) in 4 or more of the last 12 months")
        )


@dataclass(frozen=True, kw_only=True)
class ChronicFlag:
    """Whether a target's month is chronic, which rules fired, and the counts behind them."""

    rules: tuple[ChronicRule, ...]
    breaches_in_last_6: int
    below_expected_in_last_12: int

    @property
    def chronic(self) -> bool:
        """True when at least one rule fired."""
        return bool(self.rules)

    def __bool__(self) -> bool:
        return self.chronic


def is_chronic(*, statuses: Sequence[TargetStatus | None]) -> ChronicFlag:
    """Judge the last of `statuses` (oldest first; None = not evaluated) for chronic failure."""
    # Missing and unevaluated months count as neither breach nor warning: missing data is
    # reported as its own finding, and a short history simply has fewer months to count.
    last_6 = statuses[-_BREACH_WINDOW:]
    last_12 = statuses[-_BELOW_WINDOW:]
    breaches = sum(1 for s in last_6 if s is TargetStatus.BREACH)
    below = sum(1 for s in last_12 if s in (TargetStatus.WARNING, TargetStatus.BREACH))
    rules: list[ChronicRule] = []
    if breaches >= _BREACH_COUNT:
        rules.append(ChronicRule.BREACH_3_OF_6)
    if below >= _BELOW_COUNT:
        rules.append(ChronicRule.BELOW_EXPECTED_4_OF_12)
    return ChronicFlag(
        rules=tuple(rules), breaches_in_last_6=breaches, below_expected_in_last_12=below
    )


def chronic_months(
    *, periods: Sequence[str], statuses: Sequence[TargetStatus | None]
) -> tuple[list[str], list[str]]:
    """The months that is_chronic counts for the last of `statuses` (oldest first, one period
    each): those in breach among the last 6, those below expected among the last 12."""
    pairs = list(zip(periods, statuses, strict=True))
    breaches = [p for p, s in pairs[-_BREACH_WINDOW:] if s is TargetStatus.BREACH]
    below = [
        p for p, s in pairs[-_BELOW_WINDOW:] if s in (TargetStatus.WARNING, TargetStatus.BREACH)
    ]
    return breaches, below
