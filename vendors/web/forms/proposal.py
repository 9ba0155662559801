"""The proposal form of the vendor portal: currency, price rows (hybrid components in two
column groups), one-off fees, monthly fee rows, minimum charge and language rows, parsed into
`proposal_submit` / `proposal_update` arguments."""

import re
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from core.forms import LocalizedDecimalField
from vendors.domain.pricing import PricingModel
from vendors.models import PRICING_MODEL_CHOICES, SourcingEvent
from vendors.services.validation import LanguageLevel
from vendors.web.forms.rows import BLANK, FormGroup, RowForm, RowFormSet, Rows, show_domain_errors

# Short labels: two component groups share one table row with the channel's own columns.
COMPONENT_MODELS = [
    (PricingModel.PER_PRODUCTION_HOUR.value, _("per hour")),
    (PricingModel.PER_FTE_MONTH.value, _("per FTE")),
    (PricingModel.PER_HANDLED_MINUTE.value, _("per minute")),
    (PricingModel.PER_CONTACT.value, _("per contact")),
]
COMPONENTS = ("c1", "c2", "c3")
_MONTH_RANGE = re.compile(r"^(\d{1,2})\s*[-–]\s*(\d{1,2})$")


def parse_months(text: str) -> list[int]:
    """`11, 12` or `1-10` (or both, comma-separated) as calendar months; ValueError if not."""
    months: list[int] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        span = _MONTH_RANGE.match(item)
        if span:
            first, last = int(span[1]), int(span[2])
            if not 1 <= first <= last <= 12:
                raise ValueError(item)
            months.extend(range(first, last + 1))
        elif item.isdigit() and 1 <= int(item) <= 12:
            months.append(int(item))
        else:
            raise ValueError(item)
    return months


def months_text(months: list[int]) -> str:
    """Calendar months as the form shows them, runs compressed (`1-10, 12`)."""
    runs: list[list[int]] = []
    for month in sorted(months):
        if runs and month == runs[-1][-1] + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def _money(label: str, **kwargs: Any) -> LocalizedDecimalField:
    return LocalizedDecimalField(label=label, required=False, **kwargs)


class ProposalForm(forms.Form):
    """The proposal's currency and minimum monthly charge."""

    currency = forms.CharField(
        label=_("Currency"), widget=forms.TextInput(attrs={"list": "event-currencies"})
    )
    minimum_monthly_charge = _money(
        _("Minimum monthly charge"),
        initial=0,
        help_text=_("The charge is at least this before fixed fees"),
    )


class OneOffFeesForm(forms.Form):
    """The one-off fees (an empty fee is 0)."""

    setup = _money(_("Setup / implementation"), initial=0)
    training = _money(_("Training"), initial=0)
    project_management = _money(_("Project management"), initial=0)


class PriceRow(RowForm):
    """A channel's price; a hybrid price fills the two component column groups instead of rate."""

    channel = forms.ChoiceField(label=_("Channel"), required=False)
    model = forms.ChoiceField(
        label=_("Model"),
        choices=[BLANK, *PRICING_MODEL_CHOICES],
        widget=forms.Select(attrs={"class": "wide"}),
    )
    rate = _money(_("Rate"))
    stated_hours = _money(_("Stated hours / month"))
    stated_fte = _money(_("Stated FTE"))
    c1_model = forms.ChoiceField(
        label=_("Hybrid part 1: model"), choices=[BLANK, *COMPONENT_MODELS], required=False
    )
    c1_rate = _money(_("Part 1: rate"))
    c1_share = _money(_("Part 1: share (0-1)"))
    c2_model = forms.ChoiceField(
        label=_("Hybrid part 2: model"), choices=[BLANK, *COMPONENT_MODELS], required=False
    )
    c2_rate = _money(_("Part 2: rate"))
    c2_share = _money(_("Part 2: share (0-1)"))
    c3_model = forms.ChoiceField(
        label=_("Hybrid part 3: model"), choices=[BLANK, *COMPONENT_MODELS], required=False
    )
    c3_rate = _money(_("Part 3: rate"))
    c3_share = _money(_("Part 3: share (0-1)"))
    c1_bands = forms.CharField(label=_("Part 1: bands"), required=False)
    c1_months = forms.CharField(label=_("Part 1: months"), required=False)
    c2_bands = forms.CharField(label=_("Part 2: bands"), required=False)
    c2_months = forms.CharField(label=_("Part 2: months"), required=False)
    c3_bands = forms.CharField(label=_("Part 3: bands"), required=False)
    c3_months = forms.CharField(label=_("Part 3: months"), required=False)

    def __init__(self, *args: Any, channels: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [("", _("All channels")), *channels]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for part in COMPONENTS:
            given = any(data.get(f"{part}_{n}") not in (None, "") for n in PART_FIELDS)
            if given and not data.get(f"{part}_model"):
                self.add_error(f"{part}_model", _("Choose this part's model."))
            try:
                data[f"{part}_month_list"] = parse_months(data.get(f"{part}_months") or "")
            except ValueError as error:
                self.add_error(
                    f"{part}_months",
                    _("%(item)s is not a month; use 1-12, commas and ranges such as 1-10.")
                    % {"item": error},
                )
        return data

    def as_price(self) -> dict[str, Any]:
        """This row in the pricing shape of API.md."""
        data = self.cleaned_data
        return {
            "channel": data["channel"] or None,
            "model": data["model"],
            "rate": data["rate"],
            "components": [
                {
                    "model": data[f"{part}_model"],
                    "rate": data[f"{part}_rate"],
                    "share": data[f"{part}_share"],
                    "bands": [
                        b.strip() for b in (data.get(f"{part}_bands") or "").split(",") if b.strip()
                    ],
                    "months": data.get(f"{part}_month_list") or [],
                }
                for part in COMPONENTS
                if data.get(f"{part}_model")
            ],
            "stated_hours": data["stated_hours"],
            "stated_fte": data["stated_fte"],
        }


class MonthlyFeeRow(RowForm):
    name = forms.CharField(label=_("Monthly fee"), help_text=_("management, numbers, licences"))
    amount = LocalizedDecimalField(label=_("Amount per month"))


class ProposalLanguageRow(RowForm):
    tag = forms.CharField(label=_("Language (BCP 47)"))
    level = forms.ChoiceField(label=_("Level"), choices=[BLANK, *LanguageLevel.choices])
    hours_coverage = LocalizedDecimalField(
        label=_("Share of opening hours covered (0-1)"), initial=1, required=False
    )


PriceRows = formset_factory(PriceRow, formset=RowFormSet, extra=2)
MonthlyFeeRows = formset_factory(MonthlyFeeRow, formset=RowFormSet, extra=2)
ProposalLanguageRows = formset_factory(ProposalLanguageRow, formset=RowFormSet, extra=2)

_COMPONENT_PATH = re.compile(r"^components\[(\d)\]\.(model|rate|share|bands|months)")
PART_FIELDS = ("rate", "share", "bands", "months")


def _price_field(rest: str | None) -> str | None:
    """The row field of a price path (`components[1].share` -> `c2_share`)."""
    if rest is None:
        return "model"
    if rest == "components":
        return "c1_share"
    match = _COMPONENT_PATH.match(rest)
    if match:
        index = int(match[1])
        last = f"{COMPONENTS[-1]}_share"
        return f"{COMPONENTS[index]}_{match[2]}" if index < len(COMPONENTS) else last
    return rest


def _initial(values: dict[str, Any]) -> dict[str, Any]:
    """A stored proposal (`proposal_values`) as the forms' initial values."""
    prices = []
    for price in values["pricing"]:
        row = {k: price[k] for k in ("model", "rate", "stated_hours", "stated_fte")}
        row["channel"] = price["channel"] or ""
        if price["model"] == PricingModel.HYBRID:
            row["rate"] = None
        for part, component in zip(COMPONENTS, price["components"], strict=False):
            row |= {f"{part}_{k}": component[k] for k in ("model", "rate", "share")}
            row[f"{part}_bands"] = ", ".join(component.get("bands") or [])
            row[f"{part}_months"] = months_text(list(component.get("months") or []))
        prices.append(row)
    return {
        "form": {
            "currency": values["currency"],
            "minimum_monthly_charge": values["minimum_monthly_charge"],
        },
        "one_off": values["one_off_fees"],
        "prices": prices,
        "fees": values["monthly_fees"],
        "languages": values["languages"],
    }


class ProposalForms(FormGroup):
    """The proposal form, its one-off fees and its three tables, bound together."""

    def __init__(
        self, data=None, *, event: SourcingEvent, current: dict[str, Any] | None = None
    ) -> None:
        if data is None and current is not None:
            initial = _initial(current)
        else:
            initial = {"form": {"currency": event.currency}}
        channels = [(row["channel"], row["channel"].capitalize()) for row in event.channels]
        self.event = event
        self.form = ProposalForm(data, initial=initial.get("form"))
        self.one_off = OneOffFeesForm(data, prefix="oneoff", initial=initial.get("one_off"))
        self.prices = PriceRows(
            data, prefix="price", initial=initial.get("prices"), form_kwargs={"channels": channels}
        )
        self.fees = MonthlyFeeRows(data, prefix="fee", initial=initial.get("fees"))
        self.languages = ProposalLanguageRows(data, prefix="lang", initial=initial.get("languages"))
        self._rows: dict[str, Rows] = {}

    @property
    def currencies(self) -> list[str]:
        """The currencies the event has a rate for (its own first)."""
        return [self.event.currency, *(row["currency"] for row in self.event.fx_rates)]

    @property
    def parts(self) -> tuple:
        return (self.form, self.one_off, self.prices, self.fees, self.languages)

    def values(self) -> dict[str, Any]:
        """The proposal in `proposal_submit`'s argument names; remembers which row is which."""
        prices = self.prices.filled()
        fees = self.fees.filled()
        languages = self.languages.filled()
        self._rows = {
            "pricing": Rows(self.prices, [p for p, _ in prices], field_for=_price_field),
            "monthly_fees": Rows(self.fees, [p for p, _ in fees]),
            "languages": Rows(self.languages, [p for p, _ in languages]),
        }
        return {
            "currency": self.form.cleaned_data["currency"],
            "minimum_monthly_charge": self.form.cleaned_data["minimum_monthly_charge"] or 0,
            "one_off_fees": {k: v or 0 for k, v in self.one_off.cleaned_data.items()},
            "pricing": [self.prices.forms[p].as_price() for p, _ in prices],
            "monthly_fees": [dict(row) for _, row in fees],
            "languages": [dict(row) for _, row in languages],  # no coverage: the default 1
        }

    def show(self, error) -> None:
        """Show the domain's problems on the fields and rows they name."""
        show_domain_errors(
            error, form=self.form, rows=self._rows, parts={"one_off_fees": self.one_off}
        )


class RatingForm(forms.Form):
    """An evaluator's 0-5 rating of a proposal and a comment."""

    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[BLANK, *((n, str(n)) for n in range(6))],
        widget=forms.Select(attrs={"aria-label": _("Rating 0-5")}),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 1, "aria-label": _("Comment"), "placeholder": _("Comment (optional)")}
        ),
    )
