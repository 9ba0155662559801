"""API shapes of disputes (API.md `breaches/{id}/dispute/`): the dispute a breach shows, and
the bodies of opening and deciding one."""

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from rest_framework import serializers

from core.serializers import RefuseDroppedInputMixin
from kpis.models.disputes import Dispute


class DisputeSerializer(serializers.ModelSerializer):
    """`status, statement, evidence_url, decided_by, reason, opened_at, decided_at` and more."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    evidence_url = serializers.SerializerMethodField()
    opened_by = serializers.CharField(source="opened_by.username", read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Dispute
        fields = [
            "id", "status", "status_label", "statement", "evidence_url", "evidence_name",
            "evidence_type", "evidence_size", "opened_by", "opened_at", "decided_by",
            "decided_at", "reason",
        ]  # fmt: skip
        read_only_fields = fields

    def get_evidence_url(self, dispute: Dispute) -> str:
        """Where the evidence is read (only by those who may read the breach)."""
        return reverse("api-breach-dispute-evidence", args=[dispute.breach_id])


def breach_dispute_data(breach) -> dict | None:
    """The breach's dispute as the API shows it, or None when it has none."""
    try:
        dispute = breach.dispute
    except ObjectDoesNotExist:
        return None
    return DisputeSerializer(dispute).data


class DisputeOpenSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """`statement` (why the breach is wrong) and `evidence` (PDF, CSV, XLSX, PNG or JPEG)."""

    statement = serializers.CharField(max_length=5000)
    evidence = serializers.FileField(
        allow_empty_file=True,  # refused by the evidence check, with its reason
        help_text="PDF, CSV, XLSX, PNG or JPEG, at most 10 MB; the type is read from the bytes",
    )


class DisputeDecisionSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """Why: required to reject, optional to accept."""

    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
