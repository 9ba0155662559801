"""What background jobs share: the errors worth a retry, the broker's publishing retries, and
claiming a job's row with its owner and heartbeat (STYLE.md habits 3, 5 and 6).

A claim records who holds the row (`claimed_by`: host and process id, `task_id`) and when that
holder last proved alive (`heartbeat_at`, refreshed by `job_heartbeat` while the work runs). A
row is taken back from its holder at once when the holder is a process of this host that no
longer exists (a killed pool process, whose task the broker delivers again), or when its
heartbeat is older than JOB_DEAD_AFTER (a worker on another host died); a row claimed before
heartbeats existed (no heartbeat) goes stale after STALE_AFTER as before.
"""

import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.db.models import Model, Q
from django.utils import timezone

logger = logging.getLogger(__name__)

# Errors worth another attempt: the database went away or aborted us (deadlock, failover).
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
# Publishing a message: a broker that still refuses after about a second is taken as down.
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
# A claim with no heartbeat older than this belongs to a worker that died.
STALE_AFTER = timedelta(minutes=15)
# A queued row never handed to the broker (it was down) is queued again after this.
REQUEUE_AFTER = timedelta(seconds=60)


def job_owner() -> str:
    """This thread as a claim names it: `host:pid:thread`."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def dead_after() -> timedelta:
    """How old a heartbeat may get before its holder is taken as dead.

    SQLite (`make run`) writes one transaction at a time: a heartbeat waits while an ingestion
    holds the write lock, so only the process check and STALE_AFTER judge a claim there.
    """
    if connection.vendor != "postgresql":
        return STALE_AFTER
    return timedelta(seconds=settings.JOB_DEAD_AFTER_SECONDS)


def job_claim(
    model: type[Model],
    pk: int,
    *,
    waiting: str,
    running: str,
    task_id: str = "",
    **also: Any,
) -> datetime | None:
    """Take a job's row for this worker: the time of the claim, or None when a live worker
    has it or it is finished.

    A conditional UPDATE that must change exactly one row: the row is `waiting`, or `running`
    under a holder that is dead (see the module's docstring). It becomes `running` from now
    (`started_at`, `heartbeat_at`), owned by this process and task, with the `also` fields set
    in the same UPDATE.
    """
    now = timezone.now()
    claim = {
        "status": running,
        "started_at": now,
        "heartbeat_at": now,
        "claimed_by": job_owner(),
        "task_id": task_id or "",
        **also,
    }
    silent = Q(heartbeat_at__lt=now - dead_after()) | Q(
        heartbeat_at__isnull=True, started_at__lt=now - STALE_AFTER
    )
    claimable = Q(status=waiting) | (Q(status=running) & silent)
    rows = model._default_manager.filter(pk=pk)
    if rows.filter(claimable).update(**claim) == 1:
        return now
    holder = rows.filter(status=running).values_list("claimed_by", flat=True).first()
    if holder and _process_gone(holder):
        logger.warning("%s %s: its holder %s is gone; taken back", model.__name__, pk, holder)
        if rows.filter(status=running, claimed_by=holder).update(**claim) == 1:
            return now
    return None


def job_running(model: type[Model], pk: int, *, running: str) -> bool:
    """Whether another worker holds the row now (a task that could not claim it may wait)."""
    return model._default_manager.filter(pk=pk, status=running).exists()


def job_stranded(model: type[Model], *, waiting: str, running: str, now: datetime) -> Q:
    """The rows of a job model its re-queue job sends again: `waiting` rows the broker never got
    (not handed over within REQUEUE_AFTER) or lost (handed over STALE_AFTER ago), and `running`
    rows whose worker died (heartbeat older than `dead_after()`, no heartbeat for STALE_AFTER, or
    a holder process of this host that is gone)."""
    never_sent = Q(queued_at__isnull=True, created_at__lt=now - REQUEUE_AFTER)
    lost = Q(queued_at__lt=now - STALE_AFTER)
    silent = Q(heartbeat_at__lt=now - dead_after()) | Q(
        heartbeat_at__isnull=True, started_at__lt=now - STALE_AFTER
    )
    abandoned = (Q(status=running) & silent) | job_orphans(model, running=running)
    return (Q(status=waiting) & (never_sent | lost)) | abandoned


def job_orphans(model: type[Model], *, running: str) -> Q:
    """Rows `running` under a process of this host that is gone (a killed worker's main or
    pool process): the re-queue jobs hand them out at once, not after JOB_DEAD_AFTER."""
    held = model._default_manager.filter(status=running).exclude(claimed_by="")
    gone = [pk for pk, holder in held.values_list("pk", "claimed_by") if _process_gone(holder)]
    return Q(pk__in=gone)


def _process_gone(holder: str) -> bool:
    """True when `holder` (host:pid:thread) is a process or thread of this host that no
    longer runs."""
    host, pid, thread = (holder.rsplit(":", 2) + ["", ""])[:3]
    if host != socket.gethostname() or not pid.isdigit() or not thread.isdigit():
        return False  # another host: only its heartbeat can tell
    if int(pid) == os.getpid():
        # This process: the holder is gone unless it is another thread still running (a
        # thread pool); this very thread holding it means its earlier task ended without it.
        alive = {t.ident for t in threading.enumerate()} - {threading.get_ident()}
        return int(thread) not in alive
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _zombie(int(pid))


def _zombie(pid: int) -> bool:
    """A killed child its parent has not reaped yet still answers kill(0)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
        return stat.rpartition(")")[2].split()[0] == "Z"
    except OSError:
        return False


@contextmanager
def job_heartbeat(model: type[Model], pk: int, *, claimed_at: datetime) -> Iterator[None]:
    """Refresh the claim's `heartbeat_at` every JOB_HEARTBEAT_SECONDS while the block runs.

    A thread with its own database connection writes it, outside the work's transaction; it
    touches the row only while this claim (its `started_at`) still holds it.
    """
    stop = threading.Event()
    every = settings.JOB_HEARTBEAT_SECONDS

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    model._default_manager.filter(pk=pk, started_at=claimed_at).update(
                        heartbeat_at=timezone.now()
                    )
                except Exception:  # noqa: BLE001 - a missed beat only ages the heartbeat
                    logger.warning("heartbeat of %s %s not written", model.__name__, pk)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"heartbeat-{model.__name__}-{pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=every + 5)
