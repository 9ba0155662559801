"""Reads of reports: who may see which."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from contracts.models import Contract
from core.formatting import month
from core.roles import Role, role_of
from reports.models import Report
from vendors.models import SourcingEvent, Vendor

# DOMAIN.md: auditors download reports; managers and procurement use them for their own work.
REPORT_ROLES = frozenset({Role.AUDITOR, Role.MANAGER, Role.PROCUREMENT, Role.ADMIN})
# A vendor's own staff see their contracts' SLA performance and their own scorecard, never an
# ROI or a comparison.
VENDOR_KINDS = frozenset({Report.Kind.SLA, Report.Kind.SCORECARD})
CENTRE_ROLES = REPORT_ROLES | {Role.VENDOR}


def report_list(*, user) -> QuerySet[Report]:
    """Reports the user may see: all for buyer-side roles; a vendor its own contracts' SLA
    reports and its own scorecards."""
    role = role_of(user)
    reports = Report.objects.select_related("created_by")
    if role in REPORT_ROLES:
        return reports
    if role == Role.VENDOR and user.vendor_id is not None:
        own = Contract.objects.filter(vendor_id=user.vendor_id).values_list("pk", flat=True)
        return reports.filter(
            Q(kind=Report.Kind.SLA, parameters__contract__in=list(own))
            | Q(kind=Report.Kind.SCORECARD, parameters__vendor=user.vendor_id)
        )
    return reports.none()


# The request parameters in words, in this order; "reference" repeats the contract's.
PARAMETER_LABELS = {
    "contract": _("Contract"), "event": _("Sourcing event"), "vendor": _("Vendor"),
    "period": _("Month"), "from": _("From"), "to": _("To"),
}  # fmt: skip
# Parameters that are months (YYYY-MM): named as the reader names them.
MONTH_PARAMETERS = {"period", "from", "to"}


def report_parameter_lines(reports: Iterable[Report]) -> None:
    """Set `parameter_lines` [(label, value)] on each report: the contract's reference, the
    event's title and the vendor's name instead of their ids (three queries in all)."""
    reports = list(reports)
    ids: dict[str, set[int]] = {"contract": set(), "event": set(), "vendor": set()}
    for report in reports:
        for key, found in ids.items():
            value = report.parameters.get(key)
            if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
                found.add(int(value))
    names = {
        "contract": dict(
            Contract.objects.filter(pk__in=ids["contract"]).values_list("pk", "reference")
        ),
        "event": dict(SourcingEvent.objects.filter(pk__in=ids["event"]).values_list("pk", "title")),
        "vendor": dict(Vendor.objects.filter(pk__in=ids["vendor"]).values_list("pk", "name")),
    }
    for report in reports:
        lines = []
        for key, label in PARAMETER_LABELS.items():
            value = report.parameters.get(key)
            if value in (None, ""):
                continue
            if key in MONTH_PARAMETERS:
                value = month(value)
            elif key in names:
                fallback = report.parameters.get("reference") if key == "contract" else None
                value = names[key].get(int(value)) or fallback or f"#{value}"
            lines.append((label, value))
        # A key without a label is shown as it is, never hidden.
        known = {*PARAMETER_LABELS, "reference"}
        lines += [(k, v) for k, v in report.parameters.items() if k not in known]
        report.parameter_lines = lines
