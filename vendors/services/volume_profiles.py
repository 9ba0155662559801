"""An event channel's volume profile (seasons, time bands) and callers' patience, checked.

The rules are DOMAIN.md's, stated once in `vendors.domain.staffing.profile_problems`; this
module reads the request's shapes, reports every problem on its field and returns the
canonical JSON kept on the event (decimals as strings, so history shows them exactly).
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from core.channels import Channel
from vendors.domain.spec_data import profile_from_data
from vendors.domain.staffing import Band, VolumeProfile, profile_problems
from vendors.services.validation import (
    InvalidValue,
    Problems,
    decimal_value,
    object_list,
    text_value,
    whole_number,
)

MAX_PATIENCE_SECONDS = 3600
MAX_FACTOR = Decimal(12)


def _months(problems: Problems, field: str, value: object) -> list[Decimal] | None:
    """Twelve factors, each a number from 0 to 12 with at most four decimals."""
    if not isinstance(value, list | tuple) or any(isinstance(v, list | dict) for v in value):
        problems.add(field, _("Expected a list of 12 factors, January to December."))
        return None
    factors = [
        problems.check(
            f"{field}[{index}]",
            lambda raw=raw: decimal_value(raw, places=4, minimum=Decimal(0), maximum=MAX_FACTOR),
        )
        for index, raw in enumerate(value)
    ]
    if any(f is None for f in factors):
        return None
    return [f for f in factors if f is not None]


def _bands(problems: Problems, field: str, value: object) -> list[Band] | None:
    """Named bands with their hours a month and their share of the volume."""
    items = object_list(problems, field, value)
    bands = []
    for index, item in enumerate(items):
        sub = f"{field}[{index}]"
        name = problems.check(
            f"{sub}.name", lambda item=item: text_value(item.get("name"), max_length=40)
        )
        hours = problems.check(
            f"{sub}.hours",
            lambda item=item: decimal_value(
                item.get("hours"), places=2, minimum=Decimal(0), exclusive_minimum=True
            ),
        )
        share = problems.check(
            f"{sub}.share",
            lambda item=item: decimal_value(
                item.get("share"), places=4, minimum=Decimal(0), maximum=Decimal(1)
            ),
        )
        if name is not None and hours is not None and share is not None:
            bands.append(Band(name=name, hours=hours, share=share))
    if len(bands) != len(items) or field in problems.errors:
        return None
    return bands


def channel_profile(
    problems: Problems, field: str, value: object, *, opening_hours: Decimal | None
) -> dict[str, Any] | None:
    """A channel's `profile{months[12], bands[{name, hours, share}]}`, or None when absent.

    Both parts are optional; what is kept is only what was stated.
    """
    if value is None:
        return None
    if not isinstance(value, Mapping):
        problems.add(field, _("Expected an object {months, bands}."))
        return None
    unknown = sorted(set(value) - {"months", "bands"})
    if unknown:
        problems.add(field, _("Unknown part(s): %(names)s.") % {"names": ", ".join(unknown)})
    months = bands = None
    if value.get("months") is not None:
        months = _months(problems, f"{field}.months", value["months"])
    if value.get("bands") is not None:
        bands = _bands(problems, f"{field}.bands", value["bands"])
    if (value.get("months") is not None and months is None) or (
        value.get("bands") is not None and bands is None
    ):
        return None
    profile = VolumeProfile(
        months=tuple(months) if months is not None else VolumeProfile().months,
        bands=tuple(bands or ()),
    )
    if opening_hours is None:
        return None  # the opening hours' own problem is reported already
    found = profile_problems(profile=profile, opening_hours=opening_hours, translate=_)
    for name, message in found:
        problems.add(f"{field}{name.removeprefix('profile')}", message)
    if found:
        return None
    kept: dict[str, Any] = {}
    if months is not None:
        kept["months"] = [str(f) for f in months]
    if bands:
        kept["bands"] = [
            {"name": b.name, "hours": str(b.hours), "share": str(b.share)} for b in bands
        ]
    return kept or None


def channel_patience(
    problems: Problems, field: str, value: object, *, channel: Channel
) -> int | None:
    """Callers' mean patience in seconds (real-time channels only), or None for Erlang C."""
    if value is None or value == "":
        return None
    if not channel.realtime:
        problems.add(field, _("Only real-time channels (phone, chat) have callers who hang up."))
        return None
    try:
        return whole_number(value, minimum=1, maximum=MAX_PATIENCE_SECONDS)
    except InvalidValue as error:
        problems.add(field, str(error))
        return None


def profile_from_json(value: Mapping[str, Any] | None) -> VolumeProfile:
    """The stored JSON as the domain's VolumeProfile (flat when absent); the pure reader is
    `vendors.domain.spec_data.profile_from_data`, which the ranking and report_verify use."""
    return profile_from_data(value)
