"""API views for KPI uploads and a contract's monthly values; rules live in the ingestion."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from contracts.selectors import contract_list
from core.permissions import has_role
from kpis.api.serializers import (
    KpiUploadSerializer,
    KpiValueSerializer,
    UploadRefusalSerializer,
    UploadRequestSerializer,
)
from kpis.filters import KpiUploadFilter, KpiValueFilter
from kpis.ingestion.service import kpi_upload_create
from kpis.models import KpiUpload
from kpis.selectors import READ_ROLES, UPLOAD_ROLES, kpi_upload_list, kpi_value_list
from kpis.web.forms import UploadLimitHandler


class KpiUploadViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """KPI uploads: managers, vendors and admins upload; every role reads the ones it may see."""

    serializer_class = KpiUploadSerializer
    filterset_class = KpiUploadFilter
    parser_classes = [MultiPartParser, FormParser]

    def initialize_request(self, request, *args, **kwargs):
        # Before anything reads the body: an oversized file is skipped, never stored.
        self.upload_limit = UploadLimitHandler(request)
        if request.method == "POST":
            request.upload_handlers.insert(0, self.upload_limit)
        return super().initialize_request(request, *args, **kwargs)

    def get_permissions(self):
        writing = self.request.method not in ("GET", "HEAD", "OPTIONS")
        return [has_role(*(UPLOAD_ROLES if writing else READ_ROLES))()]

    def get_queryset(self):
        return kpi_upload_list(user=self.request.user)

    @extend_schema(
        request={"multipart/form-data": UploadRequestSerializer},
        responses={
            202: KpiUploadSerializer,
            400: OpenApiResponse(
                UploadRefusalSerializer,
                description="No file, a file over the size limit, or an unknown form field",
            ),
        },
        description="Queue a KPI file for ingestion. The same bytes again answer 202 with a "
        "`duplicate` upload that points to the first one.",
    )
    def create(self, request, *args, **kwargs):
        data = request.data  # parsed here, through the upload handlers
        if self.upload_limit.refusal:
            raise ValidationError({"file": [self.upload_limit.refusal]})
        body = UploadRequestSerializer(data=data)
        body.is_valid(raise_exception=True)
        file = body.validated_data["file"]
        upload = kpi_upload_create(
            file=file, name=file.name, user=request.user, source=KpiUpload.Source.API
        )
        return Response(self.get_serializer(upload).data, status=status.HTTP_202_ACCEPTED)


class ContractKpiList(generics.ListAPIView):
    """A contract's monthly KPI values: the current revisions, or all with `revision=all`."""

    serializer_class = KpiValueSerializer
    filterset_class = KpiValueFilter
    permission_classes = [has_role(*READ_ROLES)]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return kpi_value_list(contract_id=0)
        contract = get_object_or_404(contract_list(user=self.request.user), pk=self.kwargs["pk"])
        return kpi_value_list(contract_id=contract.pk)
