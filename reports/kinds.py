"""The report kinds: each builds its content (context, figures as CSV, data revisions)."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SourceFile:
    """A file a report's figures come from, attached to the PDF as it was received."""

    name: str  # as attached: "source-1_NWC-NL-01-2026-07.csv"
    content: bytes
    mime_type: str
    description: str


@dataclass(frozen=True)
class ReportContent:
    """What a kind's context builder returns: the template's context and the attached figures."""

    title: str
    template: str
    context: Mapping[str, Any]
    csv_header: list[str]
    csv_rows: list[list[str]]
    revisions: Mapping[str, Any] = field(default_factory=dict)
    # Every input and result the report used, attached as JSON (docs/reports.md has the schema);
    # `report_verify` recomputes the results from the inputs with the pure domain functions.
    inputs: Mapping[str, Any] = field(default_factory=dict)
    # What the file is, e.g. "NWC-NL-01_ROI_2025-11_2026-11" (the report id is appended).
    file_stem: str = ""
    # The files the figures were read from (e.g. the month's KPI uploads), attached as they
    # were received, with the PDF/A-3 relationship /Source.
    sources: Sequence[SourceFile] = ()


@dataclass(frozen=True)
class ReportKindSpec:
    """How one kind of report is built from its parameters."""

    build: Callable[[Mapping[str, Any]], ReportContent]


_KINDS: dict[str, ReportKindSpec] = {}


def kind_register(*, kind: str, spec: ReportKindSpec) -> None:
    """Register the builder of a kind (called from an AppConfig.ready)."""
    _KINDS[kind] = spec


def kind_get(kind: str) -> ReportKindSpec:
    """The builder of a kind; KeyError when none is registered."""
    return _KINDS[kind]
