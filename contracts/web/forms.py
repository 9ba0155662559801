"""HTML forms for contracts; they parse input, the domain functions hold the rules."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from contracts.models import Baseline, Contract
from core.catalogue import METRICS, TARGETABLE_METRICS
from core.forms import LocalizedDecimalField, localized_formfield
from core.labels import CHANNEL_CHOICES, labelled_choices
from vendors.domain.pricing import PricingModel
from vendors.models import Vendor

MODEL_CHOICES = labelled_choices(m.value for m in PricingModel)
OPTIONAL_CHANNEL = [("", _("all channels")), *CHANNEL_CHOICES]
# Numbers are parsed here; their bounds and decimals are `contract_terms_problems`' rule.


class ContractForm(forms.ModelForm):
    """The contract's own fields."""

    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=Vendor.objects.all())
    currency = forms.CharField(label=_("Currency (ISO 4217)"))  # contract_terms_problems' rule

    class Meta:
        model = Contract
        formfield_callback = localized_formfield  # decimals in the reader's format
        fields = [
            "reference", "vendor", "currency", "start_date", "end_date",
            "minimum_monthly_charge", "at_risk_percent", "pool_percent",
            "retained_management_monthly", "fte_hours", "dispute_days", "earn_back_months",
            "invoice_tolerance_percent",
        ]  # fmt: skip
        labels = {
            "reference": _("Reference"), "start_date": _("Start date"), "end_date": _("End date"),
            "minimum_monthly_charge": _("Minimum monthly charge"),
            "at_risk_percent": _("At-risk amount (% of the monthly charges)"),
            "pool_percent": _("Pool allocation (%)"),
            "retained_management_monthly": _("Retained management cost per month"),
            "fte_hours": _("Hours per FTE month"),
        }  # fmt: skip
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
    stated_hours = LocalizedDecimalField(label=_("Stated hours per month"), required=False)
    stated_fte = LocalizedDecimalField(label=_("Stated FTE"), required=False)
    c1_model = forms.ChoiceField(
        label=_("First part: model"), choices=[("", "-"), *MODEL_CHOICES[:4]], required=False
    )
    c1_rate = LocalizedDecimalField(label=_("First part: rate"), required=False)
    c1_share = LocalizedDecimalField(label=_("First part: share (0-1)"), required=False)
    c2_model = forms.ChoiceField(
        label=_("Second part: model"), choices=[("", "-"), *MODEL_CHOICES[:4]], required=False
    )
    c2_rate = LocalizedDecimalField(label=_("Second part: rate"), required=False)
    c2_share = LocalizedDecimalField(label=_("Second part: share (0-1)"), required=False)

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

    name = forms.CharField(label=_("Name"))
    amount = LocalizedDecimalField(label=_("Amount per month"))


class OneOffForm(forms.Form):
    """One-off fees."""

    setup = LocalizedDecimalField(label=_("Setup"), initial=0)
    training = LocalizedDecimalField(label=_("Training"), initial=0)
    project_management = LocalizedDecimalField(label=_("Project management"), initial=0)


class TargetForm(forms.Form):
    """An SLA target row."""

    metric = forms.ChoiceField(
        label=_("Metric"), choices=[(m, _(METRICS[m].label)) for m in TARGETABLE_METRICS]
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=OPTIONAL_CHANNEL, required=False)
    expected = LocalizedDecimalField(label=_("Expected level"))
    minimum = LocalizedDecimalField(label=_("Minimum level"))
    critical = forms.BooleanField(label=_("Critical"), required=False, initial=True)
    allocation_percent = LocalizedDecimalField(label=_("Allocation (% of the pool)"), initial=0)


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
        labels = {
            "monthly_amount": _("Monthly amount"), "fte": _("FTE"),
            "gross_salary": _("Gross salary per FTE per month"),
            "employer_oncost_percent": _("Employer on-cost (%)"),
            "facilities_per_fte": _("Facilities per FTE per month"),
            "ict_per_fte": _("ICT per FTE per month"),
            "recruitment_training_per_fte": _("Recruitment and training per FTE per month"),
            "management_overhead": _("Management overhead per month"),
            "depreciation": _("Depreciation per month"),
            "absenteeism_percent": _("Absenteeism (%)"),
        }  # fmt: skip


class TerminateForm(forms.Form):
    """Termination date and reason."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AmendmentForm(forms.Form):
    """An amendment from the page: new fees or minimum, and new target levels."""

    effective_month = forms.DateField(
        label=_("Effective month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    minimum_monthly_charge = LocalizedDecimalField(
        label=_("Minimum monthly charge"), required=False
    )


def apply_errors(form, error: ValidationError) -> None:
    """Show a domain ValidationError on the form (field errors where the field exists)."""
    for field, messages in error.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            if target:
                form.add_error(target, message)
            else:
                form.add_error(
                    None, _("%(field)s: %(message)s") % {"field": field, "message": message}
                )


class AwardForm(forms.Form):
    """Award one proposal of a closed event."""

    proposal = forms.TypedChoiceField(label=_("Proposal"), coerce=int, widget=forms.RadioSelect)
    reference = forms.CharField(
        label=_("Contract reference"),
        max_length=40,
        help_text=_("Used by KPI files, e.g. ACME-NL-01."),
    )
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].choices = choices
