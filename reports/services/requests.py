"""Which reports may be requested, with which parameters; checked before a row is created."""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import Baseline
from contracts.selectors import contract_list
from core.errors import Conflict
from core.filters import MAX_INTEGER
from core.roles import Role, role_of
from kpis.evaluation.scorecard import MAX_SCORECARD_MONTHS
from kpis.models.evaluation import Evaluation
from kpis.roi.service import roi_default_range
from reports.models import Report
from reports.selectors import REPORT_ROLES, VENDOR_KINDS
from vendors.models import EventStatus, SourcingEvent, Vendor
from vendors.selectors import event_status


def _month(value: Any, field: str) -> str:
    try:
        return datetime.strptime(str(value or ""), "%Y-%m").strftime("%Y-%m")
    except ValueError:
        raise ValidationError({field: ["Use a month as YYYY-MM."]}) from None


def _contract(value: Any, user):
    contracts = contract_list(user=user)
    if str(value or "").isdigit():
        contract = contracts.filter(pk=int(value)).first()
    else:
        contract = contracts.filter(reference=str(value or "")).first()
    if contract is None:
        if role_of(user) == Role.VENDOR:
            # Another vendor's contract, or none: a vendor cannot tell which (no oracle).
            raise Http404("No such contract among yours.")
        raise ValidationError({"contract": ["No contract with this id or reference."]})
    return contract


def _check_role(kind: str, user) -> None:
    role = role_of(user)
    if role == Role.VENDOR:
        if kind == Report.Kind.ROI:
            raise Http404("No such report.")  # the in-house baseline is the buyer's business
        if kind not in VENDOR_KINDS:
            raise PermissionDenied("Vendors cannot request this kind of report.")
    elif role not in REPORT_ROLES:
        raise ValidationError({"kind": ["Your role does not generate reports."]})


def _sla(contract, data: dict[str, Any]) -> dict[str, Any]:
    period = _month(data.get("period"), "period")
    _in_term(contract, period, "period")
    month = datetime.strptime(period, "%Y-%m").date()
    if not Evaluation.objects.filter(contract=contract, period=month, is_current=True).exists():
        raise ValidationError({"period": [f"{period} has not been evaluated yet."]})
    return {"contract": contract.pk, "reference": contract.reference, "period": period}


def _roi(contract, data: dict[str, Any]) -> dict[str, Any]:
    if not data.get("from") and not data.get("to"):
        first, last = roi_default_range(contract)  # the ROI page's default
        data = {"from": f"{first:%Y-%m}", "to": f"{last:%Y-%m}"}
    start, end = _month(data.get("from"), "from"), _month(data.get("to"), "to")
    if start > end:
        raise ValidationError({"to": ["The range ends before it starts."]})
    _in_term(contract, start, "from")
    _in_term(contract, end, "to")
    if not Baseline.objects.filter(contract=contract).exists():
        raise Conflict(_("The contract has no in-house baseline yet: there is no ROI to report."))
    return {"contract": contract.pk, "reference": contract.reference, "from": start, "to": end}


def _in_term(contract, month: str, field: str) -> None:
    first, last = contract.start_date.strftime("%Y-%m"), contract.end_date.strftime("%Y-%m")
    if not first <= month <= last:
        raise ValidationError({field: [f"The contract runs from {first} to {last}."]})


def _comparison(data: dict[str, Any]) -> dict[str, Any]:
    raw = str(data.get("event") or "")
    event = SourcingEvent.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if event is None:
        raise ValidationError({"event": ["No sourcing event with this id."]})
    if event_status(event, timezone.now()) not in (EventStatus.CLOSED, EventStatus.AWARDED):
        raise Conflict(_("Bids are sealed until the deadline: compare vendors after it."))
    return {"event": event.pk}


def _vendor(value: Any, user) -> Vendor:
    raw = str(value or "").strip()
    known = raw.isdigit() and int(raw) <= MAX_INTEGER  # beyond bigint: no such vendor
    vendor = Vendor.objects.filter(pk=int(raw)).first() if known else None
    if role_of(user) == Role.VENDOR:
        if vendor is None or vendor.pk != user.vendor_id:
            # Another vendor's scorecard, or none: a vendor cannot tell which (no oracle).
            raise Http404("No such vendor.")
    elif vendor is None:
        raise ValidationError({"vendor": [_("No vendor with this id.")]})
    return vendor


def _scorecard(data: dict[str, Any], user) -> dict[str, Any]:
    vendor = _vendor(data.get("vendor"), user)
    start, end = _month(data.get("from"), "from"), _month(data.get("to"), "to")
    if start > end:
        raise ValidationError({"to": [_("The range ends before it starts.")]})
    first = datetime.strptime(start, "%Y-%m")
    last = datetime.strptime(end, "%Y-%m")
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months > MAX_SCORECARD_MONTHS:
        message = _("A scorecard covers at most %(most)s months; this range has %(months)s.")
        raise ValidationError({"to": [message % {"most": MAX_SCORECARD_MONTHS, "months": months}]})
    if end > timezone.localdate().strftime("%Y-%m"):
        raise ValidationError({"to": [_("The range ends after this month.")]})
    return {"vendor": vendor.pk, "from": start, "to": end}


def report_parameters(*, kind: str, data: dict[str, Any], user) -> dict[str, Any]:
    """The cleaned parameters of a report request; ValidationError/Conflict otherwise.

    Vendor users may request SLA reports of their own contracts and their own scorecard only:
    another vendor's contract or scorecard, and any ROI, is a 404 to them (as the ROI API is).
    """
    if kind not in Report.Kind.values:
        raise ValidationError({"kind": [_("Choose roi, sla, comparison or scorecard.")]})
    _check_role(kind, user)
    if kind == Report.Kind.COMPARISON:
        return _comparison(data)
    if kind == Report.Kind.SCORECARD:
        return _scorecard(data, user)
    contract = _contract(data.get("contract"), user)
    if kind == Report.Kind.SLA:
        return _sla(contract, data)
    return _roi(contract, data)
