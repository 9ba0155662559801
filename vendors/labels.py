"""Human labels the sourcing pages, history and exports share (translated when shown)."""

from django.utils.translation import gettext_lazy as _

MONTH_ABBREVIATIONS = (
    _("Jan"), _("Feb"), _("Mar"), _("Apr"), _("May"), _("Jun"),
    _("Jul"), _("Aug"), _("Sep"), _("Oct"), _("Nov"), _("Dec"),
)  # fmt: skip


def month_label(month: int | None) -> str:
    """A calendar month 1-12 as its abbreviation in the reader's language; "" for None."""
    return "" if month is None else str(MONTH_ABBREVIATIONS[month - 1])
