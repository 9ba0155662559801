"""API views for reports: list, detail and download of the stored bytes."""

import base64
from pathlib import PurePosixPath

from django.http import FileResponse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from core.permissions import has_role
from reports.api.serializers import ReportRequestSerializer, ReportSerializer
from reports.filters import ReportFilter
from reports.models import Report
from reports.selectors import CENTRE_ROLES, report_list
from reports.services.rendering import report_request


def stored_pdf_response(report: Report) -> FileResponse:
    """The stored bytes, exactly, under the name that says what they are, with their SHA-256
    in the headers (RFC 9530 Content-Digest, RFC 3230 Digest and X-Content-SHA256)."""
    response = FileResponse(
        report.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=PurePosixPath(report.file.name).name,
    )
    digest = base64.b64encode(bytes.fromhex(report.sha256)).decode("ascii")
    response["Content-Digest"] = f"sha-256=:{digest}:"
    response["Digest"] = f"SHA-256={digest}"
    response["X-Content-SHA256"] = report.sha256
    return response


class ReportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Stored reports (vendor users: their own contracts' SLA reports). POST queues one (202)."""

    serializer_class = ReportSerializer
    permission_classes = [has_role(*CENTRE_ROLES)]
    filterset_class = ReportFilter

    def get_queryset(self):
        return report_list(user=self.request.user)

    @extend_schema(request=ReportRequestSerializer, responses={202: ReportSerializer})
    def create(self, request, *args, **kwargs):
        body = ReportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        report = report_request(
            kind=data.pop("kind"),
            parameters=data,
            user=request.user,
            language=translation.get_language(),
        )
        return Response(self.get_serializer(report).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=True, methods=["get"], url_path="download", url_name="download")
    def download(self, request, pk=None):
        report = get_object_or_404(self.get_queryset(), pk=pk, status=Report.Status.DONE)
        return stored_pdf_response(report)
