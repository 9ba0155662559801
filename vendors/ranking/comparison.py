"""The comparison page of a sourcing event: ranking, live what-if weights, breakdowns, exports.

Buyer-side users read it after the bid deadline; before it the page says until when bids are
sealed and shows only who bid and when. Vendor users get a 404. Every figure comes from
`vendors.ranking.comparison_for`, the same as the API's, so page, files and API agree.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.charts import line_chart
from core.formatting import short_month
from vendors.domain.scoring import (
    Criterion,
    Weights,
    WeightsError,
    parse_weights,
    parse_weights_query,
)
from vendors.models import SourcingEvent
from vendors.ranking import (
    Comparison,
    RankingSealed,
    comparison_for,
    comparison_of,
    event_bidders,
    event_spec,
    ranking_for,
    ranking_readable,
    weights_messages,
)
from vendors.ranking.exports import comparison_csv, comparison_xlsx, export_filename
from vendors.ranking.figures import CRITERION_LABELS
from vendors.scenarios.web import scenarios_section
from vendors.selectors import event_status, events_visible_to

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHART_LINES = 8  # more lines than this are unreadable; the table and exports list every month


def monthly_cost_chart(comparison: Comparison) -> SafeString | None:
    """Monthly cost over the term, a line per priced proposal (the first eight by rank)."""
    rows = [r for r in comparison.rows if r.monthly_costs][:CHART_LINES]
    if not rows or not comparison.seasonal:
        return None
    svg = line_chart(
        title=_("Monthly cost over the term (%(currency)s)") % {"currency": comparison.currency},
        x_labels=[short_month(m) for m in comparison.month_labels],
        series=[
            (f"#{row.rank} {row.vendor_name}", [m.cost for m in row.monthly_costs]) for row in rows
        ],
    )
    return mark_safe(svg)  # noqa: S308 - pygal's own SVG, its script removed by core.charts


def _event(request: HttpRequest, pk: int) -> SourcingEvent:
    """The event, for a user who may read rankings; a 404 for anyone else (vendor users too)."""
    if not ranking_readable(request.user):
        raise Http404("No such sourcing event.")
    return get_object_or_404(events_visible_to(request.user), pk=pk)


def _what_if(request: HttpRequest) -> tuple[Weights | None, list[str]]:
    """What-if weights from `?weights=cost:40,...` or the form's `?cost=40&expertise=20...`.

    (None, []) when none are given; (None, messages) when they are unusable.
    """
    query = request.GET
    try:
        if "weights" in query:
            return parse_weights_query(text=query["weights"]), []
        if any(c.value in query for c in Criterion):
            return parse_weights(raw={c.value: query.get(c.value, "") for c in Criterion}), []
    except WeightsError as error:
        return None, weights_messages(error)
    return None, []


def _weight_inputs(request: HttpRequest, comparison: Comparison) -> list[dict[str, object]]:
    """The form's four inputs: what the user typed, else the weights the table was ranked with."""
    return [
        {
            "name": c.value,
            "label": str(CRITERION_LABELS[c.value]).capitalize(),
            "value": request.GET.get(c.value, str(comparison.weights.of(c))).strip()[:3],
            "saved": comparison.event_weights.of(c),
        }
        for c in Criterion
    ]


def _sealed(request: HttpRequest, event: SourcingEvent, sealed: RankingSealed) -> HttpResponse:
    context = {"event": event, "deadline": sealed.deadline, "bidders": event_bidders(event)}
    return render(request, "vendors/comparison_sealed.html", context)


@login_required
@require_GET
def event_comparison(request: HttpRequest, pk: int) -> HttpResponse:
    """The comparison page; unusable what-if weights show the saved ones with the error."""
    event = _event(request, pk)
    now = timezone.now()
    weights, errors = _what_if(request)
    try:
        ranking = ranking_for(user=request.user, event=event, now=now, weights=weights)
    except RankingSealed as sealed:
        return _sealed(request, event, sealed)
    comparison = comparison_of(ranking=ranking, spec=event_spec(event))
    # The scenarios use the saved weights: the page's ranking serves unless it is a what-if.
    saved = ranking if weights is None else None
    context = {
        "event": event,
        "status": event_status(event, now),
        "comparison": comparison,
        "weight_inputs": _weight_inputs(request, comparison),
        "errors": errors,
        "cost_chart": monthly_cost_chart(comparison),
        **scenarios_section(request=request, event=event, now=now, ranking=saved),
    }
    return render(request, "vendors/comparison.html", context)


@login_required
@require_GET
def event_comparison_table(request: HttpRequest, pk: int) -> HttpResponse:
    """The results part of the page, re-ranked with the what-if weights (htmx swaps it in).

    Unusable weights keep the table on screen: htmx is told not to swap (HX-Reswap: none) and
    only the inline error is replaced (out of band); without htmx they are a 400.
    """
    event = _event(request, pk)
    weights, errors = _what_if(request)
    if errors:
        htmx = request.headers.get("HX-Request") == "true"
        response = render(
            request,
            "vendors/_comparison_weights_error.html",
            {"errors": errors, "oob": htmx},
            status=200 if htmx else 400,
        )
        if htmx:
            response["HX-Reswap"] = "none"
        return response
    try:
        comparison = comparison_for(
            user=request.user, event=event, now=timezone.now(), weights=weights
        )
    except RankingSealed as sealed:
        return HttpResponse(str(sealed), status=409, content_type="text/plain; charset=utf-8")
    context = {
        "event": event,
        "comparison": comparison,
        "errors": [],
        "oob": True,
        "cost_chart": monthly_cost_chart(comparison),
    }
    return render(request, "vendors/_comparison_results.html", context)


def _export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The ranking as a file, with the what-if weights of the page; same rules as the page."""
    event = _event(request, pk)
    weights, errors = _what_if(request)
    if errors:
        return HttpResponse(" ".join(errors), status=400, content_type="text/plain; charset=utf-8")
    try:
        comparison = comparison_for(
            user=request.user, event=event, now=timezone.now(), weights=weights
        )
    except RankingSealed as sealed:
        return HttpResponse(str(sealed), status=409, content_type="text/plain; charset=utf-8")
    if kind == "csv":
        content, content_type = comparison_csv(comparison=comparison), "text/csv; charset=utf-8"
    else:
        content, content_type = comparison_xlsx(event=event, comparison=comparison), XLSX
    response = HttpResponse(content, content_type=content_type)
    name = export_filename(event=event, comparison=comparison, extension=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def event_comparison_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranking table as CSV (UTF-8 with BOM, formula-like text escaped)."""
    return _export(request, pk, "csv")


@login_required
@require_GET
def event_comparison_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranking, sensitivity and priced lines as an XLSX workbook (numbers as numbers)."""
    return _export(request, pk, "xlsx")
