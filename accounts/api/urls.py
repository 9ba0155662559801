from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts.api.tokens import ApiTokenViewSet, TokenView
from accounts.api.views import UserViewSet

router = SimpleRouter()
router.register("users", UserViewSet, basename="user")
router.register("auth/tokens", ApiTokenViewSet, basename="api-token-item")

urlpatterns = [path("auth/token/", TokenView.as_view(), name="api-token"), *router.urls]
