"""Render a requested report once: claim the row, build, render, store with its SHA-256."""

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.jobs import job_claim
from core.spreadsheet import csv_bytes
from reports.kinds import ReportContent, kind_get
from reports.models import Report
from reports.pdf import PdfAttachment, html_to_pdf

logger = logging.getLogger(__name__)


def _claim(report_id: int) -> bool:
    """Take the row for this worker; exactly one worker wins, a finished row is never retaken
    (a rendering claimed longer ago than core.jobs.STALE_AFTER is retaken: its worker died)."""
    claimed = job_claim(
        Report, report_id, waiting=Report.Status.QUEUED, running=Report.Status.RENDERING
    )
    return claimed is not None


def figures_csv(content: ReportContent) -> bytes:
    """The report's figures as UTF-8 CSV, the attachment a reader can recompute from."""
    return csv_bytes(content.csv_header, content.csv_rows, lineterminator="\n")


def _render_pdf(report: Report, content: ReportContent) -> bytes:
    html = render_to_string(
        content.template,
        {
            **content.context,
            "report": report,
            "title": content.title,
            "revisions": content.revisions,
        },
    )
    attachment = PdfAttachment(
        name=f"report-{report.pk}-figures.csv",
        content=figures_csv(content),
        description=f"Figures of {content.title}",
    )
    return html_to_pdf(html=html, base_url=str(settings.BASE_DIR), attachments=[attachment])


def report_render(*, report_id: int) -> None:
    """Render and store a queued report; a duplicate or late message does nothing."""
    if not _claim(report_id):
        logger.info("report %s already claimed or finished", report_id)
        return
    report = Report.objects.get(pk=report_id)
    try:
        content = kind_get(report.kind).build(report.parameters)
        pdf = _render_pdf(report, content)
    except Exception as exc:  # noqa: BLE001 - recorded on the row for the user to read
        logger.exception("report %s failed", report_id)
        Report.objects.filter(pk=report_id).update(
            status=Report.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        return
    with transaction.atomic():
        report.file.save(f"report-{report.pk}.pdf", ContentFile(pdf), save=False)
        Report.objects.filter(pk=report_id, status=Report.Status.RENDERING).update(
            status=Report.Status.DONE,
            file=report.file.name,
            sha256=hashlib.sha256(pdf).hexdigest(),
            size=len(pdf),
            data_revisions=dict(content.revisions),
            finished_at=timezone.now(),
        )


def report_request(*, kind: str, parameters: dict, user) -> Report:
    """Check the request, create the row and queue its rendering once the row is committed."""
    from reports.services.requests import report_parameters
    from reports.tasks import render_report

    cleaned = report_parameters(kind=kind, data=parameters, user=user)
    report = Report.objects.create(kind=kind, parameters=cleaned, created_by=user)
    transaction.on_commit(lambda: render_report.delay(report.pk))
    return report
