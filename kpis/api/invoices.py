"""`contracts/{id}/invoices/`: a contract's invoices reconciled, and recording one month's."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from contracts.models import Contract
from contracts.selectors import contract_list
from core.api_fields import MonthDateField
from core.channels import CHANNEL_CHOICES
from core.permissions import has_role
from core.roles import Role
from core.serializers import RefuseDroppedInputMixin
from kpis.api.evaluation_serializers import money
from kpis.invoices.reconcile import Line, LineKind
from kpis.invoices.selectors import invoice_list
from kpis.invoices.service import invoice_record
from kpis.models import Invoice, InvoiceLine

# Managers record invoices; a vendor records its own contracts' (contract_list limits it).
RECORD_ROLES = frozenset({Role.MANAGER, Role.ADMIN, Role.VENDOR})
READ_ROLES = frozenset({*RECORD_ROLES, Role.AUDITOR, Role.PROCUREMENT})


class InvoiceLineInputSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """`{kind, channel, amount}`: channel for a usage line only."""

    kind = serializers.ChoiceField(choices=InvoiceLine.Kind.choices)
    channel = serializers.ChoiceField(
        choices=CHANNEL_CHOICES, required=False, allow_blank=True, default=""
    )
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)

    def validate(self, attrs):
        if attrs.get("channel") and attrs["kind"] != LineKind.USAGE:
            raise serializers.ValidationError(
                {"channel": [_("Only a usage line names a channel.")]}
            )
        return attrs


class InvoiceInputSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """`{period, total, lines[]}`; without lines the invoice is compared on its total."""

    period = MonthDateField(input_formats=["%Y-%m"])
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    lines = InvoiceLineInputSerializer(many=True, required=False, default=list)


class InvoiceLineSerializer(serializers.ModelSerializer):
    amount = money(allow_null=True, help_text="null: the invoice gave its total only")
    expected = money()
    difference = money(allow_null=True, help_text="amount - expected")

    class Meta:
        model = InvoiceLine
        fields = ["kind", "channel", "amount", "expected", "difference"]


class InvoiceSerializer(serializers.ModelSerializer):
    """An invoice beside the expected one: `status` matched, over or under by `difference`."""

    period = MonthDateField()
    total = money()
    expected_total = money()
    difference = money(help_text="total - expected_total")
    tolerance = money(help_text="max(invoice_tolerance_percent of the expected total, 1.00)")
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    evaluation_revision = serializers.IntegerField(source="evaluation.revision", allow_null=True)
    lines = InvoiceLineSerializer(many=True)

    class Meta:
        model = Invoice
        fields = [
            "id", "period", "currency", "total", "expected_total", "difference", "tolerance",
            "status", "source", "recorded_by", "recorded_at", "evaluation_revision", "lines",
        ]  # fmt: skip


class ContractInvoiceList(generics.ListAPIView):
    """`GET` the contract's invoices, newest month first; `POST` records (or replaces) a month's."""

    serializer_class = InvoiceSerializer

    def get_permissions(self):
        readonly = self.request.method in ("GET", "HEAD", "OPTIONS")
        return [has_role(*(READ_ROLES if readonly else RECORD_ROLES))()]

    def contract(self) -> Contract:
        return get_object_or_404(contract_list(user=self.request.user), pk=self.kwargs["pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Invoice.objects.none()
        return invoice_list(contract=self.contract())

    @extend_schema(
        request=InvoiceInputSerializer,
        responses={
            201: InvoiceSerializer,
            200: OpenApiResponse(InvoiceSerializer, description="Replaced the month's invoice"),
            400: OpenApiResponse(description="Bad input, or the month not evaluated or priced"),
        },
    )
    def post(self, request, pk: int):
        contract = self.contract()
        data = InvoiceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        recorded = invoice_record(
            contract=contract, period=given["period"], total=given["total"],
            lines=[Line(kind=LineKind(x["kind"]), channel=x.get("channel") or "",
                        amount=x["amount"]) for x in given["lines"]],
            source=Invoice.Source.ENTERED, user=request.user,
        )  # fmt: skip
        invoice = invoice_list(contract=contract).get(pk=recorded.invoice.pk)
        code = status.HTTP_200_OK if recorded.replaced else status.HTTP_201_CREATED
        return Response(InvoiceSerializer(invoice).data, status=code)
