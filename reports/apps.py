from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self) -> None:
        from core.navigation import nav_register
        from reports.builders.comparison import build_comparison
        from reports.builders.roi import build_roi
        from reports.builders.sla import build_sla
        from reports.kinds import ReportKindSpec, kind_register
        from reports.models import Report
        from reports.selectors import CENTRE_ROLES

        nav_register(label=_("Reports"), url_name="report-centre", roles=CENTRE_ROLES, order=80)
        kind_register(kind=Report.Kind.COMPARISON, spec=ReportKindSpec(build=build_comparison))
        kind_register(kind=Report.Kind.ROI, spec=ReportKindSpec(build=build_roi))
        kind_register(kind=Report.Kind.SLA, spec=ReportKindSpec(build=build_sla))
