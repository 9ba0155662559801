"""Django admin of the kpis app: read-only (uploads go through the ingestion service)."""

from django.contrib import admin

from kpis.models import KpiUpload, KpiValue


class _ReadOnly(admin.ModelAdmin):
    """View-only: uploads are ingested by kpis.ingestion.service; values derive from them."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(KpiUpload)
class KpiUploadAdmin(_ReadOnly):
    list_display = ["id", "original_name", "status", "rows", "created_by", "vendor", "created_at"]
    list_filter = ["status", "source", "failure"]
    search_fields = ["original_name", "sha256"]
    list_select_related = ["created_by", "vendor"]


@admin.register(KpiValue)
class KpiValueAdmin(_ReadOnly):
    list_display = ["contract", "period", "channel", "metric", "value", "volume", "revision"]
    list_filter = ["metric", "channel", "is_current"]
    search_fields = ["contract__reference"]
    list_select_related = ["contract"]
