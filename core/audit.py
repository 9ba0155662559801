"""History rows for writes that bypass save(): bulk inserts, COPY and conditional UPDATEs.

django-simple-history records a version on save() and delete(); the domain functions that
write in bulk or claim rows with a conditional UPDATE call these instead, right after the
write and in the same transaction, so the audit trail misses nothing.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import connections, models
from django.utils import timezone
from simple_history.utils import get_history_manager_for_model

BATCH = 2000


def history_record_created(
    objs: Sequence[models.Model], *, user: Any = None, reason: str = ""
) -> None:
    """Record a '+' version of rows just inserted in bulk (they must carry their pks)."""
    _record(objs, update=False, user=user, reason=reason)


def history_record_updated(
    objs: Sequence[models.Model], *, user: Any = None, reason: str = ""
) -> None:
    """Record a '~' version of rows as they now are (after an update that skipped save())."""
    _record(objs, update=True, user=user, reason=reason)


def history_record_rows(
    model: type[models.Model],
    pks: Iterable[Any],
    *,
    update: bool,
    user: Any = None,
    reason: str = "",
) -> None:
    """Read these rows back and record their current version ('~' if update, else '+')."""
    pks = list(pks)
    for start in range(0, len(pks), BATCH):
        rows = list(model._default_manager.filter(pk__in=pks[start : start + BATCH]))
        _record(rows, update=update, user=user, reason=reason)


def _record(objs: Sequence[models.Model], *, update: bool, user: Any, reason: str) -> None:
    if not objs:
        return
    manager = get_history_manager_for_model(type(objs[0]))
    manager.bulk_history_create(
        objs,
        batch_size=BATCH,
        update=update,
        default_user=user,
        default_change_reason=reason,
        default_date=timezone.now(),
    )


def history_insert_select(
    queryset: models.QuerySet,
    *,
    update: bool,
    user: Any = None,
    reason: str = "",
    when: Any = None,
) -> int:
    """Record a version ('~' if update, else '+') of every row of queryset, as it now is, with
    one INSERT ... SELECT run by the database: no row is read into Python. How many rows.

    For bulk writers of thousands of rows (COPY, UPDATE ... WHERE): the same history rows as
    history_record_created/updated, with one date, user and reason for all of them. Table and
    column names come from the historical model's _meta; works on PostgreSQL and SQLite.
    """
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return 0
    model = queryset.model
    history = get_history_manager_for_model(model).model
    if not isinstance(history._meta.pk, models.AutoField):  # e.g. UUID ids made in Python
        pks = list(queryset.values_list("pk", flat=True))
        history_record_rows(model, pks, update=update, user=user, reason=reason)
        return len(pks)
    tracked = list(history.tracked_fields)
    columns = [history._meta.get_field(field.name).column for field in tracked]
    sources = [field.attname for field in tracked]
    if hasattr(history, "history_relation"):
        columns.append(history._meta.get_field("history_relation").column)
        sources.append("pk")
    meta = {name: history._meta.get_field(name) for name in _HISTORY_FIELDS}
    columns += [field.column for field in meta.values()]
    connection = connections[queryset.db]
    date_field = meta["history_date"]
    constants = [
        date_field.get_db_prep_value(when or timezone.now(), connection),
        "~" if update else "+",
        getattr(user, "pk", user),
        reason,
    ]
    select, params = queryset.order_by("pk").values_list(*sources).query.sql_with_params()
    quote = connection.ops.quote_name
    # Only names from _meta and Django's own compiled SELECT go into the text; values are
    # parameters.
    into = f"{quote(history._meta.db_table)} ({', '.join(map(quote, columns))})"
    sql = f"INSERT INTO {into} SELECT source.*, %s, %s, %s, %s FROM ({select}) source"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*constants, *params])
        return cursor.rowcount


_HISTORY_FIELDS = ("history_date", "history_type", "history_user", "history_change_reason")
