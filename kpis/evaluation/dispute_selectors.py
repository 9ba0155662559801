"""Reads of disputes: a month's exchanges, and the disputes awaiting a manager's decision."""

from datetime import date
from typing import Any

from django.db.models import QuerySet

from contracts.models import Contract
from kpis.evaluation.selectors import breach_list
from kpis.models.disputes import Dispute
from kpis.models.evaluation import Breach


def month_disputes(*, contract: Contract, period: date) -> list[Dispute]:
    """The disputes of a contract month's breaches, oldest first (the month page, the report)."""
    return list(
        Dispute.objects.filter(contract=contract, breach__period=period)
        .select_related("breach__target", "opened_by", "decided_by")
        .order_by("opened_at", "pk")
    )


def disputes_awaiting(*, user) -> QuerySet[Breach]:
    """Breaches the user may see whose dispute awaits a decision, oldest dispute first."""
    return (
        breach_list(user=user)
        .filter(dispute__status=Dispute.Status.OPEN)
        .order_by("dispute__opened_at", "pk")
    )


def dispute_summary(dispute: Dispute | None) -> dict[str, Any] | None:
    """A dispute as plain data (the scorecard and the SLA report print it)."""
    if dispute is None:
        return None
    return {
        "status": dispute.status,
        "status_label": str(dispute.get_status_display()),
        "statement": dispute.statement,
        "evidence_name": dispute.evidence_name,
        "opened_by": dispute.opened_by.username,
        "opened_at": dispute.opened_at,
        "decided_by": dispute.decided_by.username if dispute.decided_by else None,
        "decided_at": dispute.decided_at,
        "reason": dispute.reason,
    }
