from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "vendors"

    def ready(self) -> None:
        from core.history import (
            history_format_register,
            history_register,
            history_seal_register,
        )
        from core.navigation import nav_register
        from core.panels import home_panel_register
        from core.roles import BUYER_ROLES, Role
        from vendors.panels import procurement_awards_panel, procurement_panel, vendor_panel
        from vendors.selectors import (
            proposal_history_visible,
            proposal_part_version_sealed,
            proposal_version_sealed,
            rating_history_visible,
        )

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
        home_panel_register(
            key="awards", template="accounts/panels/awards.html",
            context=procurement_awards_panel, roles={Role.PROCUREMENT}, order=30,
        )  # fmt: skip
        history_register(
            model="vendors.Vendor",
            parts=(
                ("vendors.VendorChannel", "vendor_id"),
                ("vendors.VendorLanguage", "vendor_id"),
                ("vendors.VendorCertification", "vendor_id"),
                ("vendors.VendorIndustry", "vendor_id"),
            ),
        )
        history_register(model="vendors.SourcingEvent")
        from vendors.web.channel_text import describe_channels

        history_format_register(
            model="vendors.SourcingEvent", field="channels", format=describe_channels
        )
        # A proposal's history shows its prices: sealed until the event's bid deadline.
        history_register(
            model="vendors.Proposal",
            parts=(
                ("vendors.ProposalPrice", "proposal_id"),
                ("vendors.ProposalMonthlyFee", "proposal_id"),
                ("vendors.ProposalLanguage", "proposal_id"),
                ("vendors.ProposalRating", "proposal_id"),
            ),
            visible=proposal_history_visible,
        )
        history_register(model="vendors.ProposalRating", visible=rating_history_visible)
        # Feeds of every version ("Recent changes") say only who changed which proposal, never
        # what, until the bid deadline.
        history_seal_register(model="vendors.Proposal", seal=proposal_version_sealed)
        for part in ("ProposalPrice", "ProposalMonthlyFee", "ProposalLanguage", "ProposalRating"):
            history_seal_register(model=f"vendors.{part}", seal=proposal_part_version_sealed)
