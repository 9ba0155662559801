"""`GET /api/v1/vendors/{id}/scorecard/?from=YYYY-MM&to=YYYY-MM` (API.md, second wave).

Per contract and month: the targets' statuses, credits, chronic flags and the breaches'
disputes; `track_record` over the requested months with the ranking's rule. Buyer-side roles
and auditors read any vendor's; a vendor user its own (another's is a 404). The figures are the
scorecard report's (`kpis.evaluation.scorecard.vendor_scorecard`).
"""

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kpis.api.evaluation_serializers import MonthText, exact, level, money
from kpis.evaluation.rules import TargetStatus
from kpis.evaluation.scorecard import MAX_SCORECARD_MONTHS, vendor_scorecard
from kpis.evaluation.scorecard_read import (
    ScorecardRangeError,
    scorecard_data,
    scorecard_range,
    scorecard_vendor,
)

MONTH = {"type": "string", "pattern": r"^\d{4}-\d{2}$"}
STATUSES = [s.value for s in TargetStatus]


class ScorecardTrackRecordSerializer(serializers.Serializer):
    """The ranking's track record over the requested months: 100 x (met + 0.5 x warning) /
    judged; fewer than `min_judged` judged target-months is a newcomer (score null)."""

    judged = serializers.IntegerField(help_text="met + warning + breach + missing")
    met = serializers.IntegerField()
    warning = serializers.IntegerField()
    breach = serializers.IntegerField()
    missing = serializers.IntegerField()
    newcomer = serializers.BooleanField()
    score = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, help_text="0-100; null for a newcomer"
    )
    min_judged = serializers.IntegerField(help_text="judged target-months a score needs (6)")


class ScorecardTargetSerializer(serializers.Serializer):
    """One target's month: its level, status, credit and chronic flag."""

    target = serializers.IntegerField()
    lineage = serializers.IntegerField(help_text="the first target of its amendment chain")
    metric = serializers.CharField()
    metric_label = serializers.CharField()
    unit = serializers.CharField(help_text="the unit of actual, expected and minimum")
    channel = serializers.CharField(allow_null=True, help_text="null: all channels")
    critical = serializers.BooleanField(help_text="false: a key measurement (no credit)")
    status = serializers.ChoiceField(choices=STATUSES)
    status_label = serializers.CharField()
    actual = exact(allow_null=True)
    expected = level()
    minimum = level()
    credit = money(allow_null=True, help_text="in the contract's currency")
    waived = serializers.BooleanField()
    chronic = serializers.BooleanField()
    chronic_rules = serializers.ListField(child=serializers.CharField())


class ScorecardDisputeSerializer(serializers.Serializer):
    """A breach of the month and the vendor's dispute of it (null when none)."""

    breach = serializers.IntegerField()
    target = serializers.IntegerField()
    metric = serializers.CharField()
    metric_label = serializers.CharField()
    channel = serializers.CharField(allow_null=True)
    status = serializers.CharField(help_text="the breach's decision status")
    status_label = serializers.CharField()
    credit = money(allow_null=True)
    dispute = serializers.JSONField(allow_null=True, help_text="null: not disputed")


class ScorecardMonthSerializer(serializers.Serializer):
    """One contract month: charges and credits (contract currency), targets, disputes."""

    period = MonthText()
    evaluated = serializers.BooleanField()
    charges = money(allow_null=True)
    credit_total = money(allow_null=True)
    credit_waived = money(allow_null=True)
    targets = ScorecardTargetSerializer(many=True)
    disputes = ScorecardDisputeSerializer(many=True)


class ScorecardChronicSerializer(serializers.Serializer):
    period = MonthText()
    target = serializers.IntegerField()
    metric = serializers.CharField()
    channel = serializers.CharField(allow_null=True)
    rules = serializers.ListField(child=serializers.CharField())


class ScorecardContractSerializer(serializers.Serializer):
    """A contract of the vendor that runs in the range (drafts are never evaluated)."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    currency = serializers.CharField()
    status = serializers.CharField()
    credit_total = money(help_text="credits over the range, contract currency")
    chronic_flags = ScorecardChronicSerializer(many=True)
    months = ScorecardMonthSerializer(many=True)


class ScorecardSerializer(serializers.Serializer):
    """A vendor's scorecard over the requested months."""

    vendor = serializers.IntegerField()
    vendor_name = serializers.CharField()
    # `from` is a Python keyword: the field is added under its API name below.
    to = MonthText()
    contracts = ScorecardContractSerializer(many=True)
    track_record = ScorecardTrackRecordSerializer()

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = MonthText()
        return fields


class VendorScorecardView(APIView):
    """A vendor's scorecard; buyer-side roles, auditors, and the vendor itself."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="vendors_scorecard_retrieve",
        summary="A vendor's scorecard over a month range",
        parameters=[
            OpenApiParameter(
                "from", MONTH, description="First month, YYYY-MM (default: 12 months before to)"
            ),
            OpenApiParameter("to", MONTH, description="Last month, YYYY-MM (default: last month)"),
        ],
        responses={
            200: ScorecardSerializer,
            400: OpenApiResponse(
                inline_serializer(
                    "ScorecardRangeError",
                    fields={
                        "from": serializers.ListField(
                            child=serializers.CharField(), required=False
                        ),
                        "to": serializers.ListField(child=serializers.CharField(), required=False),
                    },
                ),
                description=f"A bad month, named (`from` or `to`); at most "
                f"{MAX_SCORECARD_MONTHS} months, ending no later than this month",
            ),
            404: OpenApiResponse(
                inline_serializer("ScorecardNotFound", fields={"detail": serializers.CharField()}),
                description="No such vendor, or another vendor's",
            ),
        },
    )
    def get(self, request, pk: int):
        vendor = scorecard_vendor(user=request.user, pk=pk)
        try:
            start, end = scorecard_range(
                raw_from=request.query_params.get("from"), raw_to=request.query_params.get("to")
            )
        except ScorecardRangeError as error:
            raise ValidationError(error.problems) from None
        score = vendor_scorecard(vendor=vendor, period_from=start, period_to=end)
        return Response(ScorecardSerializer(scorecard_data(score)).data)
