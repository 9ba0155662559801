"""API views: users (admins); the token endpoints live in accounts.api.tokens."""

from rest_framework import mixins, viewsets

from accounts.api.serializers import UserSerializer
from accounts.api.tokens import TokenView
from accounts.models import User
from core.permissions import IsAdminRole

__all__ = ["TokenView", "UserViewSet"]


class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Users and their roles; admins only."""

    queryset = User.objects.prefetch_related("groups").order_by("username")
    serializer_class = UserSerializer
    permission_classes = [IsAdminRole]
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["vendor", "is_active"]
