"""The award page's form: one proposal for the whole event, or a split composed channel by
channel (a proposal per channel, a contract reference per awarded proposal)."""

from django import forms
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from contracts.domain.split import SplitPart
from contracts.models import REFERENCE, Contract
from core.channels import CHANNEL_CHOICES

LABELS = dict(CHANNEL_CHOICES)


class AwardStep:
    """Which step a POST asks for: review what would be created, or confirm it."""

    REVIEW = "review"
    CONFIRM = "confirm"
    EDIT = "edit"


def parse_split(raw: str, channels: list[str]) -> dict[str, int]:
    """`?split=phone:12,chat:14` as {channel: proposal}; unknown or malformed parts are left out."""
    chosen: dict[str, int] = {}
    for item in (raw or "").split(","):
        channel, _sep, proposal = item.strip().partition(":")
        if channel in channels and proposal.strip().isdigit():
            chosen[channel] = int(proposal)
    return chosen


class AwardChoiceForm(forms.Form):
    """Award choices; `parts()` gives what the award service takes."""

    mode = forms.ChoiceField(
        choices=[("whole", _("One proposal for the whole event")),
                 ("split", _("A split: each channel to one proposal"))],
        initial="whole", required=False, widget=forms.RadioSelect,
    )  # fmt: skip
    proposal = forms.TypedChoiceField(coerce=int, required=False, widget=forms.RadioSelect)
    reference = forms.CharField(
        max_length=40, required=False, validators=[REFERENCE],
        help_text=_("Used by KPI files, e.g. ACME-NL-01."),
    )  # fmt: skip
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    justification = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required unless you award the first-ranked proposal alone."),
    )  # fmt: skip

    def __init__(self, *args, ranking, priced: dict[int, set[str]], channels: list[str], **kw):
        super().__init__(*args, **kw)
        self.channels = channels
        qualified = [r for r in ranking.results if r.qualified]
        self.qualified = qualified
        self.fields["proposal"].choices = [
            (r.proposal, f"#{r.rank} {r.vendor_name}") for r in qualified
        ]
        for channel in channels:
            options = [(r.proposal, f"#{r.rank} {r.vendor_name}") for r in qualified
                       if channel in priced.get(r.proposal, set())]  # fmt: skip
            self.fields[f"assign_{channel}"] = forms.TypedChoiceField(
                coerce=int, required=False, label=LABELS.get(channel, channel),
                choices=[("", _("— choose a proposal —")), *options],
            )  # fmt: skip
        for r in qualified:
            self.fields[f"reference_{r.proposal}"] = forms.CharField(
                max_length=40, required=False, validators=[REFERENCE],
                label=_("Contract reference for %(vendor)s") % {"vendor": r.vendor_name},
            )  # fmt: skip

    def assign_fields(self):
        """The per-channel selects, in the event's channel order."""
        return [self[f"assign_{c}"] for c in self.channels]

    def reference_fields(self):
        """Each qualified proposal's reference field (used when it gets channels)."""
        return [(r, self[f"reference_{r.proposal}"]) for r in self.qualified]

    def _taken(self, field: str, reference: str) -> None:
        if reference and Contract.objects.filter(reference=reference).exists():
            self.add_error(field, _t("This reference is already used by another contract."))

    def clean(self):
        data = super().clean()
        if data.get("mode") == "split":
            for channel in self.channels:
                if not data.get(f"assign_{channel}"):
                    self.add_error(f"assign_{channel}", _t("Choose a proposal for this channel."))
            for proposal in {data.get(f"assign_{c}") for c in self.channels} - {None, ""}:
                name = f"reference_{proposal}"
                if name in self.fields and not data.get(name) and name not in self.errors:
                    self.add_error(name, _t("Give this contract its reference."))
                self._taken(name, data.get(name, ""))
            refs = [
                data.get(f"reference_{p}")
                for p in {data.get(f"assign_{c}") for c in self.channels}
                if p
            ]
            if len([r for r in refs if r]) != len({r for r in refs if r}):
                self.add_error(None, _t("Each contract needs its own reference."))
        else:
            if not data.get("proposal"):
                self.add_error("proposal", _t("Choose the proposal to award."))
            if not data.get("reference") and "reference" not in self.errors:
                self.add_error("reference", _t("This field is required."))
            self._taken("reference", data.get("reference", ""))
        return data

    @property
    def split(self) -> bool:
        """Whether the award is a split."""
        return self.cleaned_data.get("mode") == "split"

    def parts(self) -> list[SplitPart]:
        """The award's parts (one for a whole-event award; one per awarded proposal)."""
        data = self.cleaned_data
        if not self.split:
            return [SplitPart(data["proposal"], (), data["reference"])]
        by_proposal: dict[int, list[str]] = {}
        for channel in self.channels:
            by_proposal.setdefault(data[f"assign_{channel}"], []).append(channel)
        return [SplitPart(p, tuple(chans), data.get(f"reference_{p}", ""))
                for p, chans in by_proposal.items()]  # fmt: skip
