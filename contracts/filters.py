"""One filter definition for the contract list page and the `contracts/` API."""

import django_filters

from contracts.models import Contract
from contracts.selectors import contract_list, status_q
from core.filters import FilterSet
from vendors.models import Vendor


def vendor_choices(request):
    """The vendors a user may pick: those holding a contract it can see (a vendor: itself)."""
    if request is None:
        return Vendor.objects.none()
    visible = contract_list(user=request.user).values("vendor_id")
    return Vendor.objects.filter(pk__in=visible).order_by("name")


class ContractFilter(FilterSet):
    """Filter contracts by vendor, (derived) status and end date."""

    vendor = django_filters.ModelChoiceFilter(queryset=vendor_choices)
    status = django_filters.ChoiceFilter(choices=Contract.Status.choices, method="by_status")
    ending_before = django_filters.DateFilter(field_name="end_date", lookup_expr="lte")
    reference = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Contract
        fields = ["vendor", "status", "ending_before", "reference"]

    def by_status(self, queryset, name, value):
        return queryset.filter(status_q(value))
