"""Which reports may be requested, with which parameters; checked before a row is created."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import role_of
from config.api import Conflict
from contracts.selectors import contract_list
from vendors.models import EventStatus, SourcingEvent
from vendors.selectors import event_status

from .models import Report
from .selectors import REPORT_ROLES


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
        raise ValidationError({"contract": ["No contract with this id or reference."]})
    return contract


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
        raise Conflict("Bids are sealed until the deadline: compare vendors after it.")
    return {"event": event.pk}


def report_parameters(*, kind: str, data: dict[str, Any], user) -> dict[str, Any]:
    """The cleaned parameters of a report request; ValidationError/Conflict otherwise."""
    if role_of(user) not in REPORT_ROLES:
        raise ValidationError({"kind": ["Your role does not generate reports."]})
    if kind == Report.Kind.COMPARISON:
        return _comparison(data)
    if kind not in (Report.Kind.ROI, Report.Kind.SLA):
        raise ValidationError({"kind": ["Choose roi, sla or comparison."]})
    contract = _contract(data.get("contract"), user)
    if kind == Report.Kind.SLA:
        period = _month(data.get("period"), "period")
        _in_term(contract, period, "period")
        return {"contract": contract.pk, "reference": contract.reference, "period": period}
    start, end = _month(data.get("from"), "from"), _month(data.get("to"), "to")
    if start > end:
        raise ValidationError({"to": ["The range ends before it starts."]})
    _in_term(contract, start, "from")
    _in_term(contract, end, "to")
    return {"contract": contract.pk, "reference": contract.reference, "from": start, "to": end}
