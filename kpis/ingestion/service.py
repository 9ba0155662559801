"""KPI ingestion (DOMAIN.md "The KPI file"): one path for the page, the API and the command.

`kpi_upload_create` keeps a submitted file and its row (or records a duplicate that points to
the first upload of the same bytes) and queues it. `kpi_upload_ingest`, which the Celery task,
the `kpis_ingest` command and the re-queue job all end in, claims the row with a conditional
UPDATE that must change exactly one row, then reads, checks and stores the file in ONE
transaction, as kpis.ingestion.validation asks of its callers:

1. `open_kpi_file` checks the file as a whole; a `KpiFileError` is the upload's one problem.
2. `validate_file` streams the rows. Each batch of valid rows is written to KpiRawRow as it
   arrives (COPY on PostgreSQL) and folded into a MonthlyAccumulator. validate_file stops
   handing rows over at the first problem, so a file with any problem rolls the transaction
   back: nothing of it is kept, and the upload lists every problem. A large CSV on PostgreSQL
   is first read in parts by forked processes (kpis.ingestion.parts, KPI_PARSE_PROCESSES); if that
   cannot give the same answer (a problem, a part failing) it is undone and the file is read
   in one pass as above.
3. The contracts the file names are locked, and every month it touches gets a new KpiValue
   revision if its figure changed: the accumulator's figure when no earlier upload touched the
   month, else one recomputed from the stored rows of all uploads (see `_pick`).
4. The row is marked done, guarded by the claim, and the affected contract months go to
   AFFECTED_MONTHS_HOOKS in the same transaction (the evaluation records its requests there
   and queues them once it commits).

A worker killed half-way leaves nothing: its transaction never commits. Its claim is taken
back by the redelivered message at once when the killed process was on this host, or when its
heartbeat is older than JOB_DEAD_AFTER_SECONDS (core.jobs), by the redelivered message or the
re-queue job. A task past its soft time limit fails the upload with the limit named.
"""

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import partial
from pathlib import PurePath
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from contracts.models import Contract
from core.audit import history_insert_select
from core.catalogue import METRICS
from core.channels import Channel
from core.jobs import (
    PUBLISH_RETRY,
    TRANSIENT_ERRORS,
    job_claim,
    job_heartbeat,
    job_stranded,
)
from core.roles import Role, role_of
from kpis.ingestion import texts as T
from kpis.ingestion.aggregation import MonthlyAccumulator, MonthlyAggregate
from kpis.ingestion.copy import (
    CHANNEL_TEXT,
    COPY_RAW,
    copy_in,
    copy_text,
    insert_values,
    raw_row_writer,
)
from kpis.ingestion.csv_file import DELIMITER_NAMES
from kpis.ingestion.detect import open_kpi_file, size_refusal  # kpis.web.forms imports it here
from kpis.ingestion.outcome import done_message, in_english, refused_message
from kpis.ingestion.parts import RowsRead, read_in_parts
from kpis.ingestion.rows import ParsedRow
from kpis.ingestion.shown import shown
from kpis.ingestion.table import KpiFileError, KpiTable, RawRow
from kpis.ingestion.validation import ContractInfo, ValidationResult, validate_file
from kpis.models import KpiRawRow, KpiUpload, KpiValue
from kpis.selectors import UPLOAD_ROLES

logger = logging.getLogger(__name__)

# Claims taken of one upload after which the re-queue job fails it instead.
MAX_ATTEMPTS = 3

# The evaluation registers here: each hook gets [(contract id, "YYYY-MM"), ...] of the months
# whose values changed, inside the upload's transaction (work to do after the commit goes
# through transaction.on_commit).
AFFECTED_MONTHS_HOOKS: list[Callable[[list[tuple[int, str]]], None]] = []

Status, Failure = KpiUpload.Status, KpiUpload.Failure
_Key = tuple[int, date, str, str]  # contract id, first day of the month, channel ("": all), metric
_PLACES = Decimal("0.0001")
_WIDE = Context(prec=200)  # quantize sums of any size without InvalidOperation
_LOCK_NAMESPACE = 0x4B504930 << 32  # "KPI0": advisory locks per contract, beside anyone else's


class _Rejected(Exception):
    """Rolls back the rows stored so far: the file had row problems."""

    def __init__(self, result: ValidationResult) -> None:
        super().__init__(f"{len(result.problems) + result.more_problems} problems")
        self.result = result


class _ClaimLost(Exception):
    """Rolls back a store whose claim another worker took over (this one was presumed dead)."""


@dataclass(frozen=True)
class _Stored:
    rows: int
    revised: int
    months: list[tuple[int, str]]


# --- creating and queueing ------------------------------------------------------------------


def kpi_upload_create(
    *, file: File, name: str, user: Any, source: str, queue: bool = True
) -> KpiUpload:
    """Keep a submitted KPI file as a queued upload; the same bytes again are a duplicate."""
    vendor_id = _uploader_vendor(user)
    scope = upload_scope(user=user, vendor_id=vendor_id)
    limit = settings.KPI_UPLOAD_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationError({"file": [shown(size_refusal(file.size, limit))]})
    name = PurePath(name).name[-255:] or "kpis"
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    fields = {
        "original_name": name,
        "size": file.size or 0,
        "sha256": digest.hexdigest(),
        "source": source,
        "created_by": user,
        "vendor_id": vendor_id,
        "scope": scope,
    }
    first = _first_upload(fields["sha256"], scope)
    if first is None:
        upload = KpiUpload(**fields)
        try:
            with transaction.atomic():
                upload.file.save(name, file, save=False)
                upload.save()
        except IntegrityError:  # an upload of the same bytes committed first
            upload.file.delete(save=False)
            first = _first_upload(fields["sha256"], scope)
            if first is None:
                raise
        else:
            if queue:
                transaction.on_commit(partial(kpi_upload_queue, upload_id=upload.pk))
            return upload
    when = timezone.localtime(first.created_at).strftime("%Y-%m-%d %H:%M")
    return KpiUpload.objects.create(
        **fields,
        file=first.file.name,
        status=Status.DUPLICATE,
        duplicate_of=first,
        finished_at=timezone.now(),
        message=T.DUPLICATE % {"id": first.pk, "when": when},
    )


def _uploader_vendor(user: Any) -> int | None:
    """The vendor whose contracts bound the upload; None for buyer roles and the command."""
    if user is None:
        return None  # `kpis_ingest` without --user: an operator, any contract
    role = role_of(user)
    if role not in UPLOAD_ROLES:
        raise PermissionDenied("Your role does not allow uploading KPI files.")
    if role != Role.VENDOR:
        return None
    if user.vendor_id is None:
        raise PermissionDenied("Your user is not linked to a vendor.")
    vendor_id: int = user.vendor_id
    return vendor_id


def upload_scope(*, user: Any, vendor_id: int | None) -> str:
    """Whose uploads a new file is compared with: the vendor's, the buyer's own, the operator's."""
    if vendor_id is not None:
        return f"vendor:{vendor_id}"
    if user is not None:
        return f"user:{user.pk}"
    return "operator"


# Only a file ingested or being ingested reserves its bytes; a refused one reserves nothing.
RESERVING = (Status.QUEUED, Status.PROCESSING, Status.DONE)


def _first_upload(sha256: str, scope: str) -> KpiUpload | None:
    firsts = KpiUpload.objects.filter(status__in=RESERVING, scope=scope, sha256=sha256)
    return firsts.order_by("pk").first()


def kpi_upload_queue(*, upload_id: int) -> bool:
    """Hand an upload to the broker; when it is down the row stays queued for the re-queue job."""
    from kpis.ingestion.tasks import ingest_upload

    try:
        ingest_upload.apply_async((upload_id,), retry=True, retry_policy=PUBLISH_RETRY)
    except Exception:  # kombu's OperationalError, or whatever a broken transport raises
        logger.warning("KPI upload %s stays queued: the broker is unreachable", upload_id)
        return False
    KpiUpload.objects.filter(pk=upload_id).update(queued_at=timezone.now())
    return True


def kpi_uploads_requeue(*, now: datetime | None = None) -> int:
    """Queue again uploads the broker never got or lost, or whose worker died; how many."""
    now = now or timezone.now()
    waiting = KpiUpload.objects.filter(
        job_stranded(KpiUpload, waiting=Status.QUEUED, running=Status.PROCESSING, now=now)
    )
    # An upload whose workers died this often (killed at the hard time limit, out of memory)
    # would only kill the next one too.
    for upload_id in waiting.filter(attempts__gte=MAX_ATTEMPTS).values_list("pk", flat=True):
        kpi_upload_give_up(upload_id=upload_id, reason="its workers died",
                           message=T.WORKERS_DIED % {"count": MAX_ATTEMPTS})  # fmt: skip
    sent = 0
    for upload_id in waiting.order_by("pk").values_list("pk", flat=True)[:500]:
        if not kpi_upload_queue(upload_id=upload_id):
            break  # the broker is still down: the next run tries again
        sent += 1
    return sent


# --- ingesting ------------------------------------------------------------------------------


def kpi_upload_ingest(*, upload_id: int, task_id: str = "") -> KpiUpload | None:
    """Claim a queued upload and ingest it whole or not at all; None if it was not claimable."""
    claimed_at = _claim(upload_id, task_id)
    if claimed_at is None:
        logger.info("KPI upload %s is not claimable (taken or finished)", upload_id)
        return None
    upload = KpiUpload.objects.get(pk=upload_id)
    try:
        with job_heartbeat(KpiUpload, upload_id, claimed_at=claimed_at):
            _ingest(upload, claimed_at)
    except SoftTimeLimitExceeded:
        logger.error("KPI upload %s ran past its time limit", upload_id)
        _finish(upload_id, claimed_at, status=Status.FAILED, failure=Failure.FILE,
                message=time_limit_refusal())  # fmt: skip
    except TRANSIENT_ERRORS:
        _release(upload_id, claimed_at)
        raise
    except _ClaimLost:
        logger.warning("KPI upload %s was claimed again by another worker", upload_id)
    except Exception:
        logger.exception("KPI upload %s failed", upload_id)
        _finish(upload_id, claimed_at, status=Status.FAILED, failure=Failure.ERROR,
                message=T.INTERNAL_ERROR)  # fmt: skip
    upload.refresh_from_db()
    return upload


def kpi_upload_give_up(*, upload_id: int, reason: str, message: str = "") -> None:
    """End an upload whose retries ran out: failed, so that it is never left waiting."""
    logger.error("KPI upload %s given up: %s", upload_id, reason)
    KpiUpload.objects.filter(pk=upload_id, status__in=[Status.QUEUED, Status.PROCESSING]).update(
        status=Status.FAILED,
        failure=Failure.ERROR,
        message=message or T.DATABASE_UNAVAILABLE,
        finished_at=timezone.now(),
    )


def time_limit_refusal() -> str:
    """Why an upload that ran past the ingestion queue's soft time limit failed."""
    seconds = settings.JOB_SOFT_TIME_LIMITS["ingestion"]
    return T.TIME_LIMIT % {"seconds": f"{seconds:,}"}


def _claim(upload_id: int, task_id: str = "") -> datetime | None:
    """Take the row for this worker: the time of the claim, or None if another has it."""
    return job_claim(KpiUpload, upload_id, waiting=Status.QUEUED, running=Status.PROCESSING,
                     task_id=task_id, attempts=F("attempts") + 1)  # fmt: skip


def _release(upload_id: int, claimed_at: datetime) -> None:
    """Give a claim back so that a retry can take it; if that fails too, the claim goes stale."""
    try:
        KpiUpload.objects.filter(
            pk=upload_id, status=Status.PROCESSING, started_at=claimed_at
        ).update(status=Status.QUEUED, started_at=None)
    except TRANSIENT_ERRORS:
        logger.warning("KPI upload %s keeps a stale claim until it is re-queued", upload_id)


def _finish(upload_id: int, claimed_at: datetime, **fields: Any) -> bool:
    """Record the outcome if this worker still holds the claim."""
    mine = KpiUpload.objects.filter(pk=upload_id, status=Status.PROCESSING, started_at=claimed_at)
    return mine.update(finished_at=timezone.now(), **fields) == 1


def _ingest(upload: KpiUpload, claimed_at: datetime) -> None:
    limit = settings.KPI_UPLOAD_MAX_BYTES
    with upload.file.storage.open(upload.file.name, "rb") as handle:
        stream = getattr(handle, "file", handle)  # the real file: the parser wraps it in text
        try:
            table = open_kpi_file(
                stream=stream,
                filename=upload.original_name,
                max_bytes=limit,
                max_cells=settings.KPI_XLSX_MAX_CELLS,
            )
        except KpiFileError as exc:
            _raise_time_limit(exc)
            _refuse_file(upload.pk, claimed_at, str(exc), {})
            return
        described = {
            "format": table.format,
            "encoding": table.encoding or "",
            "delimiter": DELIMITER_NAMES.get(table.delimiter or "", ""),
            "decimal_mark": table.decimal_mark.value,
        }
        try:
            with transaction.atomic():
                stored = _store(upload, table)
                if not _finish(upload.pk, claimed_at, **described, **_done_fields(stored)):
                    raise _ClaimLost
                for hook in AFFECTED_MONTHS_HOOKS if stored.months else ():
                    # In the upload's transaction: what a hook records (the evaluation's
                    # requests) is committed with the values or not at all, never lost between.
                    hook(stored.months)
        except _Rejected as rejected:
            result = rejected.result
            count = len(result.problems) + result.more_problems
            _finish(upload.pk, claimed_at, **described, status=Status.FAILED,
                    failure=Failure.ROWS, rows=result.rows_read,
                    errors=[_problem(p.row, p.column, p.value, p.message) for p in result.problems],
                    errors_more=result.more_problems,
                    message=in_english(refused_message, problems=count,
                                       rows=result.rows_read))  # fmt: skip
        except KpiFileError as exc:  # the file broke after its start, e.g. an unclosed quote
            _raise_time_limit(exc)
            _refuse_file(upload.pk, claimed_at, str(exc), described)


def _raise_time_limit(exc: KpiFileError) -> None:
    """The workbook reader words any failure inside openpyxl as a damaged file; the time
    limit is not one."""
    if isinstance(exc.__cause__, SoftTimeLimitExceeded):
        raise exc.__cause__


def _done_fields(stored: _Stored) -> dict[str, Any]:
    return {
        "status": Status.DONE,
        "rows": stored.rows,
        "values_revised": stored.revised,
        "affected_months": [list(month) for month in stored.months],
        "message": in_english(
            done_message, rows=stored.rows, revised=stored.revised, months=len(stored.months)
        ),
    }


def _problem(row: int | None, column: str | None, value: str | None, message: str) -> dict:
    return {"row": row, "column": column, "value": value, "message": message}


def _refuse_file(upload_id: int, claimed_at: datetime, message: str, described: dict) -> None:
    _finish(upload_id, claimed_at, **described, status=Status.FAILED, failure=Failure.FILE,
            errors=[_problem(None, None, None, message)], message=message)  # fmt: skip


def _store(upload: KpiUpload, table: KpiTable) -> _Stored:
    """Store the valid rows and revise the months; raises _Rejected if any row is wrong."""
    contracts, ids = _contracts()

    def lookup(reference: str) -> ContractInfo | None:
        return contracts.get(reference.upper())

    read = _read_in_parts(upload, table, lookup, ids)
    if read is None:
        read = _read_in_one_pass(upload, table, lookup, ids)
    revised, affected, retired = _revise(upload.pk, read.months.results(), ids)
    if revised:
        _record_history(upload, retired)
    return _Stored(read.result.rows_read, revised, affected)


def _read_in_one_pass(
    upload: KpiUpload,
    table: KpiTable,
    lookup: Callable[[str], ContractInfo | None],
    ids: dict[str, int],
) -> RowsRead:
    months = MonthlyAccumulator()
    with raw_row_writer(upload.pk, ids) as write:

        def keep(batch: list[ParsedRow]) -> None:
            write(batch)
            months.add_many(batch)

        result = validate_file(
            rows=table.rows(),
            decimal_mark=table.decimal_mark,
            lookup_contract=lookup,
            vendor_id=upload.vendor_id,
            on_valid=keep,
            today=timezone.localdate(),
        )
        if not result.ok:
            raise _Rejected(result)
    return RowsRead(result, months)


class _OnePassInstead(Exception):
    """Rolls back what the parts of a file stored: it is read again in one pass."""


def _read_in_parts(
    upload: KpiUpload,
    table: KpiTable,
    lookup: Callable[[str], ContractInfo | None],
    ids: dict[str, int],
) -> RowsRead | None:
    """A large CSV read by KPI_PARSE_PROCESSES processes at once (kpis.ingestion.parts); None when
    it is small, cannot be cut by lines, or has a problem: then it is read in one pass."""
    processes = settings.KPI_PARSE_PROCESSES
    if (
        connection.vendor != "postgresql"
        or processes < 2
        or upload.size < settings.KPI_PARALLEL_MIN_BYTES
    ):
        return None
    try:
        with transaction.atomic():  # a savepoint: what the parts stored goes if they give up
            with copy_in(COPY_RAW) as copy:
                read = read_in_parts(
                    table=table,
                    processes=processes,
                    lookup_contract=lookup,
                    vendor_id=upload.vendor_id,
                    to_text=partial(copy_text, upload.pk, ids, {}),
                    write=copy.write,
                    today=timezone.localdate(),
                )
            if read is None:
                raise _OnePassInstead
    except _OnePassInstead:
        logger.info("KPI upload %s is read in one pass", upload.pk)
        return None
    return read


def _contracts() -> tuple[dict[str, ContractInfo], dict[str, int]]:
    """Every contract, by upper-cased reference, read once: rows are checked while COPY runs."""
    infos: dict[str, ContractInfo] = {}
    ids: dict[str, int] = {}
    fields = ("pk", "reference", "start_date", "end_date", "termination_date", "vendor_id")
    for pk, reference, start, end, terminated, vendor_id in Contract.objects.values_list(*fields):
        end = min(end, terminated) if terminated else end
        infos[reference.upper()] = ContractInfo(reference, start, end, vendor_id)
        ids[reference] = pk
    return infos, ids


# --- monthly values -------------------------------------------------------------------------


def _revise(
    upload_id: int, aggregates: list[MonthlyAggregate], ids: dict[str, int]
) -> tuple[int, list[tuple[int, str]], list[int]]:
    """Write a new revision of every month whose figure changed; (count, affected months,
    ids of the values the new revisions retired)."""
    fresh = {
        (ids[a.contract], date(a.year, a.month, 1), CHANNEL_TEXT[a.channel], a.metric): a
        for a in aggregates
    }
    _lock_contracts(sorted({key[0] for key in fresh}))
    current = _current_values(fresh)
    # A month an earlier upload touched is recomputed from every stored row of it.
    recomputed = _recompute([key for key in fresh if key in current])
    now = timezone.now()
    new: list[tuple] = []
    retired: list[int] = []
    for key, aggregate in fresh.items():
        old = current.get(key)
        figure = _figure(recomputed[key] if old else aggregate)
        if old is not None:
            if old[2:] == figure:
                continue
            retired.append(old[0])
        revision = old[1] + 1 if old else 1
        new.append((*key, *figure, revision, True, upload_id, now))
    for start in range(0, len(retired), 5000):
        KpiValue.objects.filter(pk__in=retired[start : start + 5000]).update(is_current=False)
    insert_values(new)
    months = sorted({(contract_id, period) for contract_id, period, *_ in new})
    affected = [(contract_id, f"{period:%Y-%m}") for contract_id, period in months]
    return len(new), affected, retired


def _record_history(upload: KpiUpload, retired: list[int]) -> None:
    """A history row for each monthly value this upload created (COPY skips save()), and one
    for each value it superseded, written by the database with INSERT ... SELECT."""
    user, reason, now = upload.created_by_id, f"KPI upload #{upload.pk}", timezone.now()
    for start in range(0, len(retired), 5000):
        history_insert_select(
            KpiValue.objects.filter(pk__in=retired[start : start + 5000]),
            update=True, user=user, reason=f"Superseded by {reason}", when=now,
        )  # fmt: skip
    history_insert_select(
        KpiValue.objects.filter(upload_id=upload.pk), update=False, user=user, reason=reason
    )


def _lock_contracts(contract_ids: list[int]) -> None:
    """Serialise uploads for the same contracts, in id order so that two never deadlock, and
    keep the contracts from being deleted until the values written for them are committed."""
    if connection.vendor != "postgresql":
        return  # SQLite runs one writing transaction at a time anyway
    with connection.cursor() as cursor:
        for contract_id in contract_ids:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_NAMESPACE + contract_id])
        # The database's foreign keys refuse a value whose contract is gone, at commit; this
        # lock keeps the contracts in place until then, and a deleted one fails the upload
        # here with a clear message instead of a constraint error.
        cursor.execute(
            "SELECT id FROM contracts_contract WHERE id = ANY(%s) FOR KEY SHARE",
            [contract_ids],
        )
        if len(cursor.fetchall()) != len(contract_ids):
            raise RuntimeError("A contract the file names was deleted while it was read.")


def _current_values(keys: dict[_Key, Any]) -> dict[_Key, tuple]:
    """(pk, revision, value, volume, rows, daily, note) of the current value of each key."""
    periods = [key[1] for key in keys]
    values = KpiValue.objects.filter(
        is_current=True,
        contract_id__in={key[0] for key in keys},
        period__gte=min(periods),
        period__lte=max(periods),
    ).values_list("contract_id", "period", "channel", "metric",
                  "pk", "revision", "value", "volume", "rows", "daily", "note")  # fmt: skip
    return {(c, p, ch, m): tuple(rest) for c, p, ch, m, *rest in values if (c, p, ch, m) in keys}


def _figure(aggregate: MonthlyAggregate) -> tuple:
    """(value, volume, rows, daily, note) as stored: a weighted mean from days to 4 decimals."""
    value = aggregate.value
    if value is not None and aggregate.daily and METRICS[aggregate.metric].needs_volume:
        value = value.quantize(_PLACES, rounding=ROUND_HALF_UP, context=_WIDE)
    return value, aggregate.volume, aggregate.rows, aggregate.daily, aggregate.reason or ""


def _recompute(keys: list[_Key]) -> dict[_Key, MonthlyAggregate]:
    """The figures of these months from the rows of every upload stored for them."""
    periods: dict[int, set[date]] = defaultdict(set)
    for contract_id, period, _channel, _metric in keys:
        periods[contract_id].add(period)
    wanted = set(keys)
    found: dict[_Key, list[tuple]] = defaultdict(list)
    for contract_id, months in periods.items():
        rows = KpiRawRow.objects.filter(contract_id=contract_id, period__in=months).values_list(
            "period", "channel", "metric", "day", "upload_id", "row", "value", "volume"
        )
        for period, channel, metric, *rest in rows.iterator(chunk_size=10_000):
            key = (contract_id, period, channel, metric)
            if key in wanted:
                found[key].append(tuple(rest))
    return {key: _aggregate(key, _pick(found[key])) for key in keys}


def _pick(rows: list[tuple]) -> list[tuple]:
    """The stored rows that make a month now: later uploads supersede earlier ones."""
    # A whole-month row replaces every row of the month uploaded before it; daily rows
    # uploaded after it replace it, day by day, the latest upload of each day winning.
    # Uploads are ordered by id, the order they were submitted in, whatever order they
    # were processed in.
    whole = max((r for r in rows if r[0] is None), key=lambda r: r[1], default=None)
    after = whole[1] if whole else 0
    days: dict[int, tuple] = {}
    for row in rows:
        day, upload_id = row[0], row[1]
        if day is not None and upload_id > after and upload_id >= days.get(day, (0, 0))[1]:
            days[day] = row
    if days:
        return list(days.values())
    return [whole] if whole else []


def _aggregate(key: _Key, rows: list[tuple]) -> MonthlyAggregate:
    contract_id, period, channel, metric = key
    blank = RawRow(0, "", "", "", "", "", "")
    months = MonthlyAccumulator()
    months.add_many(
        ParsedRow(number, str(contract_id), period.year, period.month, day,
                  Channel(channel) if channel else None, metric, value, volume, blank)
        for day, _upload, number, value, volume in rows
    )  # fmt: skip
    (aggregate,) = months.results()
    return aggregate
