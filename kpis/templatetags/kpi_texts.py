"""`{{ message|kpi_message }}`: a stored KPI file, row or finding message in the reader's
language (kpis.ingestion.shown)."""

from django import template

from kpis.evaluation.rules import TargetStatus
from kpis.ingestion.outcome import upload_outcome
from kpis.ingestion.shown import shown

register = template.Library()


@register.filter
def kpi_message(message: str | None) -> str:
    """The stored English message, translated."""
    return shown(message or "")


@register.filter
def kpi_outcome(upload) -> str:
    """The upload's outcome in a sentence, translated."""
    return upload_outcome(upload)


@register.filter
def target_status(code: str | None) -> str:
    """A target status code (met, warning, breach, missing) in words."""
    try:
        return TargetStatus(code).label
    except ValueError:
        return code or ""
