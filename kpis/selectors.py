"""Reads of KPI uploads and values: who sees which."""

from django.db.models import QuerySet

from core.roles import Role, role_of
from kpis.models import KpiUpload, KpiValue

# DOMAIN.md: managers and vendors upload (a vendor only for its own contracts), admins too;
# auditors and procurement read.
UPLOAD_ROLES = frozenset({Role.MANAGER, Role.VENDOR, Role.ADMIN})
READ_ROLES = frozenset({Role.MANAGER, Role.VENDOR, Role.ADMIN, Role.AUDITOR, Role.PROCUREMENT})
NAV_ROLES = frozenset({Role.MANAGER, Role.VENDOR, Role.AUDITOR, Role.ADMIN})


def kpi_upload_list(*, user) -> QuerySet[KpiUpload]:
    """Uploads the user may see: a vendor user only its vendor's, buyer roles all of them."""
    role = role_of(user)
    uploads = KpiUpload.objects.select_related("created_by", "duplicate_of")
    if role == Role.VENDOR:
        if user.vendor_id is None:
            return uploads.none()
        return uploads.filter(vendor_id=user.vendor_id)
    if role in READ_ROLES:
        return uploads
    return uploads.none()


def kpi_value_list(*, contract_id: int) -> QuerySet[KpiValue]:
    """A contract's monthly values, every revision; filter is_current for the figures in force."""
    return KpiValue.objects.filter(contract_id=contract_id).order_by(
        "period", "channel", "metric", "-revision"
    )


def kpi_upload_value_list(*, upload: KpiUpload) -> QuerySet[KpiValue]:
    """The monthly values an upload revised."""
    return KpiValue.objects.filter(upload=upload).select_related("contract")
