from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Users and roles"

    def ready(self) -> None:
        from accounts.web.home_panels import auditor_changes_panel
        from core.navigation import nav_register
        from core.panels import home_panel_register
        from core.roles import Role

        nav_register(label=_("Home"), url_name="home", roles=set(Role), order=0)
        nav_register(label=_("API"), url_name="api-docs", roles=set(Role), order=900)
        nav_register(label=_("Account"), url_name="account-tokens", roles=set(Role), order=910)
        nav_register(label=_("Users"), url_name="account-users", roles={Role.ADMIN}, order=880)
        nav_register(
            label=_("Status"), url_name="status", roles={Role.ADMIN, Role.AUDITOR, Role.MANAGER},
            order=890,
        )  # fmt: skip
        # The apps register their own panels; this one reads every app's history.
        home_panel_register(
            key="recent-changes", template="accounts/panels/changes.html",
            context=auditor_changes_panel, roles={Role.AUDITOR}, order=20,
        )  # fmt: skip
