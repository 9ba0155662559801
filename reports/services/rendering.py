"""Render a requested report once: claim the row, build, render, store with its SHA-256.

A request keeps its row even when the broker is down: `report_queue` logs the refusal and the
re-queue job (beat, every minute) hands the row out again, as KPI uploads are.
"""

import hashlib
import logging
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import PUBLISH_RETRY, STALE_AFTER, dead_after, job_claim, job_heartbeat, job_orphans
from core.spreadsheet import csv_bytes
from reports.kinds import ReportContent, kind_get
from reports.models import Report
from reports.pdf import PdfAttachment, html_to_pdf

logger = logging.getLogger(__name__)

# A queued report never handed to the broker (it was down) is queued again after this.
REQUEUE_AFTER = timedelta(seconds=60)
# Claims of one report after which the re-queue job fails it instead (its workers keep dying).
MAX_ATTEMPTS = 3


def _claim(report_id: int, task_id: str = "") -> datetime | None:
    """Take the row for this worker; exactly one worker wins, a finished row is never retaken
    (a rendering whose worker died is retaken: core.jobs)."""
    return job_claim(
        Report,
        report_id,
        waiting=Report.Status.QUEUED,
        running=Report.Status.RENDERING,
        task_id=task_id,
        attempts=F("attempts") + 1,
    )


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


def report_render(*, report_id: int, task_id: str = "") -> None:
    """Render and store a queued report; a duplicate or late message does nothing."""
    claimed_at = _claim(report_id, task_id)
    if claimed_at is None:
        logger.info("report %s already claimed or finished", report_id)
        return
    report = Report.objects.get(pk=report_id)
    mine = Report.objects.filter(
        pk=report_id, status=Report.Status.RENDERING, started_at=claimed_at
    )
    try:
        with job_heartbeat(Report, report_id, claimed_at=claimed_at):
            content = kind_get(report.kind).build(report.parameters)
            pdf = _render_pdf(report, content)
    except SoftTimeLimitExceeded:
        logger.error("report %s ran past its time limit", report_id)
        mine.update(
            status=Report.Status.FAILED, error=time_limit_refusal(), finished_at=timezone.now()
        )
        return
    except Exception as exc:  # noqa: BLE001 - recorded on the row for the user to read
        logger.exception("report %s failed", report_id)
        mine.update(status=Report.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        return
    with transaction.atomic():
        report.file.save(f"report-{report.pk}.pdf", ContentFile(pdf), save=False)
        mine.update(
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

    cleaned = report_parameters(kind=kind, data=parameters, user=user)
    report = Report.objects.create(kind=kind, parameters=cleaned, created_by=user)
    transaction.on_commit(lambda: report_queue(report_id=report.pk), robust=True)
    return report


def time_limit_refusal() -> str:
    """Why a report that ran past the reports queue's soft time limit failed."""
    seconds = settings.JOB_SOFT_TIME_LIMITS["reports"]
    return _(
        "Rendering stopped: it took longer than the limit of %(seconds)s seconds. Request "
        "a shorter range of months, or ask an administrator to raise JOB_SOFT_LIMIT_REPORTS."
    ) % {"seconds": f"{seconds:,}"}


def report_queue(*, report_id: int) -> bool:
    """Hand a report to the broker; when it is down the row stays queued for the re-queue job."""
    from reports.tasks import render_report

    try:
        render_report.apply_async((report_id,), retry=True, retry_policy=PUBLISH_RETRY)
    except Exception:  # kombu's OperationalError, or whatever a broken transport raises
        logger.warning("report %s stays queued: the broker is unreachable", report_id)
        return False
    Report.objects.filter(pk=report_id).update(queued_at=timezone.now())
    return True


def reports_requeue(*, now: datetime | None = None) -> int:
    """Queue again reports the broker never got or lost, or whose worker died; how many."""
    now = now or timezone.now()
    never_sent = Q(queued_at__isnull=True, created_at__lt=now - REQUEUE_AFTER)
    lost = Q(queued_at__lt=now - STALE_AFTER)
    abandoned = Q(status=Report.Status.RENDERING) & (
        Q(heartbeat_at__lt=now - dead_after())
        | Q(heartbeat_at__isnull=True, started_at__lt=now - STALE_AFTER)
    ) | job_orphans(Report, running=Report.Status.RENDERING)
    waiting = Report.objects.filter(
        (Q(status=Report.Status.QUEUED) & (never_sent | lost)) | abandoned
    )
    given_up = waiting.filter(attempts__gte=MAX_ATTEMPTS)
    given_up.update(
        status=Report.Status.FAILED,
        error=_("Rendering failed: the worker rendering it stopped %(count)s times.")
        % {"count": MAX_ATTEMPTS},
        finished_at=now,
    )
    sent = 0
    for report_id in waiting.order_by("pk").values_list("pk", flat=True)[:500]:
        if not report_queue(report_id=report_id):
            break  # the broker is still down: the next run tries again
        sent += 1
    return sent
