"""The auditor's recent changes: the newest versions of every model django-simple-history
tracks, whichever app it belongs to (no app is named here). Registered from
AccountsConfig.ready(); each app registers its own panels from its own ready().

A version that an app's rule in `core.history` calls sealed (a proposal's prices, fees and
languages before the bid deadline) is shown only as that rule names it: who changed which
proposal, never what; the rows of one submission read as one line.
"""

from dataclasses import dataclass
from datetime import datetime

from core.history import history_sealed

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


def _change(row, model) -> tuple[Change, str | None]:
    """The row as the panel shows it, and the sealed object it belongs to (None: not sealed)."""
    who = row.history_user.username if row.history_user else ""
    sealed = history_sealed(model._meta.label, row)
    if sealed is not None:
        sign = "+" if sealed.created else "~"
        return Change(row.history_date, who, sealed.kind, sign, sealed.label), sealed.key
    kind = str(model._meta.verbose_name)
    return Change(row.history_date, who, kind, row.history_type, _label(row)), None


def _same_moment(newer: Change, older: Change) -> bool:
    """Whether two versions were written by one request (a save and its rows, within 1 s)."""
    return (newer.when - older.when).total_seconds() <= 1


def recent_changes(limit: int = CHANGES) -> list[Change]:
    """The newest historical rows across every tracked model, newest first (sealed ones named
    neutrally, one line per submission)."""
    rows = []
    for model, manager in _history_managers():
        newest = manager.select_related("history_user").order_by("-history_date")[:limit]
        rows += [(row, model) for row in newest]
    rows.sort(key=lambda pair: pair[0].history_date, reverse=True)
    changes: list[Change] = []
    group: tuple[str, str] | None = None  # the sealed object and user of the last line
    for row, model in rows:
        change, key = _change(row, model)
        last = changes[-1] if changes else None
        if key is not None and group == (key, change.who) and last and _same_moment(last, change):
            # One submission writes the proposal and each of its rows: one line says it.
            if change.sign == "+":
                changes[-1] = Change(last.when, last.who, last.kind, "+", change.label)
            continue
        group = None if key is None else (key, change.who)
        changes.append(change)
        if len(changes) == limit:
            break
    return changes


def auditor_changes_panel(request) -> dict:
    """The newest changes to tracked records (contracts, targets, baselines, vendors, events)."""
    return {"changes": recent_changes()}
