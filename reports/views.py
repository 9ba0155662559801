"""Pages of the report centre: list with filters and live status, download."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from accounts.roles import role_of

from .api import stored_pdf_response
from .filters import ReportFilter
from .models import Report
from .selectors import REPORT_ROLES, report_list


def _reports_for(request):
    if role_of(request.user) not in REPORT_ROLES:
        raise Http404
    return report_list(user=request.user)


@login_required
def report_centre(request):
    """Reports with filters, pagination and live status of the ones still rendering."""
    reports = ReportFilter(request.GET, queryset=_reports_for(request))
    page = Paginator(reports.qs, 25).get_page(request.GET.get("page"))
    return render(request, "reports/centre.html", {"filter": reports, "page": page})


@login_required
def report_row(request, pk: int):
    """One row of the list, polled by htmx until the report is finished."""
    report = get_object_or_404(_reports_for(request), pk=pk)
    return render(request, "reports/_row.html", {"report": report})


@login_required
def report_download(request, pk: int):
    """The stored PDF bytes, exactly as rendered."""
    report = get_object_or_404(_reports_for(request), pk=pk, status=Report.Status.DONE)
    return stored_pdf_response(report)
