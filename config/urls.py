"""URL routes: pages per app, the API under /api/v1/, schema and docs, health."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .health import healthz

api_v1 = [
    path("", include("accounts.api_urls")),
    path("", include("vendors.api_urls")),
    path("", include("contracts.api_urls")),
    path("", include("reports.api_urls")),
]

urlpatterns = [
    path("", include("accounts.urls")),
    path("contracts/", include("contracts.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("healthz", healthz, name="healthz"),
]
