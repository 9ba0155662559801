"""Waiving a breach answers at once: the re-evaluation of the month and the later months (and
its e-mails) runs on the evaluation queue, once, and the breach page says so until done."""

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from django.utils import timezone

from kpis.evaluation.breaches import waiver_reevaluate, waivers_requeue
from kpis.evaluation.service import contract_month_evaluate
from kpis.models import Breach, Evaluation, WaiverReevaluation
from tests.support.evaluation import make_contract, month_rows, report
from tests.support.jobs import run_waiver_reevaluations

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 1)
DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@contextmanager
def broker_unreachable():
    from config.celery import app

    reachable = app.conf.broker_write_url
    app.conf.broker_write_url = DEAD_BROKER
    app._pool, app.amqp._producer_pool = None, None
    try:
        yield
    finally:
        app.conf.broker_write_url = reachable
        app._pool, app.amqp._producer_pool = None, None


@pytest.fixture
def breached(vendor):
    contract = make_contract(vendor)
    for period in ("2026-03", "2026-04"):
        report(contract, period, month_rows(sl="70"))
        year, month = map(int, period.split("-"))
        contract_month_evaluate(contract=contract, period=date(year, month, 1))
    return Breach.objects.get(contract=contract, period=MARCH)


def current_revision(breach: Breach, period: date = MARCH) -> int:
    return Evaluation.objects.get(contract=breach.contract, period=period, is_current=True).revision


def test_the_waiver_answers_before_the_month_is_re_evaluated_and_the_page_says_so(
    api_as, client, manager_user, breached
):
    response = api_as(manager_user).post(f"/api/v1/breaches/{breached.pk}/waive/",
                                         {"reason": "Our outage"}, format="json")  # fmt: skip
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["reevaluation"]) == ("waived", "queued")
    assert current_revision(breached) == 1  # not in the request
    client.force_login(manager_user)
    listed = client.get("/breaches/").content.decode()
    assert "re-evaluating…" in listed and f"/breaches/{breached.pk}/row/" in listed  # polled
    assert "re-evaluating…" in client.get(f"/breaches/{breached.pk}/row/").content.decode()

    assert run_waiver_reevaluations() == 1
    assert current_revision(breached) == 2
    done = client.get(f"/breaches/{breached.pk}/row/").content.decode()
    assert "re-evaluating…" not in done and "hx-trigger" not in done  # polling stops
    body = api_as(manager_user).get(f"/api/v1/breaches/{breached.pk}/").json()
    assert body["reevaluation"] == "done"


def test_a_duplicated_message_re_evaluates_once(manager_user, breached):
    from kpis.evaluation.breaches import breach_waive

    breach_waive(breach=breached, user=manager_user, reason="Our outage")
    job = WaiverReevaluation.objects.get()
    assert waiver_reevaluate(job_id=job.pk, task_id="a") is True
    assert waiver_reevaluate(job_id=job.pk, task_id="a") is False
    assert current_revision(breached) == 2
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 1)


def test_with_the_broker_down_the_waiver_answers_and_the_requeue_job_sends_it_later(
    api_as, manager_user, breached, django_capture_on_commit_callbacks
):
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        response = api_as(manager_user).post(f"/api/v1/breaches/{breached.pk}/waive/",
                                             {"reason": "Our outage"}, format="json")  # fmt: skip
    assert response.status_code == 200
    job = WaiverReevaluation.objects.get()
    assert (job.status, job.queued_at) == ("queued", None)
    WaiverReevaluation.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    with broker_unreachable():
        assert waivers_requeue() == 0
    assert waivers_requeue() == 1
    from config.celery import app

    app.control.purge()


def test_a_failed_re_evaluation_is_shown_on_the_breach(client, manager_user, breached, monkeypatch):
    from kpis.evaluation import breaches

    breaches.breach_waive(breach=breached, user=manager_user, reason="Our outage")

    def broken(**kwargs):
        raise RuntimeError("pricing bug")

    monkeypatch.setattr(breaches, "contract_month_evaluate", broken)
    run_waiver_reevaluations()
    job = WaiverReevaluation.objects.get()
    assert job.status == "failed" and "pricing bug" in job.error
    client.force_login(manager_user)
    assert "breach-reevaluation-failed" in client.get("/breaches/").content.decode()
