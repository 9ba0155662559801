"""A task sent through the real broker to a real worker changes PostgreSQL."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.tasks import clear_expired_sessions
from tests.support.polling import wait_for

pytestmark = pytest.mark.worker


def test_expired_sessions_are_cleared_by_the_worker(celery_worker):
    expired = SessionStore()
    expired.create()
    Session.objects.filter(pk=expired.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    live = SessionStore()
    live.create()

    clear_expired_sessions.delay()

    assert wait_for(lambda: not Session.objects.filter(pk=expired.session_key).exists())
    assert Session.objects.filter(pk=live.session_key).exists()
