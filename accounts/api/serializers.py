"""API shapes for users (admins only)."""

from django.contrib.auth import password_validation
from rest_framework import serializers

from accounts.models import User
from accounts.services.tokens import user_tokens_revoke
from core.roles import Role, role_of, user_create, user_set_role
from core.serializers import RefuseDroppedInputMixin


class UserSerializer(RefuseDroppedInputMixin, serializers.ModelSerializer):
    """`username, password (write), role, vendor` as API.md lists."""

    password = serializers.CharField(
        write_only=True, required=False, style={"input_type": "password"}
    )
    role = serializers.ChoiceField(choices=Role.choices)
    vendor = serializers.PrimaryKeyRelatedField(
        queryset=User._meta.get_field("vendor").related_model.objects.all(),
        required=False,
        allow_null=True,
    )

    class Meta:
        model = User
        fields = ["id", "username", "email", "password", "role", "vendor", "is_active"]

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
        return user_create(
            username=validated_data["username"],
            password=validated_data["password"],
            email=validated_data.get("email", ""),
            role=Role(validated_data["role"]),
            vendor=validated_data.get("vendor"),
        )

    def update(self, instance, validated_data):
        password = validated_data.pop("password", None)
        role = validated_data.pop("role", None)
        vendor = validated_data.pop("vendor", instance.vendor)
        before = (role_of(instance), instance.vendor_id, instance.is_active)
        for field, value in validated_data.items():
            setattr(instance, field, value)
        if password:
            instance.set_password(password)
        instance.save()
        user = user_set_role(user=instance, role=Role(role or role_of(instance)), vendor=vendor)
        if password or before != (role_of(user), user.vendor_id, user.is_active):
            user_tokens_revoke(user=user)  # a changed password, role or access ends its tokens
        return user
