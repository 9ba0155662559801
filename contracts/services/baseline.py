"""Writes and reads of a contract's in-house baseline."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from contracts.domain.baseline import (
    BaselineBreakdown,
    BaselineInvalid,
    BaselineParts,
    baseline_breakdown,
)
from contracts.models import Baseline, Contract
from core.catalogue import METRICS


def baseline_parts(baseline: Baseline) -> BaselineParts | None:
    """The stored parts as the pure module's dataclass, or None when an amount was stated."""
    if baseline.monthly_amount is not None:
        return None
    return BaselineParts(**{name: getattr(baseline, name) for name in Baseline.PARTS})


def baseline_of(baseline: Baseline) -> BaselineBreakdown:
    """The monthly in-house amount with its part-by-part breakdown."""
    return baseline_breakdown(
        monthly_amount=baseline.monthly_amount, parts=baseline_parts(baseline)
    )


def _kpi_problems(kpis: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for metric, value in kpis.items():
        entry = METRICS.get(metric)
        if entry is None:
            errors.setdefault("kpis", []).append(f"{metric!r} is not a metric")
        elif not entry.in_range(Decimal(str(value))):
            errors.setdefault("kpis", []).append(f"{metric} {value} is outside its range")
    return errors


@transaction.atomic
def baseline_set(*, contract: Contract, data: dict[str, Any]) -> Baseline:
    """Store the baseline: exactly one of a monthly amount or all of its parts, plus KPIs."""
    amount = data.get("monthly_amount")
    parts = {name: data.get(name) for name in Baseline.PARTS}
    given = [name for name, value in parts.items() if value is not None]
    if amount is not None and given:
        raise ValidationError(
            {"monthly_amount": ["State a monthly amount or its parts, not both."]}
        )
    if amount is None and len(given) != len(parts):
        missing = [name for name in parts if parts[name] is None]
        raise ValidationError(
            {name: ["Required when the baseline is built from parts."] for name in missing}
        )
    kpis = {k: str(v) for k, v in (data.get("kpis") or {}).items()}
    errors = _kpi_problems(kpis)
    if errors:
        raise ValidationError(errors)
    if amount is None:
        try:
            baseline_breakdown(parts=BaselineParts(**parts))
        except BaselineInvalid as error:
            raise ValidationError({f: [m] for f, m in error.problems}) from None
    baseline, _ = Baseline.objects.update_or_create(
        contract=contract, defaults={"monthly_amount": amount, **parts, "kpis": kpis}
    )
    return baseline
