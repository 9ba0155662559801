"""URL routes: pages per app, the API under /api/v1/, schema and docs, health."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.health import healthz

api_v1 = [
    path("", include("accounts.api_urls")),
    path("", include("vendors.api_urls")),
    path("", include("vendors.ranking_urls")),
    path("", include("contracts.api_urls")),
    path("", include("kpis.api_urls")),
    path("", include("kpis.evaluation_urls")),
    path("", include("reports.api_urls")),
]

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("accounts.history")),
    path("events/", include("vendors.comparison_urls")),
    path("contracts/", include("contracts.urls")),
    path("kpis/", include("kpis.urls")),
    path("", include("kpis.evaluation_page_urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("", include("vendors.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("healthz", healthz, name="healthz"),
    # set_language: the language picked in the footer, kept in a cookie (no user field needed).
    path("i18n/", include("django.conf.urls.i18n")),
]

handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"
