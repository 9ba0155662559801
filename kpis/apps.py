from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "kpis"

    def ready(self) -> None:
        from accounts.home import home_panel_register
        from accounts.navigation import nav_register
        from accounts.roles import Role
        from kpis.selectors import NAV_ROLES
        from kpis.views import manager_panel, vendor_panel

        nav_register(label=_("KPI uploads"), url_name="kpi-uploads", roles=NAV_ROLES, order=50)
        home_panel_register(
            key="kpi-uploads-vendor", template="kpis/panels/vendor.html",
            context=vendor_panel, roles={Role.VENDOR}, order=30,
        )  # fmt: skip
        home_panel_register(
            key="kpi-uploads-manager", template="kpis/panels/manager.html",
            context=manager_panel, roles={Role.MANAGER}, order=30,
        )  # fmt: skip
