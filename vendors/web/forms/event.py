"""The sourcing event form: the event's fields, weights, invitations and its channel, language,
certification and FX rate rows, parsed into `event_create` / `event_update` arguments."""

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.channels import CHANNEL_CHOICES
from vendors.models import SourcingEvent, Vendor
from vendors.web.forms.rows import BLANK, FormGroup, RowForm, RowFormSet, Rows, show_domain_errors
from vendors.web.forms.vendor import date_input

MUST, DESIRED = "must", "desired"


class EventForm(forms.Form):
    """The event's single-valued fields and its invited vendors."""

    title = forms.CharField(label=_("Title"))
    currency = forms.CharField(
        label=_("Currency"), initial="EUR", help_text=_("ISO 4217, e.g. EUR")
    )
    term_months = forms.IntegerField(label=_("Term (months)"))
    start_date = forms.DateField(label=_("Contract start"), widget=date_input())
    bid_deadline = forms.DateTimeField(
        label=_("Bid deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    industry = forms.CharField(label=_("Industry"), required=False)
    shrinkage = forms.DecimalField(label=_("Shrinkage"), initial="0.30", help_text=_("0 to 1"))
    max_occupancy = forms.DecimalField(
        label=_("Maximum occupancy"), initial="0.85", help_text=_("0 to 1")
    )
    fte_hours = forms.DecimalField(label=_("Paid hours per FTE and month"), initial="160")
    minimum_notice_hours = forms.IntegerField(
        label=_("Minimum notice of a deadline move (hours)"),
        initial=24,
        required=False,
        min_value=0,
        help_text=_(
            "Once open, the deadline moves only later, to at least this many hours from now; "
            "invited vendors are e-mailed every move."
        ),
    )
    invited_vendors = forms.ModelMultipleChoiceField(
        label=_("Invited vendors"),
        queryset=Vendor.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        self.fields["bid_deadline"].help_text = _("Local time (%s)") % zone


class WeightsForm(forms.Form):
    """The four criterion weights (whole numbers summing to 100)."""

    cost = forms.IntegerField(label=_("Cost"), initial=40)
    expertise = forms.IntegerField(label=_("Expertise"), initial=20)
    security = forms.IntegerField(label=_("Security"), initial=20)
    language = forms.IntegerField(label=_("Language"), initial=20)


class ChannelRow(RowForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=[BLANK, *CHANNEL_CHOICES])
    monthly_volume = forms.IntegerField(label=_("Contacts per month"))
    aht_seconds = forms.IntegerField(label=_("AHT (s)"))
    sl_percent = forms.DecimalField(label=_("SL % (phone, chat)"), required=False)
    sl_seconds = forms.IntegerField(label=_("SL within (s)"), required=False)
    opening_hours = forms.DecimalField(label=_("Open hours per month"), required=False)


class LanguageShareRow(RowForm):
    tag = forms.CharField(label=_("Language (BCP 47)"))
    share = forms.DecimalField(label=_("Share of volume (0-1)"))


class CertificationRow(RowForm):
    name = forms.CharField(
        label=_("Certification"), widget=forms.TextInput(attrs={"list": "certification-names"})
    )
    kind = forms.ChoiceField(
        label=_("Required"),
        choices=[BLANK, (MUST, _("must-have (knock-out)")), (DESIRED, _("desired (points)"))],
    )
    points = forms.IntegerField(label=_("Points (desired)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == DESIRED and data.get("points") is None:
            # The API's words for the same mistake (a desired certification sent without points).
            self.add_error("points", self.fields["points"].error_messages["required"])
        return data


class FxRateRow(RowForm):
    currency = forms.CharField(label=_("Currency"))
    rate = forms.DecimalField(label=_("Event currency per 1 unit"))


ChannelRows = formset_factory(ChannelRow, formset=RowFormSet, extra=2)
LanguageShareRows = formset_factory(LanguageShareRow, formset=RowFormSet, extra=2)
CertificationRows = formset_factory(CertificationRow, formset=RowFormSet, extra=2)
FxRateRows = formset_factory(FxRateRow, formset=RowFormSet, extra=1)


def _initial(event: SourcingEvent) -> dict[str, Any]:
    """The stored event as the forms' initial values."""
    certifications = [{"name": n, "kind": MUST} for n in event.must_have_certifications]
    certifications += [
        {"name": row["name"], "kind": DESIRED, "points": row["points"]}
        for row in event.desired_certifications
    ]
    return {
        "form": {
            **{
                name: getattr(event, name)
                for name in (
                    "title",
                    "currency",
                    "term_months",
                    "start_date",
                    "industry",
                    "shrinkage",
                    "max_occupancy",
                    "fte_hours",
                    "minimum_notice_hours",
                )
            },
            "bid_deadline": timezone.localtime(event.bid_deadline),
            "invited_vendors": list(event.invited_vendors.all()),
        },
        "weights": {
            "cost": event.weight_cost,
            "expertise": event.weight_expertise,
            "security": event.weight_security,
            "language": event.weight_language,
        },
        "channels": event.channels,
        "languages": event.languages,
        "certifications": certifications,
        "fx_rates": event.fx_rates,
    }


class EventForms(FormGroup):
    """The event form, its weights and its four tables, bound together."""

    def __init__(self, data=None, *, event: SourcingEvent | None = None) -> None:
        initial = _initial(event) if event is not None and data is None else {}
        self.event = event
        self.form = EventForm(data, initial=initial.get("form"))
        self.weights = WeightsForm(data, prefix="w", initial=initial.get("weights"))
        self.channels = ChannelRows(data, prefix="chan", initial=initial.get("channels"))
        self.languages = LanguageShareRows(data, prefix="lang", initial=initial.get("languages"))
        self.certifications = CertificationRows(
            data, prefix="cert", initial=initial.get("certifications")
        )
        self.fx_rates = FxRateRows(data, prefix="fx", initial=initial.get("fx_rates"))
        self._rows: dict[str, Rows] = {}

    @property
    def parts(self) -> tuple:
        return (
            self.form,
            self.weights,
            self.channels,
            self.languages,
            self.certifications,
            self.fx_rates,
        )

    def values(self) -> dict[str, Any]:
        """The event in `event_create`'s argument names; remembers which row is which."""
        values = dict(self.form.cleaned_data)
        if values.get("minimum_notice_hours") is None:
            values.pop("minimum_notice_hours", None)  # left empty: the default, or as it was
        values["invited_vendors"] = list(values["invited_vendors"])
        values["weights"] = dict(self.weights.cleaned_data)
        if self.event is not None:
            # The picker shows minutes: an unchanged minute keeps the stored instant, so saving
            # other changes does not move the deadline (nor tell bidders that it moved).
            stored = timezone.localtime(self.event.bid_deadline)
            if values["bid_deadline"] == stored.replace(second=0, microsecond=0):
                values["bid_deadline"] = self.event.bid_deadline
        for name, formset in (
            ("channels", self.channels),
            ("languages", self.languages),
            ("fx_rates", self.fx_rates),
        ):
            filled = formset.filled()
            self._rows[name] = Rows(formset, [position for position, _ in filled])
            values[name] = [dict(row) for _, row in filled]
        certifications = self.certifications.filled()
        must = [(p, row) for p, row in certifications if row["kind"] == MUST]
        desired = [(p, row) for p, row in certifications if row["kind"] == DESIRED]
        values["must_have_certifications"] = [row["name"] for _, row in must]
        values["desired_certifications"] = [
            {"name": row["name"], "points": row["points"]} for _, row in desired
        ]
        self._rows["must_have_certifications"] = Rows(
            self.certifications, [p for p, _ in must], field_for=lambda rest: "name"
        )
        self._rows["desired_certifications"] = Rows(self.certifications, [p for p, _ in desired])
        return values

    def show(self, error) -> None:
        """Show the domain's problems on the fields and rows they name."""
        show_domain_errors(error, form=self.form, rows=self._rows, parts={"weights": self.weights})
