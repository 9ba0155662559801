"""The manager's home panel of disputes awaiting a decision (registered in kpis.apps)."""

from kpis.evaluation.dispute_selectors import disputes_awaiting

ROWS = 10


def disputes_awaiting_panel(request) -> dict:
    """Open disputes, the oldest first (a vendor waits for each)."""
    waiting = disputes_awaiting(user=request.user)
    return {"breaches": list(waiting[:ROWS]), "count": waiting.count()}
