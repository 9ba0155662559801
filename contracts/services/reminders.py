"""Daily reminders: contracts ending within 90 days, vendor certificates expiring within 60.

Each item is reminded of once: the reminder's key is inserted under a unique constraint
before the e-mail is sent, so a re-run, a retried task or a second beat sends nothing new.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contracts.models import Contract, Reminder
from core.i18n import by_language
from core.roles import Role
from outbox.services import mail_enqueue
from vendors.models import VendorCertification

User = get_user_model()

CONTRACT_HORIZON = timedelta(days=90)
CERTIFICATE_HORIZON = timedelta(days=60)


@dataclass(frozen=True)
class Due:
    """Something a manager should hear about, with the key that makes it once-only."""

    key: str
    subject: str
    body: str
    due: date


def contracts_ending(today: date) -> list[Due]:
    """Active contracts whose end date lies within 90 days."""
    ending = Contract.objects.filter(
        status=Contract.Status.ACTIVE, end_date__gte=today, end_date__lte=today + CONTRACT_HORIZON
    ).select_related("vendor")
    return [
        Due(
            key=f"contract-ending:{c.pk}:{c.end_date:%Y-%m-%d}",
            subject=_("Contract %(reference)s with %(vendor)s ends on %(date)s")
            % {"reference": c.reference, "vendor": c.vendor.name, "date": f"{c.end_date:%Y-%m-%d}"},
            body=ngettext(
                "Contract %(reference)s ends in %(days)s day. "
                "Decide on renewal, a new sourcing event or an exit plan.",
                "Contract %(reference)s ends in %(days)s days. "
                "Decide on renewal, a new sourcing event or an exit plan.",
                (c.end_date - today).days,
            )
            % {"reference": c.reference, "days": (c.end_date - today).days},
            due=c.end_date,
        )
        for c in ending
    ]


def certificates_expiring(today: date) -> list[Due]:
    """Certificates of vendors under an active contract that expire within 60 days."""
    vendors = Contract.objects.filter(status=Contract.Status.ACTIVE).values("vendor_id")
    expiring = VendorCertification.objects.filter(
        vendor_id__in=vendors,
        valid_until__gte=today,
        valid_until__lte=today + CERTIFICATE_HORIZON,
    ).select_related("vendor")
    return [
        Due(
            key=f"certificate-expiring:{c.pk}:{c.valid_until:%Y-%m-%d}",
            subject=_("%(vendor)s: %(certificate)s expires on %(date)s")
            % {"vendor": c.vendor.name, "certificate": c.name, "date": f"{c.valid_until:%Y-%m-%d}"},
            body=ngettext(
                "The %(certificate)s certificate of %(vendor)s expires in %(days)s day. "
                "Ask the vendor for the renewed certificate.",
                "The %(certificate)s certificate of %(vendor)s expires in %(days)s days. "
                "Ask the vendor for the renewed certificate.",
                (c.valid_until - today).days,
            )
            % {
                "certificate": c.name,
                "vendor": c.vendor.name,
                "days": (c.valid_until - today).days,
            },
            due=c.valid_until,
        )
        for c in expiring
    ]


def reminders_due(today: date | None = None) -> list[Due]:
    """Everything due for a reminder, soonest first (also shown on the manager's home page)."""
    today = today or timezone.localdate()
    return sorted(contracts_ending(today) + certificates_expiring(today), key=lambda d: d.due)


def _send_once(due: Due, spoken: dict[str, tuple[list[str], dict[str, Due]]]) -> bool:
    """Claim the key and keep its e-mails in the outbox in one transaction (the e-mail queue
    sends each once, retrying SMTP errors); each recipient reads it in their language."""
    try:
        with transaction.atomic():
            Reminder.objects.create(key=due.key, subject=due.subject)
            for recipients, dues in spoken.values():
                said = dues[due.key]
                mail_enqueue(kind="reminder", object_ref=due.key[:100], recipients=recipients,
                             subject=said.subject, body=said.body)  # fmt: skip
    except IntegrityError:
        return False
    return True


def reminders_send(today: date | None = None) -> int:
    """E-mail managers about each due item not reminded of before; returns how many were sent."""
    managers = User.objects.filter(groups__name=Role.MANAGER.value, is_active=True).exclude(
        email=""
    )
    spoken = {}
    for language, users in by_language(managers).items():
        with translation.override(language):
            dues = {due.key: due for due in reminders_due(today)}
        spoken[language] = ([u.email for u in users], dues)
    return sum(_send_once(due, spoken) for due in reminders_due(today))
