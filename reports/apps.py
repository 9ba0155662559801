from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self) -> None:
        from accounts.navigation import nav_register

        from .comparison import build_comparison
        from .kinds import ReportKindSpec, kind_register
        from .models import Report
        from .roi_report import build_roi
        from .selectors import CENTRE_ROLES
        from .sla_report import build_sla

        nav_register(label=_("Reports"), url_name="report-centre", roles=CENTRE_ROLES, order=80)
        kind_register(kind=Report.Kind.COMPARISON, spec=ReportKindSpec(build=build_comparison))
        kind_register(kind=Report.Kind.ROI, spec=ReportKindSpec(build=build_roi))
        kind_register(kind=Report.Kind.SLA, spec=ReportKindSpec(build=build_sla))
