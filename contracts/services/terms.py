"""The terms in force for a contract month: the signed terms plus every amendment before it."""

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from contracts.models import Amendment, Contract, SlaTarget
from vendors.domain.pricing import PriceList
from vendors.domain.terms import price_list_from_terms

# Keys an amendment may change besides targets, with how each is read.
TERM_FIELDS = {
    "pricing": list,
    "monthly_fees": list,
    "minimum_monthly_charge": Decimal,
    "retained_management_monthly": Decimal,
    "at_risk_percent": Decimal,
    "contracted_fte": dict,
}


@dataclass(frozen=True)
class Terms:
    """Everything that prices and judges one month of a contract."""

    month: date
    currency: str
    pricing: list[dict[str, Any]]
    one_off_fees: dict[str, Any]
    monthly_fees: list[dict[str, Any]]
    minimum_monthly_charge: Decimal
    retained_management_monthly: Decimal
    at_risk_percent: Decimal
    fte_hours: Decimal
    contracted_fte: dict[str, Any]
    # Frozen at award, never amended: how actual usage splits over the event's bands.
    band_split: dict[str, Any] = field(default_factory=dict)
    targets: list[SlaTarget] = field(default_factory=list)
    amendments: list[int] = field(default_factory=list)

    def price_list(self) -> PriceList:
        """These terms as the pricing module's price list."""
        return price_list_from_terms(
            currency=self.currency,
            pricing=self.pricing,
            one_off_fees=self.one_off_fees,
            monthly_fees=self.monthly_fees,
            minimum_monthly_charge=self.minimum_monthly_charge,
        )


def month_start(value: date) -> date:
    """The first day of the month of `value`."""
    return value.replace(day=1)


def signed_terms(contract: Contract, month: date) -> Terms:
    """The terms as signed, before any amendment."""
    return Terms(
        month=month_start(month),
        currency=contract.currency,
        pricing=list(contract.pricing),
        one_off_fees=dict(contract.one_off_fees),
        monthly_fees=list(contract.monthly_fees),
        minimum_monthly_charge=contract.minimum_monthly_charge,
        retained_management_monthly=contract.retained_management_monthly,
        at_risk_percent=contract.at_risk_percent,
        fte_hours=contract.fte_hours,
        contracted_fte=dict(contract.contracted_fte),
        band_split=dict(contract.band_split or {}),
    )


def apply_amendment(terms: Terms, changes: dict[str, Any], amendment_id: int) -> Terms:
    """The terms with one amendment's non-target changes applied."""
    updates: dict[str, Any] = {}
    for key, kind in TERM_FIELDS.items():
        if key in changes:
            updates[key] = Decimal(str(changes[key])) if kind is Decimal else changes[key]
    return replace(terms, amendments=[*terms.amendments, amendment_id], **updates)


def targets_in_force(targets, month: date) -> list[SlaTarget]:
    """The targets valid during the month (from the given rows, already fetched)."""
    first = month_start(month)
    return [
        t
        for t in targets
        if t.valid_from <= first and (t.valid_until is None or t.valid_until >= first)
    ]


def terms_for_month(contract: Contract, month: date) -> Terms:
    """The terms in force for a month: signed terms, amendments effective by then, targets."""
    first = month_start(month)
    terms = signed_terms(contract, first)
    amendments = [a for a in contract.amendments.all() if a.effective_month <= first]
    for amendment in sorted(amendments, key=lambda a: (a.effective_month, a.created_at, a.pk)):
        terms = apply_amendment(terms, amendment.changes, amendment.pk)
    return replace(terms, targets=targets_in_force(contract.targets.all(), first))


__all__ = ["Amendment", "Terms", "month_start", "terms_for_month", "targets_in_force"]
