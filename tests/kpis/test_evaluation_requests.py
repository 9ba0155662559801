"""Every background evaluation of a contract month is a row: asked for in bulk, coalesced while
it waits, claimed once, re-queued when its worker died, shown on the pages and the status."""

import socket
import subprocess
import sys
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config import status as system
from kpis.evaluation import requests as jobs
from kpis.evaluation.requests import (
    evaluation_request_run,
    evaluation_requests_create,
    evaluation_requests_publish,
    evaluation_requests_requeue,
    previous_month_request,
)
from kpis.evaluation.tasks import evaluations_queue
from kpis.models import Breach, Evaluation, EvaluationRequest
from outbox.models import OutboxMail
from tests.support.evaluation import make_contract, month_rows, report

pytestmark = pytest.mark.django_db

MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)
DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def published(monkeypatch):
    """The request ids handed to the broker, recorded instead of sent."""
    sent: list[int] = []

    class Recorder:
        @staticmethod
        def apply_async(args, **options):
            sent.append(args[0])

    monkeypatch.setattr("kpis.evaluation.tasks.evaluation_request_task", Recorder)
    return sent


@pytest.fixture
def breached(vendor, make_user):
    """March reported with the service level in breach; its request waits (the ingestion's)."""
    make_user("manager", email="anna@example.com")
    contract = make_contract(vendor)
    report(contract, "2026-03", month_rows(sl="70"))
    return contract


def waiting(contract, period=MARCH) -> EvaluationRequest:
    return EvaluationRequest.objects.get(contract=contract, period=period, status="queued")


def dead_pid() -> int:
    """The id of a process of this host that has ended."""
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)  # fmt: skip
    return int(finished.stdout)


def held(request: EvaluationRequest, *, by: str, beat_ago: timedelta, attempts: int = 1) -> None:
    """The request as a worker `by` left it, its last heartbeat `beat_ago`."""
    now = timezone.now()
    EvaluationRequest.objects.filter(pk=request.pk).update(
        status="processing", started_at=now - beat_ago - timedelta(seconds=1),
        heartbeat_at=now - beat_ago, claimed_by=by, task_id="t-1", attempts=attempts,
        queued_at=now - beat_ago,
    )  # fmt: skip


# --- asking -------------------------------------------------------------------------------


def test_an_ingestion_asks_for_its_months_and_two_requests_while_one_waits_are_one_row(
    breached,
):
    first = waiting(breached)
    assert (first.trigger, first.attempts) == ("ingestion", 0)
    report(breached, "2026-03", month_rows(sl="71"))  # a revision of the same month
    again = evaluation_requests_create(months=[(breached.pk, MARCH)] * 2, trigger="schedule")
    assert again == [first.pk]
    assert EvaluationRequest.objects.filter(contract=breached, period=MARCH).count() == 1


def test_a_request_while_one_runs_is_a_new_row(breached):
    first = waiting(breached)
    held(first, by="elsewhere:1:1", beat_ago=timedelta(seconds=1))
    (second,) = evaluation_requests_create(months=[(breached.pk, MARCH)], trigger="ingestion")
    assert second != first.pk  # the running one may have read the data before they changed
    assert EvaluationRequest.objects.filter(contract=breached, period=MARCH).count() == 2


def test_no_request_is_made_for_a_month_after_the_current_one(vendor):
    contract = make_contract(vendor)
    made = evaluation_requests_create(months=[(contract.pk, date(2027, 1, 1))], trigger="schedule")
    assert made == [] and not EvaluationRequest.objects.exists()


@pytest.mark.postgres  # SQLite batches bulk inserts by its limit on query parameters
def test_asking_for_10_or_100_months_takes_the_same_number_of_queries(vendor):
    contracts = [make_contract(vendor, reference=f"R-{i:03d}") for i in range(110)]

    def queries(chosen) -> int:
        with CaptureQueriesContext(connection) as captured:
            evaluations_queue([(c.pk, "2026-03") for c in chosen])
        return len(captured.captured_queries)

    assert queries(contracts[:10]) == queries(contracts[10:])
    assert EvaluationRequest.objects.filter(period=MARCH, status="queued").count() == 110


def test_the_monthly_job_asks_for_last_month_of_every_contract_in_force_once(vendor):
    contracts = [make_contract(vendor, reference=f"M-{i}") for i in range(3)]
    assert previous_month_request() == 3  # the clock: 2 December 2026
    assert previous_month_request() == 3  # the same rows, not three more
    rows = EvaluationRequest.objects.filter(period=date(2026, 11, 1), trigger="schedule")
    assert sorted(rows.values_list("contract_id", flat=True)) == [c.pk for c in contracts]


# --- running ------------------------------------------------------------------------------


def test_a_request_is_evaluated_once_and_its_breach_e_mailed_once(breached, published):
    request = waiting(breached)
    assert evaluation_request_run(request_id=request.pk, task_id="task-1") is True
    assert evaluation_request_run(request_id=request.pk, task_id="task-1") is False  # again
    request.refresh_from_db()
    assert (request.status, request.attempts, request.task_id) == ("done", 1, "task-1")
    evaluation = Evaluation.objects.get(contract=breached, period=MARCH)
    assert (evaluation.trigger, evaluation.revision) == ("ingestion", 1)
    breach = Breach.objects.get(contract=breached, period=MARCH)

    # A second request of the same month (a message sent twice by two hooks) changes nothing.
    (second,) = evaluation_requests_create(months=[(breached.pk, MARCH)], trigger="ingestion")
    assert evaluation_request_run(request_id=second) is True
    assert Evaluation.objects.filter(contract=breached, period=MARCH).count() == 1
    from kpis.evaluation.notices import findings_notify

    findings_notify(breach_ids=[breach.pk])  # what the after-commit hook of each run does
    findings_notify(breach_ids=[breach.pk])
    mails = OutboxMail.objects.filter(recipient="anna@example.com")
    assert mails.count() == 1


def test_a_month_that_cannot_be_evaluated_fails_its_request_with_the_reason(vendor, published):
    contract = make_contract(vendor, start=date(2026, 6, 1))
    (pk,) = evaluation_requests_create(months=[(contract.pk, MARCH)], trigger="ingestion")
    assert evaluation_request_run(request_id=pk) is False
    request = EvaluationRequest.objects.get(pk=pk)
    assert request.status == "failed" and "outside the term" in request.error


def test_with_the_broker_down_the_months_are_evaluated_where_they_were_asked(breached, settings):
    from config.celery import app

    request = waiting(breached)
    reachable = app.conf.broker_write_url
    app.conf.broker_write_url = DEAD_BROKER
    app._pool, app.amqp._producer_pool = None, None
    try:
        assert evaluation_requests_publish(request_ids=[request.pk]) == 0
    finally:
        app.conf.broker_write_url = reachable
        app._pool, app.amqp._producer_pool = None, None
    request.refresh_from_db()
    assert request.status == "done" and request.queued_at is None
    assert Evaluation.objects.filter(contract=breached, period=MARCH).exists()


def test_a_database_error_gives_the_request_back_for_the_retry(breached, monkeypatch):
    from django.db import OperationalError

    def gone(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(jobs, "contract_month_evaluate", gone)
    request = waiting(breached)
    with pytest.raises(OperationalError):
        evaluation_request_run(request_id=request.pk)
    request.refresh_from_db()
    assert (request.status, request.started_at, request.attempts) == ("queued", None, 1)


def test_a_request_given_back_while_another_waits_for_the_month_hands_over_to_it(
    breached, monkeypatch
):
    from django.db import OperationalError

    request = waiting(breached)

    def gone(**kwargs):  # meanwhile a new upload asked for the month again
        evaluation_requests_create(months=[(breached.pk, MARCH)], trigger="ingestion")
        raise OperationalError("deadlock detected")

    monkeypatch.setattr(jobs, "contract_month_evaluate", gone)
    with pytest.raises(OperationalError):
        evaluation_request_run(request_id=request.pk)
    request.refresh_from_db()
    assert request.status == "done" and "later request" in request.error
    assert EvaluationRequest.objects.filter(contract=breached, status="queued").count() == 1


def test_a_request_whose_retries_ran_out_fails(breached):
    from kpis.evaluation.requests import evaluation_request_give_up

    request = waiting(breached)
    evaluation_request_give_up(request_id=request.pk, reason="OperationalError()")
    request.refresh_from_db()
    assert request.status == "failed" and "database stayed unavailable" in request.error


# --- a dead worker's request ----------------------------------------------------------------


def test_the_requeue_job_hands_out_at_once_a_request_whose_process_is_gone(breached, published):
    request = waiting(breached)
    held(request, by=f"{socket.gethostname()}:{dead_pid()}:1", beat_ago=timedelta(seconds=1))
    assert evaluation_requests_requeue() == 1 and published == [request.pk]
    assert evaluation_request_run(request_id=request.pk, task_id="t-2") is True
    request.refresh_from_db()
    assert (request.status, request.attempts, request.task_id) == ("done", 2, "t-2")
    assert Evaluation.objects.filter(contract=breached, period=MARCH).count() == 1


def test_a_request_a_live_process_holds_is_left_alone(breached, published):
    request = waiting(breached)
    held(request, by=f"{socket.gethostname()}:1:1", beat_ago=timedelta(seconds=1))  # pid 1 lives
    assert evaluation_requests_requeue() == 0 and published == []
    assert evaluation_request_run(request_id=request.pk, task_id="t-2") is False
    assert not Evaluation.objects.exists()


def test_a_request_whose_heartbeat_stopped_on_another_host_is_taken_back(breached, published):
    request = waiting(breached)
    held(request, by="elsewhere:4242:1", beat_ago=timedelta(minutes=16))  # past dead_after
    assert evaluation_requests_requeue() == 1 and published == [request.pk]
    assert evaluation_request_run(request_id=request.pk) is True


def test_a_request_never_handed_to_the_broker_is_sent_a_minute_later(breached, published):
    request = waiting(breached)
    assert evaluation_requests_requeue() == 0  # just made: its own on-commit hook sends it
    later = timezone.now() + timedelta(seconds=61)
    assert evaluation_requests_requeue(now=later) == 1 and published == [request.pk]
    request.refresh_from_db()
    assert request.queued_at is not None


def test_a_request_whose_workers_kept_dying_fails_instead_of_killing_another(breached, published):
    request = waiting(breached)
    held(request, by=f"{socket.gethostname()}:{dead_pid()}:1", beat_ago=timedelta(seconds=1),
         attempts=jobs.MAX_ATTEMPTS)  # fmt: skip
    evaluation_requests_requeue()
    request.refresh_from_db()
    assert request.status == "failed" and "stopped 3 times" in request.error


# --- where it shows -----------------------------------------------------------------------


def test_the_dashboard_and_the_month_say_evaluating_until_the_request_is_done(
    client, manager_user, breached, published
):
    from kpis.evaluation.service import contract_month_evaluate

    report(breached, "2026-02", month_rows())
    contract_month_evaluate(contract=breached, period=date(2026, 2, 1))  # the grid shows
    client.force_login(manager_user)
    dashboard = f"/contracts/{breached.pk}/sla/?from=2026-01&to=2026-04"
    month = f"/contracts/{breached.pk}/sla/2026-03/"
    page = client.get(dashboard).content.decode()
    assert "sla-month-evaluating" in page and "Being evaluated now: 2026-02, 2026-03" in page
    assert f'hx-get="{dashboard}" hx-trigger="every 3s"' in page.replace("&amp;", "&")  # polls
    assert 'data-testid="month-evaluating"' in client.get(month).content.decode()
    for request in EvaluationRequest.objects.filter(status="queued"):  # March's, February's
        evaluation_request_run(request_id=request.pk)
    page = client.get(dashboard).content.decode()
    assert "sla-month-evaluating" not in page and "sla-grid" in page
    assert "hx-trigger" not in page  # polling stops
    assert "month-evaluating" not in client.get(month).content.decode()


def test_the_status_counts_waiting_requests_in_the_evaluation_queue(breached, settings):
    settings.CELERY_BROKER_URL = DEAD_BROKER  # the broker's own figures left out
    request = waiting(breached)
    EvaluationRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    queues = {q["name"]: q for q in system.system_status()["queues"]}
    assert 300 <= queues["evaluation"]["oldest_age_s"] < 320
    evaluation_request_run(request_id=request.pk)
    queues = {q["name"]: q for q in system.system_status()["queues"]}
    assert queues["evaluation"]["oldest_age_s"] is None
