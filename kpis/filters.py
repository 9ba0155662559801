"""One filter definition each for the upload list (page and API) and a contract's KPI values."""

import django_filters
from drf_spectacular.utils import extend_schema_field

from core.filters import FilterSet, MonthFilter
from core.labels import CHANNEL_CHOICES, METRIC_CHOICES
from kpis.models import KpiUpload, KpiValue


class KpiUploadFilter(FilterSet):
    """Filter uploads by status, source and creation date."""

    created_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = KpiUpload
        fields = ["status", "source", "created_after", "created_before"]


@extend_schema_field(
    {
        "type": "string",
        "enum": ["current", "all"],
        "default": "current",
        "description": "`current`: the figures in force; `all`: every revision.",
    }
)
class RevisionFilter(django_filters.ChoiceFilter):
    """`current` (the default) or `all`; applied by KpiValueFilter.filter_queryset."""


class KpiValueFilter(FilterSet):
    """A contract's values, current unless `revision=all`; by month, channel and metric."""

    period = MonthFilter(field_name="period", help_text="A month, YYYY-MM.")
    period_from = MonthFilter(field_name="period", lookup_expr="gte", help_text="From YYYY-MM.")
    period_to = MonthFilter(field_name="period", lookup_expr="lte", help_text="Until YYYY-MM.")
    channel = django_filters.ChoiceFilter(
        choices=[*CHANNEL_CHOICES, ("all", "All channels")],
        method="by_channel",
        help_text="A channel, or `all` for the figures of all channels together.",
    )
    metric = django_filters.ChoiceFilter(choices=METRIC_CHOICES)
    revision = RevisionFilter(
        choices=[("current", "Current"), ("all", "All revisions")],
        method="by_revision",
    )

    class Meta:
        model = KpiValue
        fields = ["period", "period_from", "period_to", "channel", "metric", "revision"]

    def by_channel(self, queryset, name, value):
        return queryset.filter(channel="" if value == "all" else value)

    def by_revision(self, queryset, name, value):
        return queryset  # applied in filter_queryset, which also covers the default

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("revision") != "all":
            queryset = queryset.filter(is_current=True)
        return queryset
