"""Forms of the invoices page: record a month's invoice (total and lines), or upload its lines."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from core.channels import CHANNEL_CHOICES
from core.formatting import UnreadableNumber, parse_number
from kpis.models import InvoiceLine


class LocalDecimalField(forms.DecimalField):
    """An amount as the reader types it (decimal comma in nl/ro/es)."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                value = str(parse_number(value))
            except UnreadableNumber as error:
                raise forms.ValidationError(str(error)) from error
        return super().to_python(value)


def _months(months) -> list[tuple[str, str]]:
    return [(f"{m:%Y-%m}", f"{m:%Y-%m}") for m in months]


class InvoiceForm(forms.Form):
    """The month and the invoiced total."""

    period = forms.ChoiceField(label=_("Month"))
    total = LocalDecimalField(label=_("Invoiced total"), max_digits=14, decimal_places=2)

    def __init__(self, *args, months=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = _months(months)


class InvoiceLineForm(forms.Form):
    """One invoice line; a channel for usage only."""

    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "-"), *InvoiceLine.Kind.choices],
                             required=False)  # fmt: skip
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("none")), *CHANNEL_CHOICES], required=False
    )
    amount = LocalDecimalField(label=_("Amount"), max_digits=14, decimal_places=2,
                               required=False)  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("amount") is None:
            self.add_error("amount", _("Give the line's amount."))
        if data.get("amount") is not None and not data.get("kind"):
            self.add_error("kind", _("Say what the line bills."))
        if data.get("channel") and data.get("kind") and data["kind"] != "usage":
            self.add_error("channel", _("Only a usage line names a channel."))
        return data


InvoiceLineFormSet = formset_factory(InvoiceLineForm, extra=5, max_num=50)


class InvoiceUploadForm(forms.Form):
    """A month's lines as a CSV or XLSX file; the total defaults to the sum of the lines."""

    period = forms.ChoiceField(label=_("Month"))
    total = LocalDecimalField(
        label=_("Invoiced total"), max_digits=14, decimal_places=2, required=False,
        help_text=_("Leave empty to take the sum of the file's lines."),
    )  # fmt: skip
    file = forms.FileField(
        label=_("Invoice lines (CSV or XLSX)"),
        help_text=_("Columns kind, channel, amount; semicolons and decimal commas are fine."),
    )

    def __init__(self, *args, months=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = _months(months)
