"""Reading a large CSV KPI file in several processes at once.

A million-row file spends nearly all of its ingestion time in Python, checking its rows one by
one (docs/benchmarks.md "KPI ingestion"). When a file can be cut by lines
(`kpis.ingestion.csv_file.csv_parts`: no quotes, one line per row), each part is read and checked
by the same `validate_file` in a forked process. The parts send the COPY text of their valid
rows as they go; the parent writes it into its own transaction as it arrives, and once every
part is done merges what they saw: the periods each gave (`merge_seen`) and their exact monthly
sums (`MonthlyAccumulator.merge`).

It is only ever a faster way to the same answer. A part with a row problem, two parts giving the
same period, or a part failing in any way make `read_in_parts` return None; the caller then
discards what the parts stored and reads the file again in one pass, which words every problem
as it always has.

The children are forked with os.fork, not multiprocessing: a Celery prefork worker runs tasks in
a daemonic process, which multiprocessing forbids to have children. They never touch the
database, and end with os._exit, so nothing of the parent (its connection, its files) is closed
or flushed by them.
"""

import contextlib
import logging
import os
import pickle
import selectors
import signal
import struct
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import NoReturn

from kpis.ingestion.aggregation import MonthlyAccumulator
from kpis.ingestion.csv_file import CsvPart, csv_part_rows, csv_parts
from kpis.ingestion.rows import ParsedRow
from kpis.ingestion.table import KpiTable
from kpis.ingestion.validation import (
    ContractInfo,
    SeenRows,
    ValidationResult,
    merge_seen,
    validate_file,
)

logger = logging.getLogger(__name__)

_Outcome = tuple[ValidationResult, SeenRows, MonthlyAccumulator]  # what a part sends at its end
_FRAME = struct.Struct("!cQ")  # kind, payload length
_TEXT, _DONE = b"T", b"D"
_READ = 1 << 20
_FRAME_BYTES = 1 << 18


@dataclass(frozen=True)
class RowsRead:
    """A file's rows, checked: the verdict and the monthly sums of its valid rows."""

    result: ValidationResult
    months: MonthlyAccumulator


def read_in_parts(
    *,
    table: KpiTable,
    processes: int,
    lookup_contract: Callable[[str], ContractInfo | None],
    vendor_id: int | None,
    to_text: Callable[[list[ParsedRow]], bytes],
    write: Callable[[bytes], None],
    today: date | None = None,
) -> RowsRead | None:
    """Check the file's rows in `processes` parts at once, writing each batch of valid rows'
    to_text with `write`; None when the file must be read in one pass instead (it cannot be
    cut by lines, or a part found a problem or failed). Then what `write` got is to go."""
    parts = csv_parts(table, processes)
    if parts is None:
        return None
    children: dict[int, int] = {}  # read end of the child's pipe -> its pid
    done = False
    try:
        for part in parts:
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_end)
                for earlier in children:
                    os.close(earlier)
                _child(part, write_end, table, lookup_contract, vendor_id, to_text, today)
            os.close(write_end)
            children[read_end] = pid
        outcomes = _gather(children, write)
        done = outcomes is not None
    finally:
        _reap(children, kill=not done)
    if outcomes is None:
        return None
    return _merged(outcomes)


def _child(
    part: CsvPart,
    fd: int,
    table: KpiTable,
    lookup_contract: Callable[[str], ContractInfo | None],
    vendor_id: int | None,
    to_text: Callable[[list[ParsedRow]], bytes],
    today: date | None,
) -> NoReturn:
    code = 1
    try:
        months, seen = MonthlyAccumulator(), SeenRows()
        # validate_file hands over small batches; their text goes through the pipe in
        # frames of about _FRAME_BYTES, so that the parent wakes up less often.
        texts: list[bytes] = []
        pending = 0

        def keep(batch: list[ParsedRow]) -> None:
            nonlocal pending
            text = to_text(batch)
            texts.append(text)
            pending += len(text)
            if pending >= _FRAME_BYTES:
                send_texts()
            months.add_many(batch)

        def send_texts() -> None:
            nonlocal pending
            _send(fd, _TEXT, b"".join(texts))
            texts.clear()
            pending = 0

        result = validate_file(
            rows=csv_part_rows(table, part),
            decimal_mark=table.decimal_mark,
            lookup_contract=lookup_contract,
            vendor_id=vendor_id,
            today=today,
            on_valid=keep,
            max_problems=1,  # one says that the file is read again in one pass
            seen=seen,
        )
        if texts:
            send_texts()
        _send(fd, _DONE, pickle.dumps((result, seen, months), pickle.HIGHEST_PROTOCOL))
        code = 0
    except BaseException:  # noqa: BLE001, S110 - the parent sees no result and reads in one pass
        pass
    finally:
        os._exit(code)


def _send(fd: int, kind: bytes, payload: bytes) -> None:
    view = memoryview(_FRAME.pack(kind, len(payload)) + payload)
    while view:
        view = view[os.write(fd, view) :]


def _gather(children: dict[int, int], write: Callable[[bytes], None]) -> list[_Outcome] | None:
    """Pass on the parts' COPY text as it comes; each part's outcome, in file order, or None
    as soon as one part found a problem, or when one ended without its outcome."""
    outcomes: dict[int, _Outcome] = {}
    buffers = {fd: bytearray() for fd in children}
    with selectors.DefaultSelector() as selector:
        for fd in children:
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map():
            for key, _events in selector.select():
                chunk = os.read(key.fd, _READ)
                if not chunk:
                    selector.unregister(key.fd)
                    continue
                buffer = buffers[key.fd]
                buffer += chunk
                while len(buffer) >= _FRAME.size:
                    kind, length = _FRAME.unpack_from(buffer)
                    end = _FRAME.size + length
                    if len(buffer) < end:
                        break
                    payload = bytes(buffer[_FRAME.size : end])
                    del buffer[:end]
                    if kind == _TEXT:
                        write(payload)
                        continue
                    # Our own forked child's bytes, through our own pipe.
                    outcome = pickle.loads(payload)  # noqa: S301
                    if not outcome[0].ok:
                        return None
                    outcomes[key.fd] = outcome
    if len(outcomes) != len(children):
        logger.warning("A part of a KPI file ended without its outcome; reading in one pass")
        return None
    return [outcomes[fd] for fd in children]


def _reap(children: dict[int, int], *, kill: bool) -> None:
    for fd, pid in children.items():
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os.close(fd)
        # A SIGCHLD handler of the host process (a worker pool) may have reaped it already.
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def _merged(outcomes: list[_Outcome]) -> RowsRead | None:
    seen: SeenRows = {}
    months = MonthlyAccumulator()
    read = valid = 0
    for result, part_seen, part_months in outcomes:
        if not merge_seen(seen, part_seen):
            return None
        months.merge(part_months)
        read += result.rows_read
        valid += result.rows_valid
    return RowsRead(ValidationResult([], 0, read, valid), months)
