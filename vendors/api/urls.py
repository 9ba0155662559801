"""API routes of the vendors app (included under /api/v1/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from vendors.api.views import EventViewSet, ProposalViewSet, RatingViewSet, VendorViewSet

router = SimpleRouter()
router.register("vendors", VendorViewSet, basename="vendor")
router.register("events", EventViewSet, basename="event")
router.register("proposals", ProposalViewSet, basename="proposal")

ratings = RatingViewSet.as_view({"get": "list", "post": "create"})

urlpatterns = [
    *router.urls,
    path("proposals/<int:pk>/ratings/", ratings, name="proposal-ratings"),
]
