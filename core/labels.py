"""Human labels for the codes a person may see (channels, metrics, pricing models, fee kinds,
chronic rules, roles, usage kinds, ...): one registry, so a page, an e-mail and a PDF name a code
the same way (`{% load display %}{{ code|label }}`).

core registers its own catalogues here; a higher app registers its codes from AppConfig.ready()
with `labels_register` (core never imports it). An unknown code is shown as it is, never hidden.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core import formatting
from core.catalogue import METRICS
from core.channels import CHANNEL_LABELS, Channel

_LABELS: dict[str, Any] = {}


def labels_register(labels: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> None:
    """Register `code -> label` pairs (a mapping or a choices list); a later one replaces."""
    pairs = labels.items() if isinstance(labels, Mapping) else labels
    for code, text in pairs:
        _LABELS[str(code)] = text


def label_of(code: Any) -> str:
    """The human label of a code (a TextChoices member gives its own label); "" for none."""
    if code is None or code == "":
        return ""
    member_label = getattr(code, "label", None)
    if member_label is not None and not callable(member_label):
        return str(member_label)
    text = _LABELS.get(str(code))
    return str(code) if text is None else str(text)


# Names of the keys of stored JSON values (a contract's pricing lines, fees, amendments' changes)
# where `readable` shows them as `Name: value`; an app adds its own with `json_keys_register`.
_KEY_LABELS: dict[str, Any] = {}


def json_keys_register(labels: Mapping[str, Any]) -> None:
    """Register `key -> name` pairs for the keys of stored JSON values (a later one replaces)."""
    _KEY_LABELS.update({str(key): text for key, text in labels.items()})


def _key_label(key: Any) -> str:
    named = _KEY_LABELS.get(str(key))
    if named is not None:
        return capfirst(str(named))
    text = label_of(key)
    return capfirst(text.replace("_", " ") if text == str(key) else text)


# JSON keys whose numbers are 0-1 fractions, shown as percentages (0.55 -> 55%).
FRACTION_KEYS = frozenset(
    {"share", "hours_coverage", "minimum_hours_coverage", "shrinkage", "max_occupancy"}
)


def _field(key: Any, value: Any) -> str:
    if str(key) in FRACTION_KEYS and not isinstance(value, dict | list | tuple | bool):
        shown = formatting.fraction_percent(value) if value is not None else "—"
        return f"{_key_label(key)}: {shown}"
    return f"{_key_label(key)}: {_scalar(value)}"


def _scalar(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, int | float | Decimal):
        return formatting.number(value)
    if isinstance(value, str):
        try:
            Decimal(value)
        except (InvalidOperation, ValueError):
            return label_of(value)
        return formatting.number(value)
    if isinstance(value, dict):
        return ", ".join(_field(k, v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_scalar(item) for item in value) or "—"
    return str(value)


def readable(value: Any) -> str:
    """A stored JSON value for people, one line each: a dict as `Field: value` lines (codes as
    their labels, numbers in the reader's format), a list one item a line."""
    if isinstance(value, dict):
        return "\n".join(_field(k, v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return "\n".join(_scalar(item) for item in value)
    return _scalar(value)


def _capfirst_label(code: Any) -> str:
    return capfirst(label_of(code))


lazy_label = lazy(label_of, str)
lazy_capfirst_label = lazy(_capfirst_label, str)


def labelled_choices(codes: Iterable[Any]) -> list[tuple[str, Any]]:
    """Form/model choices of codes with their labels (capitalised, resolved when shown)."""
    return [(str(code), lazy_capfirst_label(str(code))) for code in codes]


def _register_core() -> None:
    from core.catalogue import METRICS

    labels_register(
        {
            # channels (core.channels)
            "phone": _("Phone"), "chat": _("Chat"), "email": _("E-mail"),
            "social": _("Social media"), "backoffice": _("Back office"),
            "all": _("all channels"),
            # pricing models (vendors.domain.pricing)
            "per_production_hour": _("per production hour"), "per_fte_month": _("per FTE month"),
            "per_handled_minute": _("per handled minute"), "per_contact": _("per contact"),
            "hybrid": pgettext_lazy("pricing model", "hybrid"),
            # one-off fees
            "setup": _("setup"), "training": _("training"),
            "project_management": _("project management"),
            # usage read from a month's KPIs (kpis.evaluation.service)
            "contacts": _("contacts handled"), "fte": _("contracted FTE"),
            # chronic-failure rules (kpis.evaluation.rules.ChronicRule)
            "breach_3_of_6": _("in breach in 3 or more of the last 6 months"),
            "below_expected_4_of_12": _(
                "below expected (warning or breach) in 4 or more of the last 12 months"
            ),
            # a target's status in a month (kpis.evaluation.rules)
            "met": _("met"), "warning": _("warning"), "breach": _("breach"),
            "missing": _("missing"),
            # evaluation triggers (kpis.models.Evaluation.Trigger), as a report's provenance
            "ingestion": _("after a KPI upload"), "schedule": _("monthly job"),
            "command": _("kpis_evaluate command"), "waiver": _("after a breach was waived"),
            "cascade": _("after an earlier month changed"),
        }
    )  # fmt: skip
    labels_register((code, gettext_lazy(metric.label)) for code, metric in METRICS.items())  # noqa: INT001
    labels_register(
        {
            "procurement": _("Procurement"), "manager": _("Manager"), "auditor": _("Auditor"),
            "vendor": _("Vendor"), "admin": _("Admin"),
        }
    )  # fmt: skip

    json_keys_register(
        {
            # a pricing line and its components (API.md "pricing"; vendors.domain.pricing)
            "channel": _("channel"), "model": _("pricing model"), "rate": _("rate"),
            "components": _("components"), "stated_hours": _("stated hours"),
            "stated_fte": _("stated FTE"), "share": _("share"), "bands": _("bands"),
            "months": _("months"), "position": _("position"),
            # fees, languages, targets and amendments' changes
            "name": _("name"), "amount": _("amount"), "tag": _("language tag"),
            "level": _("level"), "hours_coverage": _("hours coverage"),
            "metric": _("metric"), "expected": _("expected level"),
            "minimum": _("minimum level"), "critical": _("critical level"),
            "allocation_percent": _("allocation (%)"), "target": _("target"),
            "targets": _("targets"), "fees": _("fees"), "monthly_fees": _("monthly fees"),
            "one_off_fees": _("one-off fees"),
            "minimum_monthly_charge": _("minimum monthly charge"),
            "valid_from": _("valid from"), "valid_until": _("valid until"),
            "currency": _("currency"), "volume": _("volume"), "kind": _("kind"),
        }
    )  # fmt: skip


_register_core()


# Choices for models, forms, filters and serializers: the catalogue's and the channels' labels
# (pure core keeps them in English, marked with gettext_noop), shown in the reader's language.

METRIC_CHOICES = [(m.code, gettext_lazy(m.label)) for m in METRICS.values()]  # noqa: INT001
CHANNEL_CHOICES = [(c.value, gettext_lazy(CHANNEL_LABELS[c])) for c in Channel]  # noqa: INT001


def metric_label(code: str) -> str:
    """The metric's label in the reader's language (the code itself when unknown)."""
    metric = METRICS.get(code)
    return gettext(metric.label) if metric else code  # noqa: INT001


def channel_label(code: str | None) -> str:
    """The channel's label in the reader's language (the code itself when unknown)."""
    try:
        return gettext(CHANNEL_LABELS[Channel(code)])  # noqa: INT001
    except ValueError:
        return str(code or "")
