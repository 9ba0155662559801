"""Evaluation pages: a contract's SLA dashboard and month, the breach list, the ROI page."""

from datetime import date
from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from contracts.models import Contract
from contracts.selectors import contract_list
from core.charts import line_chart_of
from core.errors import Conflict
from core.roles import Role, role_of
from kpis.evaluation.breaches import breach_acknowledge, breach_waive
from kpis.evaluation.dispute_selectors import month_disputes
from kpis.evaluation.disputes import dispute_refusal, dispute_window
from kpis.evaluation.filters import BreachFilter
from kpis.evaluation.requests import months_evaluating
from kpis.evaluation.selectors import (
    DECIDE_ROLES,
    READ_ROLES,
    ROI_ROLES,
    breach_list,
    evaluation_detail,
    sla_dashboard,
    sla_default_range,
    sla_trend_lines,
)
from kpis.evaluation.service import parse_period
from kpis.roi.service import RoiUnavailable, contract_roi, roi_default_range, roi_savings_line
from kpis.web.evaluation_forms import BreachDecisionForm, MonthRangeForm

T = "kpis/evaluation/"


def _contract(request, pk: int) -> Contract:
    if role_of(request.user) not in READ_ROLES:
        raise Http404
    return get_object_or_404(contract_list(user=request.user), pk=pk)


def _range(request, default: tuple[date, date]) -> tuple[MonthRangeForm, date, date]:
    form = MonthRangeForm(request.GET if request.GET else None)
    start, end = default
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        start, end = min(start, end), max(start, end)
    if not form.is_bound:
        form = MonthRangeForm(initial={"start": start, "end": end})
    return form, start, end


@login_required
def contract_sla(request, pk: int):
    """Targets x months coloured by status, credits per month, trends, chronic flags, findings."""
    contract = _contract(request, pk)
    form, start, end = _range(request, sla_default_range(contract))
    dashboard = sla_dashboard(contract=contract, period_from=start, period_to=end)
    context = {
        "contract": contract,
        "form": form,
        "dashboard": dashboard,
        "charts": [
            {"row": line.row, "svg": line_chart_of(line), "levels_changed": line.levels_changed}
            for line in sla_trend_lines(dashboard)
        ],
        "evaluated": any(m.evaluated for m in dashboard.months),
        "evaluating_any": [m.period for m in dashboard.months if m.evaluating],
        "can_see_roi": role_of(request.user) in ROI_ROLES,
    }
    return render(request, T + "sla.html", context, status=400 if form.errors else 200)


@login_required
def contract_sla_month(request, pk: int, period: str):
    """A month's evaluation with its workings: priced lines, targets, findings, revisions."""
    contract = _contract(request, pk)
    try:
        month = parse_period(period)
        revision = int(request.GET["revision"]) if request.GET.get("revision") else None
    except ValueError:
        raise Http404 from None
    detail = evaluation_detail(contract=contract, period=month, revision=revision)
    evaluating = bool(months_evaluating(contract_id=contract.pk, periods=[month]))
    context = {"contract": contract, "period": f"{month:%Y-%m}", "evaluation": detail,
               "can_see_roi": role_of(request.user) in ROI_ROLES,
               "evaluating": evaluating,
               "disputes": month_disputes(contract=contract, period=month)}  # fmt: skip
    return render(request, T + "month.html", context)


@login_required
def contract_roi_page(request, pk: int):
    """Monthly ROI table, cumulative savings chart, payback, savings %, ROI %, KPI deltas."""
    if role_of(request.user) not in ROI_ROLES:
        raise Http404  # the in-house baseline is the buyer's business
    contract = _contract(request, pk)
    form, start, end = _range(request, roi_default_range(contract))
    context = {"contract": contract, "form": form, "report": None, "unavailable": None}
    try:
        report = contract_roi(contract=contract, period_from=start, period_to=end)
    except RoiUnavailable as error:
        context["unavailable"] = str(error)
    except ValidationError as error:
        form.add_error(None, error)
    else:
        context["report"] = report
        months = report.roi.months
        context["chart"] = line_chart_of(roi_savings_line(report)) if months else None
    context["can_edit_baseline"] = role_of(request.user) in (Role.MANAGER, Role.ADMIN)
    return render(request, T + "roi.html", context, status=400 if form.errors else 200)


@login_required
def breach_index(request):
    """Breaches with the API's filters; managers acknowledge or waive them in place."""
    if role_of(request.user) not in READ_ROLES:
        raise Http404
    return _breach_page(request)


def _breach_page(request, failed: tuple[int, BreachDecisionForm] | None = None, status=200):
    found = BreachFilter(request.GET, queryset=breach_list(user=request.user))
    page = Paginator(found.qs, 25).get_page(request.GET.get("page"))
    rows = [_row(request, breach, failed) for breach in page.object_list]
    visible = contract_list(user=request.user).select_related(None).prefetch_related(None)
    contracts = visible.only("pk", "reference").order_by("reference")
    context = {"filter": found, "page": page, "rows": rows, "contracts": contracts,
               "can_decide": role_of(request.user) in DECIDE_ROLES,
               "is_vendor": role_of(request.user) == Role.VENDOR}  # fmt: skip
    return render(request, T + "breaches.html", context, status=status)


def _row(request, breach, failed=None) -> dict:
    form = failed[1] if failed and failed[0] == breach.pk else BreachDecisionForm()
    return {"breach": breach, "form": form, "next": request.get_full_path(),
            **_dispute_row(request, breach)}  # fmt: skip


def _dispute_row(request, breach) -> dict:
    """For a vendor: whether the breach can be disputed now, and until when."""
    if role_of(request.user) != Role.VENDOR:
        return {}
    return {"disputable": dispute_refusal(breach=breach) is None,
            "window": dispute_window(breach=breach)}  # fmt: skip


@login_required
def breach_row(request, pk: int):
    """One breach's row, polled by the list while its waiver's re-evaluation runs."""
    breach = get_object_or_404(breach_list(user=request.user), pk=pk)
    row = {"breach": breach, "form": BreachDecisionForm(), "next": reverse("breach-list"),
           **_dispute_row(request, breach)}  # fmt: skip
    context = {"row": row, "can_decide": role_of(request.user) in DECIDE_ROLES,
               "is_vendor": role_of(request.user) == Role.VENDOR}  # fmt: skip
    return render(request, T + "_breach_row.html", context)


@login_required
@require_POST
def breach_decide(request, pk: int):
    """Acknowledge or waive one breach; htmx swaps its row, a plain form comes back to the list."""
    if role_of(request.user) not in DECIDE_ROLES:
        raise PermissionDenied
    breach = get_object_or_404(breach_list(user=request.user), pk=pk)
    form = BreachDecisionForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["action"] == "waive":
                breach = breach_waive(
                    breach=breach, user=request.user, reason=form.cleaned_data["reason"]
                )
            else:
                breach = breach_acknowledge(
                    breach=breach, user=request.user, reason=form.cleaned_data["reason"]
                )
        except Conflict as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            found = error.message_dict if hasattr(error, "error_dict") else {}
            form.add_error("reason", found.get("reason", error.messages))
    htmx = request.headers.get("HX-Request") == "true"
    next_url = request.POST.get("next") or reverse("breach-list")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = reverse("breach-list")
    if htmx:
        breach.refresh_from_db()
        row = {"breach": breach, "form": form if form.errors else BreachDecisionForm(),
               "next": next_url}  # fmt: skip
        # 200 even with errors: htmx swaps only successful responses, and the row shows them.
        return render(request, T + "_breach_row.html", {"row": row, "can_decide": True})
    if not form.errors:
        return redirect(next_url)
    request.GET = QueryDict(urlsplit(next_url).query)  # the list as it was shown
    return _breach_page(request, failed=(breach.pk, form), status=400)
