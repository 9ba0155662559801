"""Daily reminders reach managers once per item and are listed on the manager's home page."""

from datetime import date, timedelta

import pytest
from django.core import mail

from contracts.models import Contract
from contracts.services.reminders import reminders_send
from outbox.models import OutboxMail
from tests.support.outbox import deliver_outbox
from vendors.models import VendorCertification

pytestmark = pytest.mark.django_db
TODAY = date(2026, 10, 1)


@pytest.fixture
def ending_contract(vendor):
    return Contract.objects.create(
        reference="END-01", vendor=vendor, currency="EUR", status=Contract.Status.ACTIVE,
        start_date=date(2025, 1, 1), end_date=TODAY + timedelta(days=45),
        pricing=[{"channel": None, "model": "per_contact", "rate": "4.5"}],
    )  # fmt: skip


@pytest.fixture
def managers(make_user):
    return [make_user("manager", email="ops@example.com"), make_user("auditor", email="a@x.io")]


def test_a_contract_ending_within_90_days_is_reminded_of_once(ending_contract, managers):
    assert reminders_send(TODAY) == 1
    assert reminders_send(TODAY) == 0
    assert reminders_send(TODAY + timedelta(days=1)) == 0
    assert deliver_outbox() == 1
    (message,) = mail.outbox
    assert message.to == ["ops@example.com"]
    assert "END-01" in message.subject and "45 days" in message.body


def test_a_contract_ending_later_is_not_reminded_of(vendor, managers):
    Contract.objects.create(
        reference="LATER-01", vendor=vendor, currency="EUR", status=Contract.Status.ACTIVE,
        start_date=date(2025, 1, 1), end_date=TODAY + timedelta(days=91),
    )  # fmt: skip
    assert reminders_send(TODAY) == 0


def test_an_expiring_certificate_of_a_contracted_vendor_is_reminded_of_once(
    ending_contract, managers
):
    VendorCertification.objects.create(
        vendor=ending_contract.vendor, name="PCI DSS", name_key="pcidss",
        valid_until=TODAY + timedelta(days=30),
    )  # fmt: skip
    VendorCertification.objects.create(
        vendor=ending_contract.vendor, name="ISO 27001", name_key="iso27001",
        valid_until=TODAY + timedelta(days=61),
    )  # fmt: skip
    assert reminders_send(TODAY) == 2
    deliver_outbox()
    subjects = sorted(m.subject for m in mail.outbox)
    assert any("PCI DSS expires on 2026-10-31" in s for s in subjects)
    assert not any("ISO 27001" in s for s in subjects)


def test_a_failed_send_is_retried_until_it_is_sent_once(ending_contract, managers, monkeypatch):
    from django.core.mail import EmailMessage

    from outbox.services import MailNotSent, mail_send

    assert reminders_send(TODAY) == 1
    (row,) = OutboxMail.objects.all()

    def broken(*args, **kwargs):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    with pytest.raises(MailNotSent):
        mail_send(mail_id=row.pk)
    monkeypatch.undo()
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 1) and "SMTP down" in row.last_error
    assert reminders_send(TODAY) == 0  # the reminder is not composed again
    assert deliver_outbox() == 1 and deliver_outbox() == 0
    assert len(mail.outbox) == 1


def test_the_manager_home_page_lists_what_is_coming_up(client, ending_contract, managers):
    from django.utils import timezone

    ending_contract.end_date = timezone.localdate() + timedelta(days=20)
    ending_contract.save()
    client.force_login(managers[0])
    page = client.get("/").content.decode()
    assert "Contract END-01" in page and "Coming up" in page
