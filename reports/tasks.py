"""Background jobs of the reports app; thin, ids only."""

from celery import shared_task

from reports.services.rendering import report_render


@shared_task
def render_report(report_id: int) -> None:
    """Render a queued report."""
    report_render(report_id=report_id)
