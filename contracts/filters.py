"""One filter definition for the contract list page and the `contracts/` API."""

import django_filters

from contracts.models import Contract
from contracts.selectors import status_q
from core.filters import FilterSet


class ContractFilter(FilterSet):
    """Filter contracts by vendor, (derived) status and end date."""

    status = django_filters.ChoiceFilter(choices=Contract.Status.choices, method="by_status")
    ending_before = django_filters.DateFilter(field_name="end_date", lookup_expr="lte")
    reference = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Contract
        fields = ["vendor", "status", "ending_before", "reference"]

    def by_status(self, queryset, name, value):
        return queryset.filter(status_q(value))
