"""URL routes: pages per app, the API under /api/v1/, schema and docs, health."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.web.language import set_language
from config.api import SchemaAccess
from config.health import StatusView, healthz, readyz, status_page

_docs = SpectacularSwaggerView.as_view(url_name="schema", permission_classes=[SchemaAccess])


def api_docs(request, *args, **kwargs):
    """The browsable docs; in production (API_SCHEMA_PUBLIC off) a visitor logs in first."""
    if not settings.API_SCHEMA_PUBLIC and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _docs(request, *args, **kwargs)


api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("vendors.api.urls")),
    path("", include("vendors.ranking.api_urls")),
    path("", include("vendors.scenarios.api_urls")),
    path("", include("contracts.api.urls")),
    path("", include("kpis.api.urls")),
    path("", include("kpis.api.evaluation_urls")),
    path("", include("reports.api.urls")),
    path("status/", StatusView.as_view(), name="api-status"),
]

urlpatterns = [
    path("", include("accounts.web.urls")),
    path("", include("accounts.web.history")),
    path("events/", include("vendors.ranking.urls")),
    path("contracts/", include("contracts.web.urls")),
    path("contracts/", include("kpis.web.contract_urls")),  # a contract's SLA and ROI pages
    path("kpis/", include("kpis.web.urls")),
    path("breaches/", include("kpis.web.breach_urls")),
    path("vendors/", include("kpis.web.scorecard_urls")),  # a vendor's scorecard page
    path("reports/", include("reports.web.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("", include("vendors.web.urls")),
    path(
        "api/schema/",
        SpectacularAPIView.as_view(permission_classes=[SchemaAccess]),
        name="schema",
    ),
    path("api/docs/", api_docs, name="api-docs"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("status/", status_page, name="status"),
    # set_language: the language picked in the footer, kept in a cookie and saved on the user.
    path("i18n/setlang/", set_language, name="set_language"),
    # Django's gettext() in JavaScript: the djangojs catalog of the reader's language.
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]

handler403 = "config.errors.permission_denied"
handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"
