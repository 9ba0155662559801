"""A contract's SLA and ROI pages, mounted under the contract's URLs (/contracts/) by
config/urls.py: the contracts app does not know of them."""

from django.urls import path

from kpis.web import evaluation as views
from kpis.web import invoices

urlpatterns = [
    path("<int:pk>/sla/", views.contract_sla, name="contract-sla"),
    path("<int:pk>/sla/<str:period>/", views.contract_sla_month, name="contract-sla-month"),
    path("<int:pk>/roi/", views.contract_roi_page, name="contract-roi"),
    path("<int:pk>/invoices/", invoices.contract_invoices, name="contract-invoices"),
]
