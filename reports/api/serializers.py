"""API shape of a report (API.md `reports/`)."""

from django.urls import reverse
from rest_framework import serializers

from core.filters import MAX_INTEGER
from core.serializers import RefuseDroppedInputMixin
from reports.models import Report


class ReportSerializer(RefuseDroppedInputMixin, serializers.ModelSerializer):
    """`id, kind, status, sha256, size, created_by, created_at, download_url` and more."""

    created_by = serializers.CharField(source="created_by.username", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "parameters",
            "status",
            "sha256",
            "size",
            "data_revisions",
            "error",
            "created_by",
            "language",
            "created_at",
            "started_at",
            "finished_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, report: Report) -> str | None:
        if report.status != Report.Status.DONE:
            return None
        return reverse("api-report-download", args=[report.pk])


class ReportRequestSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """`{kind (roi, sla, comparison, scorecard), contract, event or vendor, from, to or period}`."""

    kind = serializers.ChoiceField(choices=Report.Kind.choices)
    contract = serializers.CharField(required=False, help_text="id or reference (roi, sla)")
    event = serializers.IntegerField(required=False, help_text="sourcing event id (comparison)")
    vendor = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_INTEGER, help_text="vendor id (scorecard)"
    )
    period = serializers.CharField(required=False, help_text="YYYY-MM (sla)")
    to = serializers.CharField(required=False, help_text="YYYY-MM (roi, scorecard)")

    def get_fields(self):
        fields = super().get_fields()
        # "from" is a Python keyword, so it is added by name.
        fields["from"] = serializers.CharField(required=False, help_text="YYYY-MM (roi, scorecard)")
        return fields
