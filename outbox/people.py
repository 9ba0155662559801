"""E-mails to people: each rendered in its reader's language and time zone, one outbox row per
recipient, kind, object and key (so a re-run or a duplicated task sends nothing twice)."""

from collections.abc import Callable, Iterable
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import formats, timezone

from core.i18n import speaking
from outbox.services import Mail, mails_enqueue


def zone_of(*holders) -> ZoneInfo:
    """The first time zone any holder (a user, a vendor) states, else the product's."""
    for holder in holders:
        name = (getattr(holder, "time_zone", "") or "").strip()
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo(settings.TIME_ZONE)


def instant_text(instant: datetime, zone: ZoneInfo) -> str:
    """An instant in a zone, formatted in the active language, with the zone's name."""
    local = timezone.localtime(instant, zone)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({zone.key})"


def site_link(path: str) -> str:
    """An absolute link to a page of the product (SITE_URL + path)."""
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}"


def mail_users(
    *,
    kind: str,
    object_ref: str,
    key: str,
    users: Iterable,
    render: Callable[[object], tuple[str, str]],
) -> list[int]:
    """Keep one e-mail per active user with an address, `render(user)` -> (subject, body) run
    in the user's language; ids of the new outbox rows."""
    mails = []
    for user in users:
        if not user.email or not user.is_active:
            continue
        with speaking(user):
            subject, body = render(user)
        mails.append(Mail(kind, object_ref, (user.email,), str(subject), str(body), key))
    return mails_enqueue(mails)
