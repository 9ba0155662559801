"""API views of disputes: the vendor disputes a breach, a manager accepts or rejects it, and
the evidence is read by whoever may read the breach. The rules live in kpis.evaluation.disputes."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.permissions import has_role
from core.roles import Role
from kpis.api.dispute_serializers import DisputeDecisionSerializer, DisputeOpenSerializer
from kpis.api.evaluation_serializers import BreachSerializer
from kpis.evaluation.disputes import dispute_accept, dispute_open, dispute_reject
from kpis.evaluation.evidence import KINDS as EVIDENCE_KINDS
from kpis.evaluation.selectors import DECIDE_ROLES, READ_ROLES, breach_list
from kpis.models.disputes import Dispute


def _writers(view, *roles: Role) -> list:
    """Reading roles reach a GET (405: these endpoints only take a POST); writers a POST."""
    reading = view.request.method in ("GET", "HEAD", "OPTIONS")
    return [has_role(*(READ_ROLES if reading else roles))()]


def _breach(request, pk: int):
    return get_object_or_404(breach_list(user=request.user), pk=pk)


def _answer(request, pk: int, code: int = status.HTTP_200_OK) -> Response:
    return Response(BreachSerializer(_breach(request, pk)).data, status=code)


class BreachDisputeView(APIView):
    """`POST breaches/{id}/dispute/` (vendor, multipart `statement`, `evidence`)."""

    parser_classes = [MultiPartParser, FormParser]

    def get_permissions(self):
        return _writers(self, Role.VENDOR)

    @extend_schema(
        request={"multipart/form-data": DisputeOpenSerializer},
        responses={
            201: BreachSerializer,
            400: OpenApiResponse(description="No statement, or evidence refused (type, size)"),
            404: OpenApiResponse(description="Not a breach of the vendor's contracts"),
            409: OpenApiResponse(description="Past the dispute window, or already disputed"),
        },
        description="Dispute a breach within the contract's `dispute_days` after the month was "
        "evaluated. The credit stands, marked disputed, until a manager decides.",
    )
    def post(self, request, pk: int):
        breach = _breach(request, pk)
        body = DisputeOpenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        evidence = body.validated_data["evidence"]
        dispute_open(
            breach=breach, user=request.user, statement=body.validated_data["statement"],
            evidence=evidence, filename=evidence.name,
        )  # fmt: skip
        return _answer(request, pk, status.HTTP_201_CREATED)


class _DecisionView(APIView):
    decide = staticmethod(dispute_accept)

    def get_permissions(self):
        return _writers(self, *DECIDE_ROLES)

    def post(self, request, pk: int):
        breach = _breach(request, pk)
        body = DisputeDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        type(self).decide(
            breach=breach, user=request.user, reason=body.validated_data.get("reason", "")
        )
        return _answer(request, pk)


_DECISION_SCHEMA = {
    "request": DisputeDecisionSerializer,
    "responses": {200: BreachSerializer, 409: OpenApiResponse(description="Not open")},
}


class BreachDisputeAcceptView(_DecisionView):
    """`POST breaches/{id}/dispute/accept/ {reason}`: the credit is waived."""

    decide = staticmethod(dispute_accept)

    @extend_schema(**_DECISION_SCHEMA, description="Accept: the credit is waived with the "
                   "reason `dispute accepted: <reason>` and the month re-evaluated.")  # fmt: skip
    def post(self, request, pk: int):
        return super().post(request, pk)


class BreachDisputeRejectView(_DecisionView):
    """`POST breaches/{id}/dispute/reject/ {reason}`: the credit stands; reason required."""

    decide = staticmethod(dispute_reject)

    @extend_schema(**_DECISION_SCHEMA, description="Reject, with a required reason: the "
                   "credit stands.")  # fmt: skip
    def post(self, request, pk: int):
        return super().post(request, pk)


def evidence_response(dispute: Dispute) -> FileResponse:
    """The evidence as an attachment under its safe name, never sniffed into something else."""
    response = FileResponse(
        dispute.evidence.open("rb"), content_type=dispute.evidence_type,
        as_attachment=True, filename=dispute.evidence_name,
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


class BreachDisputeEvidenceView(APIView):
    """`GET breaches/{id}/dispute/evidence/`: the file, for whoever may read the breach."""

    permission_classes = [has_role(*READ_ROLES)]

    @extend_schema(
        responses={
            **{
                (200, kind.content_type): OpenApiResponse(OpenApiTypes.BINARY)
                for kind in EVIDENCE_KINDS
            },
            404: OpenApiResponse(description="No such breach for you, or no dispute"),
        }
    )
    def get(self, request, pk: int):
        breach = _breach(request, pk)
        dispute = Dispute.objects.filter(breach=breach).first()
        if dispute is None or not dispute.evidence:
            raise NotFound("This breach has no dispute evidence.")
        return evidence_response(dispute)
