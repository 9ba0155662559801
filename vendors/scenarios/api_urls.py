"""API route of an event's award scenarios (included under /api/v1/)."""

from django.urls import path

from vendors.scenarios.api import EventScenariosView

urlpatterns = [
    path("events/<int:pk>/scenarios/", EventScenariosView.as_view(), name="event-scenarios"),
]
