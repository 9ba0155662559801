"""API views for contracts: CRUD of drafts, lifecycle, amendments, terms in force."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts.api.serializers import (
    AmendmentSerializer,
    AwardResultSerializer,
    AwardSerializer,
    ContractSerializer,
    SlaTargetSerializer,
    TerminateSerializer,
    contract_fields,
)
from contracts.filters import ContractFilter
from contracts.selectors import contract_list
from contracts.services.amendments import amendment_create
from contracts.services.award import SplitPart, contract_award, contracts_award
from contracts.services.baseline import baseline_set
from contracts.services.lifecycle import (
    contract_activate,
    contract_create,
    contract_terminate,
    contract_update,
)
from contracts.services.terms import terms_for_month
from core.api_fields import MonthDateField
from core.permissions import has_role
from core.roles import Role, role_of
from core.serializers import RefuseDroppedInputMixin, refuse_input
from vendors.models import SourcingEvent

AWARDERS = (Role.PROCUREMENT,)  # DOMAIN.md: procurement awards; nobody else

WRITERS = (Role.MANAGER, Role.ADMIN)
READERS = (Role.MANAGER, Role.ADMIN, Role.PROCUREMENT, Role.AUDITOR, Role.VENDOR)


class TermsSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """The terms in force for one month."""

    month = MonthDateField()
    currency = serializers.CharField()
    pricing = serializers.ListField(child=serializers.DictField())
    one_off_fees = serializers.DictField()
    monthly_fees = serializers.ListField(child=serializers.DictField())
    minimum_monthly_charge = serializers.DecimalField(max_digits=14, decimal_places=2)
    retained_management_monthly = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True
    )
    at_risk_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    contracted_fte = serializers.DictField()
    targets = SlaTargetSerializer(many=True)
    amendments = serializers.ListField(child=serializers.IntegerField())


def parse_month(value: str | None, field: str = "month"):
    """`YYYY-MM` to the first day of the month; a clear 400 otherwise."""
    try:
        return datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        raise ValidationError({field: ["Use a month as YYYY-MM."]}) from None


class ContractViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Contracts: managers write drafts and run the lifecycle; others read what they may."""

    serializer_class = ContractSerializer
    filterset_class = ContractFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        readonly = self.request.method in ("GET", "HEAD", "OPTIONS")
        return [has_role(*(READERS if readonly else WRITERS))()]

    def get_queryset(self):
        return contract_list(user=self.request.user).prefetch_related("amendments")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["hide_buyer_internals"] = role_of(self.request.user) == Role.VENDOR
        return context

    @transaction.atomic
    def perform_create(self, serializer):
        fields, targets, baseline = contract_fields(dict(serializer.validated_data))
        contract = contract_create(fields=fields, targets=targets or [], user=self.request.user)
        if baseline:
            baseline_set(contract=contract, data=baseline)
        serializer.instance = contract

    @transaction.atomic
    def perform_update(self, serializer):
        fields, targets, baseline = contract_fields(dict(serializer.validated_data))
        contract = contract_update(contract=serializer.instance, fields=fields, targets=targets)
        if baseline:
            baseline_set(contract=contract, data=baseline)
        serializer.instance = self.get_queryset().get(pk=contract.pk)

    @extend_schema(request=None, responses=ContractSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        refuse_input(request.data)
        contract = contract_activate(contract=self.get_object())
        return Response(self.get_serializer(contract).data)

    @extend_schema(request=TerminateSerializer, responses=ContractSerializer)
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        body = TerminateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        contract = contract_terminate(
            contract=self.get_object(), on=body.validated_data["date"],
            reason=body.validated_data["reason"],
        )  # fmt: skip
        return Response(self.get_serializer(contract).data)

    @extend_schema(
        parameters=[OpenApiParameter("month", str, required=True, description="YYYY-MM")],
        responses=TermsSerializer,
    )
    @action(detail=True, methods=["get"])
    def terms(self, request, pk=None):
        contract = self.get_object()
        terms = terms_for_month(contract, parse_month(request.query_params.get("month")))
        data = TermsSerializer(terms).data
        if role_of(request.user) == Role.VENDOR:
            data["retained_management_monthly"] = None
        return Response(data)

    @extend_schema(methods=["get"], responses=AmendmentSerializer(many=True))
    @extend_schema(methods=["post"], request=AmendmentSerializer, responses=AmendmentSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None)  # the whole list
    def amendments(self, request, pk=None):
        contract = self.get_object()
        if request.method == "GET":
            return Response(AmendmentSerializer(contract.amendments.all(), many=True).data)
        body = AmendmentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        amendment = amendment_create(contract=contract, user=request.user, **body.validated_data)
        return Response(AmendmentSerializer(amendment).data, status=status.HTTP_201_CREATED)


class AwardView(APIView):
    """`POST events/{id}/award/`: after the deadline, award one proposal or a split;
    201 -> `{contracts[]}` (one proposal: also that contract's fields, as before)."""

    permission_classes = [has_role(*AWARDERS)]

    @extend_schema(request=AwardSerializer, responses={201: AwardResultSerializer})
    def post(self, request, pk: int):
        body = AwardSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        event = get_object_or_404(SourcingEvent, pk=pk)
        context = {"request": request}
        if "split" not in data:
            contract = contract_award(
                event=event, proposal_id=data["proposal"], reference=data["reference"],
                start_date=data["start_date"], justification=data["justification"],
                user=request.user,
            )  # fmt: skip
            one = ContractSerializer(contract, context=context).data
            return Response({**one, "contracts": [one]}, status=status.HTTP_201_CREATED)
        parts = [
            SplitPart(p["proposal"], tuple(p["channels"]), p["reference"]) for p in data["split"]
        ]
        contracts = contracts_award(
            event=event, parts=parts, start_date=data["start_date"],
            justification=data["justification"], user=request.user,
        )  # fmt: skip
        answer = {"contracts": ContractSerializer(contracts, many=True, context=context).data}
        return Response(answer, status=status.HTTP_201_CREATED)
