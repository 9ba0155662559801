"""The auditor's recent changes: the newest versions of every model django-simple-history
tracks, whichever app it belongs to (no app is named here). Registered from
AccountsConfig.ready(); each app registers its own panels from its own ready().
"""

from dataclasses import dataclass
from datetime import datetime

CHANGES = 15


@dataclass(frozen=True)
class Change:
    """One historical row: who changed what when; sign + created, ~ changed, - deleted."""

    when: datetime
    who: str
    kind: str
    sign: str
    label: str


def _history_managers() -> list:
    """The history manager of every model that django-simple-history tracks."""
    from simple_history.models import registered_models

    managers = []
    for model in registered_models.values():
        attribute = getattr(model._meta, "simple_history_manager_attribute", "history")
        manager = getattr(model, attribute, None)
        if manager is not None:
            managers.append((model, manager))
    return managers


def _label(row) -> str:
    """The object as it was, falling back to its id (its related rows may be gone)."""
    try:
        return str(row.instance)
    except Exception:  # noqa: BLE001 - a deleted related row must not break the home page
        return f"#{row.pk}"


def recent_changes(limit: int = CHANGES) -> list[Change]:
    """The newest historical rows across every tracked model, newest first."""
    rows = []
    for model, manager in _history_managers():
        newest = manager.select_related("history_user").order_by("-history_date")[:limit]
        rows += [(row, model) for row in newest]
    rows.sort(key=lambda pair: pair[0].history_date, reverse=True)
    return [
        Change(
            when=row.history_date,
            who=row.history_user.username if row.history_user else "",
            kind=str(model._meta.verbose_name),
            sign=row.history_type,
            label=_label(row),
        )
        for row, model in rows[:limit]
    ]


def auditor_changes_panel(request) -> dict:
    """The newest changes to tracked records (contracts, targets, baselines, vendors, events)."""
    return {"changes": recent_changes()}
