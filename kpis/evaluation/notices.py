"""E-mails to managers about new breaches and chronic flags, each sent once.

Breaches and flags are claimed in batches with one conditional UPDATE ... RETURNING
(notified_at IS NULL -> now) per batch, and their e-mails (one per breach or flag and manager)
are kept in the outbox in the same transaction: a re-evaluation, a second worker or a repeated
task finds the rows claimed and keeps nothing twice. The outbox sends each e-mail once on the
e-mail queue and retries SMTP errors there (outbox.services); `notify_error` stays empty.
"""

import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections, transaction
from django.db.models import Model
from django.utils import timezone

from core import formatting
from core.labels import label_of
from core.measures import bound, measure
from core.roles import Role
from kpis.models.evaluation import Breach, ChronicFlag
from outbox.services import Mail, mails_enqueue

User = get_user_model()

logger = logging.getLogger(__name__)

# Rows claimed and e-mailed per transaction: one commit per batch, not per e-mail. A worker
# killed half-way rolls its batch's claims back, so at most this many e-mails go out again.
BATCH = 200


def manager_addresses() -> list[str]:
    """E-mail addresses of the active managers."""
    return list(
        User.objects.filter(groups__name=Role.MANAGER.value, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def findings_notify(*, breach_ids: Sequence[int] = (), flag_ids: Sequence[int] = ()) -> int:
    """E-mail managers about each breach and chronic flag not yet notified; how many were sent."""
    if not breach_ids and not flag_ids:
        return 0
    recipients = manager_addresses()
    sent = 0
    for model, ids, message in (
        (Breach, sorted(breach_ids), _breach_message),
        (ChronicFlag, sorted(flag_ids), _flag_message),
    ):
        for start in range(0, len(ids), BATCH):
            sent += _send_batch(model, ids[start : start + BATCH], message, recipients)
    return sent


def _send_batch(
    model: type[Model],
    ids: Sequence[int],
    message: Callable[[Any], tuple[str, str]],
    recipients: list[str],
) -> int:
    """Claim the unsent rows of ids with one UPDATE ... RETURNING and keep their e-mails in the
    outbox in the same transaction; how many rows were claimed."""
    with transaction.atomic():
        claimed = _claim(model, ids)
        if not claimed:
            return 0
        rows = model._default_manager.filter(pk__in=claimed).select_related("contract", "target")
        kind = model.__name__.lower()
        mails = []
        for row in rows.order_by("pk"):
            subject, body = message(row)
            ref = f"kpis.{kind}:{row.pk}"
            mails.append(Mail(f"kpis_{kind}", ref, tuple(recipients), subject, body))
        mails_enqueue(mails)
    return len(claimed)


def _claim(model: type[Model], ids: Sequence[int]) -> list[int]:
    """Set notified_at on the rows of ids not yet notified nor cleared, in one statement; their
    ids. A concurrent claimer waits for this transaction and then finds them taken."""
    meta, connection = model._meta, connections[model._default_manager.db]
    quote = connection.ops.quote_name
    notified = meta.get_field("notified_at")
    now = notified.get_db_prep_value(timezone.now(), connection)
    marks = ", ".join(["%s"] * len(ids))
    # Names from _meta; the time and the ids are parameters.
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {quote(notified.column)} = %s, "  # noqa: S608
        f"{quote(meta.get_field('notify_error').column)} = '' "
        f"WHERE {quote(meta.pk.column)} IN ({marks}) AND {quote(notified.column)} IS NULL "
        f"AND {quote(meta.get_field('cleared').column)} = %s "
        f"RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, *ids, False])
        return sorted(pk for (pk,) in cursor.fetchall())


def _target_words(target) -> str:
    return f"{label_of(target.metric)} ({label_of(target.channel or 'all')})"


def _breach_message(breach: Breach) -> tuple[str, str]:
    target, contract = breach.target, breach.contract
    subject = f"{contract.reference} {breach.period:%Y-%m}: breach of {_target_words(target)}"
    credit = (
        "not computed (the month could not be priced)"
        if breach.credit is None
        else formatting.money(breach.credit, contract.currency)
    )
    body = (
        f"Contract {contract.reference}, {formatting.month(breach.period)}: "
        f"{_target_words(target)} was {measure(target.metric, breach.actual)}; the minimum "
        f"level is {bound(target.metric, target.minimum)}, expected "
        f"{bound(target.metric, target.expected)}.\n"
        f"Service credit: {credit}.\n"
        f"{'This target is also chronic this month.' if breach.chronic else ''}\n"
        "Acknowledge or waive it (with a reason) on the breach list."
    )
    return subject, body


def _flag_message(flag: ChronicFlag) -> tuple[str, str]:
    target, contract = flag.target, flag.contract
    subject = (
        f"{contract.reference} {flag.period:%Y-%m}: chronic failure of {_target_words(target)}"
    )
    rules = "; ".join(label_of(rule) for rule in flag.rules)
    body = (
        f"Contract {contract.reference}, {formatting.month(flag.period)}: "
        f"{_target_words(target)} is "
        f"chronic: {rules} ({flag.breaches_in_last_6} breaches in the last 6 months, "
        f"{flag.below_expected_in_last_12} months below expected in the last 12).\n"
        "Chronic failure gives the buyer a termination right under the contract."
    )
    return subject, body
