"""A manager's decisions on a breach: acknowledge it, or waive its credit with a reason.

DOMAIN.md: a waived credit is no longer deducted (the month's credit total and the ROI leave it
out) but stays visible with who and why. Waiving re-evaluates the month (and the later months
whose chronic window holds it) through the one evaluation path (kpis.evaluation.service), so
the stored totals follow; the earlier revision is kept. That re-evaluation and its e-mails run
on the evaluation queue, not in the request: the waiver keeps a WaiverReevaluation row, claimed
and retried like every job row (core.jobs), re-queued by the beat job when the broker was down
or its worker died, and the breach page shows "re-evaluating" until it is done.
"""

import logging
from datetime import datetime

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import history_record_rows
from core.errors import Conflict
from core.jobs import (
    PUBLISH_RETRY,
    TRANSIENT_ERRORS,
    job_claim,
    job_heartbeat,
    job_stranded,
)
from kpis.evaluation.service import Trigger, contract_month_evaluate
from kpis.models.evaluation import Breach, WaiverReevaluation

logger = logging.getLogger(__name__)

Status = Breach.Status
Job = WaiverReevaluation.Status
MAX_ATTEMPTS = 3


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
    job = WaiverReevaluation.objects.create(breach_id=breach.pk, requested_by=user)
    transaction.on_commit(lambda: waiver_queue(job_id=job.pk), robust=True)
    breach.refresh_from_db()
    return breach


def waiver_queue(*, job_id: int) -> bool:
    """Hand a re-evaluation to the broker; when it is down the row waits for the re-queue job."""
    from kpis.evaluation.tasks import breach_waiver_apply

    try:
        breach_waiver_apply.apply_async((job_id,), retry=True, retry_policy=PUBLISH_RETRY)
    except Exception:  # kombu's OperationalError, or whatever a broken transport raises
        logger.warning("waiver re-evaluation %s stays queued: the broker is unreachable", job_id)
        return False
    WaiverReevaluation.objects.filter(pk=job_id).update(queued_at=timezone.now())
    return True


def waiver_reevaluate(*, job_id: int, task_id: str = "") -> bool:
    """Re-evaluate the month of a waived breach (and the later months it affects) once; True
    when this call did it. Transient database errors give the claim back and are raised."""
    claimed_at = job_claim(WaiverReevaluation, job_id, waiting=Job.QUEUED, running=Job.RUNNING,
                           task_id=task_id, attempts=F("attempts") + 1)  # fmt: skip
    if claimed_at is None:
        return False
    job = WaiverReevaluation.objects.select_related("breach__contract").get(pk=job_id)
    mine = WaiverReevaluation.objects.filter(pk=job_id, status=Job.RUNNING, started_at=claimed_at)
    breach = job.breach
    try:
        with job_heartbeat(WaiverReevaluation, job_id, claimed_at=claimed_at):
            contract_month_evaluate(contract=breach.contract, period=breach.period,
                                    trigger=Trigger.WAIVER, user=job.requested_by)  # fmt: skip
    except TRANSIENT_ERRORS:
        mine.update(status=Job.QUEUED, started_at=None)
        raise
    except SoftTimeLimitExceeded:
        mine.update(status=Job.FAILED, finished_at=timezone.now(),
                    error=_("The re-evaluation took longer than its time limit."))  # fmt: skip
        return False
    except Exception as error:  # noqa: BLE001 - recorded on the row for the page to show
        logger.exception("waiver re-evaluation %s failed", job_id)
        mine.update(status=Job.FAILED, finished_at=timezone.now(), error=str(error)[:2000])
        return False
    mine.update(status=Job.DONE, finished_at=timezone.now())
    return True


def waivers_requeue(*, now: datetime | None = None) -> int:
    """Queue again re-evaluations the broker never got or lost, or whose worker died."""
    now = now or timezone.now()
    waiting = WaiverReevaluation.objects.filter(
        job_stranded(WaiverReevaluation, waiting=Job.QUEUED, running=Job.RUNNING, now=now)
    )
    waiting.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=Job.FAILED, finished_at=now, error=_("The worker re-evaluating it kept stopping.")
    )
    sent = 0
    for job_id in waiting.order_by("pk").values_list("pk", flat=True)[:500]:
        if not waiver_queue(job_id=job_id):
            break
        sent += 1
    return sent


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
