"""Reports are queued robustly: a broker outage answers 202 and the re-queue job sends the row
later; a dead renderer's report is taken back; an overlong rendering fails cleanly."""

import socket
from contextlib import contextmanager
from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from core.jobs import dead_after
from reports.models import Report
from reports.services import rendering
from reports.services.rendering import MAX_ATTEMPTS, report_render, reports_requeue
from tests.support.reports import plain_months, roi_contract

pytestmark = pytest.mark.django_db

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@contextmanager
def broker_unreachable():
    """Point the app's publishing connection at a port where no broker listens."""
    from config.celery import app

    reachable = app.conf.broker_write_url
    app.conf.broker_write_url = DEAD_BROKER
    app._pool, app.amqp._producer_pool = None, None  # connections are pooled per app
    try:
        yield
    finally:
        app.conf.broker_write_url = reachable
        app._pool, app.amqp._producer_pool = None, None


def params(contract) -> dict:
    return {"contract": contract.pk, "from": "2026-01", "to": "2026-02"}


@pytest.fixture
def contract(vendor):
    contract = roi_contract(vendor, years=1)
    plain_months(contract, 2)
    return contract


def test_with_the_broker_down_a_report_request_answers_202_and_is_sent_later(
    api_as, auditor_user, contract, django_capture_on_commit_callbacks
):
    client = api_as(auditor_user)
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/reports/", {"kind": "roi", "contract": contract.pk},
                               format="json")  # fmt: skip
    assert response.status_code == 202, response.content
    report = Report.objects.get(pk=response.json()["id"])
    assert (report.status, report.queued_at) == ("queued", None)
    # Not yet: the request may still be on its way.
    assert reports_requeue() == 0
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    with broker_unreachable():
        assert reports_requeue() == 0  # still down: tried again next minute
    assert reports_requeue() == 1
    report.refresh_from_db()
    assert report.queued_at is not None


def test_the_requeue_job_runs_every_minute_from_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["reports-requeue"]
    assert (entry["task"], entry["schedule"]) == ("reports.tasks.requeue_reports", 60.0)


def test_a_report_whose_renderer_died_is_taken_back_and_rendered(auditor_user, contract):
    report = Report.objects.create(kind="roi", parameters=params(contract),
                                   created_by=auditor_user)  # fmt: skip
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(
        status="rendering", started_at=now, heartbeat_at=now, attempts=1,
        claimed_by=f"{socket.gethostname()}:999999999:1",  # no such process
    )  # fmt: skip
    report_render(report_id=report.pk, task_id="t")
    report.refresh_from_db()
    assert (report.status, report.attempts) == ("done", 2) and report.sha256


def test_a_report_a_live_renderer_holds_is_left_to_it(auditor_user, contract):
    report = Report.objects.create(kind="roi", parameters=params(contract),
                                   created_by=auditor_user)  # fmt: skip
    Report.objects.filter(pk=report.pk).update(
        status="rendering", started_at=timezone.now(), heartbeat_at=timezone.now(),
        claimed_by="elsewhere:1:1",
    )  # fmt: skip
    report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == "rendering" and not report.sha256


def test_the_requeue_job_fails_a_report_whose_renderers_keep_dying(auditor_user, contract):
    report = Report.objects.create(kind="roi", parameters=params(contract),
                                   created_by=auditor_user)  # fmt: skip
    silent = timezone.now() - dead_after() - timedelta(seconds=1)
    Report.objects.filter(pk=report.pk).update(
        status="rendering", started_at=silent, heartbeat_at=silent, attempts=MAX_ATTEMPTS,
        claimed_by="elsewhere:1:1",
    )  # fmt: skip
    assert reports_requeue() == 0
    report.refresh_from_db()
    assert report.status == "failed" and f"stopped {MAX_ATTEMPTS} times" in report.error


def test_a_rendering_past_its_soft_time_limit_fails_the_report_naming_the_limit(
    auditor_user, contract, monkeypatch, settings
):
    settings.JOB_SOFT_TIME_LIMITS = {**settings.JOB_SOFT_TIME_LIMITS, "reports": 9}

    def too_slow(report, content):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(rendering, "_render_pdf", too_slow)
    report = Report.objects.create(kind="roi", parameters=params(contract),
                                   created_by=auditor_user)  # fmt: skip
    report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == "failed" and "limit of 9 seconds" in report.error
    assert not report.file
