"""The token endpoint and the list/revoke of tokens (API.md, "Additions (second wave)")."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer as DrfAuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from accounts.models import ApiToken
from accounts.services.tokens import token_issue, token_revoke
from core.roles import Role, role_of
from core.serializers import RefuseDroppedInputMixin


class AuthTokenSerializer(RefuseDroppedInputMixin, DrfAuthTokenSerializer):
    """`{username, password}`; any other key is refused by name, as everywhere (same schema
    name as DRF's)."""


class TokenView(ObtainAuthToken):
    """`POST {username, password}` -> `{token, expires}`: always a new token, shown once."""

    serializer_class = AuthTokenSerializer

    @extend_schema(
        request=AuthTokenSerializer,
        responses={
            200: inline_serializer(
                "IssuedToken",
                {"token": serializers.CharField(), "expires": serializers.DateTimeField()},
            )
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = token_issue(user=serializer.validated_data["user"])
        expires = serializers.DateTimeField().to_representation(token.expires)
        return Response({"token": key, "expires": expires})


class ApiTokenSerializer(RefuseDroppedInputMixin, serializers.ModelSerializer):
    """`id, user, prefix, created, last_used, expires`; the key itself is never shown again."""

    user = serializers.CharField(source="user.username", read_only=True)
    prefix = serializers.CharField(
        read_only=True, help_text=_("The key's first characters, to tell tokens apart.")
    )

    class Meta:
        model = ApiToken
        fields = ["id", "user", "prefix", "created", "last_used", "expires"]
        read_only_fields = fields


class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The caller's API tokens (an admin: everyone's); DELETE revokes one."""

    serializer_class = ApiTokenSerializer
    filterset_fields: list[str] = []

    def get_queryset(self):
        tokens = ApiToken.objects.select_related("user").order_by("-created", "-id")
        if getattr(self, "swagger_fake_view", False):
            return tokens.none()
        if role_of(self.request.user) == Role.ADMIN:
            return tokens
        return tokens.filter(user=self.request.user)

    def destroy(self, request, *args, **kwargs):
        token_revoke(token=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
