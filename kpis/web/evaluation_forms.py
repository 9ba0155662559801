"""Forms of the evaluation pages: a month range, and a decision on a breach."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import MonthField
from core.months import MAX_RANGE_MONTHS, months_between


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m", **kwargs)


class MonthRangeForm(forms.Form):
    """`from` and `to` months (both optional: the page picks a sensible range)."""

    start = MonthField(label=_("From"), required=False, widget=MonthInput())
    end = MonthField(label=_("To"), required=False, widget=MonthInput())

    def __init__(self, data=None, **kwargs) -> None:
        # The query string says `from` and `to`, as the API does.
        if data is not None:
            data = {"start": data.get("from", ""), "end": data.get("to", "")}
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("The range must start before it ends."))
        elif start and end and months_between(start, end) > MAX_RANGE_MONTHS:
            self.add_error(
                "end", _("Ask for at most %(count)s months.") % {"count": MAX_RANGE_MONTHS}
            )
        return cleaned


class BreachDecisionForm(forms.Form):
    """Acknowledge a breach, or waive its credit; waiving needs a reason."""

    ACTIONS = [("acknowledge", _("Acknowledge")), ("waive", _("Waive the credit"))]

    action = forms.ChoiceField(choices=ACTIONS)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "waive" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why the credit is waived."))
        return cleaned
