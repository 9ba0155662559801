"""Calendar months, each named by its first day (pure: no Django)."""

from datetime import date


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after (or, negative, before) `month`'s month."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


# The months the product accepts anywhere a month is written (query parameters, forms, report
# requests, KPI files): wide enough for any contract, narrow enough that month arithmetic never
# leaves the calendar (date(10000, 1, 1) does not exist). docs/api.md "Limits" states them.
FIRST_MONTH = date(2000, 1, 1)
LAST_MONTH = date(2099, 12, 1)
# The longest month range a page, the API or a report is asked for (ten years).
MAX_RANGE_MONTHS = 120


def month_out_of_bounds(month: date) -> str | None:
    """Why a month lies outside FIRST_MONTH..LAST_MONTH, or None when it is inside."""
    if FIRST_MONTH <= date(month.year, month.month, 1) <= LAST_MONTH:
        return None
    return f"Use a month from {FIRST_MONTH:%Y-%m} to {LAST_MONTH:%Y-%m}."


def months_between(first: date, last: date) -> int:
    """How many months first..last counts, both included (0 when last is before first)."""
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)
