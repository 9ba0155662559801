from django.urls import path

from kpis.web import uploads as views

urlpatterns = [
    path("", views.upload_index, name="kpi-uploads"),
    path("uploads/<int:pk>/", views.upload_detail, name="kpi-upload-detail"),
    path("uploads/<int:pk>/outcome/", views.upload_outcome, name="kpi-upload-outcome"),
    path("uploads/<int:pk>/row/", views.upload_row, name="kpi-upload-row"),
]
