"""API views: users (admins) and the token endpoint."""

from rest_framework import mixins, viewsets
from rest_framework.authtoken.views import ObtainAuthToken

from accounts.api.serializers import UserSerializer
from accounts.models import User
from core.permissions import IsAdminRole


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


class TokenView(ObtainAuthToken):
    """`POST {username, password}` -> `{token}`."""
