"""The report centre's request form: one form, shown once per kind the user may request."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.selectors import contract_list
from core.roles import Role, role_of
from reports.models import Report
from reports.selectors import VENDOR_KINDS
from vendors.models import EventStatus, SourcingEvent, Vendor
from vendors.selectors import event_status_q


class MonthInput(forms.TextInput):
    input_type = "month"


def requestable_kinds(user) -> list[str]:
    """The kinds the user may request: vendors their own contracts' SLA reports and their own
    scorecard only."""
    if role_of(user) == Role.VENDOR:
        return [k for k in Report.Kind.values if k in VENDOR_KINDS]
    return list(Report.Kind.values)


class ReportRequestForm(forms.Form):
    """`kind`, `contract` or `event`, `from`/`to` or `period` (the API's names); the rules
    are report_parameters', so the page and the API refuse the same requests."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Report.Kind.choices)
    contract = forms.ChoiceField(label=_("Contract (ROI, SLA)"), required=False)
    event = forms.ChoiceField(label=_("Sourcing event (comparison)"), required=False)
    vendor = forms.ChoiceField(label=_("Vendor (scorecard)"), required=False)
    period = forms.CharField(label=_("Month (SLA)"), required=False, widget=MonthInput)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so the range is added by name.
        self.fields["from"] = forms.CharField(
            label=_("From (ROI, scorecard)"), required=False, widget=MonthInput,
            help_text=_("ROI left empty: from the contract's start to its latest evaluated month."),
        )  # fmt: skip
        self.fields["to"] = forms.CharField(
            label=_("To (ROI, scorecard)"), required=False, widget=MonthInput
        )
        kinds = requestable_kinds(user)
        self.fields["kind"].choices = [c for c in Report.Kind.choices if c[0] in kinds]
        contracts = contract_list(user=user).order_by("reference")
        self.fields["contract"].choices = [("", "—")] + [
            (c.pk, f"{c.reference} ({c.vendor.name})") for c in contracts
        ]
        if role_of(user) == Role.VENDOR:
            vendors = Vendor.objects.filter(pk=user.vendor_id)
        else:
            vendors = Vendor.objects.order_by("name")
        self.fields["vendor"].choices = [("", "—")] + [(v.pk, v.name) for v in vendors]
        if Report.Kind.COMPARISON in kinds:
            now = timezone.now()
            events = SourcingEvent.objects.filter(
                event_status_q(EventStatus.CLOSED, now) | event_status_q(EventStatus.AWARDED, now)
            ).order_by("-bid_deadline")
            self.fields["event"].choices = [("", "—")] + [(e.pk, e.title) for e in events]

    def parameters(self) -> dict[str, str]:
        """The request as the API takes it (`from`, `to`, `period`, `contract`, `event` or
        `vendor`)."""
        names = ("contract", "event", "vendor", "from", "to", "period")
        return {name: self.cleaned_data[name] for name in names if self.cleaned_data.get(name)}
