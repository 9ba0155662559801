"""The KPI upload form, and the upload handler that keeps an oversized file from being stored."""

from django import forms
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext_lazy as _

from core.formatting import number
from kpis.ingestion.service import size_refusal
from kpis.ingestion.shown import shown

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCEPT = f".csv,.txt,.tsv,.xlsx,text/csv,{XLSX_TYPE}"


class UploadLimitHandler(FileUploadHandler):
    """Stops keeping a file once it passes KPI_UPLOAD_MAX_BYTES: nothing of it reaches the disk."""

    # Put it first in request.upload_handlers before the body is read; `refusal` then says why
    # the file is missing from request.FILES. The Content-Length tells early on.

    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.limit: int = settings.KPI_UPLOAD_MAX_BYTES
        self.body_length = 0
        self.refusal: str | None = None

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.body_length = content_length or 0

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            # The exact size is never known: the rest is skipped unread into any file.
            size = max(self.body_length, start + len(raw_data))
            self.refusal = shown(size_refusal(size, self.limit, approximate=True))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


class KpiUploadForm(forms.Form):
    """One KPI file, CSV or XLSX."""

    file = forms.FileField(
        label=_("KPI file"),
        allow_empty_file=True,  # an empty file is refused by the ingestion, with its reason
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("CSV (comma, semicolon or tab) or XLSX; see the columns below."),
    )

    def __init__(self, *args, limit: UploadLimitHandler | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limit = limit
        self.fields["file"].help_text = _(
            "CSV (comma, semicolon or tab) or XLSX; see the columns below. At most "
            "%(megabytes)s MB; a workbook's first sheet at most %(cells)s cells (a larger "
            "one: split it, or save it as CSV)."
        ) % {
            "megabytes": number(round(settings.KPI_UPLOAD_MAX_BYTES / 1_000_000)),
            "cells": number(settings.KPI_XLSX_MAX_CELLS),
        }

    def full_clean(self) -> None:
        super().full_clean()
        # A skipped file is missing from FILES, so "required" would hide the real reason.
        if self.limit is not None and self.limit.refusal and self.is_bound:
            self._errors["file"] = self.error_class([self.limit.refusal])
