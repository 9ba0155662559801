"""Writes on sourcing events: `event_create`, `event_update`, `event_open`.

Requirements are validated and normalised here (the API and the pages only translate) and kept
in history by django-simple-history. Once a vendor has a live bid on an open event, what that
bid was priced against is frozen (`vendors.models.FROZEN_ONCE_BID`): a change to any of it is
refused (409 naming each field), never applied behind the bidder's back. The title, the
invitations, a later deadline and a longer notice may still change; a move of the deadline is
e-mailed to every invited vendor (through the outbox, in the change's transaction).

On an open event the deadline only moves later, never earlier (bidders planned on it, and an
earlier deadline would unseal the bids early), and the new deadline lies at least the event's
`minimum_notice_hours` ahead, so that the e-mail announcing it arrives in time to act on it.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.channels import Channel
from core.errors import Conflict
from vendors.domain.scoring import WeightsError, parse_weights
from vendors.models import (
    FROZEN_ONCE_BID,
    EventStage,
    EventStatus,
    ProposalStatus,
    SourcingEvent,
    Vendor,
)
from vendors.selectors import bids_frozen, event_has_live_bids, event_status
from vendors.services.validation import (
    InvalidValue,
    Problems,
    certification_key,
    currency_code,
    date_value,
    decimal_value,
    language_level,
    language_subtag,
    language_tag,
    object_list,
    scalar_list,
    text_value,
    whole_number,
)
from vendors.services.volume_profiles import channel_patience, channel_profile

EVENT_FIELDS = (
    "title",
    "currency",
    "term_months",
    "start_date",
    "bid_deadline",
    "industry",
    "shrinkage",
    "max_occupancy",
    "fte_hours",
    "weights",
    "channels",
    "languages",
    "must_have_certifications",
    "desired_certifications",
    "fx_rates",
    "invited_vendors",
    "minimum_notice_hours",
    "newcomer_performance",
)
ONE = Decimal(1)
MAX_NOTICE_HOURS = 24 * 90
MAX_MONTH_HOURS = Decimal(744)
MAX_VOLUME = 100_000_000


def _deadline(value: object) -> datetime:
    """An aware datetime (a naive one is read in the project's time zone)."""
    if not isinstance(value, datetime):
        raise InvalidValue(_("A date and time with offset is required (ISO 8601)."))
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _start_date(value: object) -> date:
    """A required date."""
    day = date_value(value)
    if day is None:
        raise InvalidValue(_("A date (YYYY-MM-DD) is required."))
    return day


def _weights(problems: Problems, value: object) -> dict[str, int]:
    """The criterion weights, whole numbers summing to 100 (scoring's own rule; performance
    may be left out: 0)."""
    if not isinstance(value, Mapping):
        problems.add("weights", _("Expected an object {cost, expertise, security, language}."))
        return {}
    try:
        weights = parse_weights(raw=value)
    except WeightsError as error:
        for name, message in error.problems:
            field = "weights" if name == "weights" else f"weights.{name}"
            problems.add(field, message[0].upper() + message[1:] + ".")
        return {}
    return {
        "weight_cost": weights.cost,
        "weight_expertise": weights.expertise,
        "weight_security": weights.security,
        "weight_language": weights.language,
        "weight_performance": weights.performance,
    }


def _channel_need(problems: Problems, field: str, item: Mapping[str, Any]) -> dict | None:
    """One channel's requirement; service levels and opening hours > 0 for real-time ones."""
    raw = item.get("channel")
    if raw not in {c.value for c in Channel}:
        choices = ", ".join(c.value for c in Channel)
        problems.add(f"{field}.channel", f"{raw!r} is not a channel; use {choices}.")
        return None
    channel = Channel(raw)
    volume = problems.check(
        f"{field}.monthly_volume",
        lambda: whole_number(item.get("monthly_volume"), minimum=1, maximum=MAX_VOLUME),
    )
    aht = problems.check(
        f"{field}.aht_seconds",
        lambda: whole_number(item.get("aht_seconds"), minimum=1, maximum=86400),
    )
    hours_raw = item.get("opening_hours")
    hours = problems.check(
        f"{field}.opening_hours",
        lambda: decimal_value(
            0 if hours_raw is None and not channel.realtime else hours_raw,
            places=2,
            minimum=Decimal(0),
            exclusive_minimum=channel.realtime,
            maximum=MAX_MONTH_HOURS,
        ),
    )
    sl_percent = sl_seconds = None
    if channel.realtime:
        sl_percent = problems.check(
            f"{field}.sl_percent",
            lambda: decimal_value(
                item.get("sl_percent"),
                places=2,
                minimum=Decimal(0),
                maximum=Decimal(100),
                exclusive_minimum=True,
                exclusive_maximum=True,
            ),
        )
        sl_seconds = problems.check(
            f"{field}.sl_seconds",
            lambda: whole_number(item.get("sl_seconds"), minimum=1, maximum=3600),
        )
    else:
        for name in ("sl_percent", "sl_seconds"):
            if item.get(name) is not None:
                problems.add(
                    f"{field}.{name}", "Only real-time channels (phone, chat) have a service level."
                )
    profile = channel_profile(
        problems, f"{field}.profile", item.get("profile"), opening_hours=hours
    )
    patience = channel_patience(
        problems, f"{field}.patience_seconds", item.get("patience_seconds"), channel=channel
    )
    if None in (volume, aht, hours) or (channel.realtime and None in (sl_percent, sl_seconds)):
        return None
    need = {
        "channel": channel.value,
        "monthly_volume": volume,
        "aht_seconds": aht,
        "sl_percent": None if sl_percent is None else str(sl_percent),
        "sl_seconds": sl_seconds,
        "opening_hours": str(hours),
    }
    # Stated only when given, so an event without profiles is stored exactly as before.
    if profile:
        need["profile"] = profile
    if patience is not None:
        need["patience_seconds"] = patience
    return need


def _channels(problems: Problems, value: object) -> list[dict]:
    """At least one channel need, each channel once."""
    result: list[dict] = []
    items = object_list(problems, "channels", value)
    if not items and "channels" not in problems.errors:
        problems.add("channels", _("List at least one channel."))
    for index, item in enumerate(items):
        need = _channel_need(problems, f"channels[{index}]", item)
        if need and any(row["channel"] == need["channel"] for row in result):
            problems.add(
                f"channels[{index}].channel",
                _("%(channel)s is listed twice.") % {"channel": need["channel"]},
            )
        elif need:
            result.append(need)
    return result


def _languages(problems: Problems, value: object) -> list[dict]:
    """Event languages with shares summing to exactly 1; one entry per language.

    A `required` language also carries its `minimum_level` and `minimum_hours_coverage`
    (default 1); they are stored only on required languages, so the others keep their shape.
    """
    result: list[dict] = []
    items = object_list(problems, "languages", value)
    for index, item in enumerate(items):
        field = f"languages[{index}]"
        tag = problems.check(f"{field}.tag", lambda item=item: language_tag(item.get("tag")))
        share = problems.check(
            f"{field}.share",
            lambda item=item: decimal_value(
                item.get("share"), places=4, minimum=Decimal(0), exclusive_minimum=True, maximum=ONE
            ),
        )
        requirement = _language_requirement(problems, field, item)
        same = [r for r in result if tag and language_subtag(r["tag"]) == language_subtag(tag)]
        if same:
            problems.add(f"{field}.tag", f"{tag} is the same language as {same[0]['tag']}.")
        elif tag and share is not None and requirement is not None:
            result.append({"tag": tag, "share": str(share), **requirement})
    total = sum((Decimal(row["share"]) for row in result), Decimal(0))
    if result and len(result) == len(items) and total != ONE:
        problems.add(
            "languages",
            _("Shares must sum to 1, they sum to %(total)s.") % {"total": f"{total.normalize():f}"},
        )
    return result


def _language_requirement(
    problems: Problems, field: str, item: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The knock-out part of an event language: {} when not required, None when invalid."""
    required = item.get("required", False)
    level, coverage = item.get("minimum_level"), item.get("minimum_hours_coverage")
    if not isinstance(required, bool):
        problems.add(f"{field}.required", _("Must be true or false."))
        return None
    if not required:
        stray = [
            name
            for name, given in (("minimum_level", level), ("minimum_hours_coverage", coverage))
            if given not in (None, "")
        ]
        for name in stray:
            problems.add(
                f"{field}.{name}",
                _(
                    "Applies only to a required language: mark the language required "
                    "or leave this empty."
                ),
            )
        return None if stray else {}
    if level in (None, ""):
        problems.add(
            f"{field}.minimum_level",
            _("A required language needs a minimum level (A1, A2, B1, B2, C1, C2 or native)."),
        )
        return None
    parsed_level = problems.check(f"{field}.minimum_level", lambda: language_level(level))
    parsed_coverage = ONE
    if coverage not in (None, ""):
        parsed_coverage = problems.check(
            f"{field}.minimum_hours_coverage",
            lambda: decimal_value(coverage, places=4, minimum=Decimal(0), maximum=ONE),
        )
    if parsed_level is None or parsed_coverage is None:
        return None
    return {
        "required": True,
        "minimum_level": parsed_level,
        "minimum_hours_coverage": f"{parsed_coverage.normalize():f}",
    }


def _must_haves(problems: Problems, value: object) -> list[str]:
    """Must-have certification names, each once (compared case- and space-insensitively)."""
    result: list[str] = []
    for index, raw in enumerate(scalar_list(problems, "must_have_certifications", value)):
        field = f"must_have_certifications[{index}]"
        name = problems.check(field, lambda raw=raw: text_value(raw, max_length=100))
        if name and any(certification_key(n) == certification_key(name) for n in result):
            problems.add(field, f"{name} is listed more than once.")
        elif name:
            result.append(name)
    return result


def _desired(problems: Problems, value: object) -> list[dict]:
    """Desired certifications with whole positive points, each name once."""
    result: list[dict] = []
    for index, item in enumerate(object_list(problems, "desired_certifications", value)):
        field = f"desired_certifications[{index}]"
        name = problems.check(
            f"{field}.name", lambda item=item: text_value(item.get("name"), max_length=100)
        )
        points = problems.check(
            f"{field}.points",
            lambda item=item: whole_number(item.get("points"), minimum=1, maximum=1000),
        )
        if name and any(certification_key(r["name"]) == certification_key(name) for r in result):
            problems.add(f"{field}.name", f"{name} is listed more than once.")
        elif name and points is not None:
            result.append({"name": name, "points": points})
    return result


def _fx_rates(problems: Problems, value: object, currency: str | None) -> list[dict]:
    """FX rates (event-currency units per unit), one per foreign currency, each positive."""
    result: list[dict] = []
    for index, item in enumerate(object_list(problems, "fx_rates", value)):
        field = f"fx_rates[{index}]"
        code = problems.check(
            f"{field}.currency", lambda item=item: currency_code(item.get("currency"))
        )
        rate = problems.check(
            f"{field}.rate",
            lambda item=item: decimal_value(
                item.get("rate"), places=6, minimum=Decimal(0), exclusive_minimum=True
            ),
        )
        if code and code == currency:
            problems.add(f"{field}.currency", f"{code} is the event's own currency.")
        elif code and any(row["currency"] == code for row in result):
            problems.add(f"{field}.currency", f"{code} is listed more than once.")
        elif code and rate is not None:
            result.append({"currency": code, "rate": str(rate)})
    return result


def _vendors(problems: Problems, value: object) -> list[Vendor]:
    """Invited vendors, given as Vendor objects or ids."""
    if not isinstance(value, list | tuple | set):
        problems.add("invited_vendors", _("Expected a list of vendor ids."))
        return []
    ids = [v.pk if isinstance(v, Vendor) else v for v in value]
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        problems.add("invited_vendors", _("Expected a list of vendor ids."))
        return []
    vendors = list(Vendor.objects.filter(pk__in=ids))
    missing = sorted(set(ids) - {v.pk for v in vendors})
    if missing:
        problems.add(
            "invited_vendors",
            ngettext("No vendor with id %(ids)s.", "No vendors with ids %(ids)s.", len(missing))
            % {"ids": ", ".join(map(str, missing))},
        )
    return vendors


def _scalar(problems: Problems, values: Mapping[str, Any], clean: dict[str, Any]) -> None:
    """The event's single-valued fields."""
    parsers = {
        "title": lambda v: text_value(v, max_length=200),
        "currency": currency_code,
        "term_months": lambda v: whole_number(v, minimum=1, maximum=120),
        "start_date": _start_date,
        "bid_deadline": _deadline,
        "industry": lambda v: "" if v in (None, "") else text_value(v, max_length=100),
        "shrinkage": lambda v: decimal_value(
            v, places=4, minimum=Decimal(0), maximum=ONE, exclusive_maximum=True
        ),
        "max_occupancy": lambda v: decimal_value(
            v, places=4, minimum=Decimal(0), maximum=ONE, exclusive_minimum=True
        ),
        "fte_hours": lambda v: decimal_value(
            v, places=2, minimum=Decimal(0), maximum=MAX_MONTH_HOURS, exclusive_minimum=True
        ),
        "minimum_notice_hours": lambda v: whole_number(v, minimum=0, maximum=MAX_NOTICE_HOURS),
        "newcomer_performance": lambda v: whole_number(v, minimum=0, maximum=100),
    }
    for name, parse in parsers.items():
        if name in values:
            clean[name] = problems.check(name, lambda parse=parse, name=name: parse(values[name]))


def _clean_event(*, values: Mapping[str, Any], event: SourcingEvent | None) -> dict[str, Any]:
    """Validate and normalise the given event fields against the event's other fields."""
    problems = Problems()
    for name in sorted(set(values) - set(EVENT_FIELDS)):
        problems.add(name, "Not an event field.")
    clean: dict[str, Any] = {}
    _scalar(problems, values, clean)
    if "weights" in values:
        clean.update(_weights(problems, values["weights"]))
    if "channels" in values:
        clean["channels"] = _channels(problems, values["channels"])
    if "languages" in values:
        clean["languages"] = _languages(problems, values["languages"])
    if "must_have_certifications" in values:
        clean["must_have_certifications"] = _must_haves(
            problems, values["must_have_certifications"]
        )
    if "desired_certifications" in values:
        clean["desired_certifications"] = _desired(problems, values["desired_certifications"])
    currency = clean.get("currency", event.currency if event else None)
    if "fx_rates" in values or ("currency" in clean and event is not None):
        raw_rates = values.get("fx_rates", event.fx_rates if event else [])
        clean["fx_rates"] = _fx_rates(problems, raw_rates, currency)
    if "invited_vendors" in values:
        clean["invited_vendors"] = _vendors(problems, values["invited_vendors"])
    deadline = clean.get("bid_deadline", event.bid_deadline if event else None)
    start = clean.get("start_date", event.start_date if event else None)
    if deadline and start and start < timezone.localdate(deadline):
        if event is not None and "start_date" not in values:  # the deadline moved past it
            problems.add(
                "bid_deadline",
                _("The deadline cannot pass the contract start (%(start)s).")
                % {"start": start.isoformat()},
            )
        else:
            problems.add("start_date", _("The contract cannot start before the bid deadline."))
    problems.raise_if_any()
    return clean


def _apply(event: SourcingEvent, clean: Mapping[str, Any]) -> list[str]:
    """Set the cleaned fields on the event; returns the names of the fields that changed."""
    changed = []
    for name, value in clean.items():
        if name == "invited_vendors":
            continue
        if getattr(event, name) != value:
            setattr(event, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def event_create(
    *,
    title: str,
    currency: str,
    term_months: int,
    start_date: date,
    bid_deadline: datetime,
    weights: Mapping[str, int],
    channels: Sequence[Mapping[str, Any]],
    industry: str = "",
    shrinkage: Decimal = Decimal("0.30"),
    max_occupancy: Decimal = Decimal("0.85"),
    fte_hours: Decimal = Decimal(160),
    languages: Sequence[Mapping[str, Any]] = (),
    must_have_certifications: Sequence[str] = (),
    desired_certifications: Sequence[Mapping[str, Any]] = (),
    fx_rates: Sequence[Mapping[str, Any]] = (),
    invited_vendors: Iterable[Vendor | int] = (),
    minimum_notice_hours: int = 24,
    newcomer_performance: int = 50,
    created_by=None,
) -> SourcingEvent:
    """Create a draft sourcing event; it is open to bids only after `event_open`."""
    values = {
        "title": title,
        "currency": currency,
        "term_months": term_months,
        "start_date": start_date,
        "bid_deadline": bid_deadline,
        "weights": weights,
        "channels": list(channels),
        "industry": industry,
        "shrinkage": shrinkage,
        "max_occupancy": max_occupancy,
        "fte_hours": fte_hours,
        "languages": list(languages),
        "must_have_certifications": list(must_have_certifications),
        "desired_certifications": list(desired_certifications),
        "fx_rates": list(fx_rates),
        "invited_vendors": list(invited_vendors),
        "minimum_notice_hours": minimum_notice_hours,
        "newcomer_performance": newcomer_performance,
    }
    clean = _clean_event(values=values, event=None)
    event = SourcingEvent(stage=EventStage.DRAFT, created_by=created_by)
    _apply(event, clean)
    event._history_user = created_by  # type: ignore[attr-defined]
    event.save()
    event.invited_vendors.set(clean["invited_vendors"])
    return event


def _check_live_bids(event: SourcingEvent, clean: Mapping[str, Any]) -> None:
    """After opening: bidders stay invited, the deadline stays ahead, their currencies priced."""
    live = event.proposals.exclude(status=ProposalStatus.WITHDRAWN).select_related("vendor")
    problems = Problems()
    if "invited_vendors" in clean:
        kept = {v.pk for v in clean["invited_vendors"]}
        for proposal in live:
            if proposal.vendor_id not in kept:
                problems.add(
                    "invited_vendors",
                    f"{proposal.vendor.name} has submitted a proposal and stays invited.",
                )
    rates = {row["currency"] for row in clean.get("fx_rates", event.fx_rates)}
    currency = clean.get("currency", event.currency)
    for code in sorted({p.currency for p in live} - rates - {currency}):
        problems.add(
            "fx_rates",
            _("A proposal is priced in %(currency)s; give an FX rate for %(currency)s.")
            % {"currency": code},
        )
    problems.raise_if_any()


@transaction.atomic
def event_update(
    *, event: SourcingEvent, data: Mapping[str, Any], by=None, now: datetime | None = None
) -> SourcingEvent:
    """Change an event until its bid deadline; once bids exist its requirements are frozen
    (409), and a deadline move is e-mailed to every invited vendor."""
    now = now or timezone.now()
    event = SourcingEvent.objects.select_for_update().get(pk=event.pk)
    status = event_status(event, now)
    if status not in (EventStatus.DRAFT, EventStatus.OPEN):
        raise Conflict(
            _("The event is %(status)s: its requirements are frozen since %(deadline)s.")
            % {"status": str(status.label).lower(), "deadline": event.bid_deadline.isoformat()}
        )
    clean = _clean_event(values=data, event=event)
    if status == EventStatus.OPEN:
        _check_frozen_by_bids(event, clean)
        _check_open_deadline(event, clean, now)
        _check_live_bids(event, clean)
    changed = _apply(event, clean)
    if changed:
        event._history_user = by  # type: ignore[attr-defined]
        event.save()
    if "invited_vendors" in clean:
        event.invited_vendors.set(clean["invited_vendors"])
    if "bid_deadline" in changed and status == EventStatus.OPEN:
        _queue_change_notice(event)
    return event


def _api_name(name: str) -> str:
    """A model field as the API and the form name it (the four weights are `weights`)."""
    return "weights" if name.startswith("weight_") else name


def frozen_requirement_changes(event: SourcingEvent, clean: Mapping[str, Any]) -> list[str]:
    """The requirements (API names, in EVENT_FIELDS order) that `clean` would change although
    a live bid freezes them; empty when nobody has bid or nothing frozen changes."""
    touched = {
        _api_name(name)
        for name in FROZEN_ONCE_BID
        if name in clean and getattr(event, name) != clean[name]
    }
    if not touched or not event_has_live_bids(event):
        return []
    return [name for name in EVENT_FIELDS if name in touched]


def _check_frozen_by_bids(event: SourcingEvent, clean: Mapping[str, Any]) -> None:
    """Refuse (409, naming each field) a change to what a live bid was priced against."""
    names = frozen_requirement_changes(event, clean)
    if names:
        reason = _(
            "A vendor has bid against this requirement: it is frozen while bids exist. "
            "Only the title, the invitations, a later deadline and a longer notice can change."
        )
        raise Conflict(
            _("Vendors have bid on this event, so its requirements are frozen: %(fields)s.")
            % {"fields": ", ".join(names)},
            fields={name: [reason] for name in names},
        )


def _when(instant: datetime) -> str:
    """An instant as the e-mails and pages show it (local time with its zone)."""
    return timezone.localtime(instant).strftime("%Y-%m-%d %H:%M %Z")


def _check_open_deadline(event: SourcingEvent, clean: Mapping[str, Any], now: datetime) -> None:
    """An open event's deadline moves only later, and to at least its notice from now; its
    notice is a promise to the invited vendors, so it is never shortened while open."""
    problems = Problems()
    notice = clean.get("minimum_notice_hours", event.minimum_notice_hours)
    if notice < event.minimum_notice_hours:
        problems.add(
            "minimum_notice_hours",
            _("The event is open: its notice of %(hours)s hours can be lengthened, not shortened.")
            % {"hours": event.minimum_notice_hours},
        )
    deadline = clean.get("bid_deadline", event.bid_deadline)
    if deadline != event.bid_deadline:
        earliest = now + timedelta(hours=notice)
        if deadline < event.bid_deadline:
            problems.add(
                "bid_deadline",
                _("The event is open: its deadline %(current)s can move later, not earlier.")
                % {"current": _when(event.bid_deadline)},
            )
        elif deadline < earliest:
            problems.add(
                "bid_deadline",
                _(
                    "The new deadline must be at least %(hours)s hours from now (the event's "
                    "minimum notice), so not before %(earliest)s."
                )
                % {"hours": notice, "earliest": _when(earliest)},
            )
    problems.raise_if_any()


def _queue_change_notice(event: SourcingEvent) -> None:
    """Keep in the outbox, in this transaction, the e-mails telling the invited vendors that the
    deadline moved; the e-mail queue sends them once committed (a broker outage only delays
    them)."""
    from vendors.tasks import event_change_email

    history_id = event.history.order_by("-history_id").values_list("history_id", flat=True)[0]
    event_change_email(event_id=event.pk, history_id=history_id)


@transaction.atomic
def event_open(*, event: SourcingEvent, by=None, now: datetime | None = None) -> SourcingEvent:
    """Open a draft event to bids from its invited vendors (draft -> open)."""
    now = now or timezone.now()
    event = SourcingEvent.objects.select_for_update().get(pk=event.pk)
    status = event_status(event, now)
    if status != EventStatus.DRAFT:
        raise Conflict(
            _("Only a draft event can be opened; this one is %(status)s.")
            % {"status": str(status.label).lower()}
        )
    if bids_frozen(event, now):
        raise ValidationError(
            {"bid_deadline": [f"The bid deadline {event.bid_deadline.isoformat()} is in the past."]}
        )
    if not event.invited_vendors.exists():
        raise ValidationError({"invited_vendors": ["Invite at least one vendor before opening."]})
    event.stage = EventStage.OPEN
    event.opened_at = now
    event._history_user = by  # type: ignore[attr-defined]
    event.save()
    # The invitations are outbox rows of this transaction: each sent once, after the commit.
    from vendors.notices import event_invitation_mails

    event_invitation_mails(event_id=event.pk)
    return event
