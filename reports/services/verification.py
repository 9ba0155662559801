"""Read a report PDF's attached inputs and recompute its figures (manage.py report_verify)."""

import io
import json
from typing import Any

import pikepdf

from reports.domain.verify import Difference, UnreadableInputs, verify_document

INPUTS_SUFFIX = "_inputs.json"


def report_inputs_from_pdf(data: bytes) -> dict[str, Any]:
    """The JSON document of every input and result, as attached to the report's PDF."""
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as error:
        raise UnreadableInputs(f"not a readable PDF: {error}") from None
    with pdf:
        found = [name for name in pdf.attachments if name.endswith(INPUTS_SUFFIX)]
        if len(found) != 1:
            raise UnreadableInputs(f"expected one attached *{INPUTS_SUFFIX}, found {len(found)}")
        raw = pdf.attachments[found[0]].get_file().read_bytes()
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnreadableInputs(f"the attached JSON cannot be read: {error}") from None
    if not isinstance(document, dict):
        raise UnreadableInputs("the attached JSON is not an object")
    return document


def report_verify(*, data: bytes) -> list[Difference]:
    """The differences between the report's stated results and what its inputs give."""
    return verify_document(report_inputs_from_pdf(data))
