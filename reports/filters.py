"""One filter definition for the report centre page and the `reports/` API."""

import django_filters
from django.contrib.auth import get_user_model

from core.filters import FilterSet
from reports.models import Report
from reports.selectors import report_list


def creator_choices(request):
    """The users a reader may pick: those who created a report it can see, nobody else."""
    if request is None:
        return get_user_model().objects.none()
    visible = report_list(user=request.user).values("created_by_id")
    return get_user_model().objects.filter(pk__in=visible).order_by("username")


class ReportFilter(FilterSet):
    """Filter reports by kind, status, creator, creation date and contract."""

    created_by = django_filters.ModelChoiceFilter(queryset=creator_choices)
    created_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")
    # An id, not any number: NumberFilter gives a Decimal, which a JSON lookup cannot compare.
    contract = django_filters.NumberFilter(method="_contract", label="Contract id")
    reference = django_filters.CharFilter(
        field_name="parameters__reference", lookup_expr="iexact", label="Contract reference"
    )

    class Meta:
        model = Report
        fields = ["kind", "status", "created_by"]

    def _contract(self, queryset, name, value):
        if value != value.to_integral_value():
            return queryset.none()  # no contract has a fractional id
        return queryset.filter(parameters__contract=int(value))
