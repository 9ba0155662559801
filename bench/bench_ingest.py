"""Time ingesting a 1,000,000-row daily KPI file on PostgreSQL against a raw COPY of its rows.

Run: .venv/bin/python bench/bench_ingest.py [--rows N] [--database-url URL] [--one-process]

The script drops and recreates its own database (default bposla_bench on the local
PostgreSQL), migrates it, creates the contracts, and writes a semicolon-separated file with
decimal commas of N distinct daily rows (every metric and channel of 16 three-year contracts).
Then, in the same run:

- ours: the file goes through kpi_upload_create and kpi_upload_ingest, the functions the
  upload page, the API and the Celery task use (parse, validate, COPY the raw rows, aggregate
  and store the monthly values, one transaction), in a child process whose memory is read
  with that of the processes it forks to read parts of the file (KPI_PARSE_PROCESSES);
- COPY, rows as stored: the same rows, already typed exactly as ingestion stores them, COPY'd
  from a prepared text file into a bare table of the same columns (no keys, no indexes);
- COPY, file as text: the KPI file itself COPY'd into a bare table of six text columns.

The three run in turns, twice (COPY, COPY, ours; COPY, COPY, ours, after emptying the KPI
tables), so that a machine slower for a while slows both sides, and the faster of each
counts; every round is printed. Targets: at most 60 s, at most 5x the COPY of the rows as
stored, peak memory at most 400 MB: the ingesting process's peak RSS, and the proportional
set size of it and its part processes together, sampled every 0.2 s (the larger round).

--one-process times only the Python work of the parts, on the same file, in one process and
without a database (CPU time, three runs): for comparing changes to the parsing path on a
machine too busy for the whole run to tell them apart.
"""

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bposla_bench"
BUDGET_SECONDS = 60
MAX_RATIO = 5  # 4 before the database checked KpiValue's foreign keys again (kpis.0005)
MAX_RSS_MB = 400
ROUNDS = 2
CONTRACTS = 16
START, END = date(2025, 1, 1), date(2027, 12, 31)
METRICS = (
    "service_level", "asa_seconds", "aht_seconds", "abandonment_rate", "fcr_rate", "csat",
    "nps", "qa_score", "email_response_hours", "contacts_handled", "handled_minutes",
    "production_hours",
)  # fmt: skip
SUMS = {"contacts_handled", "handled_minutes", "production_hours"}
CHANNELS = ("phone", "chat", "email", "social", "backoffice")
COLUMNS = "upload_id, row, contract_id, period, day, channel, metric, value, volume, raw"


def environment(url: str, var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "VAR_DIR": str(var_dir),
        "DJANGO_ENV": "development",
        "DJANGO_DEBUG": "false",  # DEBUG would keep every query in memory
        "KPI_UPLOAD_MAX_BYTES": str(500_000_000),
        "LOG_LEVEL": "WARNING",
    }


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def create_contracts() -> dict[str, int]:
    from contracts.models import Contract
    from vendors.models import Vendor

    vendor = Vendor.objects.create(name="Bench Vendor", country="NL")
    return {
        f"BENCH-{n:02d}": Contract.objects.create(
            reference=f"BENCH-{n:02d}", vendor=vendor, currency="EUR",
            start_date=START, end_date=END,
        ).pk
        for n in range(CONTRACTS)
    }  # fmt: skip


def generate(rows: int, ids: dict[str, int], kpi_file: Path, typed_file: Path) -> None:
    """The KPI file, and the same rows typed as ingestion stores them (COPY text format)."""
    rng = random.Random(2026)
    written = 0
    with kpi_file.open("w", encoding="utf-8", newline="") as kpi, typed_file.open("w") as typed:
        kpi.write("contract;period;channel;metric;value;volume\n")
        for reference, contract_id in ids.items():
            day = START
            while day <= END:
                for channel in CHANNELS:
                    for metric in METRICS:
                        if written == rows:
                            return
                        written += 1
                        if metric in SUMS:
                            value, volume = str(rng.randint(100, 20_000)), ""
                        else:
                            value, volume = (
                                f"{rng.randint(0, 10_000) / 100}",
                                str(rng.randint(0, 5000)),
                            )
                        text = value.replace(".", ",")
                        cells = [reference, day.isoformat(), channel, metric, text, volume]
                        kpi.write(";".join(cells) + "\n")
                        raw = '["' + '","'.join(cells) + '"]'
                        typed.write(
                            f"1\t{written + 1}\t{contract_id}\t{day:%Y-%m}-01\t{day.day}\t{channel}"
                            f"\t{metric}\t{value}\t{volume or chr(92) + 'N'}\t{raw}\n"
                        )
                day += timedelta(days=1)
    if written < rows:
        raise SystemExit(f"at most {written} distinct rows with {CONTRACTS} contracts")


def connect(url: str) -> Any:
    import psycopg

    return psycopg.connect(urlunsplit(urlsplit(url)._replace(scheme="postgresql")))


def copy_seconds(url: str, create: str, copy: str, path: Path) -> float:
    """The time of a COPY of the file into a fresh bare table, committed."""
    with connect(url) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_bare")
        conn.execute(create)
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cursor, cursor.copy(copy) as target, path.open("rb") as source:
            while chunk := source.read(1 << 20):
                target.write(chunk)
        conn.commit()
        seconds = time.perf_counter() - started
        conn.execute("DROP TABLE bench_bare")
        conn.commit()
    return seconds


def empty_kpi_tables(url: str) -> None:
    """Forget the last round's ingestion, so that the next one ingests the same file anew."""
    with connect(url) as conn:
        conn.execute("TRUNCATE kpis_kpiupload, kpis_kpirawrow, kpis_kpivalue, "
                     "kpis_historicalkpivalue CASCADE")  # fmt: skip
        conn.commit()


def tree_pss_mb(root: int) -> float:
    """The proportional set size of a process and its descendants, in MB: pages they share
    (a forked child's, the libraries') are split between them, so the sum is what they use."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, grew = {root}, True
    while grew:
        grown = tree | {pid for pid, parent in parents.items() if parent in tree}
        grew, tree = grown != tree, grown
    total_kb = 0
    for pid in tree:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        total_kb += next(int(line.split()[1]) for line in rollup.splitlines()
                         if line.startswith("Pss:"))  # fmt: skip
    return total_kb / 1024


def ingest_in_child(path: Path) -> None:
    """Child process: ingest the file the way an upload is ingested; print the figures as JSON."""
    from django.conf import settings
    from django.core.files import File

    from kpis.ingestion import service as ingest
    from kpis.ingestion.service import kpi_upload_create, kpi_upload_ingest
    from kpis.models import KpiRawRow, KpiUpload, KpiValue

    # What runs after ingestion commits (the evaluation of the affected months) is not
    # ingestion; it has its own measure.
    ingest.AFFECTED_MONTHS_HOOKS.clear()
    started, cpu_started = time.perf_counter(), time.process_time()
    with path.open("rb") as handle:
        upload = kpi_upload_create(file=File(handle, name=path.name), name=path.name, user=None,
                                   source=KpiUpload.Source.COMMAND, queue=False)  # fmt: skip
    created = time.perf_counter()
    done = kpi_upload_ingest(upload_id=upload.pk)
    finished, cpu_finished = time.perf_counter(), time.process_time()
    assert done is not None and done.status == KpiUpload.Status.DONE, done and done.message
    figures = {
        "seconds": finished - started,
        "create_seconds": created - started,
        "ingest_seconds": finished - created,
        "cpu_seconds": cpu_finished - cpu_started,  # this process only, not the server's
        "raw_rows": KpiRawRow.objects.filter(upload=upload).count(),
        "values": KpiValue.objects.filter(upload=upload).count(),
        "message": done.message,
        # The process that ingests, and the largest of the processes that read parts of the
        # file (kpis.ingestion.parts); forked, they share the parent's pages until they write them.
        "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "part_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "processes": settings.KPI_PARSE_PROCESSES,
    }
    print(json.dumps(figures))


def ingest_round(kpi_file: Path, env: dict[str, str]) -> dict[str, Any]:
    """Ingest the file in a child process, sampling the memory of it and its part processes."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen([sys.executable, __file__, "--ingest", str(kpi_file)], env=env,
                                 stdout=out, stderr=err, text=True)  # fmt: skip
        pss_mb = 0.0
        while child.poll() is None:
            pss_mb = max(pss_mb, tree_pss_mb(child.pid))
            time.sleep(0.2)
        out.seek(0), err.seek(0)
        stdout, stderr = out.read(), err.read()
    if child.returncode:
        raise SystemExit(stdout + stderr)
    run: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    run["pss_mb"] = pss_mb
    return run


def read_in_one_process(rows: int, work: Path) -> None:
    """--one-process: the Python work that the part processes share (read, check, COPY text,
    monthly sums) on the same file, in this process, without a database; CPU time, which a
    busy machine inflates less than wall time. Three runs."""
    from functools import partial

    from kpis.ingestion.aggregation import MonthlyAccumulator
    from kpis.ingestion.copy import copy_text
    from kpis.ingestion.detect import open_kpi_file
    from kpis.ingestion.validation import ContractInfo, validate_file

    ids = {f"BENCH-{n:02d}": n + 1 for n in range(CONTRACTS)}
    kpi_file = work / "kpis-1m-daily.csv"
    generate(rows, ids, kpi_file, work / "rows-as-stored.copy")
    infos = {reference.upper(): ContractInfo(reference, START, END, 1) for reference in ids}
    seconds = []
    for _ in range(3):
        months, to_text = MonthlyAccumulator(), partial(copy_text, 1, ids, {})

        def keep(batch: list[Any], months: Any = months, to_text: Any = to_text) -> None:
            to_text(batch)
            months.add_many(batch)

        with kpi_file.open("rb") as stream:
            table = open_kpi_file(stream=stream, filename=kpi_file.name, max_bytes=1 << 31)
            start = time.process_time()
            result = validate_file(
                rows=table.rows(),
                decimal_mark=table.decimal_mark,
                lookup_contract=lambda reference: infos.get(reference.upper()),
                vendor_id=1,
                on_valid=keep,
            )
            months.results()
            seconds.append(time.process_time() - start)
        assert result.ok and result.rows_valid == rows
    best = min(seconds)
    runs = ", ".join(f"{s:.2f}" for s in seconds)
    print(f"one process, CPU: {best:.2f} s ({runs}), {best / rows * 1e6:.2f} µs a row")
    print("load average:     " + ", ".join(f"{n:.1f}" for n in os.getloadavg()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--ingest", type=Path, help=argparse.SUPPRESS)  # the child's job
    parser.add_argument(
        "--one-process", action="store_true", help="time the parts' Python work only (no database)"
    )
    args = parser.parse_args()
    if args.ingest:
        setup_django(dict(os.environ))
        ingest_in_child(args.ingest)
        return

    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    env = environment(args.database_url, work / "var")
    if args.one_process:
        setup_django(env)
        try:
            read_in_one_process(args.rows, work)
        finally:
            shutil.rmtree(work)
        return
    recreate_database(args.database_url)
    setup_django(env)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    ids = create_contracts()
    kpi_file, typed_file = work / "kpis-1m-daily.csv", work / "rows-as-stored.copy"
    generate(args.rows, ids, kpi_file, typed_file)

    bare_typed = (
        "CREATE TABLE bench_bare (upload_id bigint, row integer, contract_id bigint, "
        "period date, day smallint, channel varchar(20), metric varchar(40), value numeric, "
        "volume numeric, raw jsonb)"
    )
    bare_text = "CREATE TABLE bench_bare (c text, p text, ch text, m text, v text, vo text)"
    copy_as_text = "COPY bench_bare FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)"
    rounds = []
    for number in range(ROUNDS):
        if number:
            empty_kpi_tables(args.database_url)
        typed = copy_seconds(args.database_url, bare_typed,
                             f"COPY bench_bare ({COLUMNS}) FROM STDIN", typed_file)  # fmt: skip
        text = copy_seconds(args.database_url, bare_text, copy_as_text, kpi_file)
        rounds.append((typed, text, ingest_round(kpi_file, env)))
    copy_typed = min(typed for typed, _, _ in rounds)
    copy_text = min(text for _, text, _ in rounds)
    ours = min((run for _, _, run in rounds), key=lambda run: run["seconds"])
    self_mb = max(run["self_mb"] for _, _, run in rounds)
    part_mb = max(run["part_mb"] for _, _, run in rounds)
    pss_mb = max(run["pss_mb"] for _, _, run in rounds)
    parts = ours["processes"] if part_mb else 0
    ratio, text_ratio = ours["seconds"] / copy_typed, ours["seconds"] / copy_text

    size_mb = kpi_file.stat().st_size / 1_000_000
    for number, (typed, text, run) in enumerate(rounds, start=1):
        print(f"round {number}: COPY as stored {typed:.2f} s, COPY as text {text:.2f} s, "
              f"ours {run['seconds']:.2f} s (ratio {run['seconds'] / typed:.2f}x)")  # fmt: skip
    print("the faster of the rounds, each:")
    print(f"rows:                         {ours['raw_rows']:,} ({size_mb:.1f} MB file)")
    print(f"monthly values:               {ours['values']:,}")
    split = f"create {ours['create_seconds']:.2f} s, ingest {ours['ingest_seconds']:.2f} s"
    print(f"ours (create + ingest):       {ours['seconds']:.2f} s ({split})")
    print(f"ours, CPU of the process:     {ours['cpu_seconds']:.2f} s")
    print(f"COPY, rows as stored:         {copy_typed:.2f} s")
    print(f"ratio:                        {ratio:.2f}x")
    print(f"COPY, file as text:           {copy_text:.2f} s (ratio {text_ratio:.2f}x)")
    print(f"peak RSS, ingesting process:  {self_mb:.0f} MB")
    print(f"peak RSS, largest part proc.: {part_mb:.0f} MB ({parts} part processes)")
    print(f"peak PSS, all (sampled):      {pss_mb:.0f} MB")
    print("load average:                 " + ", ".join(f"{n:.1f}" for n in os.getloadavg()))
    checks = {
        f"at most {BUDGET_SECONDS} s": ours["seconds"] <= BUDGET_SECONDS,
        f"at most {MAX_RATIO}x the COPY of the rows as stored": ratio <= MAX_RATIO,
        f"peak memory at most {MAX_RSS_MB} MB": max(self_mb, pss_mb) <= MAX_RSS_MB,
    }
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")


if __name__ == "__main__":
    main()
