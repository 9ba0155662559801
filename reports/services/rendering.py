"""Render a requested report once: claim the row, build, render, store with its SHA-256.

A request keeps its row even when the broker is down: `report_queue` logs the refusal and the
re-queue job (beat, every minute) hands the row out again, as KPI uploads are.
"""

import hashlib
import json
import logging
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from core.i18n import language_of, supported
from core.jobs import PUBLISH_RETRY, job_claim, job_heartbeat, job_stranded
from core.spreadsheet import MACHINE, csv_bytes
from reports.kinds import ReportContent, kind_get
from reports.models import Report
from reports.pdf import PdfAttachment, PdfIdentity, html_to_pdf

logger = logging.getLogger(__name__)

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
    """The report's figures as UTF-8 CSV, the attachment a reader can recompute from; always in
    the machine convention (`,` and a decimal point) whatever the report's language, since
    programs (report_verify) read it (docs/reports.md)."""
    return csv_bytes(content.csv_header, content.csv_rows, lineterminator="\n", convention=MACHINE)


# The attached JSON's schema (docs/reports.md); a change of shape bumps the number.
INPUTS_SCHEMA = "bposla-report-inputs/1"


def _plain(value: Any) -> Any:
    """JSON for what the builders hold: Decimal as an exact string, dates ISO, enums by value."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Promise):  # a lazily translated label
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def inputs_document(report: Report, content: ReportContent) -> dict[str, Any]:
    """The attached JSON: the report's identity, the data revisions, every input and result."""
    return {
        "schema": INPUTS_SCHEMA,
        "report": {
            "id": report.pk,
            "kind": report.kind,
            "parameters": report.parameters,
            "requested_by": report.created_by.username if report.created_by else None,
            "requested_at": report.created_at,
        },
        "data_revisions": content.revisions,
        **content.inputs,
    }


def inputs_json(document: dict[str, Any]) -> bytes:
    """Canonical bytes: sorted keys, so the same inputs always give the same file."""
    text = json.dumps(document, default=_plain, sort_keys=True, indent=1, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def report_file_name(report: Report, content: ReportContent, suffix: str = ".pdf") -> str:
    """A name that says what the file is: reference, kind, period, then the report id."""
    stem = content.file_stem or f"{report.kind.upper()}"
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-") or "report"
    return f"{stem}_r{report.pk}{suffix}"


def _identity(report: Report, inputs_sha256: str) -> PdfIdentity:
    """The PDF's date and /ID from the stored row and its inputs, never from the wall clock."""
    seed = f"report:{report.pk}:{report.created_at.isoformat()}:{inputs_sha256}"
    return PdfIdentity(
        created=report.created_at, identifier=hashlib.sha256(seed.encode()).hexdigest()[:32]
    )


# Only pygal's own ids ("chart-<uuid>"): a uuid in data (a file name) is printed as it is.
_RANDOM_ID = re.compile(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _stable_ids(html: str) -> str:
    """Charts (pygal) draw a random uuid into their ids; number them in order instead, so the
    same report renders to the same bytes."""
    numbers: dict[str, str] = {}
    return _RANDOM_ID.sub(lambda m: numbers.setdefault(m[0], f"chart-{len(numbers) + 1}"), html)


def _render_pdf(report: Report, content: ReportContent) -> bytes:
    from reports.selectors import report_parameter_lines

    report_parameter_lines([report])
    inputs = inputs_json(inputs_document(report, content))
    inputs_sha256 = hashlib.sha256(inputs).hexdigest()
    inputs_name = report_file_name(report, content, "_inputs.json")
    csv_name = report_file_name(report, content, "_figures.csv")
    html = _stable_ids(
        render_to_string(
            content.template,
            {
                **content.context,
                "report": report,
                "title": content.title,
                "revisions": content.revisions,
                "inputs_name": inputs_name,
                "inputs_sha256": inputs_sha256,
                "csv_name": csv_name,
                "source_names": [source.name for source in content.sources],
            },
        )
    )
    attachments = [
        PdfAttachment(
            name=csv_name,
            content=figures_csv(content),
            description=_("Figures of %(title)s") % {"title": content.title},
            mime_type="text/csv",
            relationship="Data",
        ),
        PdfAttachment(
            name=inputs_name,
            content=inputs,
            description=_("Every input and result of %(title)s (%(schema)s)")
            % {"title": content.title, "schema": INPUTS_SCHEMA},
            mime_type="application/json",
            relationship="Data",
        ),
        *(
            PdfAttachment(
                name=source.name,
                content=source.content,
                description=source.description,
                mime_type=source.mime_type,
                relationship="Source",
            )
            for source in content.sources
        ),
    ]
    return html_to_pdf(
        html=html,
        base_url=str(settings.BASE_DIR),
        attachments=attachments,
        identity=_identity(report, inputs_sha256),
    )


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
        speaking = translation.override(supported(report.language) or settings.LANGUAGE_CODE)
        with job_heartbeat(Report, report_id, claimed_at=claimed_at), speaking:
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
        report.file.save(report_file_name(report, content), ContentFile(pdf), save=False)
        mine.update(
            status=Report.Status.DONE,
            file=report.file.name,
            sha256=hashlib.sha256(pdf).hexdigest(),
            size=len(pdf),
            data_revisions=dict(content.revisions),
            finished_at=timezone.now(),
        )


def report_request(*, kind: str, parameters: dict, user, language: str | None = None) -> Report:
    """Check the request, create the row and queue its rendering once the row is committed.

    The report is written in `language` (a page or an API call passes the one it answers in),
    else in the requester's saved language (core.i18n), and records which."""
    from reports.services.requests import report_parameters

    cleaned = report_parameters(kind=kind, data=parameters, user=user)
    language = supported(language) or language_of(user)
    report = Report.objects.create(
        kind=kind, parameters=cleaned, created_by=user, language=language
    )
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
    waiting = Report.objects.filter(
        job_stranded(Report, waiting=Report.Status.QUEUED, running=Report.Status.RENDERING, now=now)
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
