"""API route of an event's ranking (included under /api/v1/)."""

from django.urls import path

from vendors.ranking.api import EventRankingView

urlpatterns = [
    path("events/<int:pk>/ranking/", EventRankingView.as_view(), name="event-ranking"),
]
