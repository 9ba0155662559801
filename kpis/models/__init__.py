"""Models of the kpis app: uploads and the values they produced; evaluations of contract months."""

from kpis.models.disputes import Dispute
from kpis.models.evaluation import (
    Breach,
    ChronicFlag,
    Evaluation,
    EvaluationRequest,
    TargetResult,
    WaiverReevaluation,
)
from kpis.models.invoices import Invoice, InvoiceLine
from kpis.models.uploads import ExactDecimalField, KpiRawRow, KpiUpload, KpiValue

__all__ = [
    "Breach",
    "ChronicFlag",
    "Dispute",
    "Evaluation",
    "EvaluationRequest",
    "ExactDecimalField",
    "Invoice",
    "InvoiceLine",
    "KpiRawRow",
    "KpiUpload",
    "KpiValue",
    "TargetResult",
    "WaiverReevaluation",
]
