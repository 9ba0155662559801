"""Pages of an event's comparison (included under /events/; other event pages live elsewhere)."""

from django.urls import path

from vendors.ranking import comparison

urlpatterns = [
    path("<int:pk>/comparison/", comparison.event_comparison, name="event-comparison"),
    path(
        "<int:pk>/comparison/table/",
        comparison.event_comparison_table,
        name="event-comparison-table",
    ),
    path(
        "<int:pk>/comparison/export.csv",
        comparison.event_comparison_csv,
        name="event-comparison-csv",
    ),
    path(
        "<int:pk>/comparison/export.xlsx",
        comparison.event_comparison_xlsx,
        name="event-comparison-xlsx",
    ),
]
