"""Target-months of a contract written as the evaluation stores them (current evaluations with
their target results), for the track-record tests: statuses by month, no KPI file needed."""

from datetime import date
from decimal import Decimal

from kpis.models.evaluation import Evaluation, TargetResult


def judged_months(contract, months: dict[str, list[str]], *, current: bool = True) -> None:
    """{"YYYY-MM": [status of the contract's 1st target, 2nd, ...]}: one evaluation a month."""
    targets = list(contract.targets.order_by("id"))
    for label, statuses in months.items():
        period = date(int(label[:4]), int(label[5:]), 1)
        revision = Evaluation.objects.filter(contract=contract, period=period).count() + 1
        evaluation = Evaluation.objects.create(
            contract=contract, period=period, revision=revision, is_current=current,
            trigger=Evaluation.Trigger.INGESTION, currency=contract.currency,
            charges=Decimal("100000.00"), at_risk_percent=Decimal(12),
            at_risk_amount=Decimal("12000.00"), credit_before_cap=Decimal(0),
            cap_adjustment=Decimal(0), credit_waived=Decimal(0), credit_total=Decimal(0),
            retained=Decimal(0), fingerprint=f"{contract.pk}-{label}-{revision}",
        )  # fmt: skip
        for target, status in zip(targets, statuses, strict=False):
            TargetResult.objects.create(
                evaluation=evaluation, target=target, lineage=target, metric=target.metric,
                channel=target.channel, expected=target.expected, minimum=target.minimum,
                critical=target.critical, allocation_percent=target.allocation_percent,
                status=status, credit=Decimal(0),
            )  # fmt: skip
