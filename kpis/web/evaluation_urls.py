"""Page routes of the evaluation: SLA dashboard and month, ROI page, breach list."""

from django.urls import path

from kpis.web import evaluation as views

urlpatterns = [
    path("contracts/<int:pk>/sla/", views.contract_sla, name="contract-sla"),
    path(
        "contracts/<int:pk>/sla/<str:period>/",
        views.contract_sla_month,
        name="contract-sla-month",
    ),
    path("contracts/<int:pk>/roi/", views.contract_roi_page, name="contract-roi"),
    path("breaches/", views.breach_index, name="breach-list"),
    path("breaches/<int:pk>/decide/", views.breach_decide, name="breach-decide"),
]
