from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self) -> None:
        from accounts.navigation import nav_register

        from .comparison import build_comparison
        from .kinds import ReportKindSpec, kind_register
        from .models import Report
        from .selectors import REPORT_ROLES

        nav_register(label=_("Reports"), url_name="report-centre", roles=REPORT_ROLES, order=80)
        kind_register(kind=Report.Kind.COMPARISON, spec=ReportKindSpec(build=build_comparison))
