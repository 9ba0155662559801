"""A manager's decisions on a breach: acknowledge it, or waive its credit with a reason.

DOMAIN.md: a waived credit is no longer deducted (the month's credit total and the ROI leave it
out) but stays visible with who and why. Waiving re-evaluates the month through the one
evaluation path (kpis.evaluation.service), so the stored totals follow; the earlier
revision is kept.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import history_record_rows
from core.errors import Conflict
from kpis.evaluation.service import Trigger, contract_month_evaluate
from kpis.models.evaluation import Breach

Status = Breach.Status


@transaction.atomic
def breach_acknowledge(*, breach: Breach, user, reason: str = "") -> Breach:
    """open -> acknowledged (the credit still counts); 409 from any other state."""
    updated = Breach.objects.filter(pk=breach.pk, status=Status.OPEN, cleared=False).update(
        status=Status.ACKNOWLEDGED, decided_by=user, decided_at=timezone.now(),
        reason=reason.strip(),
    )  # fmt: skip
    if updated != 1:
        raise Conflict(_refusal(breach, "acknowledged"))
    history_record_rows(Breach, [breach.pk], update=True, user=user, reason="Acknowledged")
    breach.refresh_from_db()
    return breach


@transaction.atomic
def breach_waive(*, breach: Breach, user, reason: str) -> Breach:
    """open or acknowledged -> waived, with a reason; the month is re-evaluated without it."""
    if not (reason or "").strip():
        raise ValidationError({"reason": ["Say why the credit is waived."]})
    updated = Breach.objects.filter(
        pk=breach.pk, status__in=[Status.OPEN, Status.ACKNOWLEDGED], cleared=False
    ).update(
        status=Status.WAIVED, decided_by=user, decided_at=timezone.now(), reason=reason.strip()
    )
    if updated != 1:
        raise Conflict(_refusal(breach, "waived"))
    history_record_rows(Breach, [breach.pk], update=True, user=user, reason="Waived")
    contract_month_evaluate(
        contract=breach.contract, period=breach.period, trigger=Trigger.WAIVER, user=user
    )
    breach.refresh_from_db()
    return breach


def _refusal(breach: Breach, wanted: str) -> str:
    current = Breach.objects.filter(pk=breach.pk).values_list("status", "cleared").first()
    if current is None:
        return "The breach no longer exists."
    status, cleared = current
    if cleared:
        return (
            "The current evaluation no longer shows this breach (the data were revised), "
            f"so it cannot be {wanted}."
        )
    return f"A breach that is {status} cannot be {wanted}."
