"""Evaluation requests: every background evaluation of a contract month is a row.

An ingestion (its affected months, in its own transaction) and the monthly job create
`EvaluationRequest` rows in bulk, one INSERT whatever the number of months; a month that
already waits is not asked twice (the partial unique constraint, INSERT ... ON CONFLICT DO
NOTHING). Once committed, each row is handed to the broker; the task claims it with
core.jobs (holder, task id, heartbeat), evaluates the month through the one evaluation path
(kpis.evaluation.service, idempotent: the same inputs make no new revision, and each breach
and chronic flag is e-mailed once through its `notified_at` claim and the outbox's keys) and
marks it done. A worker killed in the middle (its main process or a pool process) leaves the
row `processing` under a holder that is gone: the redelivered message, the re-queue job
(every minute, and at every worker's start) take it back at once when the process was on this
host, or when its heartbeat is older than JOB_DEAD_AFTER_SECONDS. The `kpis_evaluate` command
evaluates inline and keeps no row.
"""

import logging
from collections.abc import Iterable
from datetime import date, datetime
from functools import partial

from celery.exceptions import SoftTimeLimitExceeded
from django.db import IntegrityError, transaction
from django.db.models import F, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import Contract
from contracts.services.terms import month_start
from core.jobs import (
    PUBLISH_RETRY,
    TRANSIENT_ERRORS,
    job_claim,
    job_heartbeat,
    job_stranded,
)
from core.months import add_months
from kpis.evaluation.service import (
    EvaluationRefused,
    Trigger,
    contract_month_evaluate,
    contracts_due,
    current_month,
)
from kpis.models.evaluation import EvaluationRequest, WaiverReevaluation

logger = logging.getLogger(__name__)

Job = EvaluationRequest.Status
# Claims of one request after which the re-queue job fails it instead of killing a next worker.
MAX_ATTEMPTS = 3
_BATCH = 2000  # rows per INSERT


def evaluation_requests_create(*, months: Iterable[tuple[int, date]], trigger: str) -> list[int]:
    """Ask for contract months to be evaluated; the ids of the rows now waiting for them.

    In bulk: one INSERT per 2,000 months and one SELECT, whatever the number. Months after
    the current one are left out (they are never evaluated). The rows are handed to the broker
    once the caller's transaction commits.
    """
    last = current_month()
    wanted = sorted({(c, p) for c, p in months if p <= last})
    if not wanted:
        return []
    EvaluationRequest.objects.bulk_create(
        [EvaluationRequest(contract_id=c, period=p, trigger=trigger) for c, p in wanted],
        batch_size=_BATCH,
        ignore_conflicts=True,  # a month already waiting: that row stands for this request too
    )
    pairs = set(wanted)
    waiting = EvaluationRequest.objects.filter(
        status=Job.QUEUED,
        contract_id__in={c for c, _p in wanted},
        period__in={p for _c, p in wanted},
    ).values_list("pk", "contract_id", "period")
    ids = sorted(pk for pk, c, p in waiting if (c, p) in pairs)
    transaction.on_commit(partial(evaluation_requests_publish, request_ids=ids), robust=True)
    return ids


def evaluation_requests_publish(*, request_ids: list[int]) -> int:
    """Hand rows to the broker; how many it took. Once it refuses one, the rest are evaluated
    here instead (this runs in a worker or a command, never in a web request), so a broker
    outage neither delays nor loses a month."""
    from kpis.evaluation.tasks import evaluation_request_task

    sent: list[int] = []
    for position, request_id in enumerate(request_ids):
        try:
            evaluation_request_task.apply_async(
                (request_id,), retry=True, retry_policy=PUBLISH_RETRY
            )
        except Exception:  # kombu's OperationalError, or whatever a broken transport raises
            logger.exception("Evaluations not queued; evaluating %s here", len(request_ids))
            _mark_queued(sent)
            for rest in request_ids[position:]:
                evaluation_request_run(request_id=rest)
            return len(sent)
        sent.append(request_id)
    _mark_queued(sent)
    return len(sent)


def _mark_queued(request_ids: list[int]) -> None:
    for start in range(0, len(request_ids), _BATCH):
        EvaluationRequest.objects.filter(pk__in=request_ids[start : start + _BATCH]).update(
            queued_at=timezone.now()
        )


def evaluation_request_run(*, request_id: int, task_id: str = "") -> bool:
    """Claim a request and evaluate its month once; True when this call did it.

    A duplicated or late message finds the row taken or finished and does nothing. Transient
    database errors give the claim back and are raised (the task retries them); a month that
    cannot be evaluated is recorded on the row, never retried.
    """
    claimed_at = job_claim(EvaluationRequest, request_id, waiting=Job.QUEUED,
                           running=Job.PROCESSING, task_id=task_id,
                           attempts=F("attempts") + 1)  # fmt: skip
    if claimed_at is None:
        logger.info("Evaluation request %s is not claimable (taken or finished)", request_id)
        return False
    job = EvaluationRequest.objects.get(pk=request_id)
    mine = EvaluationRequest.objects.filter(
        pk=request_id, status=Job.PROCESSING, started_at=claimed_at
    )
    try:
        with job_heartbeat(EvaluationRequest, request_id, claimed_at=claimed_at):
            error = _evaluate(job)
    except TRANSIENT_ERRORS:
        _release(mine)
        raise
    except SoftTimeLimitExceeded:
        error = _("The evaluation took longer than its time limit.")
    except Exception as failure:  # noqa: BLE001 - recorded on the row for the pages to show
        logger.exception("Evaluation request %s failed", request_id)
        error = str(failure)[:2000] or failure.__class__.__name__
    if error is not None:
        mine.update(status=Job.FAILED, finished_at=timezone.now(), error=error)
        return False
    return mine.update(status=Job.DONE, finished_at=timezone.now(), error="") == 1


def _evaluate(job: EvaluationRequest) -> str | None:
    """Evaluate the row's month; the reason it cannot be evaluated, or None."""
    contract = Contract.objects.filter(pk=job.contract_id).first()
    if contract is None or contract.status == Contract.Status.DRAFT:
        logger.info("Contract %s %s not evaluated: no contract in force", job.contract_id,
                    job.period)  # fmt: skip
        return None  # nothing to evaluate is not a failure: a draft has no months yet
    try:
        contract_month_evaluate(contract=contract, period=job.period, trigger=job.trigger)
    except EvaluationRefused as refused:
        return str(refused)
    return None


def _release(mine) -> None:
    """Give the claim back for a retry; when another request of the month waits meanwhile,
    that one stands for this one."""
    try:
        with transaction.atomic():
            mine.update(status=Job.QUEUED, started_at=None)
    except IntegrityError:
        mine.update(status=Job.DONE, finished_at=timezone.now(),
                    error=_("Handed over to a later request of the same month."))  # fmt: skip
    except TRANSIENT_ERRORS:
        logger.warning("An evaluation request keeps a stale claim until it is re-queued")


def evaluation_request_give_up(*, request_id: int, reason: str) -> None:
    """End a request whose retries ran out: failed, so that it is never left waiting."""
    logger.error("Evaluation request %s given up: %s", request_id, reason)
    EvaluationRequest.objects.filter(
        pk=request_id, status__in=[Job.QUEUED, Job.PROCESSING]
    ).update(
        status=Job.FAILED, finished_at=timezone.now(),
        error=_("The database stayed unavailable; the month was not evaluated."),
    )  # fmt: skip


def evaluation_requests_requeue(*, now: datetime | None = None) -> int:
    """Queue again requests the broker never got or lost, or whose worker died; how many."""
    now = now or timezone.now()
    waiting = EvaluationRequest.objects.filter(
        job_stranded(EvaluationRequest, waiting=Job.QUEUED, running=Job.PROCESSING, now=now)
    )
    waiting.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=Job.FAILED, finished_at=now,
        error=_("The worker evaluating it stopped %(count)s times.") % {"count": MAX_ATTEMPTS},
    )  # fmt: skip
    ids = list(waiting.order_by("pk").values_list("pk", flat=True)[:2000])
    return _publish_or_wait(ids)


def _publish_or_wait(request_ids: list[int]) -> int:
    """Like evaluation_requests_publish, but a broker that is down leaves the rows waiting for
    the next run (the re-queue job must not evaluate thousands of months itself)."""
    from kpis.evaluation.tasks import evaluation_request_task

    sent: list[int] = []
    for request_id in request_ids:
        try:
            evaluation_request_task.apply_async(
                (request_id,), retry=True, retry_policy=PUBLISH_RETRY
            )
        except Exception:  # the broker is still down: the next run tries again
            logger.warning("Evaluation requests stay queued: the broker is unreachable")
            break
        sent.append(request_id)
    _mark_queued(sent)
    return len(sent)


def previous_month_request(*, today: date | None = None) -> int:
    """The monthly job: a request for last month of every contract in force then; how many."""
    today = today or timezone.localdate()
    period = add_months(month_start(today), -1)
    months = [(c.pk, period) for c in contracts_due(period=period)]
    with transaction.atomic():
        return len(evaluation_requests_create(months=months, trigger=Trigger.SCHEDULE))


def months_evaluating(*, contract_id: int, periods: Iterable[date]) -> set[date]:
    """The months of a contract with an evaluation waiting or running (a request, or the
    re-evaluation of a waived breach)."""
    periods = list(periods)
    unfinished = [Job.QUEUED, Job.PROCESSING]
    found = set(
        EvaluationRequest.objects.filter(
            contract_id=contract_id, period__in=periods, status__in=unfinished
        ).values_list("period", flat=True)
    )
    found |= set(
        WaiverReevaluation.objects.filter(
            breach__contract_id=contract_id, breach__period__in=periods,
            status__in=[WaiverReevaluation.Status.QUEUED, WaiverReevaluation.Status.RUNNING],
        ).values_list("breach__period", flat=True)
    )  # fmt: skip
    return found


def oldest_waiting_request(now: datetime) -> float | None:
    """Seconds since the oldest request still waiting for a worker was made; None if none."""
    first = EvaluationRequest.objects.filter(status=Job.QUEUED).aggregate(first=Min("created_at"))
    if first["first"] is None:
        return None
    return round(max((now - first["first"]).total_seconds(), 0), 1)
