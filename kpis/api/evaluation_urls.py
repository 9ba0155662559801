"""API routes of the evaluation: a contract month's evaluation, breaches, the ROI."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from kpis.api.evaluation import BreachViewSet, ContractEvaluationView, ContractRoiView
from kpis.api.invoices import ContractInvoiceList

router = SimpleRouter()
router.register("breaches", BreachViewSet, basename="api-breach")
urlpatterns = [
    path(
        "contracts/<int:pk>/evaluations/",
        ContractEvaluationView.as_view(),
        name="api-contract-evaluations",
    ),
    path("contracts/<int:pk>/roi/", ContractRoiView.as_view(), name="api-contract-roi"),
    path(
        "contracts/<int:pk>/invoices/", ContractInvoiceList.as_view(), name="api-contract-invoices"
    ),
    *router.urls,
]
