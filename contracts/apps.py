from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"

    def ready(self) -> None:
        from contracts.models import Contract
        from contracts.panels import contracts_panel, reminders_panel
        from core.history import history_register
        from core.labels import labels_register
        from core.navigation import nav_register
        from core.panels import home_panel_register
        from core.roles import Role

        labels_register(Contract.Status.choices)
        nav_register(label=_("Contracts"), url_name="contract-index", roles=set(Role), order=40)
        home_panel_register(
            key="contracts", template="contracts/panels/contracts.html",
            context=contracts_panel, roles={Role.MANAGER}, order=10,
        )  # fmt: skip
        home_panel_register(
            key="reminders", template="contracts/panels/reminders.html",
            context=reminders_panel, roles={Role.MANAGER}, order=50,
        )  # fmt: skip
        history_register(
            model="contracts.Contract",
            parts=(
                ("contracts.SlaTarget", "contract_id"),
                ("contracts.Baseline", "contract_id"),
                ("contracts.Amendment", "contract_id"),
            ),
        )
        history_register(model="contracts.SlaTarget")
        history_register(model="contracts.Baseline")
        history_register(model="contracts.Amendment")
