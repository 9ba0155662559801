"""The Celery application: settings come from Django's (namespace CELERY), tasks from the apps.

Queues, routes and time limits are in config/settings.py (JOB_QUEUES). Beat records its own
heartbeat each time it sends a job (the status page shows its age).
"""

import logging
import os
import time

from celery import Celery
from celery.signals import beat_init, before_task_publish, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)
_beat = {"running": False, "written": 0.0}


@beat_init.connect
def _beat_started(sender=None, **kwargs) -> None:
    _beat["running"] = True
    _beat_heartbeat()


@before_task_publish.connect
def _beat_sends(sender=None, **kwargs) -> None:
    if _beat["running"] and time.monotonic() - _beat["written"] > 5:
        _beat_heartbeat()


def _beat_heartbeat() -> None:
    from accounts.tasks import heartbeat_record

    try:
        heartbeat_record(name="beat")
        _beat["written"] = time.monotonic()
    except Exception:  # noqa: BLE001 - the database may be down; beat goes on
        logger.warning("beat heartbeat not written")


# Jobs a dead worker left behind are handed out as soon as a worker is back, not at beat's
# next run (the re-queue jobs take rows whose holder process is gone at once: core.jobs).
REQUEUE_TASKS = (
    "kpis.tasks.requeue_uploads",
    "reports.tasks.requeue_reports",
    "kpis.requeue_waivers",
    "kpis.requeue_evaluations",
    "outbox.tasks.requeue_mail",
)


@worker_ready.connect
def _requeue_on_start(sender=None, **kwargs) -> None:
    for name in REQUEUE_TASKS:
        try:
            app.send_task(name)
        except Exception:  # noqa: BLE001 - the broker may be down; beat runs them anyway
            logger.warning("%s not sent at worker start", name)
