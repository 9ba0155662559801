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

MODEL_LABELS = {
    PricingModel.PER_PRODUCTION_HOUR: _("per production hour"),
    PricingModel.PER_FTE_MONTH: _("per FTE month"),
    PricingModel.PER_HANDLED_MINUTE: _("per handled minute"),
    PricingModel.PER_CONTACT: _("per contact"),
    PricingModel.HYBRID: _("hybrid"),
}
MODEL_CHOICES = [(m.value, MODEL_LABELS[m]) for m in PricingModel]
OPTIONAL_CHANNEL = [("", _("all channels")), *CHANNEL_CHOICES]
# Numbers are parsed here; their bounds and decimals are `contract_terms_problems`' rule.


class ContractForm(forms.ModelForm):
    """The contract's own fields."""

    vendor = forms.ModelChoiceField(label=_("Vendor"), queryset=Vendor.objects.all())
    currency = forms.CharField(label=_("Currency (ISO 4217)"))  # contract_terms_problems' rule

    class Meta:
        model = Contract
        fields = [
            "reference", "vendor", "currency", "start_date", "end_date",
            "minimum_monthly_charge", "at_risk_percent", "pool_percent",
            "retained_management_monthly", "fte_hours",
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

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"].upper()


class PriceForm(forms.Form):
    """A price row; a hybrid row uses the two component columns."""

    channel = forms.ChoiceField(label=_("Channel"), choices=OPTIONAL_CHANNEL, required=False)
    model = forms.ChoiceField(label=_("Pricing model"), choices=MODEL_CHOICES)
    rate = forms.DecimalField(label=_("Rate"), required=False)
    stated_hours = forms.DecimalField(label=_("Stated hours per month"), required=False)
    stated_fte = forms.DecimalField(label=_("Stated FTE"), required=False)
    c1_model = forms.ChoiceField(
        label=_("First part: model"), choices=[("", "-"), *MODEL_CHOICES[:4]], required=False
    )
    c1_rate = forms.DecimalField(label=_("First part: rate"), required=False)
    c1_share = forms.DecimalField(label=_("First part: share (0-1)"), required=False)
    c2_model = forms.ChoiceField(
        label=_("Second part: model"), choices=[("", "-"), *MODEL_CHOICES[:4]], required=False
    )
    c2_rate = forms.DecimalField(label=_("Second part: rate"), required=False)
    c2_share = forms.DecimalField(label=_("Second part: share (0-1)"), required=False)

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
    amount = forms.DecimalField(label=_("Amount per month"))


class OneOffForm(forms.Form):
    """One-off fees."""

    setup = forms.DecimalField(label=_("Setup"), initial=0)
    training = forms.DecimalField(label=_("Training"), initial=0)
    project_management = forms.DecimalField(label=_("Project management"), initial=0)


class TargetForm(forms.Form):
    """An SLA target row."""

    metric = forms.ChoiceField(
        label=_("Metric"), choices=[(m, _(METRICS[m].label)) for m in TARGETABLE_METRICS]
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=OPTIONAL_CHANNEL, required=False)
    expected = forms.DecimalField(label=_("Expected level"))
    minimum = forms.DecimalField(label=_("Minimum level"))
    critical = forms.BooleanField(label=_("Critical"), required=False, initial=True)
    allocation_percent = forms.DecimalField(label=_("Allocation (% of the pool)"), initial=0)


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
    minimum_monthly_charge = forms.DecimalField(label=_("Minimum monthly charge"), required=False)


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
