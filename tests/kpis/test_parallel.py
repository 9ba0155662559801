"""A large CSV checked in parts by forked processes (kpis.ingestion.parts) stores exactly what
reading it in one pass stores, and any part's problem sends the file back to one pass."""

import os
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from kpis.ingestion import parts as parallel
from kpis.ingestion import service as ingest
from kpis.ingestion.csv_file import csv_part_rows, csv_parts
from kpis.ingestion.detect import open_kpi_file
from kpis.ingestion.service import kpi_upload_create, kpi_upload_ingest, kpi_upload_queue
from kpis.models import KpiRawRow, KpiUpload, KpiValue
from tests.support.polling import wait_for

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
HEADER = "contract;period;channel;metric;value;volume\n"
METRICS = ("service_level", "aht_seconds", "contacts_handled")


@pytest.fixture(autouse=True)
def parts_at_any_size(settings):
    settings.KPI_PARALLEL_MIN_BYTES = 0


@pytest.fixture
def spy(monkeypatch):
    """What each read_in_parts call returned: None means the file went back to one pass."""
    calls = []
    real = ingest.read_in_parts

    def spying(**kwargs):
        calls.append(real(**kwargs))
        return calls[-1]

    monkeypatch.setattr(ingest, "read_in_parts", spying)
    return calls


def daily_lines(days: int = 70, first: date = date(2026, 1, 1)) -> list[str]:
    """Distinct daily rows over several months, channels and metrics, with varied numbers."""
    lines = []
    for n in range(days):
        day = first + timedelta(days=n)
        for channel in ("phone", "chat"):
            for k, metric in enumerate(METRICS):
                value = f"{(n * 7 + k * 13) % 100},{n % 10}{k}"
                volume = "" if metric == "contacts_handled" else f"{1000 + n * 3 + k}"
                if metric == "contacts_handled":
                    value = f"{1200 + n * 11 + k}"
                lines.append(f"ACME-NL-01;{day};{channel};{metric};{value};{volume}\n")
    return lines


class _Undo(Exception):
    pass


def ingested(data: str, settings, processes: int) -> tuple:
    """Everything an upload of `data` leaves, read with `processes`; rolled back afterwards."""
    settings.KPI_PARSE_PROCESSES = processes
    try:
        with transaction.atomic():
            created = kpi_upload_create(
                file=ContentFile(data.encode("utf-8"), name="k.csv"), name="k.csv", user=None,
                source=KpiUpload.Source.COMMAND, queue=False,
            )  # fmt: skip
            kpi_upload_ingest(upload_id=created.pk)
            done = KpiUpload.objects.get(pk=created.pk)
            rows = list(
                KpiRawRow.objects.filter(upload=done)
                .order_by("row")
                .values_list(
                    "row",
                    "contract__reference",
                    "period",
                    "day",
                    "channel",
                    "metric",
                    "value",
                    "volume",
                    "raw",
                )  # fmt: skip
            )
            values = sorted(
                KpiValue.objects.filter(upload=done).values_list(
                    "period",
                    "channel",
                    "metric",
                    "value",
                    "volume",
                    "rows",
                    "daily",
                    "note",
                    "revision",
                )  # fmt: skip
            )
            outcome = (done.status, done.message, done.rows, done.errors, done.errors_more,
                       done.values_revised, done.affected_months)  # fmt: skip
            raise _Undo(outcome, rows, values)
    except _Undo as undo:
        return undo.args


@pytest.mark.postgres  # files are read in parts on PostgreSQL only
@pytest.mark.parametrize("frame_bytes", [1, parallel._FRAME_BYTES], ids=["each batch", "at end"])
def test_a_file_read_in_parts_stores_exactly_what_one_pass_stores(
    settings, acme, spy, monkeypatch, frame_bytes
):
    # The parts send their COPY text when it reaches frame_bytes: here after each batch of
    # 250 rows (280 rows a part: two batches), or all at the end of a part.
    monkeypatch.setattr(parallel, "_FRAME_BYTES", frame_bytes)
    data = HEADER + "".join(daily_lines(days=140))
    in_parts = ingested(data, settings, processes=3)
    assert len(spy) == 1 and spy[0] is not None, "the file was not read in parts"
    assert spy[0].result.rows_read == 140 * 2 * 3
    one_pass = ingested(data, settings, processes=1)
    assert len(spy) == 1  # one process never tries parts
    assert in_parts == one_pass
    outcome, rows, values = in_parts
    assert outcome[0] == "done" and len(rows) == 840 and rows[0][0] == 2
    # 5 months (January to May 20) x 2 channels x 3 metrics, volume-weighted across parts.
    assert len(values) == 30


@pytest.mark.postgres  # files are read in parts on PostgreSQL only
def test_blank_lines_and_crlf_keep_the_row_numbers_of_one_pass(settings, acme, spy):
    lines = daily_lines(days=40)
    data = "\r\n" + HEADER.replace("\n", "\r\n")
    for n, line in enumerate(lines):
        data += line.replace("\n", "\r\n") + ("\r\n;;;;;\r\n" if n % 17 == 0 else "")
    in_parts = ingested(data, settings, processes=4)
    assert spy[0] is not None
    assert in_parts == ingested(data, settings, processes=1)
    assert in_parts[1][-1][0] == 2 + len(lines) + len(range(0, len(lines), 17)) * 2


@pytest.mark.postgres  # files are read in parts on PostgreSQL only
def test_a_problem_in_a_later_part_is_worded_as_one_pass_words_it(settings, acme, spy):
    lines = daily_lines()
    lines[-3] = "ACME-NL-01;2026-03-05;phone;service_level;12,5x;100\n"
    data = HEADER + "".join(lines)
    in_parts = ingested(data, settings, processes=3)
    assert spy == [None]
    assert in_parts == ingested(data, settings, processes=1)
    outcome, rows, values = in_parts
    assert outcome[0] == "failed" and rows == [] and values == []
    assert outcome[3][0]["row"] == len(lines) - 1 and outcome[3][0]["column"] == "value"


@pytest.mark.postgres  # files are read in parts on PostgreSQL only
@pytest.mark.parametrize(
    "repeat",
    [
        "ACME-NL-01;2026-01-01;phone;service_level;50;10\n",  # a day the first part gave
        "ACME-NL-01;2026-01;phone;service_level;50;10\n",  # the whole month of days given
    ],
)
def test_two_parts_giving_the_same_period_go_back_to_one_pass(settings, acme, spy, repeat):
    data = HEADER + "".join(daily_lines()) + repeat
    in_parts = ingested(data, settings, processes=3)
    assert spy == [None]
    assert in_parts == ingested(data, settings, processes=1)
    (problem,) = in_parts[0][3]
    assert problem["row"] == 70 * 6 + 2 and problem["column"] == "period"


@pytest.mark.postgres  # files are read in parts on PostgreSQL only
def test_a_part_that_fails_sends_the_file_back_to_one_pass(settings, acme, spy, monkeypatch):
    def broken(**kwargs):
        raise MemoryError

    monkeypatch.setattr(parallel, "validate_file", broken)  # in the forked children only
    data = HEADER + "".join(daily_lines())
    in_parts = ingested(data, settings, processes=2)
    assert spy == [None]
    assert in_parts[0][0] == "done" and len(in_parts[1]) == 420


def test_small_files_and_one_process_are_read_in_one_pass(settings, acme, spy):
    settings.KPI_PARALLEL_MIN_BYTES = 10_000_000
    assert ingested(HEADER + "".join(daily_lines(days=3)), settings, processes=4)[0][0] == "done"
    assert spy == []


# --- cutting a file by lines ----------------------------------------------------------------


def table_of(data: bytes, tmp_path, name: str = "k.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    handle = path.open("rb")
    return open_kpi_file(stream=handle, filename=name, max_bytes=10**9)


@pytest.mark.parametrize(
    "data",
    [
        b'ACME;contract;"quoted"\n',  # a quote could hold a line end
        b"lone\rcarriage return\n",  # TextIOWrapper ends a line there too
    ],
)
def test_a_file_whose_lines_may_not_be_rows_is_not_cut(tmp_path, data):
    body = HEADER.encode() + b"".join(line.encode() for line in daily_lines(days=5)) + data
    assert csv_parts(table_of(body, tmp_path), 3) is None


def test_workbooks_and_utf16_files_are_not_cut(tmp_path):
    text = HEADER + "".join(daily_lines(days=5))
    utf16 = b"\xff\xfe" + text.replace(";", "\t").encode("utf-16-le")
    assert csv_parts(table_of(utf16, tmp_path, "k.txt"), 2) is None
    assert csv_parts(table_of(text.encode(), tmp_path), 1) is None


@hypothesis_settings(max_examples=60, deadline=None)
@given(
    blanks=st.lists(st.integers(0, 3), min_size=1, max_size=40),
    leading=st.integers(0, 3),
    crlf=st.booleans(),
    bom=st.booleans(),
    cp1252=st.booleans(),
    final_newline=st.booleans(),
    parts=st.integers(2, 7),
)
def test_the_parts_give_the_rows_of_the_whole_file_with_the_same_numbers(
    tmp_path_factory, blanks, leading, crlf, bom, cp1252, final_newline, parts
):
    end = "\r\n" if crlf else "\n"
    lines = [end * leading, HEADER.replace("\n", end)]
    for n, blank in enumerate(blanks):
        lines.append(f"ACME-NL-01;2026-01-{n % 28 + 1:02d};phone;csat;8{n},5;{n}" + end)
        lines.append((";;;" + end) * blank if n % 2 else end * blank)
    text = "".join(lines)
    if not final_newline:
        text = text.rstrip("\r\n")
    data = text.replace("csat", "çsat").encode("cp1252") if cp1252 else text.encode()
    if bom and not cp1252:
        data = b"\xef\xbb\xbf" + data
    table = table_of(data, tmp_path_factory.mktemp("cut"))
    try:
        cut = csv_parts(table, parts)
        whole = list(table.rows())
        if cut is None:  # only when the last line holds the middle of the data: a tiny file
            assert len(whole) <= 2
            return
        assert sum((list(csv_part_rows(table, part)) for part in cut), []) == whole
        assert cut[0].start > 0 and cut[-1].end == len(data)
        assert all(a.end == b.start for a, b in zip(cut, cut[1:], strict=False))
    finally:
        table.stream.close()


def test_reading_a_part_never_moves_the_shared_file_position(tmp_path):
    table = table_of((HEADER + "".join(daily_lines(days=10))).encode(), tmp_path)
    table.stream.seek(123)
    (first, *_rest) = csv_parts(table, 3)
    list(csv_part_rows(table, first))
    assert table.stream.tell() == 123
    table.stream.close()


# --- a real worker ----------------------------------------------------------------------------


@pytest.mark.postgres  # files are read in parts on PostgreSQL only
@pytest.mark.worker
def test_the_worker_reads_a_large_file_in_parts(celery_worker, settings, acme, spy):
    settings.KPI_PARSE_PROCESSES = 3
    data = (HEADER + "".join(daily_lines())).encode()
    upload = kpi_upload_create(file=ContentFile(data, name="k.csv"), name="k.csv", user=None,
                               source=KpiUpload.Source.COMMAND)  # fmt: skip
    wait_for(lambda: KpiUpload.objects.get(pk=upload.pk).finished)
    upload.refresh_from_db()
    assert upload.status == "done", upload.message
    assert spy and spy[0] is not None and upload.rows == 420
    assert KpiRawRow.objects.filter(upload=upload).count() == 420
    march = KpiValue.objects.get(upload=upload, period=date(2026, 3, 1), channel="phone",
                                 metric="contacts_handled")  # fmt: skip
    assert march.value == sum(Decimal(1200 + n * 11 + 2) for n in range(59, 70))


@pytest.mark.postgres  # files are read in parts on PostgreSQL only
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_prefork_worker_process_reads_a_large_file_in_parts(settings, acme):
    """Production's pool runs tasks in daemonic processes: forking from one must work."""
    from config.celery import app

    app.control.purge()
    data = (HEADER + "".join(daily_lines())).encode()
    upload = kpi_upload_create(file=ContentFile(data, name="k.csv"), name="k.csv", user=None,
                               source=KpiUpload.Source.COMMAND, queue=False)  # fmt: skip
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "KPI_PARALLEL_MIN_BYTES": "0",
        "KPI_PARSE_PROCESSES": "3",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork",
         "--concurrency", "1", "--loglevel", "INFO", "--without-mingle", "--without-gossip"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        assert kpi_upload_queue(upload_id=upload.pk)
        wait_for(lambda: KpiUpload.objects.get(pk=upload.pk).finished, timeout=90)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=60)[0]
    upload.refresh_from_db()
    assert upload.status == "done", upload.message + output[-3000:]
    assert "is read in one pass" not in output  # the parts gave the answer
    assert KpiRawRow.objects.filter(upload=upload).count() == upload.rows == 420
    assert KpiValue.objects.filter(upload=upload).count() == 18
