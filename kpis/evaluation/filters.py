"""One filter definition for the breach list page and the `breaches/` API."""

import django_filters

from core.filters import FilterSet, MonthFilter
from kpis.models.evaluation import Breach


class BreachFilter(FilterSet):
    """Breaches by contract, month, status, chronic flag; cleared ones only when asked."""

    contract = django_filters.NumberFilter(field_name="contract_id", help_text="A contract id.")
    reference = django_filters.CharFilter(
        field_name="contract__reference", lookup_expr="icontains", help_text="Part of a reference."
    )
    period = MonthFilter(field_name="period", help_text="A month, YYYY-MM.")
    period_from = MonthFilter(field_name="period", lookup_expr="gte", help_text="From YYYY-MM.")
    period_to = MonthFilter(field_name="period", lookup_expr="lte", help_text="Until YYYY-MM.")
    status = django_filters.ChoiceFilter(choices=Breach.Status.choices)
    chronic = django_filters.BooleanFilter()
    cleared = django_filters.BooleanFilter(
        help_text="true: breaches the current evaluation no longer shows (revised data)."
    )

    class Meta:
        model = Breach
        fields = ["contract", "reference", "period", "period_from", "period_to", "status",
                  "chronic", "cleared"]  # fmt: skip
