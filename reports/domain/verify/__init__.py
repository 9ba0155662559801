"""Recompute a report's figures from the JSON attached to its PDF (docs/reports.md).

An auditor's check, as code: read the inputs the report says it used, recompute every result
with the product's pure domain functions (the same ones that produced the report) and name
each figure that differs, with the inputs it is computed from. No Django, no I/O. One module
per kind of report.
"""

from collections.abc import Callable, Mapping
from typing import Any

from reports.domain.verify.common import SCHEMA, Difference, UnreadableInputs
from reports.domain.verify.comparison import verify_comparison
from reports.domain.verify.roi import verify_roi
from reports.domain.verify.scorecard import verify_scorecard
from reports.domain.verify.sla import verify_sla

__all__ = ["SCHEMA", "Difference", "UnreadableInputs", "verify_document"]

VERIFIERS: dict[str, Callable[[Mapping[str, Any]], list[Difference]]] = {
    "roi": verify_roi,
    "sla": verify_sla,
    "comparison": verify_comparison,
    "scorecard": verify_scorecard,
}


def verify_document(document: Mapping[str, Any]) -> list[Difference]:
    """Every difference between the document's results and what its inputs give."""
    if document.get("schema") != SCHEMA:
        raise UnreadableInputs(f"schema {document.get('schema')!r} is not {SCHEMA!r}")
    kind = document.get("report", {}).get("kind")
    verifier = VERIFIERS.get(str(kind))
    if verifier is None:
        raise UnreadableInputs(f"reports of kind {kind!r} cannot be recomputed yet")
    try:
        return verifier(document)
    except (KeyError, TypeError) as error:
        raise UnreadableInputs(f"the inputs lack {error}") from None
