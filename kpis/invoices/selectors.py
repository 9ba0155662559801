"""Reading invoices: a contract's, and those that do not match (the managers' home panel)."""

from django.db.models import QuerySet

from contracts.models import Contract
from contracts.selectors import contract_list
from kpis.models import Invoice


def invoice_list(*, contract: Contract) -> QuerySet[Invoice]:
    """The contract's invoices, newest month first, with their lines."""
    return (
        Invoice.objects.filter(contract=contract)
        .select_related("recorded_by", "evaluation")
        .prefetch_related("lines")
        .order_by("-period")
    )


def invoices_not_matching(*, user) -> QuerySet[Invoice]:
    """Invoices over or under the expected total, of the contracts the user may see."""
    return (
        Invoice.objects.filter(contract__in=contract_list(user=user))
        .exclude(status=Invoice.Status.MATCHED)
        .select_related("contract")
        .order_by("-period", "contract__reference")
    )
