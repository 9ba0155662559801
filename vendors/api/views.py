"""API views of vendors, sourcing events, proposals and ratings; they translate and call domain.

Who sees which row is decided by `vendors.selectors` (`*_visible_to`): rows a user may not see
answer 404 as if they did not exist. Who may write is decided by role, before any lookup, so a
refused write never tells whether the row exists.
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from core.permissions import has_role
from core.roles import Role
from core.serializers import refuse_input
from vendors.api.serializers import (
    EventSerializer,
    ProposalCreateSerializer,
    ProposalInputSerializer,
    ProposalRatingSerializer,
    ProposalSerializer,
    VendorSerializer,
)
from vendors.filters import EventFilter, ProposalFilter, VendorFilter
from vendors.models import SourcingEvent
from vendors.selectors import (
    events_visible_to,
    proposals_visible_to,
    ratings_of,
    vendors_visible_to,
)
from vendors.services.events import event_open
from vendors.services.proposals import (
    proposal_submit,
    proposal_update,
    proposal_withdraw,
    rating_set,
)

EVERY_ROLE = (Role.PROCUREMENT, Role.MANAGER, Role.AUDITOR, Role.ADMIN, Role.VENDOR)
BUYERS = (Role.PROCUREMENT, Role.MANAGER, Role.AUDITOR, Role.ADMIN)
CONFLICT = OpenApiResponse(description="The object's state does not allow this (409).")


class RoleByActionMixin:
    """`roles_by_action = {"list": (...), ...}`: the roles each action admits."""

    roles_by_action: dict[str, tuple[Role, ...]] = {}

    def get_permissions(self):
        roles = self.roles_by_action.get(self.action, EVERY_ROLE)
        return [has_role(*roles)()]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context.setdefault("now", timezone.now())
        return context


@extend_schema_view(
    list=extend_schema(summary="Vendors (a vendor user: only its own)"),
    partial_update=extend_schema(summary="Edit a vendor (a vendor user: only its own)"),
)
class VendorViewSet(
    RoleByActionMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Vendor profiles: procurement and admins create and edit; a vendor edits only its own."""

    serializer_class = VendorSerializer
    filterset_class = VendorFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    roles_by_action = {
        "create": (Role.PROCUREMENT, Role.ADMIN),
        "partial_update": (Role.PROCUREMENT, Role.ADMIN, Role.VENDOR),
    }

    def get_queryset(self):
        return vendors_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = self.get_queryset().get(pk=serializer.save().pk)

    def perform_update(self, serializer):
        serializer.instance = self.get_queryset().get(pk=serializer.save().pk)


@extend_schema_view(
    list=extend_schema(summary="Sourcing events (a vendor user: invited, not draft)"),
)
class EventViewSet(
    RoleByActionMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Sourcing events: procurement and admins write; buyers read all; vendors their invitations."""

    serializer_class = EventSerializer
    filterset_class = EventFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    roles_by_action = {
        "create": (Role.PROCUREMENT, Role.ADMIN),
        "partial_update": (Role.PROCUREMENT, Role.ADMIN),
        "open": (Role.PROCUREMENT, Role.ADMIN),
    }

    def get_queryset(self):
        return events_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = self.get_queryset().get(pk=serializer.save().pk)

    def perform_update(self, serializer):
        serializer.instance = self.get_queryset().get(pk=serializer.save().pk)

    @extend_schema(
        request=None,
        responses={
            200: EventSerializer,
            400: OpenApiResponse(description="Bad deadline"),
            409: CONFLICT,
        },
        summary="Open a draft event to bids (draft -> open)",
    )
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        refuse_input(request.data)
        event = event_open(event=self.get_object(), by=request.user)
        event = self.get_queryset().get(pk=event.pk)
        return Response(self.get_serializer(event).data)


@extend_schema_view(
    list=extend_schema(summary="Proposals (prices sealed for buyers until the deadline)"),
    retrieve=extend_schema(summary="A proposal (prices sealed for buyers until the deadline)"),
    create=extend_schema(
        request=ProposalCreateSerializer,
        responses={
            201: ProposalSerializer,
            404: OpenApiResponse(description="No such event"),
            409: CONFLICT,
        },
        summary="Submit a proposal (vendor users, before the deadline)",
    ),
    partial_update=extend_schema(
        request=ProposalInputSerializer,
        responses={200: ProposalSerializer, 409: CONFLICT},
        summary="Change a proposal (its vendor, before the deadline)",
    ),
)
class ProposalViewSet(
    RoleByActionMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Proposals: a vendor writes its own until the deadline; buyers see prices only after it."""

    serializer_class = ProposalSerializer
    filterset_class = ProposalFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    roles_by_action = {
        "create": (Role.VENDOR,),
        "partial_update": (Role.VENDOR,),
        "withdraw": (Role.VENDOR,),
    }

    def get_queryset(self):
        return proposals_visible_to(self.request.user)

    def _answer(self, proposal, code=status.HTTP_200_OK) -> Response:
        proposal = self.get_queryset().get(pk=proposal.pk)
        return Response(self.get_serializer(proposal).data, status=code)

    def create(self, request):
        serializer = ProposalCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        values = serializer.domain_values()
        event = get_object_or_404(SourcingEvent, pk=values.pop("event"))
        if request.user.vendor is None:
            raise NotFound()
        proposal = proposal_submit(
            event=event, vendor=request.user.vendor, submitted_by=request.user, **values
        )
        return self._answer(proposal, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        proposal = self.get_object()
        serializer = ProposalInputSerializer(
            proposal, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return self._answer(proposal_update(proposal=proposal, data=serializer.domain_values()))

    @extend_schema(
        request=None,
        responses={200: ProposalSerializer, 409: CONFLICT},
        summary="Withdraw a proposal (its vendor, before the deadline)",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        refuse_input(request.data)
        return self._answer(proposal_withdraw(proposal=self.get_object()))


@extend_schema_view(
    list=extend_schema(summary="Ratings of a proposal (buyers)"),
    create=extend_schema(
        responses={200: ProposalRatingSerializer, 201: ProposalRatingSerializer, 409: CONFLICT},
        summary="Rate a proposal 0-5 after the deadline (procurement); a second POST updates it",
    ),
)
class RatingViewSet(
    RoleByActionMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """`proposals/{id}/ratings/`: one rating per evaluator; POSTing again replaces it (200)."""

    serializer_class = ProposalRatingSerializer
    roles_by_action = {"list": BUYERS, "create": (Role.PROCUREMENT,)}

    def _proposal(self):
        return get_object_or_404(proposals_visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ProposalRatingSerializer.Meta.model.objects.none()
        return ratings_of(self._proposal())

    def create(self, request, pk=None):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rating, created = rating_set(
            proposal=self._proposal(),
            evaluator=request.user,
            rating=serializer.validated_data["rating"],
            comment=serializer.validated_data.get("comment", ""),
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(self.get_serializer(rating).data, status=code)
