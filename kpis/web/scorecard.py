"""The vendor scorecard page (linked from the vendor's profile): every contract's targets month
by month, credits, chronic flags, disputes, and the track record over the months shown.

The page lives in kpis because its figures are the evaluation's; the vendors app only links to
it by URL name. Access and months follow `kpis.evaluation.scorecard_read`, as the API does.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from kpis.evaluation.scorecard import vendor_scorecard
from kpis.evaluation.scorecard_read import (
    ScorecardRangeError,
    scorecard_default_range,
    scorecard_months,
    scorecard_range,
    scorecard_vendor,
)


@login_required
def vendor_scorecard_page(request, pk: int):
    """A vendor's scorecard; a bad month shows the default range with the error (400)."""
    vendor = scorecard_vendor(user=request.user, pk=pk)
    raw_from, raw_to = request.GET.get("from"), request.GET.get("to")
    errors: dict[str, list[str]] = {}
    try:
        start, end = scorecard_range(raw_from=raw_from, raw_to=raw_to)
    except ScorecardRangeError as error:
        errors = error.problems
        start, end = scorecard_default_range(timezone.localdate())
    score = vendor_scorecard(vendor=vendor, period_from=start, period_to=end)
    context = {
        "vendor": vendor,
        "score": score,
        "record": score.record,
        "contracts": [{"card": card, "months": scorecard_months(card)} for card in score.contracts],
        "errors": errors,
        "typed_from": raw_from if errors else score.period_from,
        "typed_to": raw_to if errors else score.period_to,
        "own": vendor.pk == getattr(request.user, "vendor_id", None),
    }
    return render(request, "kpis/scorecard.html", context, status=400 if errors else 200)
