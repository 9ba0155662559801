"""Calendar months, each named by its first day (pure: no Django)."""

from datetime import date


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after (or, negative, before) `month`'s month."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)
