from django.urls import path
from rest_framework.routers import SimpleRouter

from contracts.api.views import AwardView, ContractViewSet

router = SimpleRouter()
router.register("contracts", ContractViewSet, basename="api-contract")
urlpatterns = [
    path("events/<int:pk>/award/", AwardView.as_view(), name="api-event-award"),
    *router.urls,
]
