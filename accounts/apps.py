from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Users and roles"

    def ready(self) -> None:
        from accounts.web import home_panels as panels
        from core.navigation import nav_register
        from core.panels import home_panel_register
        from core.roles import Role

        nav_register(label=_("Home"), url_name="home", roles=set(Role), order=0)
        nav_register(label=_("API"), url_name="api-docs", roles=set(Role), order=900)
        for key, template, context, role, order in (
            ("awards", "awards.html", panels.procurement_awards_panel, Role.PROCUREMENT, 30),
            ("sla-status", "sla_status.html", panels.manager_sla_panel, Role.MANAGER, 15),
            ("recent-reports", "reports.html", panels.auditor_reports_panel, Role.AUDITOR, 10),
            ("recent-changes", "changes.html", panels.auditor_changes_panel, Role.AUDITOR, 20),
        ):
            home_panel_register(
                key=key, template=f"accounts/panels/{template}", context=context,
                roles={role}, order=order,
            )  # fmt: skip
