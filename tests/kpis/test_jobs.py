"""Claims that know their holder (task id, process, heartbeat), the cell limit of a workbook and
the ingestion's time limit: a dead worker's upload is taken back at once, a huge workbook or an
overlong run fails the upload cleanly."""

import io
import socket
import subprocess
import sys
from datetime import timedelta

import openpyxl
import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.utils import timezone

from core.jobs import dead_after, job_owner
from kpis.ingestion import service as ingest
from kpis.ingestion.service import (
    MAX_ATTEMPTS,
    kpi_upload_create,
    kpi_upload_ingest,
    kpi_uploads_requeue,
)
from kpis.ingestion.xlsx import too_many_cells
from kpis.models import KpiRawRow, KpiUpload, KpiValue

pytestmark = pytest.mark.django_db

HEADER = "contract;period;channel;metric;value;volume\n"
GOOD = (HEADER + "ACME-NL-01;2026-03;phone;service_level;78,5;12034\n"
        "ACME-NL-01;2026-03;phone;contacts_handled;11800;\n").encode()  # fmt: skip


def queued(data: bytes = GOOD, name: str = "kpis.csv") -> KpiUpload:
    return kpi_upload_create(file=ContentFile(data), name=name, user=None, source="api",
                             queue=False)  # fmt: skip


def held(upload: KpiUpload, *, by: str, beat_seconds_ago: float) -> None:
    """The upload as a worker `by` left it `beat_seconds_ago` after its last heartbeat."""
    now = timezone.now()
    KpiUpload.objects.filter(pk=upload.pk).update(
        status="processing", started_at=now - timedelta(seconds=beat_seconds_ago + 1),
        heartbeat_at=now - timedelta(seconds=beat_seconds_ago), claimed_by=by, task_id="t-1",
        attempts=1,
    )  # fmt: skip


def dead_pid() -> int:
    """The id of a process of this host that has ended."""
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)  # fmt: skip
    return int(finished.stdout)


# --- claims ---------------------------------------------------------------------------------


def test_a_claim_records_its_task_process_and_heartbeat(acme):
    upload = queued()
    kpi_upload_ingest(upload_id=upload.pk, task_id="task-42")
    upload.refresh_from_db()
    assert (upload.status, upload.task_id, upload.claimed_by) == ("done", "task-42", job_owner())
    assert upload.heartbeat_at == upload.started_at


def test_a_redelivered_task_takes_back_at_once_an_upload_whose_process_is_gone(acme):
    upload = queued()
    held(upload, by=f"{socket.gethostname()}:{dead_pid()}:1", beat_seconds_ago=1)
    done = kpi_upload_ingest(upload_id=upload.pk, task_id="t-1")
    assert (done.status, done.attempts, done.rows) == ("done", 2, 2)


def test_an_upload_a_live_process_holds_is_not_taken(acme):
    upload = queued()
    held(upload, by=f"{socket.gethostname()}:1:1", beat_seconds_ago=1)  # pid 1 is alive
    assert kpi_upload_ingest(upload_id=upload.pk, task_id="t-2") is None
    assert not KpiRawRow.objects.exists()


def test_an_upload_held_by_another_host_is_taken_once_its_heartbeat_is_silent(acme):
    upload = queued()
    held(upload, by="elsewhere:123:1", beat_seconds_ago=5)
    assert kpi_upload_ingest(upload_id=upload.pk, task_id="t-2") is None
    held(upload, by="elsewhere:123:1", beat_seconds_ago=dead_after().total_seconds() + 1)
    assert kpi_upload_ingest(upload_id=upload.pk, task_id="t-2").status == "done"


def test_the_requeue_job_hands_out_an_upload_whose_heartbeat_is_silent(acme, monkeypatch):
    sent: list[int] = []
    monkeypatch.setattr(ingest, "kpi_upload_queue", lambda *, upload_id: sent.append(upload_id)
                        or True)  # fmt: skip
    alive, dead = queued(), queued(GOOD + b"\n\n")
    for upload in (alive, dead):
        KpiUpload.objects.filter(pk=upload.pk).update(queued_at=timezone.now())
    held(alive, by="elsewhere:1:1", beat_seconds_ago=2)
    held(dead, by="elsewhere:2:1", beat_seconds_ago=dead_after().total_seconds() + 1)
    assert kpi_uploads_requeue() == 1 and sent == [dead.pk]


def test_the_requeue_job_fails_an_upload_whose_workers_keep_dying(acme, monkeypatch):
    monkeypatch.setattr(ingest, "kpi_upload_queue", lambda *, upload_id: True)
    upload = queued()
    held(upload, by="elsewhere:2:1", beat_seconds_ago=dead_after().total_seconds() + 1)
    KpiUpload.objects.filter(pk=upload.pk).update(attempts=MAX_ATTEMPTS)
    assert kpi_uploads_requeue() == 0
    upload.refresh_from_db()
    assert upload.status == "failed" and f"stopped {MAX_ATTEMPTS} times" in upload.message


# --- limits ---------------------------------------------------------------------------------


def workbook(rows: int) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["contract", "period", "channel", "metric", "value", "volume"])
    for day in range(1, rows + 1):
        sheet.append(["ACME-NL-01", f"2026-03-{day % 28 + 1:02d}", "phone", "contacts_handled",
                      day, None])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_past_the_cell_limit_is_refused_naming_the_limit(acme, settings):
    # A header of 6 cells, then rows of 5 (the empty volume is not stored): 51 and 56 cells.
    settings.KPI_XLSX_MAX_CELLS = 53
    small, large = queued(workbook(9), "small.xlsx"), queued(workbook(10), "large.xlsx")
    assert kpi_upload_ingest(upload_id=small.pk).status == "done"
    refused = kpi_upload_ingest(upload_id=large.pk)
    assert (refused.status, refused.failure) == ("failed", "file")
    assert refused.message == too_many_cells(53)
    assert "more than 53 cells" in refused.message
    assert KpiRawRow.objects.filter(upload=refused).count() == 0


def test_the_cell_limit_stops_reading_early(acme, settings, monkeypatch):
    settings.KPI_XLSX_MAX_CELLS = 30
    from kpis.ingestion import xlsx

    read: list[int] = []
    counted = xlsx._counted

    def spy(rows, max_cells):
        for row in counted(rows, max_cells):
            read.append(1)
            yield row

    monkeypatch.setattr(xlsx, "_counted", spy)
    upload = kpi_upload_ingest(upload_id=queued(workbook(5000), "big.xlsx").pk)
    assert upload.status == "failed" and len(read) < 10


def test_an_ingestion_past_its_soft_time_limit_fails_the_upload_and_keeps_nothing(
    acme, monkeypatch, settings
):
    settings.JOB_SOFT_TIME_LIMITS = {**settings.JOB_SOFT_TIME_LIMITS, "ingestion": 7}
    store = ingest._store

    def store_then_time_out(*args):
        store(*args)  # the rows are written, uncommitted, when the limit strikes
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(ingest, "_store", store_then_time_out)
    upload = kpi_upload_ingest(upload_id=queued().pk)
    assert (upload.status, upload.failure) == ("failed", "file")
    assert "limit of 7 seconds" in upload.message
    assert not KpiRawRow.objects.exists() and not KpiValue.objects.exists()


def test_a_soft_time_limit_inside_the_workbook_reader_is_not_called_a_damaged_file(
    acme, monkeypatch
):
    from kpis.ingestion import xlsx

    def times_out(rows, max_cells):
        raise SoftTimeLimitExceeded()
        yield  # a generator, as the real one

    monkeypatch.setattr(xlsx, "_counted", times_out)
    upload = kpi_upload_ingest(upload_id=queued(workbook(3), "k.xlsx").pk)
    assert upload.status == "failed" and "longer than the limit" in upload.message


def test_the_upload_page_states_the_cell_limit(client, vendor_user, settings):
    settings.KPI_XLSX_MAX_CELLS = 1_234_567
    client.force_login(vendor_user)
    page = client.get("/kpis/")
    assert page.status_code == 200
    assert "1,234,567 cells" in page.content.decode()
