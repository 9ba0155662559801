from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.web import language, tokens, users, views

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
    path("account/language/", language.account_language, name="account-language"),
    path("account/users/", users.user_list, name="account-users"),
    path("account/users/new/", users.user_new, name="account-user-new"),
    path("account/users/<int:pk>/", users.user_edit, name="account-user-edit"),
    path(
        "account/users/<int:pk>/deactivate/",
        users.user_deactivate_view,
        name="account-user-deactivate",
    ),
    path("account/users/<int:pk>/password/", users.user_password, name="account-user-password"),
]
