from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self) -> None:
        from accounts.navigation import nav_register
        from reports.comparison import build_comparison
        from reports.kinds import ReportKindSpec, kind_register
        from reports.models import Report
        from reports.roi_report import build_roi
        from reports.selectors import CENTRE_ROLES
        from reports.sla_report import build_sla

        nav_register(label=_("Reports"), url_name="report-centre", roles=CENTRE_ROLES, order=80)
        kind_register(kind=Report.Kind.COMPARISON, spec=ReportKindSpec(build=build_comparison))
        kind_register(kind=Report.Kind.ROI, spec=ReportKindSpec(build=build_roi))
        kind_register(kind=Report.Kind.SLA, spec=ReportKindSpec(build=build_sla))
