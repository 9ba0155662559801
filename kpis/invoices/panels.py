"""The managers' home panel of invoices that do not match the expected invoice."""

from kpis.invoices.selectors import invoices_not_matching

ROWS = 10


def invoices_not_matching_panel(request) -> dict:
    """Invoices over or under the expected total, newest month first."""
    found = invoices_not_matching(user=request.user)
    return {"invoices": list(found[:ROWS]), "count": found.count()}
