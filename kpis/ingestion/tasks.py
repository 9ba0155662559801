"""Background jobs of the ingestion; thin, ids only.

Registered under the names they had as `kpis.tasks` (queued messages and beat rows keep them);
KpisConfig.ready() imports this module, which is not an app's `tasks.py` that Celery finds.
"""

from celery import Task, shared_task

from core.jobs import TRANSIENT_ERRORS
from kpis.ingestion.service import (
    kpi_upload_give_up,
    kpi_upload_ingest,
    kpi_uploads_requeue,
)


class _IngestTask(Task):
    """Retries only transient database errors; when the retries run out the upload fails."""

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        upload_id = kwargs.get("upload_id", args[0] if args else None)
        if upload_id is not None:
            kpi_upload_give_up(upload_id=upload_id, reason=repr(exc))


@shared_task(
    name="kpis.tasks.ingest_upload",
    base=_IngestTask,
    bind=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def ingest_upload(self: Task, upload_id: int) -> None:
    """Ingest a queued KPI upload; a duplicated or late message does nothing, a redelivered
    one whose first run died takes the upload back."""
    kpi_upload_ingest(upload_id=upload_id, task_id=self.request.id or "")


@shared_task(name="kpis.tasks.requeue_uploads")
def requeue_uploads() -> int:
    """Beat job, every minute: uploads the broker never got, or whose worker died."""
    return kpi_uploads_requeue()
