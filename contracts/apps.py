from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"

    def ready(self) -> None:
        from accounts.navigation import nav_register
        from accounts.roles import Role

        nav_register(label=_("Contracts"), url_name="contract-index", roles=set(Role), order=40)
