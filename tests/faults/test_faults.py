"""The fault suite on the real stack: a worker process is killed, the broker stops, a message
comes twice. Each job then finishes (or fails cleanly) within 60 s of a worker being back, and
nothing is done twice. Our own redis-server and worker processes: the shared servers are never
stopped (tests/support/faults.py)."""

import os
import signal
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from kpis.ingestion.service import kpi_upload_create, kpi_upload_queue, kpi_uploads_requeue
from kpis.ingestion.tasks import ingest_upload
from kpis.models import Breach, Evaluation, EvaluationRequest, KpiRawRow, KpiUpload, KpiValue
from outbox.models import OutboxMail
from outbox.services import mail_enqueue
from outbox.tasks import send_mail_row
from reports.models import Report
from reports.services.rendering import report_request, reports_requeue
from tests.support.evaluation import make_contract, month_rows, report
from tests.support.faults import PrivateRedis, Worker, publishing_to, worker_env
from tests.support.polling import wait_for
from tests.support.reports import plain_months, roi_contract

pytestmark = [
    pytest.mark.worker,
    pytest.mark.postgres,  # a worker process shares the test database
    pytest.mark.django_db(transaction=True),
]

BACK_WITHIN = 60  # seconds from a worker being back to the job finished
HEADER = "contract;period;channel;metric;value;volume\n"
GOOD = (HEADER + "ACME-NL-01;2026-03;phone;service_level;78,5;12034\n"
        "ACME-NL-01;2026-03;phone;contacts_handled;11800;\n").encode()  # fmt: skip


@pytest.fixture
def acme(vendor):
    """The contract the KPI file names."""
    from contracts.models import Contract

    return Contract.objects.create(
        reference="ACME-NL-01", vendor=vendor, currency="EUR",
        start_date=date(2025, 1, 1), end_date=date(2027, 12, 31),
    )  # fmt: skip


@pytest.fixture
def redis():
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def stack(redis, settings, tmp_path):
    """(the worker's environment, the workers started) with this process publishing to the
    private redis; every worker is stopped at the end."""
    env = worker_env(database=settings.DATABASES["default"], broker_url=redis.url,
                     media_root=Path(settings.MEDIA_ROOT), var_dir=tmp_path / "var")  # fmt: skip
    started: list[Worker] = []

    def worker(**slow) -> Worker:
        process = Worker(env, **slow)
        process.start()
        started.append(process)
        return process

    with publishing_to(redis.url):
        yield worker
    for process in started:
        process.stop()


def holder_pid(model, pk: int) -> int | None:
    """The process id in the row's claim, once a worker claimed it."""
    row = model.objects.filter(pk=pk).values_list("claimed_by", flat=True).first()
    return int(row.split(":")[1]) if row else None


def queued_upload() -> KpiUpload:
    return kpi_upload_create(file=ContentFile(GOOD), name="kpis.csv", user=None, source="api",
                             queue=False)  # fmt: skip


def finished(model, pk: int) -> bool:
    return model.objects.get(pk=pk).finished


# --- a killed pool process ------------------------------------------------------------------


def test_an_upload_whose_pool_process_is_killed_is_taken_back_at_once(acme, stack):
    worker = stack(slow="kpis.ingestion.service._store", seconds=120)
    upload = queued_upload()
    kpi_upload_queue(upload_id=upload.pk)
    assert wait_for(worker.marker.exists, timeout=60)  # inside the ingestion
    os.kill(holder_pid(KpiUpload, upload.pk), signal.SIGKILL)
    assert wait_for(lambda: finished(KpiUpload, upload.pk), timeout=BACK_WITHIN)
    upload.refresh_from_db()
    assert (upload.status, upload.attempts, upload.rows) == ("done", 2, 2)
    assert KpiRawRow.objects.count() == 2 and KpiValue.objects.count() == 2


def test_a_report_whose_pool_process_is_killed_is_rendered_once(vendor, auditor_user, stack):
    contract = roi_contract(vendor, years=1)
    plain_months(contract, 2)
    worker = stack(slow="reports.services.rendering._render_pdf", seconds=120)
    report_row = report_request(kind="roi", parameters={"contract": contract.pk},
                                user=auditor_user)  # fmt: skip
    assert wait_for(worker.marker.exists, timeout=60)  # inside the rendering
    os.kill(holder_pid(Report, report_row.pk), signal.SIGKILL)
    assert wait_for(lambda: finished(Report, report_row.pk), timeout=BACK_WITHIN)
    report_row.refresh_from_db()
    assert (report_row.status, report_row.attempts) == ("done", 2) and report_row.sha256


def asked_evaluation(vendor) -> EvaluationRequest:
    """A month in breach reported: its evaluation request waits in the private broker."""
    contract = make_contract(vendor)
    report(contract, "2026-03", month_rows(sl="70"))  # its request is sent on commit
    return EvaluationRequest.objects.get(contract=contract, period=date(2026, 3, 1))


def evaluated_once(request: EvaluationRequest, attempts: int) -> None:
    """The request is done after `attempts` claims, with one evaluation and one e-mail."""
    request.refresh_from_db()
    assert (request.status, request.attempts) == ("done", attempts), request.error
    evaluations = Evaluation.objects.filter(contract_id=request.contract_id)
    assert [(e.period, e.revision) for e in evaluations] == [(date(2026, 3, 1), 1)]
    breach = Breach.objects.get(contract_id=request.contract_id)
    assert wait_for(lambda: Breach.objects.get(pk=breach.pk).notified_at is not None, timeout=30)
    assert OutboxMail.objects.filter(recipient="anna@example.com").count() == 1


def test_an_evaluation_whose_pool_processes_are_killed_is_done_on_redelivery(
    vendor, make_user, stack
):
    make_user("manager", email="anna@example.com")
    stack_worker = stack(slow="kpis.evaluation.requests.contract_month_evaluate", seconds=120)
    request = asked_evaluation(vendor)
    assert wait_for(stack_worker.marker.exists, timeout=60)  # inside the evaluation
    for pid in stack_worker.pool_pids():
        os.kill(pid, signal.SIGKILL)
    assert wait_for(lambda: finished(EvaluationRequest, request.pk), timeout=BACK_WITHIN)
    evaluated_once(request, attempts=2)


def test_an_ingestion_past_its_soft_time_limit_fails_the_upload_cleanly(
    acme, redis, settings, tmp_path, monkeypatch
):
    # The limits travel in the message, set where it is published: lower them on both sides.
    monkeypatch.setattr(ingest_upload, "soft_time_limit", 3)
    monkeypatch.setattr(ingest_upload, "time_limit", 33)
    monkeypatch.setattr(ingest_upload, "_exec_options", None)  # Celery caches them per task
    env = worker_env(database=settings.DATABASES["default"], broker_url=redis.url,
                     media_root=Path(settings.MEDIA_ROOT), var_dir=tmp_path / "var")  # fmt: skip
    worker = Worker({**env, "JOB_SOFT_LIMIT_INGESTION": "3"},
                    slow="kpis.ingestion.service._store", seconds=60)  # fmt: skip
    worker.start()
    try:
        upload = queued_upload()
        with publishing_to(redis.url):
            kpi_upload_queue(upload_id=upload.pk)
        assert wait_for(lambda: finished(KpiUpload, upload.pk), timeout=60)
    finally:
        worker.stop()
    upload.refresh_from_db()
    assert (upload.status, upload.failure) == ("failed", "file")
    assert "longer than the limit of 3 seconds" in upload.message
    assert not KpiRawRow.objects.exists() and not KpiValue.objects.exists()


# --- a killed worker (main process and pool) ------------------------------------------------


def test_an_upload_whose_worker_is_killed_finishes_once_a_worker_is_back(acme, stack):
    worker = stack(slow="kpis.ingestion.service._store", seconds=120)
    upload = queued_upload()
    kpi_upload_queue(upload_id=upload.pk)
    assert wait_for(worker.marker.exists, timeout=60)
    worker.kill_main()
    upload.refresh_from_db()
    assert upload.status == "processing" and not KpiRawRow.objects.exists()
    stack()  # a worker is back: it hands out at once what the dead one held
    assert wait_for(lambda: finished(KpiUpload, upload.pk), timeout=BACK_WITHIN)
    upload.refresh_from_db()
    assert (upload.status, upload.rows) == ("done", 2)
    assert KpiValue.objects.count() == 2


def test_a_report_whose_worker_is_killed_finishes_once_a_worker_is_back(
    vendor, auditor_user, stack
):
    contract = roi_contract(vendor, years=1)
    plain_months(contract, 2)
    worker = stack(slow="reports.services.rendering._render_pdf", seconds=120)
    report_row = report_request(kind="roi", parameters={"contract": contract.pk},
                                user=auditor_user)  # fmt: skip
    assert wait_for(worker.marker.exists, timeout=60)
    worker.kill_main()
    stack()
    assert wait_for(lambda: finished(Report, report_row.pk), timeout=BACK_WITHIN)
    report_row.refresh_from_db()
    assert report_row.status == "done" and report_row.sha256


def test_an_evaluation_whose_worker_is_killed_finishes_once_a_worker_is_back(
    vendor, make_user, stack
):
    make_user("manager", email="anna@example.com")
    worker = stack(slow="kpis.evaluation.requests.contract_month_evaluate", seconds=120)
    request = asked_evaluation(vendor)
    assert wait_for(worker.marker.exists, timeout=60)  # inside the evaluation
    worker.kill_main()  # its Redis message stays unacked for the visibility timeout (3600 s)
    request.refresh_from_db()
    assert request.status == "processing" and not Evaluation.objects.exists()
    back = time.monotonic()
    stack()  # a worker is back: it hands out at once what the dead one held
    assert wait_for(lambda: finished(EvaluationRequest, request.pk), timeout=BACK_WITHIN)
    assert time.monotonic() - back < BACK_WITHIN
    evaluated_once(request, attempts=2)


# --- the broker stops -----------------------------------------------------------------------


def test_with_redis_stopped_uploads_and_reports_answer_202_and_are_done_after_it_returns(
    acme, vendor_user, auditor_user, api_as, redis, stack
):
    stack()
    contract = roi_contract(acme.vendor, reference="RPT-FAULT", years=1)
    plain_months(contract, 2)
    redis.stop()
    upload = api_as(vendor_user).post("/api/v1/kpi-uploads/",
                                      {"file": ContentFile(GOOD, name="k.csv")},
                                      format="multipart")  # fmt: skip
    asked = api_as(auditor_user).post("/api/v1/reports/", {"kind": "roi",
                                      "contract": contract.pk}, format="json")  # fmt: skip
    assert (upload.status_code, asked.status_code) == (202, 202), (upload.content, asked.content)
    upload_id, report_id = upload.json()["id"], asked.json()["id"]
    assert KpiUpload.objects.get(pk=upload_id).queued_at is None
    assert Report.objects.get(pk=report_id).queued_at is None
    redis.start()  # the same port: the worker reconnects
    later = timezone.now() + timedelta(seconds=61)  # the re-queue jobs' next run
    assert kpi_uploads_requeue(now=later) == 1 and reports_requeue(now=later) == 1
    assert wait_for(lambda: finished(KpiUpload, upload_id), timeout=BACK_WITHIN)
    assert wait_for(lambda: finished(Report, report_id), timeout=BACK_WITHIN)
    assert KpiUpload.objects.get(pk=upload_id).status == "done"
    assert Report.objects.get(pk=report_id).status == "done"


# --- the same message twice -----------------------------------------------------------------


def test_the_same_messages_delivered_twice_have_one_effect_and_send_one_e_mail(
    acme, stack, tmp_path
):
    stack()
    upload = queued_upload()
    mail_id, *_ = mail_enqueue(kind="reminder", object_ref="fault:1", recipients=["a@x.example"],
                               subject="Once", body="Only once.")  # fmt: skip
    for _ in range(2):
        ingest_upload.apply_async((upload.pk,), task_id="same-upload-message")
        send_mail_row.apply_async((mail_id,), task_id="same-mail-message")
    assert wait_for(lambda: finished(KpiUpload, upload.pk), timeout=60)
    assert wait_for(lambda: OutboxMail.objects.get(pk=mail_id).status == "sent", timeout=60)
    time.sleep(3)  # the second copies run too, and must do nothing
    upload.refresh_from_db()
    assert (upload.status, upload.attempts) == ("done", 1)
    assert KpiRawRow.objects.count() == 2
    mails = list((tmp_path / "var" / "mail").glob("*.log"))
    assert len(mails) == 1 and "Only once." in mails[0].read_text()


# --- PostgreSQL restarts --------------------------------------------------------------------

SETUP = """
from datetime import date
from django.core.files.base import ContentFile
from contracts.models import Contract
from kpis.ingestion.service import kpi_upload_create
from vendors.models import Vendor
vendor = Vendor.objects.create(name="Fault BV", country="NL")
Contract.objects.create(reference="ACME-NL-01", vendor=vendor, currency="EUR",
                        start_date=date(2025, 1, 1), end_date=date(2027, 12, 31))
upload = kpi_upload_create(file=ContentFile(%r), name="k.csv", user=None, source="command",
                           queue=False)
print(upload.pk)
"""


def test_a_postgresql_restart_during_an_ingestion_is_retried_and_nothing_is_half_stored(
    redis, tmp_path
):
    import subprocess
    import sys

    import psycopg

    from tests.support.faults import ROOT, PrivatePostgres

    server = PrivatePostgres()
    try:
        server.init()
        server.start()
        with psycopg.connect(server.url("postgres"), autocommit=True) as admin:
            admin.execute("CREATE DATABASE fault")
        env = worker_env(
            database={"USER": "postgres", "HOST": "127.0.0.1", "PORT": server.port,
                      "NAME": "fault"},
            broker_url=redis.url, media_root=tmp_path / "media", var_dir=tmp_path / "var",
        )  # fmt: skip

        def manage(*args: str) -> str:
            done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                                  capture_output=True, text=True, check=True)  # fmt: skip
            return done.stdout

        manage("migrate", "--noinput", "-v0")
        upload_id = int(manage("shell", "-c", SETUP % GOOD).split()[-1])
        worker = Worker(env, slow="kpis.ingestion.service._store", seconds=15)
        worker.start()
        try:
            with publishing_to(redis.url):
                ingest_upload.apply_async((upload_id,))
            assert wait_for(worker.marker.exists, timeout=90)  # in the ingestion's transaction
            server.stop("fast")  # every connection is cut
            server.start()

            def state():
                with psycopg.connect(server.url("fault")) as db:
                    return db.execute(
                        "SELECT status, rows, (SELECT count(*) FROM kpis_kpirawrow) "
                        "FROM kpis_kpiupload WHERE id = %s",
                        [upload_id],
                    ).fetchone()

            assert wait_for(lambda: state()[0] in ("done", "failed"), timeout=120)
            status, rows, stored = state()
            # Retried to the end once the database was back, or failed cleanly: never half.
            assert (status, rows, stored) in {("done", 2, 2), ("failed", None, 0)}
        finally:
            worker.stop()
    finally:
        server.destroy()
