"""One filter definition for the report centre page and the `reports/` API."""

import django_filters

from .models import Report


class ReportFilter(django_filters.FilterSet):
    """Filter reports by kind, status and creation date."""

    created_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = Report
        fields = ["kind", "status", "created_by"]
