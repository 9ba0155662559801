"""Serializer fields the API shares, described in the OpenAPI schema as the server answers."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-03"})
class MonthDateField(serializers.DateField):
    """A month as a date inside, written `YYYY-MM` in the API (the schema says so, not `date`)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("format", "%Y-%m")
        super().__init__(**kwargs)
