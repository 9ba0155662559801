"""Daily reminders: contracts ending within 90 days, vendor certificates expiring within 60.

Each item is reminded of once: the reminder's key is inserted under a unique constraint
before the e-mail is sent, so a re-run, a retried task or a second beat sends nothing new.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from contracts.models import Contract, Reminder
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
            subject=f"Contract {c.reference} with {c.vendor.name} ends on {c.end_date:%Y-%m-%d}",
            body=f"Contract {c.reference} ends in {(c.end_date - today).days} days. "
            "Decide on renewal, a new sourcing event or an exit plan.",
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
            subject=f"{c.vendor.name}: {c.name} expires on {c.valid_until:%Y-%m-%d}",
            body=f"The {c.name} certificate of {c.vendor.name} expires in "
            f"{(c.valid_until - today).days} days. Ask the vendor for the renewed certificate.",
            due=c.valid_until,
        )
        for c in expiring
    ]


def reminders_due(today: date | None = None) -> list[Due]:
    """Everything due for a reminder, soonest first (also shown on the manager's home page)."""
    today = today or timezone.localdate()
    return sorted(contracts_ending(today) + certificates_expiring(today), key=lambda d: d.due)


def _send_once(due: Due, recipients: list[str]) -> bool:
    """Claim the key and keep its e-mails in the outbox in one transaction (the e-mail queue
    sends each once, retrying SMTP errors)."""
    try:
        with transaction.atomic():
            Reminder.objects.create(key=due.key, subject=due.subject)
            mail_enqueue(kind="reminder", object_ref=due.key[:100], recipients=recipients,
                         subject=due.subject, body=due.body)  # fmt: skip
    except IntegrityError:
        return False
    return True


def reminders_send(today: date | None = None) -> int:
    """E-mail managers about each due item not reminded of before; returns how many were sent."""
    recipients = list(
        User.objects.filter(groups__name=Role.MANAGER.value, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sum(_send_once(due, recipients) for due in reminders_due(today))
