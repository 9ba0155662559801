"""The in-house baseline: what the same service would cost per month if the buyer ran it itself.

DOMAIN.md, "Contract". A contract states either a monthly amount, or its fully loaded parts
(money per month unless a percent). The rule, quoted by the page and the PDF:

    paid FTE     = FTE / (1 - absenteeism % / 100)
                   (absent staff must be covered to deliver the same capacity)
    per-FTE cost = gross salary x (1 + employer on-cost % / 100)
                   + facilities per FTE + ICT per FTE + recruitment and training per FTE
    monthly      = paid FTE x per-FTE cost + management overhead + depreciation

The breakdown shows it part by part; the paid FTE above the FTE is its own line, absence
cover, because absenteeism is the part of in-house cost most often left out:

    gross salaries       = FTE x gross salary
    employer on-cost     = FTE x gross salary x employer on-cost % / 100
    facilities           = FTE x facilities per FTE
    ICT                  = FTE x ICT per FTE
    recruitment/training = FTE x recruitment and training per FTE
    absence cover        = (paid FTE - FTE) x per-FTE cost
    management overhead  = as stated (monthly total)
    depreciation         = as stated (monthly total)

Rounding: each line is computed at full precision and rounded half-up to cents once; the
monthly amount is the sum of the rounded lines, so the page adds up to the cent. Paid FTE
and per-FTE cost are returned unrounded for the page to show with the precision it likes.
"""

from dataclasses import dataclass, fields
from decimal import Decimal
from enum import StrEnum

from core.money import cents
from core.texts import gettext_noop

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


@dataclass(frozen=True, kw_only=True)
class BaselineParts:
    """The fully loaded parts of an in-house baseline (money per month unless a percent)."""

    fte: Decimal  # productive capacity needed, in full-time equivalents
    gross_salary: Decimal  # per FTE per month
    employer_oncost_percent: Decimal
    facilities_per_fte: Decimal
    ict_per_fte: Decimal
    recruitment_training_per_fte: Decimal
    management_overhead: Decimal  # monthly total
    depreciation: Decimal  # monthly total
    absenteeism_percent: Decimal


class BaselineSource(StrEnum):
    """Whether the baseline was stated as one monthly amount or built from its parts."""

    AMOUNT = "amount"
    PARTS = "parts"


@dataclass(frozen=True, kw_only=True)
class BaselineLine:
    """One shown part of the baseline: label, its formula in words and its amount in cents."""

    label: str
    formula: str
    amount: Decimal


@dataclass(frozen=True, kw_only=True)
class BaselineBreakdown:
    """The monthly in-house baseline with the lines it is the sum of."""

    source: BaselineSource
    lines: tuple[BaselineLine, ...]
    paid_fte: Decimal | None  # None for a stated monthly amount
    per_fte_cost: Decimal | None
    monthly_amount: Decimal


class BaselineInvalid(ValueError):
    """Raised for a baseline that cannot be computed; `problems` are (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems))
        self.problems = problems


def validate_baseline_parts(*, parts: BaselineParts) -> list[tuple[str, str]]:
    """List the (field, message) problems of baseline parts; empty when they are usable."""
    problems: list[tuple[str, str]] = []
    for f in fields(parts):
        value: Decimal = getattr(parts, f.name)
        if f.name == "fte":
            if value <= 0:
                problems.append(("fte", "must be greater than 0"))
        elif value < 0:
            problems.append((f.name, "must not be negative"))
        elif f.name == "absenteeism_percent" and value >= _HUNDRED:
            # At 100% nobody is ever present: no number of paid FTE delivers the capacity.
            problems.append((f.name, "must be below 100"))
    return problems


def baseline_from_parts(*, parts: BaselineParts) -> BaselineBreakdown:
    """Compute the monthly baseline from its fully loaded parts, line by line."""
    problems = validate_baseline_parts(parts=parts)
    if problems:
        raise BaselineInvalid(problems)
    paid_fte = parts.fte / (1 - parts.absenteeism_percent / _HUNDRED)
    per_fte_cost = (
        parts.gross_salary * (1 + parts.employer_oncost_percent / _HUNDRED)
        + parts.facilities_per_fte
        + parts.ict_per_fte
        + parts.recruitment_training_per_fte
    )
    lines = tuple(
        BaselineLine(label=label, formula=formula, amount=cents(exact))
        for label, formula, exact in _exact_lines(
            parts=parts, paid_fte=paid_fte, per_fte_cost=per_fte_cost
        )
    )
    return BaselineBreakdown(
        source=BaselineSource.PARTS,
        lines=lines,
        paid_fte=paid_fte,
        per_fte_cost=per_fte_cost,
        monthly_amount=sum((line.amount for line in lines), _ZERO),
    )


def _exact_lines(
    *, parts: BaselineParts, paid_fte: Decimal, per_fte_cost: Decimal
) -> tuple[tuple[str, str, Decimal], ...]:
    # Before rounding, these lines sum to exactly paid FTE x per-FTE cost + overhead +
    # depreciation: the FTE lines price the capacity, absence cover prices the extra heads.
    fte, salary = parts.fte, parts.gross_salary
    return (
        (gettext_noop("Gross salaries"), gettext_noop("FTE x gross salary"), fte * salary),
        (
            gettext_noop("Employer on-cost"),
            gettext_noop("FTE x gross salary x employer on-cost %"),
            fte * salary * parts.employer_oncost_percent / _HUNDRED,
        ),
        (
            gettext_noop("Facilities"),
            gettext_noop("FTE x facilities per FTE"),
            fte * parts.facilities_per_fte,
        ),
        (gettext_noop("ICT"), gettext_noop("FTE x ICT per FTE"), fte * parts.ict_per_fte),
        (
            gettext_noop("Recruitment and training"),
            gettext_noop("FTE x recruitment and training per FTE"),
            fte * parts.recruitment_training_per_fte,
        ),
        (
            gettext_noop("Absence cover"),
            gettext_noop(
                "(paid FTE - FTE) x per-FTE cost, where paid FTE = FTE / (1 - absenteeism %)"
            ),
            (paid_fte - fte) * per_fte_cost,
        ),
        (
            gettext_noop("Management overhead"),
            gettext_noop("as stated, per month"),
            parts.management_overhead,
        ),
        (gettext_noop("Depreciation"), gettext_noop("as stated, per month"), parts.depreciation),
    )


def baseline_breakdown(
    *, monthly_amount: Decimal | None = None, parts: BaselineParts | None = None
) -> BaselineBreakdown:
    """Return the monthly baseline and its lines from either a stated amount or its parts."""
    if monthly_amount is not None and parts is not None:
        raise BaselineInvalid([("baseline", "state a monthly amount or its parts, not both")])
    if parts is not None:
        return baseline_from_parts(parts=parts)
    if monthly_amount is None:
        raise BaselineInvalid([("baseline", "state a monthly amount or its parts")])
    if monthly_amount < 0:
        raise BaselineInvalid([("monthly_amount", "must not be negative")])
    amount = cents(monthly_amount)
    return BaselineBreakdown(
        source=BaselineSource.AMOUNT,
        lines=(
            BaselineLine(
                label=gettext_noop("Monthly amount"),
                formula=gettext_noop("as stated"),
                amount=amount,
            ),
        ),
        paid_fte=None,
        per_fte_cost=None,
        monthly_amount=amount,
    )
