from django.urls import path
from rest_framework.routers import SimpleRouter

from kpis.api.uploads import ContractKpiList, KpiUploadViewSet

router = SimpleRouter()
router.register("kpi-uploads", KpiUploadViewSet, basename="api-kpi-upload")
urlpatterns = [
    path("contracts/<int:pk>/kpis/", ContractKpiList.as_view(), name="api-contract-kpis"),
    *router.urls,
]
