"""API shapes of KPI uploads and monthly values (API.md `kpi-uploads/`, `contracts/{id}/kpis/`)."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.catalogue import METRICS
from core.serializers import RefuseDroppedInputMixin
from kpis.ingestion.outcome import upload_outcome
from kpis.ingestion.shown import shown_problems
from kpis.models import KpiUpload, KpiValue

_WEIGHTED_MEAN_PLACES = Decimal("0.0001")  # as ingestion rounds a weighted mean of days


class UploadRequestSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """A multipart request with one KPI file, CSV or XLSX."""

    file = serializers.FileField(allow_empty_file=True, use_url=False)


class UploadRefusalSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """Why an upload was not accepted at all: no file, one over the size limit, or form fields
    the upload does not take (each named by its own key: "Unknown field.")."""

    file = serializers.ListField(child=serializers.CharField(), required=False)


class ProblemSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """One problem: a row's (row, column, value), or the whole file's (all three null)."""

    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_null=True)
    value = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class AffectedMonthSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """A contract month whose values the upload changed."""

    contract = serializers.IntegerField()
    period = serializers.CharField(help_text="YYYY-MM")


class KpiUploadSerializer(RefuseDroppedInputMixin, serializers.ModelSerializer):
    """`id, status, sha256, rows, errors[], duplicate_of, created_by, created_at` and more."""

    created_by = serializers.CharField(
        source="created_by.username", read_only=True, allow_null=True, default=None
    )
    errors = ProblemSerializer(many=True, read_only=True)
    affected_months = serializers.SerializerMethodField()

    class Meta:
        model = KpiUpload
        fields = [
            "id",
            "status",
            "sha256",
            "rows",
            "errors",
            "errors_more",
            "duplicate_of",
            "created_by",
            "created_at",
            "original_name",
            "size",
            "source",
            "vendor",
            "message",
            "format",
            "encoding",
            "delimiter",
            "decimal_mark",
            "values_revised",
            "affected_months",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def to_representation(self, upload: KpiUpload) -> dict:
        """The outcome and the problems' messages in the caller's language."""
        data = super().to_representation(upload)
        data["message"] = upload_outcome(upload)
        data["errors"] = shown_problems(upload.errors or [])
        return data

    @extend_schema_field(AffectedMonthSerializer(many=True))
    def get_affected_months(self, upload: KpiUpload) -> list[dict]:
        return [{"contract": c, "period": p} for c, p in upload.affected_months]


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-03"})
class MonthField(serializers.DateField):
    """A month, written `YYYY-MM`."""

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m", **kwargs)


class KpiValueSerializer(RefuseDroppedInputMixin, serializers.ModelSerializer):
    """`period, channel, metric, value, volume, revision` and where the figure comes from."""

    period = MonthField(read_only=True)
    channel = serializers.SerializerMethodField()
    value = serializers.DecimalField(
        max_digits=None, decimal_places=None, allow_null=True, read_only=True
    )
    volume = serializers.DecimalField(
        max_digits=None, decimal_places=None, allow_null=True, read_only=True
    )

    class Meta:
        model = KpiValue
        fields = [
            "period",
            "channel",
            "metric",
            "value",
            "volume",
            "revision",
            "is_current",
            "rows",
            "daily",
            "note",
            "upload",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="null: all channels"))
    def get_channel(self, value: KpiValue) -> str | None:
        return value.channel or None

    def to_representation(self, instance: KpiValue) -> dict:
        data = super().to_representation(instance)
        # A weighted mean of days is stored to 4 decimals; PostgreSQL's numeric keeps them
        # ("87.5000"), SQLite keeps no trailing zero ("87.5"): answer the stored places on both.
        value = instance.value
        if value is not None and instance.daily and METRICS[instance.metric].needs_volume:
            data["value"] = str(value.quantize(_WEIGHTED_MEAN_PLACES))
        return data
