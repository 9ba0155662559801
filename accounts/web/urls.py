from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.web import tokens, views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/tokens/", tokens.token_index, name="account-tokens"),
    path("account/tokens/new/", tokens.token_new, name="account-token-new"),
    path("account/tokens/<int:pk>/revoke/", tokens.token_delete, name="account-token-revoke"),
    path("account/password/", tokens.PasswordChange.as_view(), name="account-password"),
]
