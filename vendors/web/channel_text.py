"""An event's channel needs as one line of text each, for the change history.

The history page diffs the event's `channels` JSON; shown raw, a profile is twelve numbers in
brackets. Here each channel reads as a buyer would say it, with the seasons and bands only
where they were stated.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from core.labels import CHANNEL_CHOICES
from vendors.labels import MONTH_ABBREVIATIONS

CHANNEL_LABELS = dict(CHANNEL_CHOICES)


def _number(value: Any) -> str:
    text = f"{Decimal(str(value)).normalize():f}"
    return text


def _channel_label(value: str) -> str:
    return str(CHANNEL_LABELS.get(value, value))


def describe_channel(need: Mapping[str, Any]) -> str:
    """`Phone: 12000 a month, AHT 330 s, 80% in 20 s, 260 h; seasons …; bands …; patience …`."""
    parts = [
        _("%(volume)s a month, AHT %(aht)s s")
        % {"volume": need.get("monthly_volume"), "aht": need.get("aht_seconds")}
    ]
    if need.get("sl_percent") is not None:
        parts.append(
            _("%(percent)s%% in %(seconds)s s")
            % {"percent": _number(need["sl_percent"]), "seconds": need.get("sl_seconds")}
        )
    if need.get("opening_hours") not in (None, "", "0", "0.00"):
        parts.append(_("%(hours)s h open") % {"hours": _number(need["opening_hours"])})
    text = f"{_channel_label(str(need.get('channel')))}: {', '.join(parts)}"
    profile = need.get("profile") or {}
    if profile.get("months"):
        months = " ".join(
            f"{MONTH_ABBREVIATIONS[n]} {_number(f)}" for n, f in enumerate(profile["months"])
        )
        text += "; " + _("seasons %(months)s") % {"months": months}
    if profile.get("bands"):
        bands = ", ".join(
            _("%(name)s %(hours)s h %(share)s%%")
            % {
                "name": b["name"],
                "hours": _number(b["hours"]),
                "share": _number(Decimal(str(b["share"])) * 100),
            }
            for b in profile["bands"]
        )
        text += "; " + _("bands %(bands)s") % {"bands": bands}
    if need.get("patience_seconds"):
        text += "; " + _("callers hang up after %(seconds)s s on average") % {
            "seconds": need["patience_seconds"]
        }
    return text


def describe_profile(need: Mapping[str, Any]) -> str:
    """Only the seasons, bands and patience of a channel need ("" when none is stated)."""
    full = describe_channel(need)
    _, _, rest = full.partition("; ")
    return rest


def describe_channels(value: Any) -> str:
    """Every channel need of an event, separated by ` | ` (the history shows one cell)."""
    if not isinstance(value, Sequence) or isinstance(value, str):
        return str(value)
    return " | ".join(describe_channel(n) for n in value if isinstance(n, Mapping))
