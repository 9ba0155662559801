"""HTML forms for contracts; they parse input, the domain functions hold the rules."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from contracts.models import Baseline, Contract
from core.catalogue import METRICS, TARGETABLE_METRICS
from core.channels import CHANNEL_CHOICES
from core.forms import LocalizedDecimalField, localized_formfield
from core.labels import labelled_choices
from vendors.domain.pricing import PricingModel
from vendors.models import Vendor

MODEL_CHOICES = labelled_choices(m.value for m in PricingModel)
OPTIONAL_CHANNEL = [("", _("all channels")), *CHANNEL_CHOICES]
# Numbers are parsed here; their bounds and decimals are `contract_terms_problems`' rule.


class ContractForm(forms.ModelForm):
    """The contract's own fields."""

    vendor = forms.ModelChoiceField(queryset=Vendor.objects.all())
    currency = forms.CharField()  # an ISO 4217 code: contract_terms_problems' rule

    class Meta:
        model = Contract
        formfield_callback = localized_formfield  # decimals in the reader's format
        fields = [
            "reference", "vendor", "currency", "start_date", "end_date",
            "minimum_monthly_charge", "at_risk_percent", "pool_percent",
            "retained_management_monthly", "fte_hours", "dispute_days", "earn_back_months",
            "invoice_tolerance_percent",
        ]  # fmt: skip
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Optional terms: left empty, they keep their defaults (a 10-day dispute window, no
        # earn-back, 0.5 % tolerance).
        for name in ("dispute_days", "earn_back_months", "invoice_tolerance_percent"):
            self.fields[name].required = False

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"].upper()

    def clean_dispute_days(self) -> int:
        value = self.cleaned_data.get("dispute_days")
        default = Contract._meta.get_field("dispute_days").default
        return default if value is None else value

    def clean_earn_back_months(self):
        value = self.cleaned_data.get("earn_back_months")
        return Contract._meta.get_field("earn_back_months").default if value is None else value

    def clean_invoice_tolerance_percent(self):
        value = self.cleaned_data.get("invoice_tolerance_percent")
        field = Contract._meta.get_field("invoice_tolerance_percent")
        return field.default if value is None else value


class PriceForm(forms.Form):
    """A price row; a hybrid row uses the two component columns."""

    channel = forms.ChoiceField(label=_("Channel"), choices=OPTIONAL_CHANNEL, required=False)
    model = forms.ChoiceField(label=_("Pricing model"), choices=MODEL_CHOICES)
    rate = LocalizedDecimalField(label=_("Rate"), required=False)
    stated_hours = LocalizedDecimalField(label=_("Stated hours"), required=False)
    stated_fte = LocalizedDecimalField(label=_("Stated FTE"), required=False)
    c1_model = forms.ChoiceField(
        label=_("Component 1: model"), choices=[("", "-"), *MODEL_CHOICES[:4]], required=False
    )
    c1_rate = LocalizedDecimalField(label=_("Component 1: rate"), required=False)
    c1_share = LocalizedDecimalField(label=_("Component 1: share (0-1)"), required=False)
    c2_model = forms.ChoiceField(
        label=_("Component 2: model"), choices=[("", "-"), *MODEL_CHOICES[:4]], required=False
    )
    c2_rate = LocalizedDecimalField(label=_("Component 2: rate"), required=False)
    c2_share = LocalizedDecimalField(label=_("Component 2: share (0-1)"), required=False)

    def as_terms(self) -> dict:
        """This row in API.md's pricing shape."""
        data = self.cleaned_data
        components = [
            {"model": data[f"{p}_model"], "rate": str(data[f"{p}_rate"] or 0),
             "share": str(data[f"{p}_share"] or 0)}
            for p in ("c1", "c2")
            if data.get(f"{p}_model")
        ]  # fmt: skip
        return {
            "channel": data["channel"] or None,
            "model": data["model"],
            "rate": str(data["rate"] or 0),
            "components": components,
            "stated_hours": None if data["stated_hours"] is None else str(data["stated_hours"]),
            "stated_fte": None if data["stated_fte"] is None else str(data["stated_fte"]),
        }


class FeeForm(forms.Form):
    """A fixed monthly fee."""

    name = forms.CharField()
    amount = LocalizedDecimalField()


class OneOffForm(forms.Form):
    """One-off fees."""

    setup = LocalizedDecimalField(initial=0)
    training = LocalizedDecimalField(initial=0)
    project_management = LocalizedDecimalField(initial=0)


class TargetForm(forms.Form):
    """An SLA target row."""

    metric = forms.ChoiceField(choices=[(m, METRICS[m].label) for m in TARGETABLE_METRICS])
    channel = forms.ChoiceField(choices=OPTIONAL_CHANNEL, required=False)
    expected = LocalizedDecimalField()
    minimum = LocalizedDecimalField()
    critical = forms.BooleanField(required=False, initial=True)
    allocation_percent = LocalizedDecimalField(initial=0)


PriceFormSet = formset_factory(PriceForm, extra=1, can_delete=True)
FeeFormSet = formset_factory(FeeForm, extra=1, can_delete=True)
TargetFormSet = formset_factory(TargetForm, extra=2, can_delete=True)


def filled(formset) -> list[dict]:
    """The cleaned rows of a formset that were filled in and not deleted."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class BaselineForm(forms.ModelForm):
    """The baseline: a monthly amount, or all the fully loaded parts."""

    class Meta:
        model = Baseline
        formfield_callback = localized_formfield
        fields = ["monthly_amount", *Baseline.PARTS]


class TerminateForm(forms.Form):
    """Termination date and reason."""

    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class AmendmentForm(forms.Form):
    """An amendment from the page: new fees or minimum, and new target levels."""

    effective_month = forms.DateField(
        input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"})
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    minimum_monthly_charge = LocalizedDecimalField(required=False)


def apply_errors(form, error: ValidationError) -> None:
    """Show a domain ValidationError on the form (field errors where the field exists)."""
    for field, messages in error.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            label = "" if target else f"{field}: "
            form.add_error(target, f"{label}{message}")


class AwardForm(forms.Form):
    """Award one proposal of a closed event."""

    proposal = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect)
    reference = forms.CharField(max_length=40, help_text=_("Used by KPI files, e.g. ACME-NL-01."))
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].choices = choices
