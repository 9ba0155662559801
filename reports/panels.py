"""Home-page panels of the reports app: the auditor's recent reports."""

from reports.selectors import report_list, report_parameter_lines

ROWS = 10


def auditor_reports_panel(request) -> dict:
    """The newest reports, whatever their status."""
    reports = list(report_list(user=request.user)[:ROWS])
    report_parameter_lines(reports)
    return {"reports": reports}
