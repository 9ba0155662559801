"""Amendments: a dated change of fees, pricing or targets on an active contract."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from contracts.domain.validation import contract_terms_problems
from contracts.models import Amendment, Contract, SlaTarget
from contracts.services.lifecycle import _raise, contract_status
from contracts.services.terms import TERM_FIELDS, apply_amendment, month_start, terms_for_month
from core.audit import history_record_rows
from core.errors import Conflict

TARGET_FIELDS = ("metric", "channel", "expected", "minimum", "critical", "allocation_percent")
NUMERIC = ("expected", "minimum", "allocation_percent")


def _target_values(values: Any, field: str) -> dict[str, Any]:
    """A target's fields from a JSON change, numbers as Decimal; a clear 400 otherwise."""
    if not isinstance(values, dict):
        raise ValidationError({field: ["Give a target as an object."]})
    row = {f: values[f] for f in TARGET_FIELDS if f in values}
    for name in NUMERIC:
        if row.get(name) is not None:
            try:
                row[name] = Decimal(str(row[name]))
            except InvalidOperation:
                raise ValidationError({f"{field}.{name}": ["Must be a number."]}) from None
            if not row[name].is_finite():
                raise ValidationError({f"{field}.{name}": ["Must be a number."]})
    if "channel" in row or "metric" in row:
        row["channel"] = row.get("channel") or ""
    return row


def _target_plan(changes: dict[str, Any]) -> tuple[list[dict], dict[int, dict], set[int]]:
    """Read `changes.targets` = {add: [...], change: [{id, ...}], remove: [ids]}."""
    plan = changes.get("targets") or {}
    if not isinstance(plan, dict) or set(plan) - {"add", "change", "remove"}:
        raise ValidationError({"changes.targets": ["Use {add: [], change: [], remove: []}."]})
    try:
        removed = {int(pk) for pk in plan.get("remove", [])}
        changed = {
            int(c["id"]): _target_values(c, f"changes.targets.change[{i}]")
            for i, c in enumerate(plan.get("change", []))
        }
    except (KeyError, TypeError, ValueError):
        raise ValidationError({"changes.targets": ["Name each target by its id."]}) from None
    added = [
        {"critical": True, "channel": "", **_target_values(t, f"changes.targets.add[{i}]")}
        for i, t in enumerate(plan.get("add", []))
    ]
    for i, row in enumerate(added):
        missing = [f for f in ("metric", "expected", "minimum") if f not in row]
        if missing:
            raise ValidationError({f"changes.targets.add[{i}]": [f"Missing {', '.join(missing)}."]})
    return added, changed, removed


def _check_month(contract: Contract, effective: date) -> None:
    if not month_start(contract.start_date) <= effective <= month_start(contract.end_date):
        raise ValidationError(
            {"effective_month": ["The month must lie within the contract's term."]}
        )
    latest = contract.amendments.order_by("-effective_month").first()
    if latest and effective < latest.effective_month:
        message = (
            f"An amendment already takes effect in {latest.effective_month:%Y-%m}; "
            "a later one cannot take effect before it."
        )
        raise ValidationError({"effective_month": [message]})


def _target_rows(contract: Contract, effective: date, changes: dict[str, Any]):
    """The targets in force from the effective month, as dicts, after the target changes."""
    in_force = {t.pk: t for t in terms_for_month(contract, effective).targets}
    added, changed, removed = _target_plan(changes)
    unknown = (removed | set(changed)) - set(in_force)
    if unknown:
        raise ValidationError(
            {"changes.targets": [f"No target in force with id {sorted(unknown)}."]}
        )
    rows = []
    for pk, target in in_force.items():
        if pk not in removed:
            rows.append({f: getattr(target, f) for f in TARGET_FIELDS} | changed.get(pk, {}))
    return in_force, removed, changed, added, rows + added


def _validate(contract: Contract, effective: date, changes: dict[str, Any], rows) -> None:
    unknown = set(changes) - set(TERM_FIELDS) - {"targets"}
    if unknown:
        raise ValidationError({"changes": [f"Cannot amend {', '.join(sorted(unknown))}."]})
    terms = apply_amendment(terms_for_month(contract, effective), changes, 0)
    problems = contract_terms_problems(
        currency=terms.currency,
        pricing=terms.pricing,
        one_off_fees=terms.one_off_fees,
        monthly_fees=terms.monthly_fees,
        minimum_monthly_charge=terms.minimum_monthly_charge,
        targets=rows,
        pool_percent=contract.pool_percent,
        targets_field="targets",
    )
    _raise(problems)


@transaction.atomic
def amendment_create(
    *, contract: Contract, effective_month: date, changes: dict[str, Any], reason: str, user
) -> Amendment:
    """Record an amendment; targets it changes are closed and replaced from its month."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract_status(contract) != Contract.Status.ACTIVE:
        raise Conflict(_("Only an active contract is amended; edit a draft directly."))
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the terms change."]})
    effective = month_start(effective_month)
    _check_month(contract, effective)
    in_force, removed, changed, added, rows = _target_rows(contract, effective, changes)
    _validate(contract, effective, changes, rows)
    until = effective - timedelta(days=1)
    closed = removed | set(changed)
    for pk in closed:
        SlaTarget.objects.filter(pk=pk).update(valid_until=until)
    history_record_rows(SlaTarget, closed, update=True, user=user, reason=reason)
    for pk, change in changed.items():
        old = in_force[pk]
        fields = {f: getattr(old, f) for f in TARGET_FIELDS} | change
        SlaTarget.objects.create(contract=contract, valid_from=effective, replaces=old, **fields)
    for row in added:
        SlaTarget.objects.create(contract=contract, valid_from=effective, **row)
    return Amendment.objects.create(
        contract=contract,
        effective_month=effective,
        changes=changes,
        reason=reason,
        created_by=user,
    )
