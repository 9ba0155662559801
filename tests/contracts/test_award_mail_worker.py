"""With the real broker and a real worker: the award's e-mails go once per recipient and step,
even when the task that keeps them runs twice."""

import pytest
from django.core import mail

from contracts.services.award import contract_award
from contracts.tasks import notify_award
from outbox.models import OutboxMail
from tests.support.polling import wait_for
from tests.support.vendors import closed_event_with_proposals, vendor_make
from vendors.tasks import send_bid_reminders

pytestmark = pytest.mark.worker


@pytest.fixture(autouse=True)
def mail_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _sent() -> int:
    return OutboxMail.objects.filter(status=OutboxMail.Status.SENT).count()


def test_invitations_and_outcomes_are_sent_once_each_when_the_task_runs_twice(
    celery_worker, make_user
):
    winner, loser = vendor_make("Winner BV"), vendor_make("Runner-up BV")
    make_user("vendor", vendor=winner, email="bids@winner.example")
    make_user("vendor", vendor=loser, email="bids@runnerup.example")
    event, (winning, _) = closed_event_with_proposals(winner, loser)  # opened: invitations
    contract_award(event=event, proposal_id=winning.pk, reference="WIN-01",
                   start_date=event.start_date, user=make_user("procurement"))  # fmt: skip
    notify_award.delay(event.pk)  # a redelivered or repeated task
    notify_award.delay(event.pk)
    send_bid_reminders.delay()  # nothing due: the event is closed

    assert wait_for(lambda: _sent() == 4, timeout=30)
    kinds = sorted((m.kind, m.recipient) for m in OutboxMail.objects.all())
    assert kinds == [
        ("award_outcome", "bids@runnerup.example"),
        ("award_won", "bids@winner.example"),
        ("event_invitation", "bids@runnerup.example"),
        ("event_invitation", "bids@winner.example"),
    ]
    assert len(mail.outbox) == 4
    won = next(m for m in mail.outbox if m.to == ["bids@winner.example"] and "won" in m.subject)
    assert "WIN-01" in won.body
