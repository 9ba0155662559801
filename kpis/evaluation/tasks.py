"""Background jobs of the evaluation; thin, ids only, JSON arguments.

Registered under explicit names because this module is not the app's `tasks.py`: Celery does
not find it by itself, KpisConfig.ready() imports it.
"""

import logging
from functools import partial

from celery import shared_task
from django.db import transaction

from contracts.models import Contract
from core.jobs import PUBLISH_RETRY, TRANSIENT_ERRORS
from kpis.evaluation.service import (
    EvaluationRefused,
    Trigger,
    contract_month_evaluate,
    current_month,
    parse_period,
    previous_month_evaluate,
)

logger = logging.getLogger(__name__)


@shared_task(
    name="kpis.evaluate_month",
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def evaluate_month(contract_id: int, period: str, trigger: str = Trigger.INGESTION) -> int | None:
    """Evaluate one contract month; the id of the evaluation in force (None when skipped)."""
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
    """Beat job, the 1st of each month: last month of every contract in force then."""
    return len(previous_month_evaluate())


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
    """Ingestion hook: a task per affected contract month, queued once the data are committed;
    never for a month after the current one (ingestion refuses those rows anyway)."""
    last = f"{current_month():%Y-%m}"
    due = [(contract_id, period) for contract_id, period in months if period <= last]
    if due:
        transaction.on_commit(partial(_publish, due), robust=True)


def _publish(months: list[tuple[int, str]]) -> None:
    """Queue each month; once the broker refuses one, evaluate the rest here instead.

    The hook runs in the worker or the command that ingested, never in a web request, so a
    broker outage delays nothing and loses no month.
    """
    broker_up = True
    for contract_id, period in months:
        if broker_up:
            try:
                evaluate_month.apply_async(
                    (contract_id, period, Trigger.INGESTION.value),
                    retry=True,
                    retry_policy=PUBLISH_RETRY,
                )
                continue
            except Exception:  # whatever the broker's client raises
                logger.exception("Evaluations not queued; evaluating here from %s", period)
                broker_up = False
        contract_month_run(contract_id=contract_id, period=period, trigger=Trigger.INGESTION)
