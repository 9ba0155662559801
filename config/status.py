"""What the status page and GET /api/v1/status/ show: the database, the broker, each queue's
depth and oldest waiting job, and how long ago a worker and beat last proved alive."""

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Min
from django.utils import timezone

from config.celery import app

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueueStatus:
    name: str
    depth: int | None  # messages waiting in the broker; None when it cannot be read
    oldest_age_s: float | None  # the oldest waiting job's age; None when nothing waits
    worker_heartbeat_age_s: float | None  # None: no worker ever ran this queue's heartbeat


def database_ok() -> bool:
    """The database answers a query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "down"
        return False


def broker_ok() -> bool:
    """The broker accepts a connection within BROKER_HEALTH_TIMEOUT seconds."""
    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.BROKER_HEALTH_TIMEOUT)
            conn.default_channel  # noqa: B018 - opens a channel, proving the broker answers
        return True
    except Exception:  # noqa: BLE001 - any failure means "down"
        return False


def system_status() -> dict:
    """The whole picture, in the shape of GET /api/v1/status/."""
    now = timezone.now()
    database = database_ok()
    broker = broker_ok()
    depths = _broker_depths() if broker else {}
    beats = _heartbeats(now) if database else {}
    oldest = _oldest_waiting(now) if database else {}
    queues = [
        QueueStatus(
            name=name,
            depth=depths.get(name, (None, None))[0],
            oldest_age_s=_older(depths.get(name, (None, None))[1], oldest.get(name)),
            worker_heartbeat_age_s=beats.get(f"worker:{name}"),
        )
        for name in settings.JOB_QUEUES
    ]
    worker_ages = [q.worker_heartbeat_age_s for q in queues]
    return {
        "database": "ok" if database else "down",
        "broker": "ok" if broker else "down",
        "queues": [q.__dict__ for q in queues],
        # The queue whose worker was heard from longest ago: one dead worker shows.
        "worker_heartbeat_age_s": None if None in worker_ages else max(worker_ages, default=None),
        "beat_heartbeat_age_s": beats.get("beat"),
    }


def _older(a: float | None, b: float | None) -> float | None:
    ages = [age for age in (a, b) if age is not None]
    return max(ages) if ages else None


def _heartbeats(now: datetime) -> dict[str, float]:
    from accounts.models import Heartbeat

    return {
        name: round((now - beat_at).total_seconds(), 1)
        for name, beat_at in Heartbeat.objects.values_list("name", "beat_at")
    }


def _oldest_waiting(now: datetime) -> dict[str, float]:
    """The oldest job row of each queue still waiting for a worker, from our own tables."""
    from kpis.evaluation.requests import oldest_waiting_request
    from kpis.models import KpiUpload, WaiverReevaluation
    from outbox.models import OutboxMail
    from reports.models import Report

    firsts = {
        "ingestion": KpiUpload.objects.filter(status=KpiUpload.Status.QUEUED),
        "evaluation": WaiverReevaluation.objects.filter(status=WaiverReevaluation.Status.QUEUED),
        "reports": Report.objects.filter(status=Report.Status.QUEUED),
        "email": OutboxMail.objects.filter(status=OutboxMail.Status.PENDING),
    }
    ages = {}
    for name, rows in firsts.items():
        first = rows.aggregate(first=Min("created_at"))["first"]
        if first is not None:
            ages[name] = round(max((now - first).total_seconds(), 0), 1)
    # Contract months waiting to be evaluated (after an ingestion, the monthly job).
    waiting = oldest_waiting_request(now)
    if waiting is not None:
        ages["evaluation"] = max(ages.get("evaluation", 0), waiting)
    return ages


def _broker_depths() -> dict[str, tuple[int | None, float | None]]:
    """(messages waiting, the oldest one's age where the broker tells) per queue."""
    try:
        if settings.CELERY_BROKER_URL.startswith("filesystem"):
            return _filesystem_depths()
        if settings.CELERY_BROKER_URL.startswith(("redis", "rediss")):
            return _redis_depths()
    except Exception:  # noqa: BLE001 - a depth that cannot be read is shown as unknown
        logger.warning("queue depths not read", exc_info=True)
    return {}


def _filesystem_depths() -> dict[str, tuple[int | None, float | None]]:
    folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
    found: dict[str, list[float]] = {name: [] for name in settings.JOB_QUEUES}
    for path in folder.glob("*.msg"):
        queue = path.name.rsplit(".", 2)[-2]
        if queue in found:
            try:
                found[queue].append(path.stat().st_mtime)
            except FileNotFoundError:  # consumed meanwhile
                continue
    now = time.time()
    return {
        name: (len(times), round(now - min(times), 1) if times else None)
        for name, times in found.items()
    }


def _redis_depths() -> dict[str, tuple[int | None, float | None]]:
    """LLEN of each queue's lists (one per priority step); Redis keeps no message time."""
    with app.connection_for_read() as conn:
        conn.ensure_connection(max_retries=1, timeout=settings.BROKER_HEALTH_TIMEOUT)
        channel = conn.default_channel
        client = channel.client
        return {
            name: (
                sum(
                    int(client.llen(channel._q_for_pri(name, pri)))
                    for pri in channel.priority_steps
                ),
                None,
            )
            for name in settings.JOB_QUEUES
        }
