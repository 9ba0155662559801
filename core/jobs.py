"""What background jobs share: the errors worth a retry, the broker's publishing retries, and
claiming a job's row (STYLE.md habits 3, 5 and 6)."""

from datetime import datetime, timedelta
from typing import Any

from django.db import InterfaceError, OperationalError
from django.db.models import Model, Q
from django.utils import timezone

# Errors worth another attempt: the database went away or aborted us (deadlock, failover).
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
# Publishing a message: a broker that still refuses after about a second is taken as down.
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
# A claim older than this belongs to a worker that died; the row may be claimed again.
STALE_AFTER = timedelta(minutes=15)


def job_claim(
    model: type[Model], pk: int, *, waiting: str, running: str, **also: Any
) -> datetime | None:
    """Take a job's row for this worker: the time of the claim, or None when another worker
    has it or it is finished.

    A conditional UPDATE that must change exactly one row: the row is `waiting`, or `running`
    under a claim older than STALE_AFTER. It becomes `running` from now (`started_at`), with
    the `also` fields set in the same UPDATE.
    """
    now = timezone.now()
    claimable = Q(status=waiting) | Q(status=running, started_at__lt=now - STALE_AFTER)
    claimed = model._default_manager.filter(claimable, pk=pk).update(
        status=running, started_at=now, **also
    )
    return now if claimed == 1 else None
