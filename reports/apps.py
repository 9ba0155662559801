from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self) -> None:
        from core.navigation import nav_register
        from core.panels import home_panel_register
        from core.roles import Role
        from reports.builders.comparison import build_comparison
        from reports.builders.roi import build_roi
        from reports.builders.scorecard import build_scorecard
        from reports.builders.sla import build_sla
        from reports.kinds import ReportKindSpec, kind_register
        from reports.models import Report
        from reports.panels import auditor_reports_panel
        from reports.selectors import CENTRE_ROLES

        nav_register(label=_("Reports"), url_name="report-centre", roles=CENTRE_ROLES, order=80)
        kind_register(kind=Report.Kind.COMPARISON, spec=ReportKindSpec(build=build_comparison))
        kind_register(kind=Report.Kind.ROI, spec=ReportKindSpec(build=build_roi))
        kind_register(kind=Report.Kind.SLA, spec=ReportKindSpec(build=build_sla))
        kind_register(kind=Report.Kind.SCORECARD, spec=ReportKindSpec(build=build_scorecard))
        home_panel_register(
            key="recent-reports", template="accounts/panels/reports.html",
            context=auditor_reports_panel, roles={Role.AUDITOR}, order=10,
        )  # fmt: skip
