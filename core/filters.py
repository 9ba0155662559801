"""The base of every list filter (page and API): numbers and ids within a 64-bit integer,
months within the product's bounds, so that no query string reaches the database as a value it
cannot hold (a 400 naming the parameter, never a 500 or a silent empty list)."""

from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.conf import settings as filter_settings
from drf_spectacular.utils import extend_schema_field

from core.months import FIRST_MONTH, LAST_MONTH, month_out_of_bounds

MAX_INTEGER = 2**63 - 1  # the largest id or count PostgreSQL's bigint and SQLite hold
_NUMBER_FIELDS = (
    forms.IntegerField,
    forms.DecimalField,
    forms.FloatField,
    forms.ModelChoiceField,  # includes ModelMultipleChoiceField
)


def _out_of_range(value: object) -> bool:
    if value is None or isinstance(value, bool):
        return False
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return False  # not a number: the field's own check words it
    return number.is_finite() and abs(number) > MAX_INTEGER


def _bounded(clean):
    def check(value):
        items = value if isinstance(value, list | tuple) else [value]
        if any(_out_of_range(item) for item in items):
            raise ValidationError(
                _("Enter a number from %(low)s to %(high)s.")
                % {"low": -MAX_INTEGER, "high": MAX_INTEGER},
                code="out_of_range",
            )
        return clean(value)

    return check


class BoundedForm(forms.Form):
    """A filter form whose number and id fields refuse values beyond a 64-bit integer."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, _NUMBER_FIELDS):
                field.clean = _bounded(field.clean)


# What an empty choice says on a list page, by filter name ("---------" says nothing); a
# filter not named here says "Any". Yes/no filters offer "Any", "Yes", "No" (not "Unknown").
EMPTY_LABELS = {
    "status": gettext_lazy("Any status"), "channel": gettext_lazy("All channels"),
    "metric": gettext_lazy("All metrics"), "vendor": gettext_lazy("All vendors"),
    "kind": gettext_lazy("All kinds"), "source": gettext_lazy("Any source"),
    "created_by": gettext_lazy("Anyone"), "revision": gettext_lazy("Current figures"),
}  # fmt: skip
DASHES = filter_settings.EMPTY_CHOICE_LABEL
YES_NO_CHOICES = (
    ("", gettext_lazy("Any")),
    ("true", gettext_lazy("Yes")),
    ("false", gettext_lazy("No")),
)


def _label_empty_choices(filters) -> None:
    """Give every choice filter's empty choice words, and yes/no filters their three answers.

    A filter builds its form field once and keeps it (`_field`); the class-level filters may
    have built theirs already (the OpenAPI schema reads them), and each FilterSet copies them,
    so a field built before the words were set is dropped here and built again with them."""
    for name, item in filters.items():
        if isinstance(item, django_filters.ChoiceFilter | django_filters.ModelChoiceFilter):
            if item.extra.get("empty_label", DASHES) == DASHES:  # not chosen by the filterset
                item.extra["empty_label"] = EMPTY_LABELS.get(name, gettext_lazy("Any"))
                item.__dict__.pop("_field", None)
        elif isinstance(item, django_filters.BooleanFilter) and "widget" not in item.extra:
            item.extra["widget"] = forms.Select(choices=YES_NO_CHOICES)
            item.__dict__.pop("_field", None)


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet on a BoundedForm: the base of every filterset here."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_empty_choices(self.filters)

    def get_form_class(self):
        form = super().get_form_class()
        if issubclass(form, BoundedForm):
            return form
        return type(f"{form.__name__}Bounded", (BoundedForm, form), {})


class MonthField(forms.DateField):
    """A month written YYYY-MM, within FIRST_MONTH..LAST_MONTH."""

    default_error_messages = {"invalid": gettext_lazy("Use a month as YYYY-MM.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m"])
        super().__init__(*args, **kwargs)

    def clean(self, value):
        month = super().clean(value)
        if month is not None and month_out_of_bounds(month):
            raise ValidationError(
                _("Use a month from %(first)s to %(last)s.")
                % {"first": f"{FIRST_MONTH:%Y-%m}", "last": f"{LAST_MONTH:%Y-%m}"},
                code="out_of_bounds",
            )
        return month


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-03"})
class MonthFilter(django_filters.DateFilter):
    """A month written `YYYY-MM` (2000-01 to 2099-12), matched against its first day."""

    field_class = MonthField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
        super().__init__(*args, **kwargs)
