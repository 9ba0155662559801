from django.urls import path

from contracts.web import award as award_views
from contracts.web import targets as target_views
from contracts.web import views

urlpatterns = [
    path("", views.contract_index, name="contract-index"),
    path("new/", views.contract_new, name="contract-new"),
    path("award/<int:event_pk>/", award_views.contract_award_page, name="contract-award"),
    path("<int:pk>/", views.contract_detail, name="contract-detail"),
    path("<int:pk>/baseline/", views.contract_baseline, name="contract-baseline"),
    path("<int:pk>/targets/", target_views.contract_targets, name="contract-targets"),
    path("<int:pk>/activate/", views.contract_activate_view, name="contract-activate"),
    path("<int:pk>/terminate/", views.contract_terminate_view, name="contract-terminate"),
    path("<int:pk>/amend/", views.contract_amend, name="contract-amend"),
]
