"""Home-page panels of the evaluation, for managers: each active contract's latest evaluated
month, new breaches and chronic flags."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from contracts.models import Contract
from contracts.selectors import contract_list, status_q
from kpis.evaluation.selectors import breach_list, chronic_flag_list
from kpis.models.evaluation import Breach, Evaluation

ROWS = 10


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


def new_breaches_panel(request) -> dict:
    """Open breaches nobody has decided on yet, newest month first."""
    open_ = breach_list(user=request.user).filter(status=Breach.Status.OPEN, cleared=False)
    return {"breaches": list(open_.order_by("-period", "-created_at")[:10]),
            "count": open_.count()}  # fmt: skip


def chronic_flags_panel(request) -> dict:
    """Targets flagged chronic, newest month first (a termination right)."""
    flags = chronic_flag_list(user=request.user).filter(cleared=False)
    return {"flags": list(flags.order_by("-period", "-created_at")[:10])}
