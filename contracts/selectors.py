"""Reads of contracts: who sees which, and the derived status as a query."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from contracts.models import Contract
from core.roles import Role, role_of


def contract_list(*, user) -> QuerySet[Contract]:
    """Contracts the user may see: a vendor user only its own vendor's, buyer roles all."""
    role = role_of(user)
    contracts = Contract.objects.select_related("vendor", "baseline").prefetch_related("targets")
    if role == Role.VENDOR:
        return contracts.filter(vendor_id=user.vendor_id)
    if role is None:
        return contracts.none()
    return contracts


def status_q(status: str) -> Q:
    """The derived status as a filter: expired = active and past its end date."""
    today = timezone.localdate()
    if status == Contract.Status.EXPIRED:
        return Q(status=Contract.Status.ACTIVE, end_date__lt=today)
    if status == Contract.Status.ACTIVE:
        return Q(status=Contract.Status.ACTIVE, end_date__gte=today)
    return Q(status=status)


def award_justification(*, event_id: int) -> str:
    """Why an event was awarded as it was (empty: the first-ranked proposal alone, or not yet
    awarded); the same text is kept on every contract of the award."""
    texts = (
        Contract.objects.filter(proposal__event_id=event_id)
        .exclude(award_justification="")
        .order_by("pk")
        .values_list("award_justification", flat=True)
    )
    return next(iter(texts), "")
