"""The sourcing event form: the event's fields, weights, invitations and its channel, language,
certification and FX rate rows, parsed into `event_create` / `event_update` arguments."""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.formatting import UnreadableNumber, parse_number
from core.forms import LocalizedDecimalField
from core.labels import CHANNEL_CHOICES
from vendors.labels import MONTH_ABBREVIATIONS
from vendors.models import SourcingEvent, Vendor
from vendors.services.validation import LEVEL_LABELS
from vendors.web.forms.rows import (
    BLANK,
    FormGroup,
    RowForm,
    RowFormSet,
    Rows,
    non_form_error,
    show_domain_errors,
)
from vendors.web.forms.vendor import date_input
from vendors.web.sparkline import sparkline

MUST, DESIRED = "must", "desired"
NO_CHANNEL = _("This channel is not in the Channels table above.")
PROFILE_PATH = re.compile(r"^channels\[(?P<index>\d+)\]\.profile\.(?P<part>.+)$")


class EventForm(forms.Form):
    """The event's single-valued fields and its invited vendors."""

    title = forms.CharField(label=_("Title"))
    currency = forms.CharField(
        label=_("Currency"), initial="EUR", help_text=_("ISO 4217, e.g. EUR")
    )
    term_months = forms.IntegerField(label=_("Term (months)"))
    start_date = forms.DateField(label=_("Contract start"), widget=date_input())
    bid_deadline = forms.DateTimeField(
        label=_("Bid deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    industry = forms.CharField(label=_("Industry"), required=False)
    shrinkage = LocalizedDecimalField(label=_("Shrinkage"), initial="0.30", help_text=_("0 to 1"))
    max_occupancy = LocalizedDecimalField(
        label=_("Maximum occupancy"), initial="0.85", help_text=_("0 to 1")
    )
    fte_hours = LocalizedDecimalField(label=_("Paid hours per FTE and month"), initial="160")
    minimum_notice_hours = forms.IntegerField(
        label=_("Minimum notice of a deadline move (hours)"),
        initial=24,
        required=False,
        min_value=0,
        help_text=_(
            "Once open, the deadline moves only later, to at least this many hours from now; "
            "invited vendors are e-mailed every move."
        ),
    )
    newcomer_performance = forms.IntegerField(
        label=_("Newcomer performance score (0-100)"),
        initial=50,
        required=False,
        min_value=0,
        max_value=100,
        help_text=_(
            "The performance score of a vendor with fewer than 6 judged target-months in the "
            "12 months before the deadline."
        ),
    )
    invited_vendors = forms.ModelMultipleChoiceField(
        label=_("Invited vendors"),
        queryset=Vendor.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        self.fields["bid_deadline"].help_text = _("Local time (%s)") % zone


class WeightsForm(forms.Form):
    """The criterion weights (whole numbers summing to 100)."""

    cost = forms.IntegerField(label=_("Cost"), initial=40)
    expertise = forms.IntegerField(label=_("Expertise"), initial=20)
    security = forms.IntegerField(label=_("Security"), initial=20)
    language = forms.IntegerField(label=_("Language"), initial=20)
    performance = forms.IntegerField(
        label=_("Performance (track record)"), initial=0, required=False
    )


class ChannelRow(RowForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=[BLANK, *CHANNEL_CHOICES])
    monthly_volume = forms.IntegerField(label=_("Contacts per month"))
    aht_seconds = forms.IntegerField(label=_("AHT (s)"))
    sl_percent = LocalizedDecimalField(label=_("SL % (phone, chat)"), required=False)
    sl_seconds = forms.IntegerField(label=_("SL within (s)"), required=False)
    opening_hours = LocalizedDecimalField(label=_("Open hours per month"), required=False)
    patience_seconds = forms.IntegerField(
        label=_("Callers' patience (s, phone/chat)"), required=False
    )


MONTH_FIELDS = tuple(f"m{n}" for n in range(1, 13))


class SeasonRow(RowForm):
    """A channel's twelve volume factors, January to December (blank is 1)."""

    channel = forms.ChoiceField(label=_("Channel"), choices=[BLANK, *CHANNEL_CHOICES])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in zip(MONTH_FIELDS, MONTH_ABBREVIATIONS, strict=True):
            self.fields[name] = LocalizedDecimalField(
                label=label,
                required=False,
                widget=forms.NumberInput(attrs={"step": "0.01", "aria-label": str(label)}),
            )

    def factors(self) -> list[Any]:
        """The twelve factors as entered (blank months count as 1)."""
        return [
            1 if self.cleaned_data.get(name) is None else self.cleaned_data[name]
            for name in MONTH_FIELDS
        ]


class BandRow(RowForm):
    """A time band of a channel: its name, hours a month and share of the volume."""

    channel = forms.ChoiceField(label=_("Channel"), choices=[BLANK, *CHANNEL_CHOICES])
    name = forms.CharField(label=_("Band"), help_text=_("e.g. day, evening, weekend"))
    hours = LocalizedDecimalField(label=_("Hours per month"))
    share = LocalizedDecimalField(label=_("Share of volume (0-1)"))


class LanguageShareRow(RowForm):
    tag = forms.CharField(label=_("Language (BCP 47)"))
    share = LocalizedDecimalField(label=_("Share of volume (0-1)"))
    required = forms.BooleanField(label=_("Required (knock-out)"), required=False)
    minimum_level = forms.ChoiceField(
        label=_("Minimum level"), choices=[BLANK, *LEVEL_LABELS.items()], required=False
    )
    minimum_hours_coverage = LocalizedDecimalField(
        label=_("Minimum % of opening hours"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"placeholder": "100", "step": "any"}),
    )

    def language(self) -> dict[str, Any]:
        """The row in `event_create`'s words: the coverage as a 0-1 fraction."""
        data = dict(self.cleaned_data)
        coverage = data.pop("minimum_hours_coverage")
        data["minimum_level"] = data.get("minimum_level") or None
        data["minimum_hours_coverage"] = None if coverage is None else coverage / 100
        return data


class CertificationRow(RowForm):
    name = forms.CharField(
        label=_("Certification"), widget=forms.TextInput(attrs={"list": "certification-names"})
    )
    kind = forms.ChoiceField(
        label=_("Required"),
        choices=[BLANK, (MUST, _("must-have (knock-out)")), (DESIRED, _("desired (points)"))],
    )
    points = forms.IntegerField(label=_("Points (desired)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == DESIRED and data.get("points") is None:
            # The API's words for the same mistake (a desired certification sent without points).
            self.add_error("points", self.fields["points"].error_messages["required"])
        return data


class FxRateRow(RowForm):
    currency = forms.CharField(label=_("Currency"))
    rate = LocalizedDecimalField(label=_("Event currency per 1 unit"))


ChannelRows = formset_factory(ChannelRow, formset=RowFormSet, extra=2)
LanguageShareRows = formset_factory(LanguageShareRow, formset=RowFormSet, extra=2)
CertificationRows = formset_factory(CertificationRow, formset=RowFormSet, extra=2)
FxRateRows = formset_factory(FxRateRow, formset=RowFormSet, extra=1)
SeasonRows = formset_factory(SeasonRow, formset=RowFormSet, extra=1)
BandRows = formset_factory(BandRow, formset=RowFormSet, extra=3)


def _profile_initial(channels: list[dict[str, Any]]) -> tuple[list[dict], list[dict]]:
    """The stored profiles as season rows and band rows."""
    seasons, bands = [], []
    for need in channels:
        profile = need.get("profile") or {}
        if profile.get("months"):
            row = {"channel": need["channel"]}
            row |= {name: f for name, f in zip(MONTH_FIELDS, profile["months"], strict=True)}
            seasons.append(row)
        for band in profile.get("bands") or []:
            bands.append({"channel": need["channel"], **band})
    return seasons, bands


def _initial(event: SourcingEvent) -> dict[str, Any]:
    """The stored event as the forms' initial values."""
    certifications = [{"name": n, "kind": MUST} for n in event.must_have_certifications]
    certifications += [
        {"name": row["name"], "kind": DESIRED, "points": row["points"]}
        for row in event.desired_certifications
    ]
    return {
        "form": {
            **{
                name: getattr(event, name)
                for name in (
                    "title",
                    "currency",
                    "term_months",
                    "start_date",
                    "industry",
                    "shrinkage",
                    "max_occupancy",
                    "fte_hours",
                    "minimum_notice_hours",
                    "newcomer_performance",
                )
            },
            "bid_deadline": timezone.localtime(event.bid_deadline),
            "invited_vendors": list(event.invited_vendors.all()),
        },
        "weights": {
            "cost": event.weight_cost,
            "expertise": event.weight_expertise,
            "security": event.weight_security,
            "language": event.weight_language,
            "performance": event.weight_performance,
        },
        "channels": event.channels,
        "seasons": _profile_initial(event.channels)[0],
        "bands": _profile_initial(event.channels)[1],
        "languages": [_language_initial(row) for row in event.languages],
        "certifications": certifications,
        "fx_rates": event.fx_rates,
    }


def _language_initial(row: dict[str, Any]) -> dict[str, Any]:
    """A stored event language as its form row (coverage in percent)."""
    initial = {"tag": row["tag"], "share": row["share"], "required": bool(row.get("required"))}
    if row.get("required"):
        coverage = Decimal(str(row.get("minimum_hours_coverage", 1))) * 100
        initial["minimum_level"] = row.get("minimum_level")
        initial["minimum_hours_coverage"] = f"{coverage.normalize():f}"  # 80, not 8E+1
    return initial


# The requirements a live bid freezes, as the page names them (API names -> labels).
FROZEN_LABELS = {
    "currency": EventForm.base_fields["currency"].label,
    "term_months": EventForm.base_fields["term_months"].label,
    "start_date": EventForm.base_fields["start_date"].label,
    "industry": EventForm.base_fields["industry"].label,
    "shrinkage": EventForm.base_fields["shrinkage"].label,
    "max_occupancy": EventForm.base_fields["max_occupancy"].label,
    "fte_hours": EventForm.base_fields["fte_hours"].label,
    "weights": _("Criterion weights"),
    "channels": _("Channels (with seasons and time bands)"),
    "languages": _("Languages"),
    "must_have_certifications": _("Must-have certifications"),
    "desired_certifications": _("Desired certifications"),
    "fx_rates": _("FX rates"),
    "newcomer_performance": EventForm.base_fields["newcomer_performance"].label,
}


class EventForms(FormGroup):
    """The event form, its weights and its four tables, bound together."""

    def __init__(self, data=None, *, event: SourcingEvent | None = None) -> None:
        initial = _initial(event) if event is not None and data is None else {}
        if data is not None and "season-TOTAL_FORMS" not in data:
            # A form posted without the seasons and bands tables (a script, an older page):
            # no rows, rather than a "management form" error on tables it never showed.
            data = data.copy()
            for prefix in ("season", "band"):
                data[f"{prefix}-TOTAL_FORMS"] = "0"
                data[f"{prefix}-INITIAL_FORMS"] = "0"
        self.event = event
        self.form = EventForm(data, initial=initial.get("form"))
        self.weights = WeightsForm(data, prefix="w", initial=initial.get("weights"))
        self.channels = ChannelRows(data, prefix="chan", initial=initial.get("channels"))
        self.seasons = SeasonRows(data, prefix="season", initial=initial.get("seasons"))
        self.bands = BandRows(data, prefix="band", initial=initial.get("bands"))
        self._profile_rows: dict[str, dict[str, Any]] = {}
        self.languages = LanguageShareRows(data, prefix="lang", initial=initial.get("languages"))
        self.certifications = CertificationRows(
            data, prefix="cert", initial=initial.get("certifications")
        )
        self.fx_rates = FxRateRows(data, prefix="fx", initial=initial.get("fx_rates"))
        self._rows: dict[str, Rows] = {}

    @property
    def parts(self) -> tuple:
        return (
            self.form,
            self.weights,
            self.channels,
            self.seasons,
            self.bands,
            self.languages,
            self.certifications,
            self.fx_rates,
        )

    def values(self) -> dict[str, Any]:
        """The event in `event_create`'s argument names; remembers which row is which."""
        values = dict(self.form.cleaned_data)
        if values.get("minimum_notice_hours") is None:
            values.pop("minimum_notice_hours", None)  # left empty: the default, or as it was
        if values.get("newcomer_performance") is None:
            values.pop("newcomer_performance", None)
        values["invited_vendors"] = list(values["invited_vendors"])
        values["weights"] = dict(self.weights.cleaned_data)
        if self.event is not None:
            # The picker shows minutes: an unchanged minute keeps the stored instant, so saving
            # other changes does not move the deadline (nor tell bidders that it moved).
            stored = timezone.localtime(self.event.bid_deadline)
            if values["bid_deadline"] == stored.replace(second=0, microsecond=0):
                values["bid_deadline"] = self.event.bid_deadline
        for name, formset in (("channels", self.channels), ("fx_rates", self.fx_rates)):
            filled = formset.filled()
            self._rows[name] = Rows(formset, [position for position, _ in filled])
            values[name] = [dict(row) for _, row in filled]
        languages = self.languages.filled()
        self._rows["languages"] = Rows(self.languages, [position for position, _ in languages])
        values["languages"] = [self.languages.forms[p].language() for p, _ in languages]
        self._add_profiles(values["channels"])
        certifications = self.certifications.filled()
        must = [(p, row) for p, row in certifications if row["kind"] == MUST]
        desired = [(p, row) for p, row in certifications if row["kind"] == DESIRED]
        values["must_have_certifications"] = [row["name"] for _, row in must]
        values["desired_certifications"] = [
            {"name": row["name"], "points": row["points"]} for _, row in desired
        ]
        self._rows["must_have_certifications"] = Rows(
            self.certifications, [p for p, _ in must], field_for=lambda rest: "name"
        )
        self._rows["desired_certifications"] = Rows(self.certifications, [p for p, _ in desired])
        return values

    def _add_profiles(self, channels: list[dict[str, Any]]) -> None:
        """Put the season and band rows into their channels' `profile` (API.md's shape)."""
        by_channel = {need["channel"]: need for need in channels}
        self._profile_rows = {"seasons": {}, "bands": {}}
        for position, row in self.seasons.filled():
            need = by_channel.get(row["channel"])
            if need is None:
                self.seasons.forms[position].add_error("channel", NO_CHANNEL)
                continue
            months = self.seasons.forms[position].factors()
            need.setdefault("profile", {})["months"] = months
            self._profile_rows["seasons"][row["channel"]] = position
        for position, row in self.bands.filled():
            need = by_channel.get(row["channel"])
            if need is None:
                self.bands.forms[position].add_error("channel", NO_CHANNEL)
                continue
            band = {k: row[k] for k in ("name", "hours", "share")}
            need.setdefault("profile", {}).setdefault("bands", []).append(band)
            self._profile_rows["bands"].setdefault(row["channel"], []).append(position)
        if self.profile_errors:
            raise ValidationError(_("A season or band row names a channel the event lacks."))

    def _volumes(self) -> dict[str, Decimal]:
        """Each channel's monthly volume as the channels table currently shows it."""
        volumes = {}
        for form in self.channels.forms:
            channel, volume = form["channel"].value(), form["monthly_volume"].value()
            try:
                volumes[str(channel)] = Decimal(str(volume))
            except (InvalidOperation, ValueError):
                continue
        return volumes

    @property
    def season_rows(self) -> list[tuple[Any, str]]:
        """Each season row with a sparkline of the monthly volume it gives (volume x factor)."""
        volumes, rows = self._volumes(), []
        for form in self.seasons.forms:
            volume = volumes.get(str(form["channel"].value()), Decimal(0))
            factors = []
            for name in MONTH_FIELDS:
                try:  # the factor as the reader typed it (`1,2` in Dutch)
                    factors.append(parse_number(str(form[name].value() or 1)))
                except (UnreadableNumber, InvalidOperation, ValueError):
                    factors.append(Decimal(1))
            rows.append((form, sparkline([volume * f for f in factors])))
        return rows

    @property
    def profile_errors(self) -> bool:
        """Whether a season or band row names a channel the event does not have."""
        return bool(self.seasons.total_error_count() or self.bands.total_error_count())

    def _show_profile_error(self, path: str, text: str, channels: list[str]) -> bool:
        """Put a `channels[i].profile...` problem on its season or band row; False if not one."""
        match = PROFILE_PATH.match(path)
        if not match or int(match["index"]) >= len(channels):
            return False
        channel, part = channels[int(match["index"])], match["part"]
        if part == "months" or part.startswith("months["):
            position = self._profile_rows["seasons"].get(channel)
            if position is not None:
                self.seasons.forms[position].add_error("channel", text)
                return True
            return False
        band = re.match(r"^bands\[(\d+)\]\.(name|hours|share)$", part)
        positions = self._profile_rows["bands"].get(channel, [])
        if band and int(band[1]) < len(positions):
            self.bands.forms[positions[int(band[1])]].add_error(band[2], text)
            return True
        non_form_error(self.bands, f"{channel}: {text}")
        return True

    def show_frozen(self, fields: dict[str, list[str]]) -> None:
        """A change to requirements a bid froze: one error at the top naming each, by label."""
        labels = [str(FROZEN_LABELS.get(name, name)) for name in fields]
        self.form.add_error(
            None,
            _(
                "Nothing was saved: vendors have bid on this event, so these requirements are "
                "frozen: %(fields)s. Undo those changes; only the title, the invitations, a later "
                "deadline and a longer notice can change."
            )
            % {"fields": ", ".join(labels)},
        )

    def show(self, error) -> None:
        """Show the domain's problems on the fields and rows they name."""
        channels = [row["channel"] for _, row in self.channels.filled()]
        messages = error.message_dict if hasattr(error, "error_dict") else {}
        rest: dict[str, list[str]] = {}
        for path, texts in messages.items():
            for text in texts:
                if not self._show_profile_error(path, text, channels):
                    rest.setdefault(path, []).append(text)
        if messages:
            error = ValidationError(rest) if rest else None
        if error is not None:
            show_domain_errors(
                error, form=self.form, rows=self._rows, parts={"weights": self.weights}
            )
