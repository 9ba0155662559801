"""API routes of the evaluation: a contract month's evaluation, breaches, the ROI."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from kpis.api.disputes import (
    BreachDisputeAcceptView,
    BreachDisputeEvidenceView,
    BreachDisputeRejectView,
    BreachDisputeView,
)
from kpis.api.evaluation import BreachViewSet, ContractEvaluationView, ContractRoiView
from kpis.api.invoices import ContractInvoiceList
from kpis.api.scorecard import VendorScorecardView

router = SimpleRouter()
router.register("breaches", BreachViewSet, basename="api-breach")
urlpatterns = [
    path(
        "contracts/<int:pk>/evaluations/",
        ContractEvaluationView.as_view(),
        name="api-contract-evaluations",
    ),
    path("contracts/<int:pk>/roi/", ContractRoiView.as_view(), name="api-contract-roi"),
    path("breaches/<int:pk>/dispute/", BreachDisputeView.as_view(), name="api-breach-dispute"),
    path(
        "breaches/<int:pk>/dispute/accept/",
        BreachDisputeAcceptView.as_view(),
        name="api-breach-dispute-accept",
    ),
    path(
        "breaches/<int:pk>/dispute/reject/",
        BreachDisputeRejectView.as_view(),
        name="api-breach-dispute-reject",
    ),
    path(
        "breaches/<int:pk>/dispute/evidence/",
        BreachDisputeEvidenceView.as_view(),
        name="api-breach-dispute-evidence",
    ),
    path("vendors/<int:pk>/scorecard/", VendorScorecardView.as_view(), name="api-vendor-scorecard"),
    path(
        "contracts/<int:pk>/invoices/", ContractInvoiceList.as_view(), name="api-contract-invoices"
    ),
    *router.urls,
]
