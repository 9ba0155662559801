"""The statuses a chronic rule looks back on (DOMAIN.md "Chronic failure"), read once for all.

A target's month is judged chronic over the window ending with that month: the same target
lineage (a target and the targets that replaced it by amendment) in the eleven months before,
as the current evaluations of those months judged it. The evaluation service reads this window
to flag a month; the SLA report and the scorecard attach the same window to their JSON so that
report_verify can recompute the flag with kpis.evaluation.rules.is_chronic.
"""

from collections import defaultdict
from datetime import date

from core.months import add_months
from kpis.evaluation.rules import CHRONIC_WINDOW as WINDOW
from kpis.models.evaluation import TargetResult


def months_before(period: date) -> list[date]:
    """The eleven months before `period`, oldest first."""
    return [add_months(period, -k) for k in range(WINDOW - 1, 0, -1)]


def lineage_history(ids: list[int], period: date) -> dict[int, dict[int, dict[date, str]]]:
    """Statuses of the current evaluations of the months before, by contract and lineage."""
    found: dict[int, dict[int, dict[date, str]]] = defaultdict(lambda: defaultdict(dict))
    rows = TargetResult.objects.filter(
        evaluation__contract_id__in=ids,
        evaluation__is_current=True,
        evaluation__period__gte=add_months(period, 1 - WINDOW),
        evaluation__period__lt=period,
    ).values_list("evaluation__contract_id", "lineage_id", "evaluation__period", "status")
    for contract_id, lineage, month, status in rows:
        found[contract_id][lineage][month] = status
    return found


def history_json(statuses: dict[date, str], period: date) -> list[dict[str, str | None]]:
    """A lineage's window before `period` as the reports attach it: every month, oldest first,
    with its status (None: not evaluated, or the target was not in force)."""
    return [{"period": f"{m:%Y-%m}", "status": statuses.get(m)} for m in months_before(period)]
