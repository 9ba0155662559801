"""The vendor scorecard as the page and the API read it: who may, which months, which shape.

One rule for both: the vendor's scorecard is readable by buyer-side roles (auditors too) and by
the vendor's own users; another vendor's is a 404 (it cannot tell which exist). The figures are
`kpis.evaluation.scorecard.vendor_scorecard`'s, the same the scorecard PDF prints; this module
only picks the months and lays the figures out per contract and month.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.catalogue import METRICS
from core.filters import MonthField
from core.months import add_months, months_between
from kpis.evaluation.scorecard import MAX_SCORECARD_MONTHS, Scorecard
from vendors.domain.track_record import MIN_JUDGED, TrackRecord
from vendors.models import Vendor
from vendors.selectors import vendors_visible_to

# The months shown when none are asked for: the 12 whole months before this one.
DEFAULT_MONTHS = 12
STATUS_LABELS = {
    "met": gettext_lazy("met"), "warning": gettext_lazy("warning (below expected)"),
    "breach": gettext_lazy("breach (below minimum)"),
    "missing": gettext_lazy("missing (not reported)"),
}  # fmt: skip


class ScorecardRangeError(ValueError):
    """Unusable `from`/`to`: {parameter: [messages]}."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in problems.items()))
        self.problems = problems


def scorecard_vendor(*, user, pk: int) -> Vendor:
    """The vendor whose scorecard `user` may read; Http404 for anyone else's (or none)."""
    vendor = vendors_visible_to(user).prefetch_related(None).filter(pk=pk).first()
    if vendor is None:
        raise Http404("No such vendor.")
    return vendor


def scorecard_default_range(today: date) -> tuple[date, date]:
    """The 12 whole months before `today`'s month."""
    last = add_months(today.replace(day=1), -1)
    return add_months(last, 1 - DEFAULT_MONTHS), last


def scorecard_range(*, raw_from: str | None, raw_to: str | None) -> tuple[date, date]:
    """The months asked for (`YYYY-MM`, both optional), checked; ScorecardRangeError names the
    parameter: a malformed or out-of-bounds month, a range that ends before it starts, one
    longer than MAX_SCORECARD_MONTHS, or one that ends after this month."""
    today = timezone.localdate()
    default_from, default_to = scorecard_default_range(today)
    problems: dict[str, list[str]] = {}
    months: dict[str, date | None] = {}
    for name, raw in (("from", raw_from), ("to", raw_to)):
        try:
            months[name] = MonthField(required=False).clean((raw or "").strip())
        except Exception as error:  # django's ValidationError: its messages, named
            problems[name] = list(getattr(error, "messages", [str(error)]))
    if problems:
        raise ScorecardRangeError(problems)
    end = months["to"] or default_to
    start = months["from"] or (
        add_months(end, 1 - DEFAULT_MONTHS) if months["to"] else default_from
    )
    if start > end:
        raise ScorecardRangeError({"to": [_("The range ends before it starts.")]})
    count = months_between(start, end)
    if count > MAX_SCORECARD_MONTHS:
        message = _("A scorecard covers at most %(most)s months; this range has %(months)s.")
        raise ScorecardRangeError(
            {"to": [message % {"most": MAX_SCORECARD_MONTHS, "months": count}]}
        )
    if end > today.replace(day=1):
        raise ScorecardRangeError({"to": [_("The range ends after this month.")]})
    return start, end


def track_record_data(record: TrackRecord) -> dict[str, Any]:
    """The ranking's `track_record` shape: the counts, newcomer, and the score (None if new)."""
    return {
        "judged": record.judged, "met": record.met, "warning": record.warning,
        "breach": record.breach, "missing": record.missing, "newcomer": record.newcomer,
        "score": record.score, "min_judged": MIN_JUDGED,
    }  # fmt: skip


@dataclass(frozen=True)
class ScorecardMonthView:
    """One contract month as the page and the API show it."""

    period: str
    evaluated: bool
    charges: Any
    credit_total: Any
    credit_waived: Any
    targets: list[dict[str, Any]]
    disputes: list[dict[str, Any]]


def _targets(card, label: str) -> list[dict[str, Any]]:
    found = []
    for row in card.rows:
        cell = next((c for c in row["cells"] if c["period"] == label), None)
        if cell is None or cell["status"] is None:
            continue
        found.append({
            "target": cell["target"], "lineage": row["lineage"], "metric": row["metric"],
            "metric_label": str(METRICS[row["metric"]].label), "unit": row["unit"],
            "channel": row["channel"], "critical": cell["critical"], "status": cell["status"],
            "status_label": str(STATUS_LABELS[cell["status"]]), "actual": cell["actual"],
            "expected": cell["expected"], "minimum": cell["minimum"], "credit": cell["credit"],
            "waived": cell["waived"], "chronic": cell["chronic"],
            "chronic_rules": [str(x) for x in cell["chronic_rules"]],
        })  # fmt: skip
    return found


def scorecard_months(card) -> list[ScorecardMonthView]:
    """A contract's months in the range with their targets and their breaches' disputes."""
    views = []
    for month in card.months:
        label = month["period"]
        disputes = [
            {"breach": b["id"], "target": b["target"], "metric": b["metric"],
             "metric_label": str(b["metric_label"]), "channel": b["channel"],
             "status": b["status"], "status_label": str(b["status_label"]),
             "credit": b["credit"], "dispute": b["dispute"]}
            for b in card.breaches if b["period"] == label
        ]  # fmt: skip
        views.append(
            ScorecardMonthView(
                period=label,
                evaluated=month["evaluated"],
                charges=month["charges"],
                credit_total=month["credit_total"],
                credit_waived=month["credit_waived"],
                targets=_targets(card, label),
                disputes=disputes,
            )  # fmt: skip
        )
    return views


def scorecard_data(score: Scorecard) -> dict[str, Any]:
    """The API's answer (`vendors/{id}/scorecard/`), as plain data."""
    return {
        "vendor": score.vendor.pk,
        "vendor_name": score.vendor.name,
        "from": score.period_from,
        "to": score.period_to,
        "contracts": [
            {
                "id": card.contract.pk,
                "reference": card.contract.reference,
                "currency": card.contract.currency,
                "status": card.contract.status,
                "credit_total": card.credit_total,
                "chronic_flags": [
                    {
                        "period": c["period"],
                        "target": c["target"],
                        "metric": c["row"]["metric"],
                        "channel": c["row"]["channel"],
                        "rules": list(c["chronic_rules"]),
                    }
                    for c in card.chronic
                ],  # fmt: skip
                "months": [vars(m) for m in scorecard_months(card)],
            }
            for card in score.contracts
        ],
        "track_record": track_record_data(score.record),
    }
