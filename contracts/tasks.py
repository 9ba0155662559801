"""Background jobs of the contracts app; thin."""

from celery import shared_task

from contracts.services.reminders import reminders_send


@shared_task
def send_reminders() -> int:
    """Daily beat job: contracts ending and certificates expiring, each reminded of once."""
    return reminders_send()


@shared_task
def notify_award(event_id: int, proposal_id: int | None = None) -> int:
    """E-mail every bidder the award's outcome (each once; `proposal_id` is ignored, kept for
    messages queued before split awards)."""
    from contracts.services.award import award_notify

    return award_notify(event_id=event_id)
