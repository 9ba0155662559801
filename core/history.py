"""Which models have a change-history page; each app registers its own from AppConfig.ready().

The history page (accounts) reads this registry: a model listed here has a page at
`/history/<app_label>/<model>/<pk>/` that shows its versions and those of its parts (rows of
other models that belong to one of its objects). A part may come from another app: kpis adds
its breaches to a contract's history without contracts knowing of kpis. A model whose versions
carry something sealed names a `visible(user, pk)` rule; the page is a 404 where it says no.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import pgettext_lazy

Visible = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class HistorySpec:
    """A model with a history page, the models whose rows belong to one of its objects, and
    who may read one object's history (everyone the page admits, unless `visible` says no)."""

    model: str  # "app_label.ModelName"
    parts: tuple[tuple[str, str], ...] = ()  # ("app_label.ModelName", foreign key to this one)
    visible: Visible | None = None


_SPECS: dict[str, HistorySpec] = {}


class HistoryKind(models.TextChoices):
    """What a version did to its object: django-simple-history's record types as people read
    them (simple_history's own labels have no Dutch, Romanian or Spanish catalog)."""

    CREATED = "+", pgettext_lazy("history record", "Created")
    CHANGED = "~", pgettext_lazy("history record", "Changed")
    DELETED = "-", pgettext_lazy("history record", "Deleted")


def history_kind_label(sign: str) -> str:
    """The translated word for a record type ("+", "~", "-"); an unknown sign stays as it is."""
    try:
        return str(HistoryKind(sign).label)
    except ValueError:
        return sign


def history_register(
    *, model: str, parts: tuple[tuple[str, str], ...] = (), visible: Visible | None = None
) -> None:
    """Give a model a history page (registering it again replaces its parts and rule)."""
    _SPECS[model.lower()] = HistorySpec(model, tuple(parts), visible)


def history_part_register(*, model: str, part: str, fk: str) -> None:
    """Add `part` (with its foreign key to `model`) to a registered model's history page."""
    spec = _SPECS[model.lower()]
    if (part, fk) not in spec.parts:
        _SPECS[model.lower()] = HistorySpec(spec.model, (*spec.parts, (part, fk)), spec.visible)


_FORMATS: dict[tuple[str, str], Callable[[Any], str]] = {}


def history_format_register(*, model: str, field: str, format: Callable[[Any], str]) -> None:
    """Show a field's values on the history page through `format` (e.g. a JSON list as text)."""
    _FORMATS[(model.lower(), field)] = format


def history_format(*, model: str, field: str) -> Callable[[Any], str] | None:
    """The registered formatter of a model's field ("app_label.modelname"), or None."""
    return _FORMATS.get((model.lower(), field))


def history_spec(label: str) -> HistorySpec | None:
    """The registered spec of "app_label.modelname" (any case), or None."""
    return _SPECS.get(label.lower())


def history_specs() -> dict[str, HistorySpec]:
    """Every registered spec, by lower-cased "app_label.modelname"."""
    return dict(_SPECS)


# Sealed versions ---------------------------------------------------------------------------
#
# A feed that lists versions of every tracked model (the auditor's "Recent changes") asks this
# registry first: a model whose versions can carry something sealed (a proposal's prices, fees,
# languages) registers a rule that, for one historical row, answers a neutral `SealedVersion`
# (who changed which proposal, never what) while the row is sealed, or None once it is not.


@dataclass(frozen=True)
class SealedVersion:
    """What a feed may say of a sealed version: a neutral kind and label, and the object it
    belongs to (`key`), so that one submission's many rows read as one line."""

    kind: str
    label: str
    key: str
    created: bool = False


Seal = Callable[[Any], SealedVersion | None]

_SEALS: dict[str, Seal] = {}


def history_seal_register(*, model: str, seal: Seal) -> None:
    """Let `seal(historical_row)` say whether a version of `model` is sealed, and how to name it."""
    _SEALS[model.lower()] = seal


def history_sealed(model: str, row: Any) -> SealedVersion | None:
    """The neutral version of `row` (a historical row of "app_label.ModelName") while it is
    sealed; None when its model has no rule or the rule lets it show as it is."""
    seal = _SEALS.get(model.lower())
    return None if seal is None else seal(row)
