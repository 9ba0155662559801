"""Reads of reports: who may see which."""

from django.db.models import QuerySet

from accounts.roles import Role, role_of

from .models import Report

# DOMAIN.md: auditors download reports; managers and procurement use them for their own work.
REPORT_ROLES = frozenset({Role.AUDITOR, Role.MANAGER, Role.PROCUREMENT, Role.ADMIN})


def report_list(*, user) -> QuerySet[Report]:
    """Reports the user may see: all of them for buyer-side roles, none for vendors."""
    if role_of(user) not in REPORT_ROLES:
        return Report.objects.none()
    return Report.objects.select_related("created_by")
