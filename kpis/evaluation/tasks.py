"""Background jobs of the evaluation; thin, ids only, JSON arguments.

Registered under explicit names because this module is not the app's `tasks.py`: Celery does
not find it by itself, KpisConfig.ready() imports it.
"""

import logging

from celery import Task, shared_task

from contracts.models import Contract
from core.jobs import TRANSIENT_ERRORS
from kpis.evaluation.service import (
    EvaluationRefused,
    Trigger,
    contract_month_evaluate,
    parse_period,
)

logger = logging.getLogger(__name__)


class _RequestTask(Task):
    """Retries only transient database errors; when the retries run out the request fails."""

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        from kpis.evaluation.requests import evaluation_request_give_up

        request_id = kwargs.get("request_id", args[0] if args else None)
        if request_id is not None:
            evaluation_request_give_up(request_id=request_id, reason=repr(exc))


@shared_task(
    name="kpis.evaluation_request_run",
    base=_RequestTask,
    bind=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def evaluation_request_task(self, request_id: int) -> bool:
    """Evaluate the month of a queued request; a duplicated or late message does nothing, a
    redelivered one whose first run died takes the request back."""
    from kpis.evaluation.requests import evaluation_request_run

    return evaluation_request_run(request_id=request_id, task_id=self.request.id or "")


@shared_task(name="kpis.requeue_evaluations")
def requeue_evaluations() -> int:
    """Beat job, every minute (and at a worker's start): evaluation requests the broker never
    got, or whose worker died."""
    from kpis.evaluation.requests import evaluation_requests_requeue

    return evaluation_requests_requeue()


@shared_task(
    name="kpis.evaluate_month",
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def evaluate_month(contract_id: int, period: str, trigger: str = Trigger.INGESTION) -> int | None:
    """Evaluate one contract month; the id of the evaluation in force (None when skipped).

    Kept for messages queued before evaluation requests existed; nothing queues it any more.
    """
    return contract_month_run(contract_id=contract_id, period=period, trigger=trigger)


@shared_task(
    name="kpis.breach_waiver_apply",
    bind=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def breach_waiver_apply(self, job_id: int) -> bool:
    """Re-evaluate the months a waiver changed; a duplicated message does nothing."""
    from kpis.evaluation.breaches import waiver_reevaluate

    return waiver_reevaluate(job_id=job_id, task_id=self.request.id or "")


@shared_task(name="kpis.requeue_waivers")
def requeue_waivers() -> int:
    """Beat job, every minute: waiver re-evaluations the broker never got, or whose worker died."""
    from kpis.evaluation.breaches import waivers_requeue

    return waivers_requeue()


@shared_task(name="kpis.evaluate_previous_month")
def evaluate_previous_month() -> int:
    """Beat job, the 1st of each month: a request for last month of every contract in force
    then (kpis_evaluate runs the same months inline); how many months wait."""
    from kpis.evaluation.requests import previous_month_request

    return previous_month_request()


def contract_month_run(*, contract_id: int, period: str, trigger: str) -> int | None:
    """Evaluate a contract month named by ids; drafts and months outside the term are skipped."""
    contract = Contract.objects.filter(pk=contract_id).first()
    if contract is None or contract.status == Contract.Status.DRAFT:
        logger.info("Contract %s %s not evaluated: no contract in force", contract_id, period)
        return None
    try:
        evaluation = contract_month_evaluate(
            contract=contract, period=parse_period(period), trigger=trigger
        )
    except EvaluationRefused as refused:  # bad input is recorded, never retried
        logger.warning("Contract %s %s not evaluated: %s", contract_id, period, refused)
        return None
    return evaluation.pk


def evaluations_queue(months: list[tuple[int, str]]) -> None:
    """Ingestion hook, inside the upload's transaction: a request per affected contract month,
    made in bulk and handed to the broker once the data are committed (kpis.evaluation.requests);
    never for a month after the current one (ingestion refuses those rows anyway)."""
    from kpis.evaluation.requests import evaluation_requests_create

    evaluation_requests_create(
        months=[(contract_id, parse_period(period)) for contract_id, period in months],
        trigger=Trigger.INGESTION,
    )
