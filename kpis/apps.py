from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "kpis"

    def ready(self) -> None:
        from core.history import history_part_register, history_register
        from core.labels import labels_register
        from core.navigation import nav_register
        from core.panels import home_panel_register
        from core.roles import Role
        from kpis.evaluation import tasks as evaluation_tasks
        from kpis.evaluation.dispute_panels import disputes_awaiting_panel
        from kpis.evaluation.panels import (
            chronic_flags_panel,
            manager_sla_panel,
            new_breaches_panel,
        )
        from kpis.evaluation.track_records import target_month_counts
        from kpis.ingestion import tasks as ingestion_tasks  # noqa: F401  (registers the tasks)
        from kpis.ingestion.service import AFFECTED_MONTHS_HOOKS
        from kpis.invoices.panels import invoices_not_matching_panel
        from kpis.models import Invoice, InvoiceLine
        from kpis.models.evaluation import Breach
        from kpis.panels import manager_panel, vendor_panel
        from kpis.selectors import NAV_ROLES
        from vendors.ranking.track_records import track_records_register

        labels_register(Breach.Status.choices)
        labels_register(InvoiceLine.Kind.choices)  # invoice lines and their match, as reports say
        labels_register(Invoice.Status.choices)
        if evaluation_tasks.evaluations_queue not in AFFECTED_MONTHS_HOOKS:
            AFFECTED_MONTHS_HOOKS.append(evaluation_tasks.evaluations_queue)
        nav_register(label=_("KPI uploads"), url_name="kpi-uploads", roles=NAV_ROLES, order=50)
        nav_register(
            label=_("Breaches"),
            url_name="breach-list",
            roles={Role.MANAGER, Role.AUDITOR, Role.ADMIN, Role.PROCUREMENT, Role.VENDOR},
            order=55,
        )
        for key, template, context, role, order in (
            ("kpi-uploads-vendor", "kpis/panels/vendor.html", vendor_panel, Role.VENDOR, 30),
            ("kpi-uploads-manager", "kpis/panels/manager.html", manager_panel, Role.MANAGER, 30),
            (
                "evaluation-new-breaches", "kpis/evaluation/panels/new_breaches.html",
                new_breaches_panel, Role.MANAGER, 20,
            ),
            (
                "evaluation-chronic-flags", "kpis/evaluation/panels/chronic_flags.html",
                chronic_flags_panel, Role.MANAGER, 25,
            ),
            ("sla-status", "accounts/panels/sla_status.html", manager_sla_panel, Role.MANAGER, 15),
            (
                "evaluation-disputes-awaiting", "kpis/evaluation/panels/disputes_awaiting.html",
                disputes_awaiting_panel, Role.MANAGER, 18,
            ),
            (
                "invoices-not-matching", "kpis/panels/invoices_not_matching.html",
                invoices_not_matching_panel, Role.MANAGER, 27,
            ),
        ):  # fmt: skip
            home_panel_register(
                key=key, template=template, context=context, roles={role}, order=order
            )
        # A contract's history shows its breach decisions too (contracts knows nothing of kpis).
        history_part_register(model="contracts.Contract", part="kpis.Breach", fk="contract_id")
        history_register(model="kpis.KpiValue")
        history_register(model="kpis.Breach")
        # A breach's history shows its dispute: the statement, the decision and its reason.
        history_part_register(model="kpis.Breach", part="kpis.Dispute", fk="breach_id")
        history_part_register(model="contracts.Contract", part="kpis.Dispute", fk="contract_id")
        # The ranking's performance criterion reads the vendors' target-months from here.
        track_records_register(target_month_counts)
