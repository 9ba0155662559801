"""API shapes of contracts (API.md `contracts/`), translating to and from the domain functions."""

from decimal import Decimal

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contracts.models import Amendment, Baseline, Contract, SlaTarget
from contracts.services.baseline import baseline_of
from contracts.services.lifecycle import contract_status
from core.api_fields import MonthDateField
from core.catalogue import TARGETABLE_METRICS
from core.labels import CHANNEL_CHOICES
from core.serializers import Frozen, RefuseDroppedInputMixin
from vendors.api.serializers import DecimalNumber
from vendors.domain.pricing import PricingModel
from vendors.models import Vendor

MODEL_CHOICES = [m.value for m in PricingModel]
# Numbers are parsed here; their bounds and decimals are `contract_terms_problems`' rule.
MONEY = {"max_digits": 14, "decimal_places": 2}
# What an award copies from the winning bid: the agreed terms, changed only by amendments.
AWARD_FROZEN = (
    "vendor", "currency", "pricing", "one_off_fees", "monthly_fees", "minimum_monthly_charge",
    "fte_hours", "contracted_fte",
)  # fmt: skip


class ComponentSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """One part of a hybrid price: its share of the volume, or its scope (`bands`, `months`)."""

    model = serializers.ChoiceField(choices=MODEL_CHOICES)
    rate = DecimalNumber(max_digits=12, decimal_places=4)
    share = DecimalNumber(max_digits=6, decimal_places=4, required=False, allow_null=True)
    bands = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        default=list,
        help_text="the band names this component prices (empty: every band)",
    )
    months = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="calendar months 1-12 this component prices (empty: every month)",
    )


class ChannelPriceSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """A price for one channel (or for all channels when `channel` is null)."""

    channel = serializers.ChoiceField(choices=CHANNEL_CHOICES, allow_null=True, required=False)
    model = serializers.ChoiceField(choices=MODEL_CHOICES)
    rate = DecimalNumber(max_digits=12, decimal_places=4, required=False, default=Decimal(0))
    components = ComponentSerializer(many=True, required=False, default=list)
    stated_hours = DecimalNumber(max_digits=12, decimal_places=2, required=False, allow_null=True)
    stated_fte = DecimalNumber(max_digits=8, decimal_places=2, required=False, allow_null=True)


class OneOffFeesSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """Setup, training and project-management fees, paid once."""

    setup = DecimalNumber(**MONEY, default=Decimal(0))
    training = DecimalNumber(**MONEY, default=Decimal(0))
    project_management = DecimalNumber(**MONEY, default=Decimal(0))


class MonthlyFeeSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """A fixed monthly fee (management, numbers, licences)."""

    name = serializers.CharField()
    amount = DecimalNumber(**MONEY)


class SlaTargetSerializer(RefuseDroppedInputMixin, serializers.ModelSerializer):
    """A target; `channel` null means all channels."""

    metric = serializers.ChoiceField(choices=TARGETABLE_METRICS)
    channel = serializers.ChoiceField(choices=CHANNEL_CHOICES, allow_null=True, required=False)
    expected = DecimalNumber(max_digits=12, decimal_places=4)
    minimum = DecimalNumber(max_digits=12, decimal_places=4)
    allocation_percent = DecimalNumber(max_digits=6, decimal_places=2, required=False)

    class Meta:
        model = SlaTarget
        fields = [
            "id", "metric", "channel", "expected", "minimum", "critical", "allocation_percent",
            "valid_from", "valid_until",
        ]  # fmt: skip
        read_only_fields = ["id", "valid_from", "valid_until"]

    def row_instance(self, data):
        """The contract's current target a sent row names by `id` as read (None: a new row).

        A draft's target list is replaced whole (the targets get new ids); an `id` sent back
        with the row as read is accepted, one that names no current target is refused."""
        contract = getattr(self.root, "instance", None)
        ident = data.get("id")
        if not isinstance(contract, Contract) or isinstance(ident, bool):
            return None
        try:
            ident = int(ident)
        except (TypeError, ValueError):
            return None
        return contract.targets.filter(pk=ident, valid_until__isnull=True).first()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["channel"] = data["channel"] or None
        return data

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        values["channel"] = values.get("channel") or ""
        return values


class BaselineSerializer(RefuseDroppedInputMixin, serializers.ModelSerializer):
    """The in-house baseline: a monthly amount or its parts, the computed sum, and KPI levels."""

    kpis = serializers.DictField(
        child=serializers.DecimalField(max_digits=12, decimal_places=4), required=False
    )
    computed_monthly_amount = serializers.SerializerMethodField()
    lines = serializers.SerializerMethodField()

    class Meta:
        model = Baseline
        fields = ["monthly_amount", *Baseline.PARTS, "kpis", "computed_monthly_amount", "lines"]

    def row_instance(self, data):
        """The contract's stored baseline: its computed sum and lines may be sent back as read."""
        contract = getattr(self.root, "instance", None)
        if not isinstance(contract, Contract):
            return None
        return Baseline.objects.filter(contract=contract).first()

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2))
    def get_computed_monthly_amount(self, baseline) -> str:
        return str(baseline_of(baseline).monthly_amount)

    def get_lines(self, baseline) -> list[dict[str, str]]:
        return [
            {"label": line.label, "formula": line.formula, "amount": str(line.amount)}
            for line in baseline_of(baseline).lines
        ]


class ContractSerializer(RefuseDroppedInputMixin, serializers.ModelSerializer):
    """API.md's contract; pricing and fees are the frozen signed terms."""

    def frozen_fields(self, contract: Contract) -> dict[str, Frozen]:
        """A contract past draft is frozen whole (409); an awarded draft's agreed terms (400)."""
        status = contract_status(contract)
        if status != Contract.Status.DRAFT:
            reason = _(
                "The contract is %(status)s, no longer a draft: change it with a dated amendment."
            ) % {"status": Contract.Status(status).label.lower()}
            return {name: Frozen(reason, conflict=True) for name in self.fields}
        if contract.proposal_id is None:
            return {}
        reason = _(
            "Agreed at the award of proposal %(proposal)s: change the terms with a dated "
            "amendment once the contract is active."
        ) % {"proposal": contract.proposal_id}
        return {name: Frozen(reason) for name in AWARD_FROZEN}

    vendor = serializers.PrimaryKeyRelatedField(queryset=Vendor.objects.all())
    currency = serializers.CharField(help_text="ISO 4217")
    status = serializers.SerializerMethodField()
    pricing = ChannelPriceSerializer(many=True)
    one_off_fees = OneOffFeesSerializer(required=False)
    monthly_fees = MonthlyFeeSerializer(many=True, required=False)
    sla_targets = SlaTargetSerializer(many=True, required=False, source="targets")
    baseline = BaselineSerializer(required=False, allow_null=True)
    # null in a vendor's answer (the buyer's own effort is not the vendor's business)
    retained_management_monthly = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal(0), required=False, allow_null=True
    )

    class Meta:
        model = Contract
        fields = [
            "id", "reference", "vendor", "proposal", "currency", "start_date", "end_date", "status",
            "pricing", "one_off_fees", "monthly_fees", "minimum_monthly_charge", "fte_hours",
            "contracted_fte", "at_risk_percent", "pool_percent", "retained_management_monthly",
            "earn_back_months", "invoice_tolerance_percent", "termination_date",
            "termination_reason", "baseline", "sla_targets", "created_at", "band_split",
            "dispute_days", "award_justification",
        ]  # fmt: skip
        read_only_fields = [
            "proposal", "termination_date", "termination_reason", "created_at", "band_split",
            "award_justification",
        ]  # fmt: skip

    def get_status(self, contract) -> str:
        return contract_status(contract)

    def validate_retained_management_monthly(self, value):
        if value is None:
            raise serializers.ValidationError(_("Give an amount, 0 or more."))
        return value

    def validate_currency(self, value: str) -> str:
        return value.upper()  # whether it is a currency is contract_terms_problems' rule

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["sla_targets"] = [t for t in data["sla_targets"] if t["valid_until"] is None]
        if self.context.get("hide_buyer_internals"):
            # The in-house cost and the buyer's own effort are none of the vendor's business.
            data["baseline"] = None
            data["retained_management_monthly"] = None
            data["award_justification"] = ""  # the buyer's reasoning about the bids
        return data


def contract_fields(validated: dict) -> tuple[dict, list[dict] | None, dict | None]:
    """Split validated data into model fields (JSON-ready terms), target rows and baseline."""
    targets = validated.pop("targets", None)
    baseline = validated.pop("baseline", None)
    for key in ("pricing", "monthly_fees"):
        if key in validated:
            validated[key] = [_jsonable(item) for item in validated[key]]
    if "one_off_fees" in validated:
        validated["one_off_fees"] = _jsonable(validated["one_off_fees"])
    return validated, targets, baseline


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


class TerminateSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """`{date, reason}` for a termination."""

    date = serializers.DateField()
    reason = serializers.CharField()


class AmendmentSerializer(RefuseDroppedInputMixin, serializers.ModelSerializer):
    """A dated change: `effective_month` (YYYY-MM), `changes`, `reason`, who made it."""

    effective_month = MonthDateField(input_formats=["%Y-%m", "%Y-%m-%d"])
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    changes = serializers.JSONField()

    class Meta:
        model = Amendment
        fields = ["id", "effective_month", "changes", "reason", "created_by", "created_at"]
        read_only_fields = ["id", "created_by", "created_at"]

    def validate_changes(self, value):
        if not isinstance(value, dict) or not value:
            raise serializers.ValidationError("Give the changed terms as an object.")
        return value


class SplitPartSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """One contract of a split award: a proposal, the channels it gets, the reference."""

    proposal = serializers.IntegerField()
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=CHANNEL_CHOICES), allow_empty=False
    )
    reference = serializers.CharField(max_length=40)


class AwardSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """`{proposal, reference, start_date, justification}` (one proposal for the whole event) or
    `{split[{proposal, channels[], reference}], start_date, justification}`."""

    proposal = serializers.IntegerField(required=False)
    reference = serializers.CharField(max_length=40, required=False)
    split = SplitPartSerializer(many=True, required=False, allow_empty=False)
    start_date = serializers.DateField()
    justification = serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=True,
        help_text="required unless the award is the first-ranked proposal alone",
    )  # fmt: skip

    def validate(self, attrs):
        if "split" in attrs:
            extra = [name for name in ("proposal", "reference") if name in attrs]
            if extra:
                raise serializers.ValidationError(
                    {name: [_("Give either a split or one proposal, not both.")] for name in extra}
                )
            return attrs
        missing = [name for name in ("proposal", "reference") if name not in attrs]
        if missing:
            raise serializers.ValidationError(
                {name: [_("This field is required (or give a split).")] for name in missing}
            )
        return attrs


class AwardResultSerializer(serializers.Serializer):
    """201 of an award: the contracts created (the one-proposal body also answers its contract's
    fields at the top level, as before split awards)."""

    contracts = ContractSerializer(many=True)
