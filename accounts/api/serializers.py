"""API shapes for users (admins only)."""

from django.conf import settings
from django.contrib.auth import password_validation
from rest_framework import serializers

from accounts.models import User
from accounts.services.users import user_add, user_change
from core.roles import Role, role_of
from core.serializers import RefuseDroppedInputMixin


class UserSerializer(RefuseDroppedInputMixin, serializers.ModelSerializer):
    """`username, password (write), role, vendor` as API.md lists, and `language` (a code of
    settings.LANGUAGES; "" = not chosen, the browser's Accept-Language decides)."""

    password = serializers.CharField(
        write_only=True, required=False, style={"input_type": "password"}
    )
    role = serializers.ChoiceField(choices=Role.choices)
    vendor = serializers.PrimaryKeyRelatedField(
        queryset=User._meta.get_field("vendor").related_model.objects.all(),
        required=False,
        allow_null=True,
    )
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        required=False,
        allow_blank=True,
        help_text="The language pages, e-mails and reports are written in; blank: not chosen.",
    )

    class Meta:
        model = User
        fields = ["id", "username", "email", "password", "role", "vendor", "is_active", "language"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        role = role_of(instance)
        data["role"] = role.value if role else None
        return data

    def validate_password(self, value: str) -> str:
        password_validation.validate_password(value)
        return value

    def validate(self, attrs):
        if self.instance is None and not attrs.get("password"):
            raise serializers.ValidationError({"password": ["This field is required."]})
        role = attrs.get("role", role_of(self.instance) if self.instance else None)
        vendor = attrs.get("vendor", self.instance.vendor if self.instance else None)
        # A role changed alone (PATCH) is refused as the role: the field that was sent.
        changed_role_only = self.instance is not None and "role" in attrs and "vendor" not in attrs
        field = "role" if changed_role_only else "vendor"
        if role == Role.VENDOR and vendor is None:
            raise serializers.ValidationError({field: ["A vendor user needs a vendor."]})
        if role != Role.VENDOR and vendor is not None:
            raise serializers.ValidationError({field: ["Only vendor users have a vendor."]})
        return attrs

    def create(self, validated_data):
        user = user_add(
            username=validated_data["username"],
            password=validated_data["password"],
            email=validated_data.get("email", ""),
            role=Role(validated_data["role"]),
            vendor=validated_data.get("vendor"),
            language=validated_data.get("language", ""),
        )
        if validated_data.get("is_active") is False:
            user = user_change(user, is_active=False)
        return user

    def update(self, instance, validated_data):
        # accounts.services.users: a changed password, role or access ends the user's tokens.
        return user_change(instance, **validated_data)
