"""The target-month counts behind the ranking's performance criterion (registered in vendors).

One grouped query for every vendor at once: the current evaluations' target results (critical
and key targets) of the vendors' contracts in the months, counted by status. Draft contracts are
never evaluated; they are left out as the scorecard leaves them out.
"""

from collections.abc import Collection
from datetime import date

from django.db.models import Count

from contracts.models import Contract
from kpis.models.evaluation import TargetResult
from vendors.domain.track_record import STATUSES


def target_month_counts(
    vendor_ids: Collection[int], from_month: date, to_month: date
) -> dict[int, dict[str, int]]:
    """{vendor_id: {status: target-months}} over from_month..to_month (both included)."""
    rows = (
        TargetResult.objects.filter(
            evaluation__is_current=True,
            evaluation__contract__vendor_id__in=list(vendor_ids),
            evaluation__period__gte=from_month,
            evaluation__period__lte=to_month,
            status__in=STATUSES,
        )
        .exclude(evaluation__contract__status=Contract.Status.DRAFT)
        .values("evaluation__contract__vendor_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        vendor = counts.setdefault(row["evaluation__contract__vendor_id"], {})
        vendor[row["status"]] = row["n"]
    return counts
