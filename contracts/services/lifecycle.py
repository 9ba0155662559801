"""Writes on contracts: create, edit while draft, activate, terminate; the derived status."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.domain.validation import contract_terms_problems
from contracts.models import Contract, SlaTarget
from core.audit import history_record_created, history_record_rows
from core.errors import Conflict

TERM_KEYS = ("pricing", "one_off_fees", "monthly_fees", "minimum_monthly_charge")


def contract_status(contract: Contract, today: date | None = None) -> str:
    """The status a page and the API show: an active contract past its end date is expired."""
    today = today or timezone.localdate()
    if contract.status == Contract.Status.ACTIVE and today > contract.end_date:
        return Contract.Status.EXPIRED
    return contract.status


def _status_word(contract: Contract) -> str:
    """The contract's status as a word inside a sentence ("active")."""
    return str(Contract.Status(contract_status(contract)).label).lower()


def _raise(problems: list[tuple[str, str]]) -> None:
    if problems:
        errors: dict[str, list[str]] = {}
        for field, message in problems:
            errors.setdefault(field, []).append(message)
        raise ValidationError(errors)


def _check(contract: Contract, targets: list[dict[str, Any]]) -> None:
    """The contract's own rules (`contract_terms_problems`), its dates, then its columns."""
    problems = contract_terms_problems(
        currency=contract.currency,
        pricing=contract.pricing,
        one_off_fees=contract.one_off_fees,
        monthly_fees=contract.monthly_fees,
        minimum_monthly_charge=contract.minimum_monthly_charge,
        targets=targets,
        pool_percent=contract.pool_percent,
        targets_field="sla_targets",
    )
    if contract.end_date < contract.start_date:
        problems.append(("end_date", "must not be before the start date"))
    _raise(problems)
    contract.full_clean(exclude=["vendor", "created_by"], validate_unique=True)


def _replace_targets(contract: Contract, targets: list[dict[str, Any]]) -> None:
    contract.targets.all().delete()
    created = SlaTarget.objects.bulk_create(
        SlaTarget(contract=contract, valid_from=contract.start_date.replace(day=1), **t)
        for t in targets
    )
    history_record_created(created)


@transaction.atomic
def contract_create(*, fields: dict[str, Any], targets: list[dict[str, Any]], user) -> Contract:
    """Create a draft contract (a direct one, or the copy made by an award)."""
    contract = Contract(created_by=user, **fields)
    _check(contract, targets)
    contract.save()
    _replace_targets(contract, targets)
    return contract


@transaction.atomic
def contract_update(
    *, contract: Contract, fields: dict[str, Any], targets: list[dict[str, Any]] | None
) -> Contract:
    """Edit a draft contract; an active one changes only through amendments (409)."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != Contract.Status.DRAFT:
        raise Conflict(_("The contract is no longer a draft: change it with a dated amendment."))
    for name, value in fields.items():
        setattr(contract, name, value)
    if targets is None:
        targets = list(
            contract.targets.values(
                "metric", "channel", "expected", "minimum", "critical", "allocation_percent"
            )
        )
    _check(contract, targets)
    contract.save()
    _replace_targets(contract, targets)
    return contract


@transaction.atomic
def contract_activate(*, contract: Contract) -> Contract:
    """draft -> active; 409 from any other state."""
    updated = Contract.objects.filter(pk=contract.pk, status=Contract.Status.DRAFT).update(
        status=Contract.Status.ACTIVE
    )
    if updated != 1:
        raise Conflict(
            _("Only a draft contract can be activated; this one is %(status)s.")
            % {"status": _status_word(contract)}
        )
    history_record_rows(Contract, [contract.pk], update=True, reason="Activated")
    contract.refresh_from_db()
    return contract


@transaction.atomic
def contract_terminate(*, contract: Contract, on: date, reason: str) -> Contract:
    """active -> terminated on a date with a reason; 409 from any other state."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the contract is terminated.")]})
    if not contract.start_date <= on <= contract.end_date:
        raise ValidationError({"date": [_("The date must lie within the contract's term.")]})
    updated = Contract.objects.filter(pk=contract.pk, status=Contract.Status.ACTIVE).update(
        status=Contract.Status.TERMINATED, termination_date=on, termination_reason=reason
    )
    if updated != 1:
        raise Conflict(
            _("Only an active contract can be terminated; this one is %(status)s.")
            % {"status": _status_word(contract)}
        )
    history_record_rows(Contract, [contract.pk], update=True, reason="Terminated")
    contract.refresh_from_db()
    return contract


def zero_if_none(value: Decimal | None) -> Decimal:
    """Treat a missing amount as zero."""
    return value if value is not None else Decimal(0)
