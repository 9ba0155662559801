"""Render a requested report once: claim the row, build, render, store with its SHA-256."""

import csv
import hashlib
import io
import json
import logging
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise

from core.jobs import job_claim
from reports.kinds import ReportContent, kind_get
from reports.models import Report
from reports.pdf import PdfAttachment, PdfIdentity, html_to_pdf

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
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(content.csv_header)
    writer.writerows(content.csv_rows)
    return buffer.getvalue().encode("utf-8")


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
            },
        )
    )
    attachments = [
        PdfAttachment(
            name=csv_name,
            content=figures_csv(content),
            description=f"Figures of {content.title}",
            mime_type="text/csv",
            relationship="Data",
        ),
        PdfAttachment(
            name=inputs_name,
            content=inputs,
            description=f"Every input and result of {content.title} ({INPUTS_SCHEMA})",
            mime_type="application/json",
            relationship="Data",
        ),
    ]
    return html_to_pdf(
        html=html,
        base_url=str(settings.BASE_DIR),
        attachments=attachments,
        identity=_identity(report, inputs_sha256),
    )


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
        report.file.save(report_file_name(report, content), ContentFile(pdf), save=False)
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
