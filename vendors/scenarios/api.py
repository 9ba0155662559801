"""`GET|POST /api/v1/events/{id}/scenarios/` (API.md): award scenarios of an event.

GET answers the first-ranked proposal alone and the cheapest split; POST `{assignments}` adds
the composed split. The ranking's rule applies, asked of `vendors.ranking`: buyer-side users
after the bid deadline (409 before it, sealed bids), 404 for vendor users. Nothing is saved.
"""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.channels import CHANNEL_CHOICES
from core.errors import Conflict
from core.serializers import RefuseDroppedInputMixin
from vendors.domain.scenarios import ScenarioName
from vendors.ranking import RankingSealed, ranking_readable
from vendors.ranking.api import MoneyField, gc_paused
from vendors.scenarios.service import ScenarioInputError, scenarios_for
from vendors.selectors import events_visible_to

SCENARIO_NAMES = [(n.value, n.value) for n in ScenarioName]


class AssignmentSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """One channel given to one proposal."""

    channel = serializers.ChoiceField(choices=CHANNEL_CHOICES)
    proposal = serializers.IntegerField(help_text="a qualified proposal of the event")


class ScenarioRequestSerializer(RefuseDroppedInputMixin, serializers.Serializer):
    """A composed split: every channel of the event to one qualified proposal serving it."""

    assignments = AssignmentSerializer(many=True, allow_empty=False)


class ScenarioContractSerializer(serializers.Serializer):
    """One proposal of a scenario: its channels and its TCO restricted to them."""

    proposal = serializers.IntegerField()
    vendor = serializers.CharField(help_text="the proposal's vendor")
    channels = serializers.ListField(child=serializers.ChoiceField(choices=CHANNEL_CHOICES))
    tco = MoneyField(
        help_text="its pricing lines for these channels, its fees in full and its "
        "minimum charge applied to these channels together, over the term"
    )


class ScenarioAssignmentSerializer(serializers.Serializer):
    """Which proposal gets a channel."""

    channel = serializers.ChoiceField(choices=CHANNEL_CHOICES)
    proposal = serializers.IntegerField()


class ScenarioSerializer(serializers.Serializer):
    """A scenario (API.md): the assignment, its TCO, its contracts and its difference."""

    name = serializers.ChoiceField(choices=SCENARIO_NAMES)
    assignments = ScenarioAssignmentSerializer(many=True)
    tco = MoneyField(help_text="the sum of its contracts' TCO, the event's currency")
    difference = MoneyField(help_text="this TCO minus the first-ranked proposal's alone")
    contracts = ScenarioContractSerializer(many=True)


DETAIL = inline_serializer("ScenariosDetail", fields={"detail": serializers.CharField()})
# `assignments`: a list of sentences, or DRF's own shape for a malformed body (an empty list
# answers {"non_field_errors": [...]}, a bad row its fields' errors): any JSON; an unknown key
# is refused under its own name instead.
ERRORS = inline_serializer(
    "ScenariosError", fields={"assignments": serializers.JSONField(required=False)}
)
COMMON = {
    404: OpenApiResponse(DETAIL, description="No such event, or a vendor user"),
    409: OpenApiResponse(DETAIL, description="Bids are sealed until the deadline"),
}


class EventScenariosView(APIView):
    """An event's award scenarios for buyer-side users after the deadline."""

    def _answer(self, request: Request, pk: int, assignments: Any) -> Response:
        if not ranking_readable(request.user):
            raise NotFound()
        event = get_object_or_404(events_visible_to(request.user), pk=pk)
        try:
            with gc_paused():
                data = scenarios_for(
                    user=request.user, event=event, now=timezone.now(), assignments=assignments
                )
        except RankingSealed as sealed:
            raise Conflict(str(sealed)) from None
        except ScenarioInputError as error:
            raise ValidationError({"assignments": error.messages}) from None
        return Response(ScenarioSerializer(data, many=True).data)

    @extend_schema(
        operation_id="events_scenarios_retrieve",
        summary="Award scenarios: the first-ranked proposal alone and the cheapest split",
        description=(
            "The cheapest split gives each channel to a qualified proposal serving it so that "
            "the sum of the proposals' TCOs restricted to their channels is lowest (exact "
            "search; ties go to the better-ranked proposal). Absent when some channel is served "
            "by no qualified proposal. Money half-up to cents in the event's currency."
        ),
        tags=["events"],
        responses={200: ScenarioSerializer(many=True), **COMMON},
    )
    def get(self, request: Request, pk: int) -> Response:
        return self._answer(request, pk, None)

    @extend_schema(
        operation_id="events_scenarios_compose",
        summary="Award scenarios with a composed split",
        description=(
            "The first-ranked proposal alone, the cheapest split and the split sent "
            "(`composed`), each with its difference to the first-ranked proposal. 400 names "
            "every unassigned channel, unqualified proposal and proposal not serving its "
            "channel. Nothing is saved."
        ),
        tags=["events"],
        request=ScenarioRequestSerializer,
        responses={
            200: ScenarioSerializer(many=True),
            400: OpenApiResponse(ERRORS, description="An unusable assignment"),
            **COMMON,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        if not ranking_readable(request.user):
            raise NotFound()
        body = ScenarioRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        pairs = [(a["channel"], a["proposal"]) for a in body.validated_data["assignments"]]
        return self._answer(request, pk, pairs)
