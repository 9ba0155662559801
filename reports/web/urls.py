from django.urls import path

from reports.web import views

urlpatterns = [
    path("", views.report_centre, name="report-centre"),
    path("<int:pk>/row/", views.report_row, name="report-row"),
    path("<int:pk>/download/", views.report_download, name="report-download"),
]
