"""HTML forms for contracts; they parse input, the domain functions hold the rules."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from contracts.models import Baseline, Contract
from core.catalogue import METRICS, TARGETABLE_METRICS
from core.labels import CHANNEL_CHOICES
from vendors.domain.pricing import PricingModel
from vendors.models import Vendor

MODEL_CHOICES = [(m.value, m.value.replace("_", " ")) for m in PricingModel]
OPTIONAL_CHANNEL = [("", _("all channels")), *CHANNEL_CHOICES]
# Numbers are parsed here; their bounds and decimals are `contract_terms_problems`' rule.


class ContractForm(forms.ModelForm):
    """The contract's own fields."""

    vendor = forms.ModelChoiceField(queryset=Vendor.objects.all())
    currency = forms.CharField()  # an ISO 4217 code: contract_terms_problems' rule

    class Meta:
        model = Contract
        fields = [
            "reference", "vendor", "currency", "start_date", "end_date",
            "minimum_monthly_charge", "at_risk_percent", "pool_percent",
            "retained_management_monthly", "fte_hours",
        ]  # fmt: skip
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"].upper()


class PriceForm(forms.Form):
    """A price row; a hybrid row uses the two component columns."""

    channel = forms.ChoiceField(choices=OPTIONAL_CHANNEL, required=False)
    model = forms.ChoiceField(choices=MODEL_CHOICES)
    rate = forms.DecimalField(required=False)
    stated_hours = forms.DecimalField(required=False)
    stated_fte = forms.DecimalField(required=False)
    c1_model = forms.ChoiceField(choices=[("", "-"), *MODEL_CHOICES[:4]], required=False)
    c1_rate = forms.DecimalField(required=False)
    c1_share = forms.DecimalField(required=False)
    c2_model = forms.ChoiceField(choices=[("", "-"), *MODEL_CHOICES[:4]], required=False)
    c2_rate = forms.DecimalField(required=False)
    c2_share = forms.DecimalField(required=False)

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
    amount = forms.DecimalField()


class OneOffForm(forms.Form):
    """One-off fees."""

    setup = forms.DecimalField(initial=0)
    training = forms.DecimalField(initial=0)
    project_management = forms.DecimalField(initial=0)


class TargetForm(forms.Form):
    """An SLA target row."""

    metric = forms.ChoiceField(choices=[(m, METRICS[m].label) for m in TARGETABLE_METRICS])
    channel = forms.ChoiceField(choices=OPTIONAL_CHANNEL, required=False)
    expected = forms.DecimalField()
    minimum = forms.DecimalField()
    critical = forms.BooleanField(required=False, initial=True)
    allocation_percent = forms.DecimalField(initial=0)


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
    minimum_monthly_charge = forms.DecimalField(required=False)


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
