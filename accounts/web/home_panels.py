"""Home-page panels that read several apps: procurement's events awaiting an award, the
manager's SLA status per contract, the auditor's recent reports and recent changes.

Registered from AccountsConfig.ready(). The apps' models are imported inside the functions:
accounts sits below every app, so nothing here may be imported when accounts loads.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

ROWS = 10
CHANGES = 15


def procurement_awards_panel(request) -> dict:
    """Events whose deadline has passed but which nobody has awarded yet, and unopened drafts."""
    from vendors.models import EventStatus, SourcingEvent
    from vendors.page_selectors import with_bid_counts
    from vendors.selectors import event_status_q

    now = timezone.now()
    closed = SourcingEvent.objects.filter(event_status_q(EventStatus.CLOSED, now))
    drafts = SourcingEvent.objects.filter(event_status_q(EventStatus.DRAFT, now))
    return {
        "to_award": list(with_bid_counts(closed).order_by("bid_deadline", "id")[:ROWS]),
        "drafts": list(drafts.order_by("bid_deadline", "id")[:ROWS]),
    }


@dataclass(frozen=True)
class ContractMonthStatus:
    """One contract's latest evaluated month up to this month, as counts per target status."""

    contract: Any
    period: date | None
    met: int = 0
    warning: int = 0
    breach: int = 0
    missing: int = 0
    credit_total: Decimal | None = None
    priced: bool = True


def manager_sla_panel(request) -> dict:
    """Contracts in force with their latest evaluated month (this month's, once reported)."""
    from contracts.models import Contract
    from contracts.selectors import contract_list, status_q
    from kpis.models.evaluation import Evaluation

    this_month = timezone.localdate().replace(day=1)
    contracts = list(
        contract_list(user=request.user)
        .filter(status_q(Contract.Status.ACTIVE))
        .order_by("reference")[:ROWS]
    )
    counts = {
        name: Count("results", filter=Q(results__status=name))
        for name in ("met", "warning", "breach", "missing")
    }
    latest: dict[int, Any] = {}
    evaluations = (
        Evaluation.objects.filter(contract__in=contracts, is_current=True, period__lte=this_month)
        .annotate(**counts)
        .order_by("contract_id", "-period")
    )
    for evaluation in evaluations:
        latest.setdefault(evaluation.contract_id, evaluation)
    rows = []
    for contract in contracts:
        e = latest.get(contract.pk)
        if e is None:
            rows.append(ContractMonthStatus(contract=contract, period=None))
            continue
        rows.append(
            ContractMonthStatus(
                contract=contract, period=e.period, met=e.met, warning=e.warning,
                breach=e.breach, missing=e.missing, credit_total=e.credit_total,
                priced=e.charges is not None,
            )
        )  # fmt: skip
    return {"rows": rows, "this_month": this_month}


def auditor_reports_panel(request) -> dict:
    """The newest reports, whatever their status."""
    from reports.selectors import report_list

    return {"reports": list(report_list(user=request.user)[:ROWS])}


@dataclass(frozen=True)
class Change:
    """One historical row: who changed what when; sign + created, ~ changed, - deleted."""

    when: datetime
    who: str
    kind: str
    sign: str
    label: str


def _history_managers() -> list:
    """The history manager of every model that django-simple-history tracks."""
    from simple_history.models import registered_models

    managers = []
    for model in registered_models.values():
        attribute = getattr(model._meta, "simple_history_manager_attribute", "history")
        manager = getattr(model, attribute, None)
        if manager is not None:
            managers.append((model, manager))
    return managers


def _label(row) -> str:
    """The object as it was, falling back to its id (its related rows may be gone)."""
    try:
        return str(row.instance)
    except Exception:  # noqa: BLE001 - a deleted related row must not break the home page
        return f"#{row.pk}"


def recent_changes(limit: int = CHANGES) -> list[Change]:
    """The newest historical rows across every tracked model, newest first."""
    rows = []
    for model, manager in _history_managers():
        newest = manager.select_related("history_user").order_by("-history_date")[:limit]
        rows += [(row, model) for row in newest]
    rows.sort(key=lambda pair: pair[0].history_date, reverse=True)
    return [
        Change(
            when=row.history_date,
            who=row.history_user.username if row.history_user else "",
            kind=str(model._meta.verbose_name),
            sign=row.history_type,
            label=_label(row),
        )
        for row, model in rows[:limit]
    ]


def auditor_changes_panel(request) -> dict:
    """The newest changes to tracked records (contracts, targets, baselines, vendors, events)."""
    return {"changes": recent_changes()}
