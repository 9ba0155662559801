"""API conventions of API.md: pagination, error shapes, and the domain's errors as HTTP answers."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import Conflict


class Pagination(PageNumberPagination):
    """`?page=N&page_size=N` (max 500), answering `{count, next, previous, results}`."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class ConflictError(exceptions.APIException):
    """The 409 a domain Conflict becomes: the object's state does not allow the request."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The object's current state does not allow this."
    default_code = "conflict"


def exception_handler(exc, context):
    """DRF's handler, plus the domain's Conflict as a 409 and Django's ValidationError as a 400
    in the field-keyed shape."""
    if isinstance(exc, Conflict):
        # {"detail": ...}, plus each refused field by name where the domain named them.
        exc = ConflictError({"detail": str(exc), **exc.fields} if exc.fields else str(exc))
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)


class SchemaAccess(BasePermission):
    """The schema and docs: anyone when API_SCHEMA_PUBLIC (development, tests), else logged in."""

    message = _("Log in (or send a token) to read the API schema.")

    def has_permission(self, request, view) -> bool:
        return settings.API_SCHEMA_PUBLIC or bool(request.user and request.user.is_authenticated)
