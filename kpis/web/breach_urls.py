"""The breach list and its decisions, mounted under /breaches/ by config/urls.py."""

from django.urls import path

from kpis.web import disputes
from kpis.web import evaluation as views

urlpatterns = [
    path("", views.breach_index, name="breach-list"),
    path("<int:pk>/decide/", views.breach_decide, name="breach-decide"),
    path("<int:pk>/row/", views.breach_row, name="breach-row"),
    path("<int:pk>/dispute/", disputes.breach_dispute, name="breach-dispute"),
    path("<int:pk>/dispute/decide/", disputes.breach_dispute_decide, name="breach-dispute-decide"),
]
