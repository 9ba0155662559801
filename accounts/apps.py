from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Users and roles"

    def ready(self) -> None:
        from .navigation import nav_register
        from .roles import Role

        nav_register(label=_("Home"), url_name="home", roles=set(Role), order=0)
        nav_register(label=_("API"), url_name="api-docs", roles=set(Role), order=900)
