"""Pages of the report centre: request form, list with filters and live status, download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from core.errors import Conflict
from core.roles import role_of
from reports.api.views import stored_pdf_response
from reports.filters import ReportFilter
from reports.models import Report
from reports.selectors import CENTRE_ROLES, report_list, report_parameter_lines
from reports.services.rendering import report_request
from reports.web.forms import ReportRequestForm, requestable_kinds


def _reports_for(request):
    if role_of(request.user) not in CENTRE_ROLES:
        raise Http404
    return report_list(user=request.user)


def _request(request, form: ReportRequestForm) -> Report | None:
    """Queue the report the form asks for; its problems become the form's errors."""
    if not form.is_valid():
        return None
    try:
        return report_request(
            kind=form.cleaned_data["kind"],
            parameters=form.parameters(),
            user=request.user,
            language=translation.get_language(),
        )
    except ValidationError as error:
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    except Conflict as error:
        form.add_error(None, str(error))
    except (Http404, PermissionDenied):
        if form.cleaned_data["kind"] == Report.Kind.SCORECARD:
            form.add_error("vendor", _("You may request your own vendor's scorecard only."))
        else:
            form.add_error("contract", _("No such contract among those you may report on."))
    return None


@login_required
def report_centre(request):
    """Request form per kind, reports with filters, pagination and live status."""
    reports = ReportFilter(request.GET, queryset=_reports_for(request), request=request)
    form = ReportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST":
        report = _request(request, form)
        if report is not None:
            messages.success(request, _("Report #%(id)s is queued.") % {"id": report.pk})
            return redirect("report-centre")
    page = Paginator(reports.qs, 25).get_page(request.GET.get("page"))
    report_parameter_lines(page.object_list)
    context = {"filter": reports, "page": page, "form": form,
               "kinds": requestable_kinds(request.user)}  # fmt: skip
    return render(request, "reports/centre.html", context, status=400 if form.errors else 200)


@login_required
def report_row(request, pk: int):
    """One row of the list, polled by htmx until the report is finished."""
    report = get_object_or_404(_reports_for(request), pk=pk)
    report_parameter_lines([report])
    return render(request, "reports/_row.html", {"report": report})


@login_required
def report_download(request, pk: int):
    """The stored PDF bytes, exactly as rendered."""
    report = get_object_or_404(_reports_for(request), pk=pk, status=Report.Status.DONE)
    return stored_pdf_response(report)
