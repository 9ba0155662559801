"""The vendor profile form: the profile's own fields and its language, certification and
industry rows, parsed into `vendor_create` / `vendor_update` arguments."""

import re
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from core.labels import CHANNEL_CHOICES
from vendors.models import Vendor
from vendors.services.validation import LanguageLevel
from vendors.web.forms.rows import BLANK, FormGroup, RowForm, RowFormSet, Rows, show_domain_errors

COMMON_CERTIFICATIONS = ("ISO 27001", "SOC 2 Type II", "PCI DSS", "GDPR DPA", "HIPAA")


def date_input() -> forms.DateInput:
    """A native date picker that shows and posts ISO dates."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VendorForm(forms.Form):
    """A vendor's own fields."""

    name = forms.CharField(label=_("Name"))
    country = forms.CharField(label=_("Country"), help_text=_("ISO 3166-1 alpha-2, e.g. NL"))
    delivery_countries = forms.CharField(
        label=_("Delivery countries"),
        required=False,
        help_text=_("Country codes of the delivery sites, separated by commas: NL, PT, RO"),
    )
    headcount = forms.IntegerField(label=_("Headcount"), required=False)
    channels = forms.MultipleChoiceField(
        label=_("Channels served"),
        choices=CHANNEL_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class VendorLanguageRow(RowForm):
    tag = forms.CharField(label=_("Language"), help_text=_("BCP 47 tag: nl, en-GB"))
    level = forms.ChoiceField(label=_("Level"), choices=[BLANK, *LanguageLevel.choices])


class VendorCertificationRow(RowForm):
    name = forms.CharField(
        label=_("Certification"), widget=forms.TextInput(attrs={"list": "certification-names"})
    )
    valid_until = forms.DateField(
        label=_("Valid until (empty: no expiry)"), required=False, widget=date_input()
    )


class VendorIndustryRow(RowForm):
    industry = forms.CharField(label=_("Industry"))
    years = forms.IntegerField(label=_("Years of experience"))


LanguageRows = formset_factory(VendorLanguageRow, formset=RowFormSet, extra=2)
CertificationRows = formset_factory(VendorCertificationRow, formset=RowFormSet, extra=2)
IndustryRows = formset_factory(VendorIndustryRow, formset=RowFormSet, extra=2)


def _initial(vendor: Vendor | None) -> dict[str, Any]:
    if vendor is None:
        return {"form": None, "languages": [], "certifications": [], "industries": []}
    return {
        "form": {
            "name": vendor.name,
            "country": vendor.country,
            "delivery_countries": ", ".join(vendor.delivery_countries),
            "headcount": vendor.headcount,
            "channels": vendor.channel_list,
        },
        "languages": [{"tag": r.tag, "level": r.level} for r in vendor.languages.all()],
        "certifications": [
            {"name": r.name, "valid_until": r.valid_until} for r in vendor.certifications.all()
        ],
        "industries": [{"industry": r.industry, "years": r.years} for r in vendor.industries.all()],
    }


class VendorForms(FormGroup):
    """The profile form and its three tables, bound together."""

    def __init__(self, data=None, *, vendor: Vendor | None = None) -> None:
        initial = _initial(vendor) if data is None else {}
        self.form = VendorForm(data, initial=initial.get("form"))
        self.languages = LanguageRows(data, prefix="lang", initial=initial.get("languages"))
        self.certifications = CertificationRows(
            data, prefix="cert", initial=initial.get("certifications")
        )
        self.industries = IndustryRows(data, prefix="ind", initial=initial.get("industries"))
        self._rows: dict[str, Rows] = {}

    @property
    def parts(self) -> tuple:
        return (self.form, self.languages, self.certifications, self.industries)

    def values(self) -> dict[str, Any]:
        """The profile in `vendor_create`'s argument names; remembers which row is which."""
        data = self.form.cleaned_data
        values: dict[str, Any] = {
            "name": data["name"],
            "country": data["country"],
            "delivery_countries": [
                c for c in re.split(r"[\s,;]+", data["delivery_countries"]) if c
            ],
            "channels": data["channels"],
            "headcount": data["headcount"],
        }
        for name, formset in (
            ("languages", self.languages),
            ("certifications", self.certifications),
            ("industries", self.industries),
        ):
            filled = formset.filled()
            self._rows[name] = Rows(formset, [position for position, _ in filled])
            values[name] = [row for _, row in filled]
        return values

    def show(self, error) -> None:
        """Show the domain's problems on the fields and rows they name."""
        show_domain_errors(error, form=self.form, rows=self._rows)
