"""Home-page panels of the KPI uploads: a vendor's latest uploads, a manager's waiting ones."""

from kpis.models import KpiUpload
from kpis.selectors import kpi_upload_list


def vendor_panel(request) -> dict:
    """The vendor's latest uploads and their findings."""
    return {"uploads": list(kpi_upload_list(user=request.user)[:8])}


def manager_panel(request) -> dict:
    """Uploads still queued or in progress, oldest first."""
    waiting = (KpiUpload.Status.QUEUED, KpiUpload.Status.PROCESSING)
    uploads = kpi_upload_list(user=request.user).filter(status__in=waiting)
    return {"uploads": list(uploads.order_by("created_at")[:10])}
