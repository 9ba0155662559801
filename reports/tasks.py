"""Background jobs of the reports app; thin, ids only."""

from celery import Task, shared_task

from reports.services.rendering import report_render, reports_requeue


@shared_task(name="reports.tasks.render_report", bind=True)
def render_report(self: Task, report_id: int) -> None:
    """Render a queued report; a redelivered message whose first run died takes it back."""
    report_render(report_id=report_id, task_id=self.request.id or "")


@shared_task(name="reports.tasks.requeue_reports")
def requeue_reports() -> int:
    """Beat job, every minute: reports the broker never got, or whose worker died."""
    return reports_requeue()
