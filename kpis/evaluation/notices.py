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
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import formatting
from core.i18n import by_language
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


def manager_languages() -> dict[str, list[str]]:
    """The active managers' addresses by the language they read in."""
    managers = User.objects.filter(groups__name=Role.MANAGER.value, is_active=True).exclude(
        email=""
    )
    return {
        language: sorted({u.email for u in users})
        for language, users in sorted(by_language(managers.order_by("email")).items())
    }


def findings_notify(*, breach_ids: Sequence[int] = (), flag_ids: Sequence[int] = ()) -> int:
    """E-mail managers about each breach and chronic flag not yet notified; how many were sent."""
    if not breach_ids and not flag_ids:
        return 0
    recipients = manager_languages()
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
    recipients: dict[str, list[str]],
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
            ref = f"kpis.{kind}:{row.pk}"
            for language, addresses in recipients.items():
                with translation.override(language):
                    subject, body = message(row)
                mails.append(Mail(f"kpis_{kind}", ref, tuple(addresses), subject, body))
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
    if target.channel:
        return _("%(metric)s (%(channel)s)") % {
            "metric": label_of(target.metric),
            "channel": label_of(target.channel),
        }
    return _("%(metric)s (all channels)") % {"metric": label_of(target.metric)}


def _breach_message(breach: Breach) -> tuple[str, str]:
    target, contract = breach.target, breach.contract
    about = {
        "reference": contract.reference,
        "period": f"{breach.period:%Y-%m}",
        "month": formatting.month(breach.period),
        "target": _target_words(target),
        "actual": measure(target.metric, breach.actual),
        "minimum": bound(target.metric, target.minimum),
        "expected": bound(target.metric, target.expected),
        "credit": formatting.money(breach.credit, contract.currency),
    }
    subject = _("%(reference)s %(period)s: breach of %(target)s") % about
    lines = [
        _(
            "Contract %(reference)s, %(month)s: %(target)s was %(actual)s, outside the minimum "
            "level (%(minimum)s; expected %(expected)s)."
        )
        % about,
        _("Service credit: not computed (the month could not be priced).")
        if breach.credit is None
        else _("Service credit: %(credit)s.") % about,
        _("This target is also chronic this month.") if breach.chronic else "",
        _("Acknowledge or waive it (with a reason) on the breach list."),
    ]
    return subject, "\n".join(lines)


def _flag_message(flag: ChronicFlag) -> tuple[str, str]:
    target, contract = flag.target, flag.contract
    about = {
        "reference": contract.reference,
        "period": f"{flag.period:%Y-%m}",
        "month": formatting.month(flag.period),
        "target": _target_words(target),
        "rules": "; ".join(label_of(rule) for rule in flag.rules),
        "breaches": flag.breaches_in_last_6,
        "below": flag.below_expected_in_last_12,
    }
    subject = _("%(reference)s %(period)s: chronic failure of %(target)s") % about
    body = "\n".join([
        _(
            "Contract %(reference)s, %(month)s: %(target)s is chronic: %(rules)s (breaches in "
            "the last 6 months: %(breaches)s; months below expected in the last 12: %(below)s)."
        )
        % about,
        _("Chronic failure gives the buyer a termination right under the contract."),
    ])  # fmt: skip
    return subject, body
