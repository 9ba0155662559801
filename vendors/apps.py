from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "vendors"

    def ready(self) -> None:
        from core.navigation import nav_register
        from core.panels import home_panel_register
        from core.roles import BUYER_ROLES, Role
        from vendors.panels import procurement_panel, vendor_panel

        nav_register(label=_("Vendors"), url_name="vendor-index", roles=BUYER_ROLES, order=10)
        nav_register(label=_("Events"), url_name="event-index", roles=set(Role), order=20)
        nav_register(
            label=_("My profile"), url_name="vendor-profile", roles={Role.VENDOR}, order=30
        )
        home_panel_register(
            key="sourcing-procurement", template="vendors/panels/procurement.html",
            context=procurement_panel, roles={Role.PROCUREMENT}, order=10,
        )  # fmt: skip
        home_panel_register(
            key="sourcing-vendor", template="vendors/panels/vendor.html",
            context=vendor_panel, roles={Role.VENDOR}, order=10,
        )  # fmt: skip
