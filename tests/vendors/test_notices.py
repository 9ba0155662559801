"""E-mails to invited vendors: the invitation at opening and the reminder 48 hours before the
deadline to those without a bid, each once per recipient and step, in the reader's language."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from outbox.models import OutboxMail
from tests.support.outbox import deliver_outbox
from tests.support.vendors import event_make, proposal_make, vendor_make
from vendors.notices import bid_reminders_send, event_invitation_mails
from vendors.services.proposals import proposal_withdraw

pytestmark = pytest.mark.django_db


def test_opening_invites_every_invited_vendors_users_once(make_user):
    alpha, beta = vendor_make("Alpha BV"), vendor_make("Beta SRL")
    make_user("vendor", vendor=alpha, email="a@alpha.example")
    make_user("vendor", vendor=beta, email="b@beta.example")
    make_user("vendor", vendor=beta, email="", username="no-address")
    event = event_make(invited=[alpha, beta])
    assert event_invitation_mails(event_id=event.pk) == []  # a second run keeps nothing new
    assert deliver_outbox() == 2
    told = {m.to[0]: m for m in mail.outbox}
    assert set(told) == {"a@alpha.example", "b@beta.example"}
    message = told["a@alpha.example"]
    assert message.subject == f"Invitation to bid: {event.title}"
    assert f"/portal/events/{event.pk}/" in message.body
    assert "(Europe/Amsterdam)" in message.body  # no vendor time zone: the product's
    assert str(timezone.localtime(event.bid_deadline).year) in message.body


def test_the_reminder_goes_48_hours_before_the_deadline_only_to_vendors_without_a_bid(
    make_user, clock
):
    bidder, silent, withdrawn = vendor_make(), vendor_make(), vendor_make()
    for n, vendor in enumerate((bidder, silent, withdrawn)):
        make_user("vendor", vendor=vendor, email=f"v{n}@vendors.example")
    now = timezone.now()
    event = event_make(invited=[bidder, silent, withdrawn], bid_deadline=now + timedelta(days=5))
    proposal_make(event=event, vendor=bidder)
    gone = proposal_make(event=event, vendor=withdrawn)
    proposal_withdraw(proposal=gone)
    OutboxMail.objects.all().delete()  # the invitations are another test's business

    assert bid_reminders_send(now=now) == 0  # five days ahead: too early
    at = event.bid_deadline - timedelta(hours=47)
    assert bid_reminders_send(now=at) == 2
    assert bid_reminders_send(now=at + timedelta(hours=1)) == 0  # the hourly beat runs again
    assert deliver_outbox() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["v1@vendors.example", "v2@vendors.example"]
    assert all("Reminder" in m.subject for m in mail.outbox)
    assert bid_reminders_send(now=event.bid_deadline + timedelta(minutes=1)) == 0  # closed
