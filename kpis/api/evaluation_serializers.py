"""API shapes of evaluations, breaches and the ROI (API.md); money as decimal strings."""

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api_fields import MonthDateField
from core.serializers import RefuseDroppedInputMixin
from kpis.api.dispute_serializers import DisputeSerializer, breach_dispute_data
from kpis.evaluation.rules import TargetStatus
from kpis.models.evaluation import Breach, Evaluation
from kpis.roi.arithmetic import Change


def money(**kwargs) -> serializers.DecimalField:
    """A money amount in the object's currency, as a decimal string to the cent."""
    return serializers.DecimalField(max_digits=16, decimal_places=2, **kwargs)


def exact(**kwargs) -> serializers.DecimalField:
    """A level exactly as stored (a KPI figure), as a decimal string."""
    return serializers.DecimalField(max_digits=None, decimal_places=None, **kwargs)


def level(**kwargs) -> serializers.DecimalField:
    """An SLA level (expected, minimum), four decimals."""
    return serializers.DecimalField(max_digits=12, decimal_places=4, **kwargs)


def percent(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=8, decimal_places=2, **kwargs)


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-03"})
class MonthText(serializers.CharField):
    """A month, written `YYYY-MM`."""


class FindingSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """Something the evaluation found: a missing report, usage it could not price, ..."""

    code = serializers.ChoiceField(
        choices=["missing", "usage_all_channels", "pricing_failed", "fte_not_contracted",
                 "no_targets"]
    )  # fmt: skip
    message = serializers.CharField()
    target = serializers.IntegerField(required=False)
    metric = serializers.CharField(required=False)
    channel = serializers.CharField(required=False, allow_blank=True)


class EvaluationTargetSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """A target's month: `target, metric, channel, actual, status, credit, chronic` and more."""

    target = serializers.IntegerField()
    lineage = serializers.IntegerField(help_text="The first target of its amendment chain")
    metric = serializers.CharField()
    channel = serializers.CharField(allow_null=True, help_text="null: all channels")
    expected = level()
    minimum = level()
    critical = serializers.BooleanField()
    allocation_percent = percent()
    actual = exact(allow_null=True, help_text="null: not reported (status missing)")
    status = serializers.ChoiceField(choices=[s.value for s in TargetStatus])
    credit = money(allow_null=True, help_text="null: earned, but the month was not priced")
    waived = serializers.BooleanField()
    chronic = serializers.BooleanField()
    chronic_rules = serializers.ListField(child=serializers.CharField())
    breaches_in_last_6 = serializers.IntegerField()
    below_expected_in_last_12 = serializers.IntegerField()
    kpi_value = serializers.IntegerField(allow_null=True)
    kpi_revision = serializers.IntegerField(allow_null=True)
    breach = serializers.IntegerField(allow_null=True)
    breach_status = serializers.CharField(allow_null=True)


class ChargeLineSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """A billed line: rate x quantity = amount (full precision)."""

    channel = serializers.CharField()
    model = serializers.CharField()
    rate = serializers.CharField()
    quantity = serializers.CharField()
    amount = serializers.CharField()
    share = serializers.CharField(allow_null=True)
    price_channel = serializers.CharField(allow_null=True)
    bands = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="a hybrid component scoped by bands: the bands it prices",
    )
    months = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="a hybrid component scoped by months: the calendar months (1-12) it prices",
    )


class BandUsageSerializer(serializers.Serializer):
    """A channel's usage split over a band (only when a component is scoped by bands)."""

    channel = serializers.CharField()
    band = serializers.CharField()
    volume_share = serializers.CharField(help_text="the band's share of contacts and minutes")
    agents = serializers.IntegerField(
        allow_null=True, help_text="forecast agents in the band this calendar month"
    )
    band_hours = serializers.CharField()
    forecast_hours = serializers.CharField(
        allow_null=True, help_text="agents x band hours (null: deferred channel)"
    )
    hours_share = serializers.CharField(
        help_text="forecast hours / the channel's forecast hours (deferred: volume share)"
    )
    contacts = serializers.CharField()
    handled_minutes = serializers.CharField()
    production_hours = serializers.CharField()
    fte = serializers.CharField(allow_null=True)


class FeeSerializer(serializers.Serializer):
    name = serializers.CharField()
    amount = serializers.CharField()


class PricingSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """How the charges were priced; empty when the month could not be priced."""

    lines = ChargeLineSerializer(many=True, required=False)
    band_usage = BandUsageSerializer(many=True, required=False)
    usage_charge = serializers.CharField(required=False)
    minimum_monthly_charge = serializers.CharField(required=False)
    minimum_applied = serializers.BooleanField(required=False)
    monthly_charge = serializers.CharField(required=False)
    monthly_fees = FeeSerializer(many=True, required=False)
    fixed_fees = serializers.CharField(required=False)
    monthly_total = serializers.CharField(required=False)


class UsageSerializer(serializers.Serializer):
    channel = serializers.CharField()
    contacts = serializers.CharField()
    handled_minutes = serializers.CharField()
    production_hours = serializers.CharField()
    fte = serializers.CharField(allow_null=True)


class KpiInputSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """A current KPI value the evaluation read."""

    id = serializers.IntegerField()
    channel = serializers.CharField(allow_blank=True)
    metric = serializers.CharField()
    revision = serializers.IntegerField()
    value = serializers.CharField(allow_null=True)


class RevisionSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """An earlier or the current revision of the month's evaluation."""

    revision = serializers.IntegerField()
    is_current = serializers.BooleanField()
    trigger = serializers.ChoiceField(choices=Evaluation.Trigger.choices)
    created_at = serializers.DateTimeField()
    created_by = serializers.CharField(allow_null=True)
    charges = money(allow_null=True)
    credit_total = money(allow_null=True)


class EarnBackLineSerializer(serializers.Serializer):
    """A credit of `source_period` returned this month: `amount` = -`deducted`."""

    target = serializers.IntegerField()
    metric = serializers.CharField()
    channel = serializers.CharField(allow_blank=True)
    source_period = MonthText()
    credit = money()
    deducted = money(help_text="the part of the credit deducted after that month's cap")
    amount = money(help_text="negative")


class EvaluationSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """`period, charges, at_risk_amount, credit_total, targets[]`, the workings and history."""

    id = serializers.IntegerField()
    contract = serializers.IntegerField()
    reference = serializers.CharField()
    currency = serializers.CharField()
    period = MonthText()
    revision = serializers.IntegerField()
    is_current = serializers.BooleanField()
    trigger = serializers.ChoiceField(choices=Evaluation.Trigger.choices)
    created_at = serializers.DateTimeField()
    created_by = serializers.CharField(allow_null=True)
    charges = money(allow_null=True, help_text="null: the month could not be priced (a finding)")
    at_risk_percent = percent()
    at_risk_amount = money(allow_null=True)
    credit_before_cap = money(allow_null=True)
    cap_adjustment = money(allow_null=True, help_text="zero, or negative where the cap applies")
    credit_waived = money(allow_null=True)
    credit_total = money(allow_null=True, help_text="deducted: waived credits are left out")
    earn_back = money(help_text="zero or negative: credits of an earlier month earned back")
    earn_back_lines = EarnBackLineSerializer(many=True)
    credit_net = money(allow_null=True, help_text="credit_total + earn_back")
    targets = EvaluationTargetSerializer(many=True)
    findings = FindingSerializer(many=True)
    pricing = PricingSerializer()
    usage = UsageSerializer(many=True)
    kpi_values = KpiInputSerializer(many=True)
    amendments = serializers.ListField(child=serializers.IntegerField())
    history = RevisionSerializer(many=True)


class EvaluationQuerySerializer(serializers.Serializer):
    """`?period=YYYY-MM` (required) and an earlier `revision`.

    A query string, not a body: other parameters (`format`, a cache buster) are not refused."""

    period = serializers.DateField(input_formats=["%Y-%m"], help_text="A month, YYYY-MM")
    revision = serializers.IntegerField(min_value=1, required=False)


class BreachSerializer(RefuseDroppedInputMixin, serializers.ModelSerializer):
    """`id, contract, target, period, actual, credit, status, chronic, decided_by, reason`."""

    period = MonthDateField(read_only=True)
    reference = serializers.CharField(source="contract.reference", read_only=True)
    currency = serializers.CharField(source="contract.currency", read_only=True)
    metric = serializers.CharField(source="target.metric", read_only=True)
    channel = serializers.SerializerMethodField()
    actual = exact(allow_null=True, read_only=True)
    credit = money(allow_null=True, read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, allow_null=True, default=None
    )
    reevaluation = serializers.SerializerMethodField()
    dispute = serializers.SerializerMethodField()

    class Meta:
        model = Breach
        fields = [
            "id", "contract", "reference", "currency", "target", "metric", "channel", "period",
            "actual", "credit", "status", "chronic", "cleared", "decided_by", "decided_at",
            "reason", "notified_at", "created_at", "reevaluation", "dispute",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(
        serializers.ChoiceField(
            ["queued", "running", "done", "failed"], allow_null=True,
            help_text="the re-evaluation a waiver started; null: none",
        )
    )  # fmt: skip
    def get_reevaluation(self, breach: Breach) -> str | None:
        try:
            return breach.waiver_reevaluation.status
        except ObjectDoesNotExist:
            return None

    @extend_schema_field(DisputeSerializer(allow_null=True, help_text="null: not disputed"))
    def get_dispute(self, breach: Breach) -> dict | None:
        return breach_dispute_data(breach)

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="null: all channels"))
    def get_channel(self, breach: Breach) -> str | None:
        return breach.target.channel or None


class DecisionSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """Why: required to waive, optional to acknowledge."""

    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class WaiveSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """Why the credit is waived."""

    reason = serializers.CharField(max_length=2000)


class RoiMonthSerializer(serializers.Serializer):
    period = MonthText()
    inhouse = money()
    charges = money()
    credits = money(help_text="net of earn-back")
    earn_back = money(help_text="zero or negative: the part of `credits` earned back")
    retained = money()
    outsourced_cost = money()
    savings = money()
    cumulative_savings = money()


class RoiTotalsSerializer(serializers.Serializer):
    inhouse = money()
    charges = money()
    credits = money(help_text="net of earn-back")
    earn_back = money()
    retained = money()
    outsourced_cost = money()
    savings = money()
    one_off = money()


class KpiDeltaSerializer(serializers.Serializer):
    metric = serializers.CharField()
    baseline = exact()
    actual = exact(allow_null=True)
    delta = exact(allow_null=True)
    change = serializers.ChoiceField(choices=[c.value for c in Change], allow_null=True)


class OneOffSerializer(serializers.Serializer):
    setup = money()
    training = money()
    project_management = money()


class RoiEvaluationSerializer(serializers.Serializer):
    period = MonthText()
    id = serializers.IntegerField()
    revision = serializers.IntegerField()


class RoiSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """`months[], totals{}, savings_percent, roi_percent, payback_period`, KPI deltas, inputs."""

    contract = serializers.IntegerField()
    reference = serializers.CharField()
    currency = serializers.CharField()
    inhouse_monthly = money()
    one_off_fees = OneOffSerializer()
    months = RoiMonthSerializer(many=True)
    totals = RoiTotalsSerializer()
    savings_percent = percent(allow_null=True)
    roi_percent = percent(allow_null=True, help_text='null ("n/a") when one-off fees are 0')
    payback_period = MonthText(allow_null=True)
    kpi_deltas = KpiDeltaSerializer(many=True)
    months_not_evaluated = serializers.ListField(child=MonthText())
    months_not_priced = serializers.ListField(child=MonthText())
    months_without_data = serializers.ListField(
        child=MonthText(), help_text="Months of the range with no KPI value reported at all"
    )
    covered_from = MonthText(allow_null=True, help_text="First month the totals include")
    covered_to = MonthText(allow_null=True, help_text="Last month the totals include")
    months_covered = serializers.IntegerField(help_text="How many months the totals include")
    coverage = serializers.CharField(
        help_text="The months covered and those without data, in a sentence"
    )
    evaluations = RoiEvaluationSerializer(many=True)

    def get_fields(self):
        # `from` and `to` (the range) are Python keywords, so they are added here.
        fields = super().get_fields()
        ordered = {}
        for name, built in fields.items():
            ordered[name] = built
            if name == "currency":
                ordered["from"] = MonthText()
                ordered["to"] = MonthText()
        return ordered
