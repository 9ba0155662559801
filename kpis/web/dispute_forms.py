"""Forms of disputes: the vendor's statement and evidence, the manager's decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kpis.evaluation.evidence import ACCEPT


class DisputeForm(forms.Form):
    """Why the breach is wrong, and a file that shows it."""

    statement = forms.CharField(
        label=_("Statement"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why the breach is wrong: what the figures miss or count wrongly."),
    )  # fmt: skip
    evidence = forms.FileField(
        label=_("Evidence"),
        allow_empty_file=True,  # refused by the evidence check, with its reason
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("A PDF, CSV, XLSX, PNG or JPEG file of at most 10 MB."),
    )


class DisputeDecisionForm(forms.Form):
    """Accept the dispute (the credit is waived) or reject it; rejecting needs a reason."""

    ACTIONS = [("accept", _("Accept: waive the credit")), ("reject", _("Reject: keep the credit"))]

    action = forms.ChoiceField(label=_("Decision"), choices=ACTIONS)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why the dispute is rejected."))
        return cleaned
