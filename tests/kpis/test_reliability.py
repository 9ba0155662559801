"""Ingestion never runs twice, never leaves half an upload, and never leaves one waiting."""

import os
import signal
import subprocess
import sys
import threading
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from celery.signals import task_postrun
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.db import OperationalError, connection
from django.utils import timezone

from core.jobs import STALE_AFTER
from kpis.ingestion import service as ingest
from kpis.ingestion.service import (
    kpi_upload_create,
    kpi_upload_give_up,
    kpi_upload_ingest,
    kpi_uploads_requeue,
)
from kpis.ingestion.tasks import ingest_upload, requeue_uploads
from kpis.models import KpiRawRow, KpiUpload, KpiValue
from tests.support.polling import wait_for

ROOT = Path(__file__).resolve().parents[2]
HEADER = "contract;period;channel;metric;value;volume\n"
GOOD = (HEADER + "ACME-NL-01;2026-03;phone;service_level;78,5;12034\n"
        "ACME-NL-01;2026-03;phone;contacts_handled;11800;\n").encode()  # fmt: skip
DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def queued(data: bytes = GOOD, name: str = "kpis.csv", user=None) -> KpiUpload:
    return kpi_upload_create(file=ContentFile(data), name=name, user=user, source="api",
                             queue=False)  # fmt: skip


def finished(upload_id: int) -> bool:
    return KpiUpload.objects.get(pk=upload_id).finished


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


# --- claims ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_call_for_the_same_upload_does_nothing(acme):
    upload = queued()
    assert kpi_upload_ingest(upload_id=upload.pk).status == "done"
    assert kpi_upload_ingest(upload_id=upload.pk) is None
    assert KpiRawRow.objects.count() == 2 and KpiValue.objects.count() == 2
    upload.refresh_from_db()
    assert upload.attempts == 1


@pytest.mark.django_db
def test_an_upload_a_live_worker_holds_is_not_taken(acme):
    upload = queued()
    KpiUpload.objects.filter(pk=upload.pk).update(status="processing", started_at=timezone.now())
    assert kpi_upload_ingest(upload_id=upload.pk) is None
    assert not KpiRawRow.objects.exists()


@pytest.mark.django_db
def test_an_upload_whose_worker_died_is_taken_again_after_the_timeout(acme):
    upload = queued()
    dead = timezone.now() - STALE_AFTER - timedelta(seconds=1)
    KpiUpload.objects.filter(pk=upload.pk).update(status="processing", started_at=dead, attempts=1)
    done = kpi_upload_ingest(upload_id=upload.pk)
    assert (done.status, done.attempts) == ("done", 2)


@pytest.mark.django_db
def test_a_finished_upload_is_never_taken_again(acme):
    upload = queued()
    kpi_upload_ingest(upload_id=upload.pk)
    long_ago = timezone.now() - timedelta(days=1)
    KpiUpload.objects.filter(pk=upload.pk).update(started_at=long_ago)
    assert kpi_upload_ingest(upload_id=upload.pk) is None


@pytest.mark.postgres  # another connection writes while the first one's transaction is open
@pytest.mark.django_db(transaction=True)
def test_a_worker_presumed_dead_that_finishes_late_keeps_nothing(acme, monkeypatch):
    upload = queued()
    store = ingest._store

    def store_then_lose_the_claim(*args):
        stored = store(*args)

        def another_worker_claims() -> None:  # from its own connection, as another worker would
            KpiUpload.objects.filter(pk=upload.pk).update(started_at=timezone.now())
            connection.close()

        thread = threading.Thread(target=another_worker_claims)
        thread.start()
        thread.join()
        return stored

    monkeypatch.setattr(ingest, "_store", store_then_lose_the_claim)
    kpi_upload_ingest(upload_id=upload.pk)
    upload.refresh_from_db()
    assert upload.status == "processing"  # the other worker's now
    assert not KpiRawRow.objects.exists() and not KpiValue.objects.exists()


# --- transient errors and retries -----------------------------------------------------------


@pytest.mark.django_db
def test_a_transient_database_error_gives_the_claim_back_and_keeps_nothing(acme, monkeypatch):
    upload = queued()

    def database_goes_away(*args):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(ingest, "_revise", database_goes_away)
    with pytest.raises(OperationalError):
        kpi_upload_ingest(upload_id=upload.pk)
    upload.refresh_from_db()
    assert (upload.status, upload.started_at) == ("queued", None)
    assert not KpiRawRow.objects.exists()
    monkeypatch.undo()
    assert kpi_upload_ingest(upload_id=upload.pk).status == "done"


@pytest.mark.postgres  # the lock is PostgreSQL's (SQLite writes one transaction at a time)
@pytest.mark.django_db
def test_a_contract_deleted_while_the_file_is_read_fails_the_upload_and_keeps_nothing(
    acme, monkeypatch
):
    # KpiValue has no foreign key in the database: ingestion locks the contracts it writes
    # for and refuses to go on when one is gone. Here the contracts were read with an id
    # that no longer exists by the time the values are written.
    real = ingest._contracts

    def read_before_the_deletion():
        infos, ids = real()
        return infos, {**ids, "ACME-NL-01": acme.pk + 10_000}

    monkeypatch.setattr(ingest, "_contracts", read_before_the_deletion)
    upload = queued()
    done = kpi_upload_ingest(upload_id=upload.pk)
    assert (done.status, done.failure) == (KpiUpload.Status.FAILED, KpiUpload.Failure.ERROR)
    assert not KpiValue.objects.exists() and not KpiRawRow.objects.exists()


@pytest.mark.django_db
def test_bad_input_is_recorded_on_the_row_and_never_raised_for_a_retry(acme):
    upload = queued(HEADER.encode() + b"ACME-NL-01;2026-03;phone;csat;x;1\n")
    done = kpi_upload_ingest(upload_id=upload.pk)  # no exception: nothing to retry
    assert (done.status, done.failure) == ("failed", "rows")


@pytest.mark.django_db
def test_when_the_retries_run_out_the_upload_fails_instead_of_waiting(acme):
    upload = queued()
    kpi_upload_give_up(upload_id=upload.pk, reason="OperationalError()")
    upload.refresh_from_db()
    assert (upload.status, upload.failure) == ("failed", "error")
    assert upload.message.startswith("Processing failed: the database stayed unavailable.")
    assert upload.finished_at is not None


def test_the_task_retries_only_transient_errors_with_backoff():
    assert ingest_upload.autoretry_for == ingest.TRANSIENT_ERRORS
    assert ingest_upload.retry_backoff and ingest_upload.retry_jitter
    assert ingest_upload.max_retries == 5


# --- the re-queue job -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_requeue_job_picks_uploads_never_sent_lost_or_abandoned(acme, monkeypatch):
    now = timezone.now()
    minutes = timedelta(minutes=1)

    def make(name: str, **fields) -> int:
        upload = queued(name.encode(), name)
        KpiUpload.objects.filter(pk=upload.pk).update(**fields)
        return upload.pk

    never_sent = make("never-sent", created_at=now - 2 * minutes)
    make("just-created", created_at=now - 0.5 * minutes)
    make("sent-recently", created_at=now - 5 * minutes, queued_at=now - 4 * minutes)
    lost = make("sent-long-ago", created_at=now - 30 * minutes, queued_at=now - 20 * minutes)
    abandoned = make("worker-died", status="processing", started_at=now - 20 * minutes)
    make("working", status="processing", started_at=now - 2 * minutes)
    make("finished", status="done", created_at=now - 30 * minutes)
    sent: list[int] = []
    monkeypatch.setattr(
        ingest, "kpi_upload_queue", lambda upload_id: sent.append(upload_id) or True
    )
    assert kpi_uploads_requeue(now=now) == 3
    assert sent == [never_sent, lost, abandoned]


@pytest.mark.django_db
def test_the_requeue_job_stops_while_the_broker_is_still_down(acme, monkeypatch):
    for name in ("a", "b"):
        KpiUpload.objects.filter(pk=queued(name.encode(), name).pk).update(
            created_at=timezone.now() - timedelta(minutes=5)
        )
    tries: list[int] = []
    monkeypatch.setattr(
        ingest, "kpi_upload_queue", lambda upload_id: tries.append(upload_id) and False
    )
    assert kpi_uploads_requeue() == 0 and len(tries) == 1


def test_the_requeue_job_runs_every_minute_from_the_beat_schedule():
    from config.celery import app

    entry = django_settings.CELERY_BEAT_SCHEDULE["kpi-uploads-requeue"]
    assert entry["task"] == requeue_uploads.name and entry["schedule"] == 60.0
    assert requeue_uploads.name in app.tasks


# --- with the real broker and a real worker -------------------------------------------------


@pytest.mark.worker
def test_an_api_upload_is_ingested_by_the_worker(celery_worker, acme, vendor_user, api_as):
    response = api_as(vendor_user).post(
        "/api/v1/kpi-uploads/", {"file": ContentFile(GOOD, "k.csv")}
    )
    assert response.status_code == 202 and response.json()["status"] == "queued"
    upload_id = response.json()["id"]
    assert wait_for(lambda: finished(upload_id))
    upload = KpiUpload.objects.get(pk=upload_id)
    assert upload.status == "done" and upload.queued_at is not None
    assert KpiValue.objects.filter(upload=upload).count() == 2


@pytest.mark.worker
def test_a_duplicated_task_message_ingests_once(celery_worker, acme):
    upload = queued()
    ran: list[str] = []

    def count(sender=None, task_id=None, **_):
        if sender is not None and sender.name == ingest_upload.name:
            ran.append(task_id)

    task_postrun.connect(count, weak=False)
    try:
        for _ in range(3):
            ingest_upload.delay(upload.pk)
        # every message ran (the two late ones found nothing to do), not merely the first
        assert wait_for(lambda: finished(upload.pk) and len(ran) == 3)
    finally:
        task_postrun.disconnect(count)
    upload.refresh_from_db()
    assert (upload.status, upload.attempts) == ("done", 1)
    assert KpiRawRow.objects.count() == 2 and KpiValue.objects.count() == 2


@pytest.mark.worker
def test_a_transient_error_is_retried_by_the_worker_until_the_upload_is_done(
    celery_worker, acme, monkeypatch
):
    revise, failures = ingest._revise, []

    def fails_once(*args):
        if not failures:
            failures.append(1)
            raise OperationalError("could not serialize access")
        return revise(*args)

    monkeypatch.setattr(ingest, "_revise", fails_once)
    upload = queued()
    ingest_upload.delay(upload.pk)
    assert wait_for(lambda: finished(upload.pk))
    upload.refresh_from_db()
    assert (upload.status, upload.attempts) == ("done", 2)
    assert KpiRawRow.objects.count() == 2


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_unreachable_an_upload_is_kept_and_ingested_once_it_is_back(
    request, acme, vendor_user, api_as
):
    with broker_unreachable():
        response = api_as(vendor_user).post(
            "/api/v1/kpi-uploads/", {"file": ContentFile(GOOD, "k.csv")}
        )
    assert response.status_code == 202
    upload = KpiUpload.objects.get(pk=response.json()["id"])
    assert (upload.status, upload.queued_at) == ("queued", None)
    # A minute later the beat job runs, with the broker back and a worker consuming.
    KpiUpload.objects.filter(pk=upload.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    request.getfixturevalue("celery_worker")
    requeue_uploads.delay()
    assert wait_for(lambda: finished(upload.pk))
    upload.refresh_from_db()
    assert upload.status == "done" and upload.attempts == 1
    assert KpiValue.objects.filter(upload=upload).count() == 2


def big_file(rows: int) -> bytes:
    lines = [HEADER]
    # 2025-01..2026-11 only: the worker runs on the real clock, and a day after today is
    # refused (23 months x 28 days x 5 channels x 6 metrics = 19,320 distinct rows).
    metrics = ("csat", "nps", "qa_score", "fcr_rate", "abandonment_rate", "service_level")
    for n in range(rows):
        day, month = n % 28 + 1, n // 28 % 23
        lines.append(f"ACME-NL-01;{2025 + month // 12}-{month % 12 + 1:02d}-{day:02d};"
                     f"{('phone', 'chat', 'email', 'social', 'backoffice')[n // 644 % 5]};"
                     f"{metrics[n // 3220 % 6]};80,5;10\n")  # fmt: skip
    return "".join(lines).encode()


@pytest.mark.worker
@pytest.mark.postgres  # a worker process shares the test database (and COPYs into it)
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_half_way_leaves_nothing_and_the_upload_is_finished_later(
    request, acme, settings
):
    upload = queued(big_file(15_000))
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    slow = "import time, kpis.ingestion.service as i; i._revise = lambda *a: time.sleep(60)"
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c",
         f"{slow}; i.kpi_upload_ingest(upload_id={upload.pk})"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        # The rows are COPY'd before _revise runs: kill it while they are uncommitted.
        assert wait_for(_copied_rows_pending, timeout=60)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    upload.refresh_from_db()
    assert upload.status == "processing"
    assert not KpiRawRow.objects.exists() and not KpiValue.objects.exists()
    # After the timeout, the beat job hands the upload to a (live) worker again.
    stale = timezone.now() - STALE_AFTER - timedelta(seconds=1)
    KpiUpload.objects.filter(pk=upload.pk).update(started_at=stale)
    request.getfixturevalue("celery_worker")
    requeue_uploads.delay()
    assert wait_for(lambda: finished(upload.pk), timeout=120)
    upload.refresh_from_db()
    assert (upload.status, upload.attempts, upload.rows) == ("done", 2, 15_000)
    assert KpiRawRow.objects.filter(upload=upload).count() == 15_000


def _copied_rows_pending() -> bool:
    """True while another session of this database (not another suite's, on a shared server)
    sits in a transaction whose last statement was the COPY."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' "
            "AND query LIKE 'COPY kpis_kpirawrow%' AND datname = current_database()"
        )
        (count,) = cursor.fetchone()
    return count > 0
