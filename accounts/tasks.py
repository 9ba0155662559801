"""Background jobs of the accounts app."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


def sessions_clear_expired() -> int:
    """Delete expired sessions; returns how many went."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task
def clear_expired_sessions() -> int:
    """Daily beat job: drop expired sessions."""
    return sessions_clear_expired()
