"""KPI upload pages: upload with live status and the problems table."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from core.roles import role_of
from kpis.filters import KpiUploadFilter
from kpis.ingestion.service import kpi_upload_create
from kpis.models import KpiUpload
from kpis.selectors import READ_ROLES, UPLOAD_ROLES, kpi_upload_list, kpi_upload_value_list
from kpis.web.forms import KpiUploadForm, UploadLimitHandler

VALUES_SHOWN = 100


def _visible(request):
    if role_of(request.user) not in READ_ROLES:
        raise Http404
    return kpi_upload_list(user=request.user)


@csrf_exempt  # checked by _upload_index, once the size limit can no longer be bypassed
@login_required
@require_http_methods(["GET", "POST"])
def upload_index(request):
    """Upload a KPI file (pick or drop it); the uploads the user may see, with live status."""
    limit = UploadLimitHandler(request)
    if request.method == "POST":
        request.upload_handlers.insert(0, limit)  # before the body is read, as Django requires
    return _upload_index(request, limit)


@csrf_protect
def _upload_index(request, limit: UploadLimitHandler):
    uploads = _visible(request)
    can_upload = role_of(request.user) in UPLOAD_ROLES
    form = KpiUploadForm(limit=limit)
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied
        form = KpiUploadForm(request.POST, request.FILES, limit=limit)
        if form.is_valid():
            file = form.cleaned_data["file"]
            try:
                upload = kpi_upload_create(
                    file=file, name=file.name, user=request.user, source=KpiUpload.Source.PAGE
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("kpi-upload-detail", upload.pk)
    found = KpiUploadFilter(request.GET, queryset=uploads)
    page = Paginator(found.qs, 25).get_page(request.GET.get("page"))
    context = {"form": form, "can_upload": can_upload, "filter": found, "page": page}
    return render(request, "kpis/uploads.html", context, status=400 if form.errors else 200)


def _outcome(upload: KpiUpload) -> dict:
    values = []
    if upload.status == KpiUpload.Status.DONE:
        values = list(kpi_upload_value_list(upload=upload)[:VALUES_SHOWN])
    return {"upload": upload, "values": values, "values_shown": VALUES_SHOWN}


@login_required
def upload_detail(request, pk: int):
    """An upload: what was sent, its status until finished, then every problem or the values."""
    upload = get_object_or_404(_visible(request), pk=pk)
    return render(request, "kpis/upload_detail.html", _outcome(upload))


@login_required
def upload_outcome(request, pk: int):
    """The status and outcome block, polled by htmx until the upload is finished."""
    upload = get_object_or_404(_visible(request), pk=pk)
    return render(request, "kpis/_outcome.html", _outcome(upload))


@login_required
def upload_row(request, pk: int):
    """One row of the upload list, polled by htmx until the upload is finished."""
    upload = get_object_or_404(_visible(request), pk=pk)
    return render(request, "kpis/_row.html", {"upload": upload})
