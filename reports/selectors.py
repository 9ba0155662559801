"""Reads of reports: who may see which."""

from django.db.models import QuerySet

from contracts.models import Contract
from core.roles import Role, role_of
from reports.models import Report

# DOMAIN.md: auditors download reports; managers and procurement use them for their own work.
REPORT_ROLES = frozenset({Role.AUDITOR, Role.MANAGER, Role.PROCUREMENT, Role.ADMIN})
# A vendor's own staff see their contracts' SLA performance, never an ROI or a comparison.
VENDOR_KINDS = frozenset({Report.Kind.SLA})
CENTRE_ROLES = REPORT_ROLES | {Role.VENDOR}


def report_list(*, user) -> QuerySet[Report]:
    """Reports the user may see: all for buyer-side roles; a vendor its own contracts' SLA."""
    role = role_of(user)
    reports = Report.objects.select_related("created_by")
    if role in REPORT_ROLES:
        return reports
    if role == Role.VENDOR and user.vendor_id is not None:
        own = Contract.objects.filter(vendor_id=user.vendor_id).values_list("pk", flat=True)
        return reports.filter(kind__in=VENDOR_KINDS, parameters__contract__in=list(own))
    return reports.none()
