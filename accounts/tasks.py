"""Background jobs of the accounts app: expired sessions, and the heartbeats of the workers."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.models import Heartbeat
from core.jobs import job_owner


def sessions_clear_expired() -> int:
    """Delete expired sessions; returns how many went."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


def heartbeat_record(*, name: str) -> None:
    """Record that `name` (a queue's worker, or beat) is alive now."""
    Heartbeat.objects.update_or_create(
        name=name, defaults={"beat_at": timezone.now(), "detail": job_owner()[:200]}
    )


@shared_task
def clear_expired_sessions() -> int:
    """Daily beat job: drop expired sessions."""
    return sessions_clear_expired()


@shared_task(name="accounts.tasks.worker_heartbeat", ignore_result=True)
def worker_heartbeat(queue: str) -> None:
    """Beat job on each queue: a worker consuming that queue ran it just now."""
    heartbeat_record(name=f"worker:{queue}")
