"""Human labels for the codes a report prints (channels, pricing models, fees, usage,
triggers)."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

LABELS = {
    # channels (core.channels)
    "phone": _("Phone"), "chat": _("Chat"), "email": _("E-mail"), "social": _("Social media"),
    "backoffice": _("Back office"), "all": _("all channels"),
    # pricing models (vendors.domain.pricing)
    "per_production_hour": _("per production hour"), "per_fte_month": _("per FTE month"),
    "per_handled_minute": _("per handled minute"), "per_contact": _("per contact"),
    "hybrid": _("hybrid"),
    # one-off fees
    "setup": _("setup"), "training": _("training"),
    "project_management": _("project management"),
    # usage read from a month's KPIs (kpis.evaluation.service)
    "contacts": _("contacts handled"), "handled_minutes": _("handled minutes"),
    "production_hours": _("production hours"), "fte": _("contracted FTE"),
    # evaluation triggers (kpis.models.Evaluation.Trigger)
    "ingestion": _("after a KPI upload"), "schedule": _("monthly job"),
    "command": _("kpis_evaluate command"), "waiver": _("after a breach was waived"),
    "cascade": _("after an earlier month changed"),
}  # fmt: skip


@register.filter
def label(code) -> str:
    """The human label of a code; an unknown code is shown as it is, never hidden."""
    if code is None or code == "":
        return ""
    return str(LABELS.get(str(code), code))
