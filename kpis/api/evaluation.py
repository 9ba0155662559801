"""API views for evaluations, breaches and the ROI; the rules live in the domain modules."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts.selectors import contract_list
from core.errors import Conflict
from core.filters import MonthField
from core.permissions import has_role
from core.roles import role_of
from kpis.api.evaluation_serializers import (
    BreachSerializer,
    DecisionSerializer,
    EvaluationQuerySerializer,
    EvaluationSerializer,
    RoiSerializer,
    WaiveSerializer,
)
from kpis.evaluation.breaches import breach_acknowledge, breach_waive
from kpis.evaluation.filters import BreachFilter
from kpis.evaluation.selectors import (
    DECIDE_ROLES,
    READ_ROLES,
    ROI_ROLES,
    breach_list,
    evaluation_detail,
)
from kpis.roi.service import RoiUnavailable, contract_roi, roi_data

MONTH = {"type": "string", "pattern": r"^\d{4}-\d{2}$"}


class ContractEvaluationView(APIView):
    """`GET contracts/{id}/evaluations/?period=YYYY-MM`: the month's evaluation in force."""

    permission_classes = [has_role(*READ_ROLES)]

    @extend_schema(
        parameters=[
            OpenApiParameter("period", MONTH, required=True, description="A month, YYYY-MM"),
            OpenApiParameter("revision", int, description="An earlier revision (default: current)"),
        ],
        responses={200: EvaluationSerializer, 404: OpenApiResponse(description="Not evaluated")},
    )
    def get(self, request, pk: int):
        contract = get_object_or_404(contract_list(user=request.user), pk=pk)
        query = EvaluationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = evaluation_detail(
            contract=contract,
            period=query.validated_data["period"],
            revision=query.validated_data.get("revision"),
        )
        if found is None:
            raise NotFound("This month has not been evaluated (or has no such revision).")
        return Response(EvaluationSerializer(found).data)


class BreachViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Breaches: every role reads those it may see; managers and admins decide on them."""

    serializer_class = BreachSerializer
    filterset_class = BreachFilter

    def get_permissions(self):
        readonly = self.request.method in ("GET", "HEAD", "OPTIONS")
        return [has_role(*(READ_ROLES if readonly else DECIDE_ROLES))()]

    def get_queryset(self):
        return breach_list(user=self.request.user)

    @extend_schema(
        request=DecisionSerializer,
        responses={200: BreachSerializer, 409: OpenApiResponse(description="Not open")},
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """open -> acknowledged; the credit still counts."""
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        breach = breach_acknowledge(
            breach=self.get_object(), user=request.user,
            reason=body.validated_data.get("reason", ""),
        )  # fmt: skip
        return Response(self.get_serializer(breach).data)

    @extend_schema(
        request=WaiveSerializer,
        responses={200: BreachSerializer, 409: OpenApiResponse(description="Already waived")},
    )
    @action(detail=True, methods=["post"])
    def waive(self, request, pk=None):
        """open or acknowledged -> waived with a reason; the month is re-evaluated without it."""
        breach = self.get_object()
        body = WaiveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        breach = breach_waive(
            breach=breach, user=request.user, reason=body.validated_data["reason"]
        )
        return Response(self.get_serializer(breach).data)


def _month(value: str | None, name: str):
    if not value:
        return None
    try:
        return MonthField(required=False).clean(value)
    except ValidationError as error:
        raise ValidationError({name: error.messages}) from None


class ContractRoiView(APIView):
    """`GET contracts/{id}/roi/?from=YYYY-MM&to=YYYY-MM`; buyer roles only (vendors: 404)."""

    permission_classes = [has_role(*READ_ROLES)]

    @extend_schema(
        parameters=[
            OpenApiParameter("from", MONTH, description="First month (default: the start)"),
            OpenApiParameter("to", MONTH, description="Last month (default: latest evaluated)"),
        ],
        responses={200: RoiSerializer, 409: OpenApiResponse(description="No in-house baseline")},
    )
    def get(self, request, pk: int):
        if role_of(request.user) not in ROI_ROLES:
            raise NotFound  # the in-house baseline is the buyer's business
        contract = get_object_or_404(contract_list(user=request.user), pk=pk)
        try:
            report = contract_roi(
                contract=contract,
                period_from=_month(request.query_params.get("from"), "from"),
                period_to=_month(request.query_params.get("to"), "to"),
            )
        except RoiUnavailable as error:
            raise Conflict(str(error)) from None
        return Response(RoiSerializer(roi_data(report)).data)
