"""The change history of one object, for auditors and admins: who, when, what, before and after.

`/history/<app_label>/<model>/<pk>/` reads django-simple-history's rows of the object, and of
the rows that belong to it (a contract's SLA targets, baseline, amendments and breach decisions;
a vendor's profile lists; an event's proposals' ratings are their own pages), and shows each
version as the fields it changed against the version before (`diff_against`). Only the models
that the apps register in core.history have a page; any other name, or an object that never
existed, is a 404, and so is every history page for vendor users. A model's own rule may hide
one object's history (vendors: a proposal's history shows its prices, so it stays sealed, 404,
until the event's bid deadline has passed, as every other buyer-side page).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import formatting
from core.history import HistorySpec, history_format, history_kind_label, history_spec
from core.labels import label_of, readable
from core.roles import Role, role_of

HISTORY_READERS = frozenset({Role.AUDITOR, Role.ADMIN})
PAGE_SIZE = 25
HIDDEN_FIELDS = {"id", "history_id", "history_date", "history_change_reason", "history_type",
                 "history_user", "history_relation"}  # fmt: skip


@dataclass
class Change:
    """One field of a version: its value before and after."""

    field: str
    before: Any
    after: Any


@dataclass
class Entry:
    """One version of one object: who made it, when, why, and what it changed."""

    date: datetime
    user: str
    kind: str
    label: str
    object_id: Any
    reason: str
    changes: list[Change] = field(default_factory=list)


def history_entries(*, model: type[models.Model], pk: Any, spec: HistorySpec) -> list[Entry]:
    """Every version of the object and of its parts, newest first, each diffed to the last."""
    entries = _entries(model, model.history.filter(id=pk))
    for part, fk in spec.parts:
        part_model = apps.get_model(part)
        entries += _entries(part_model, part_model.history.filter(**{fk: pk}))
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries


def _entries(model: type[models.Model], rows) -> list[Entry]:
    rows = rows.select_related("history_user").order_by("id", "history_date", "history_id")
    fields = [f for f in rows.model._meta.concrete_fields if f.name not in HIDDEN_FIELDS]
    label = capfirst(model._meta.verbose_name)
    entries, previous = [], None
    for row in rows:
        if previous is None or previous.id != row.id:
            previous = None
        entries.append(
            Entry(
                date=row.history_date,
                user=row.history_user.get_username() if row.history_user else _("system"),
                kind=history_kind_label(row.history_type),
                label=f"{label} #{row.id}",
                object_id=row.id,
                reason=row.history_change_reason or "",
                changes=_changes(row, previous, fields),
            )
        )
        previous = row
    return entries


def _changes(row, previous, fields) -> list[Change]:
    if row.history_type == "-":
        return []
    by_name = {f.name: f for f in fields}
    if previous is None:
        return [
            _shown(row, Change(capfirst(f.verbose_name), None, getattr(row, f.attname)), f)
            for f in fields
            if getattr(row, f.attname) not in (None, "", [], {})
        ]
    # diff_against compares editable fields only (model_to_dict); the others never change.
    names = [f.name for f in fields if f.editable]
    delta = row.diff_against(previous, included_fields=names)
    return [
        _shown(row, Change(capfirst(by_name[c.field].verbose_name), c.old, c.new), by_name[c.field])
        for c in delta.changes
    ]


def _shown(row, change: Change, model_field) -> Change:
    """A change with its values as people read them: the owning app's format when it registered
    one (history_format_register), else a related object's name, a code's label, a JSON value
    as `field: value` lines, a number with the reader's separators."""
    opts = row.instance_type._meta
    show = history_format(model=f"{opts.app_label}.{opts.model_name}", field=model_field.name)
    if show is None:
        return Change(
            change.field, history_value(model_field, change.before),
            history_value(model_field, change.after),
        )  # fmt: skip
    return Change(
        change.field,
        None if change.before is None else show(change.before),
        None if change.after is None else show(change.after),
    )


def history_value(model_field, value) -> Any:
    """One stored value as people read it (None stays None: the page shows nothing)."""
    if value is None:
        return None
    if isinstance(model_field, models.ForeignKey):
        pk = getattr(value, "pk", value)
        related = model_field.related_model._default_manager.filter(pk=pk).first()
        return str(related) if related is not None else f"#{pk}"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, label_of(value)))
    if isinstance(model_field, models.JSONField):
        return readable(value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime):
        shown = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(shown, "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal | int | float):
        return formatting.number(value)
    return value


def _spec_and_model(app_label: str, model_name: str) -> tuple[HistorySpec, type[models.Model]]:
    spec = history_spec(f"{app_label}.{model_name}")
    if spec is None:
        raise Http404
    return spec, apps.get_model(spec.model)


def _check_visible(request, spec: HistorySpec, pk: Any) -> None:
    """The model's own rule (e.g. a sealed proposal's prices): a 404 where it says no."""
    if spec.visible is not None and not spec.visible(request.user, pk):
        raise Http404


@login_required
def object_history(request, app_label: str, model_name: str, pk: int):
    """The change history of one object and its parts, paginated, for auditors and admins."""
    role = role_of(request.user)
    if role in (None, Role.VENDOR):
        raise Http404  # vendors never learn what has a history
    spec, model = _spec_and_model(app_label, model_name)
    if role not in HISTORY_READERS:
        raise PermissionDenied
    current = model._default_manager.filter(pk=pk).first()
    if current is None and not model.history.filter(id=pk).exists():
        raise Http404
    _check_visible(request, spec, pk)
    entries = history_entries(model=model, pk=pk, spec=spec)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "object": current,
        "object_label": str(current) if current else f"{model._meta.verbose_name} #{pk}",
        "model_label": capfirst(model._meta.verbose_name),
        "page": page,
    }
    return render(request, "history/object_history.html", context)


urlpatterns = [
    path(
        "history/<slug:app_label>/<slug:model_name>/<int:pk>/",
        object_history,
        name="object-history",
    ),
]
