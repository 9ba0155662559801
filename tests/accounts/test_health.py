"""Liveness, readiness and the status page and API: a broker outage does not take a web node
out of the load balancer, a dead worker or scheduler shows."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.utils import timezone

from accounts.models import Heartbeat
from accounts.tasks import heartbeat_record
from config import status as system
from kpis.models import KpiUpload
from tests.support.openapi import check

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_healthz_answers_200_without_touching_the_database(client):
    # No django_db mark: any query would raise "Database access not allowed".
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_green_when_the_database_answers_even_with_the_broker_down(client, settings):
    settings.CELERY_BROKER_URL = DEAD_BROKER
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json()["checks"] == {"database": "ok"}


@pytest.mark.django_db
def test_readyz_answers_503_naming_the_database_when_it_is_unreachable(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute",
                    side_effect=OperationalError("gone")):  # fmt: skip
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["down"] == ["database"]


@pytest.mark.django_db
def test_the_status_api_shows_queues_and_heartbeats(api_as, manager_user, openapi, settings):
    heartbeat_record(name="beat")
    for queue in settings.JOB_QUEUES:
        heartbeat_record(name=f"worker:{queue}")
    Heartbeat.objects.filter(name="worker:reports").update(
        beat_at=timezone.now() - timedelta(seconds=95)
    )
    response = api_as(manager_user).get("/api/v1/status/")
    assert response.status_code == 200, response.content
    body = response.json()
    check(openapi, "get", "/api/v1/status/", response)
    assert (body["database"], body["broker"]) == ("ok", "ok")
    assert [q["name"] for q in body["queues"]] == list(settings.JOB_QUEUES)
    # The worst queue's heartbeat: one dead worker shows in the one figure.
    assert 95 <= body["worker_heartbeat_age_s"] < 120
    assert 0 <= body["beat_heartbeat_age_s"] < 5
    assert all(q["depth"] is not None for q in body["queues"])


@pytest.mark.django_db
def test_a_worker_never_heard_from_shows_as_unknown_age(api_as, auditor_user):
    body = api_as(auditor_user).get("/api/v1/status/").json()
    assert body["worker_heartbeat_age_s"] is None and body["beat_heartbeat_age_s"] is None


@pytest.mark.django_db
def test_the_status_names_the_broker_down_and_the_oldest_queued_upload(
    api_as, admin_user_role, settings
):
    settings.CELERY_BROKER_URL = DEAD_BROKER
    upload = KpiUpload.objects.create(original_name="k.csv", size=1, sha256="a" * 64,
                                      source="api", file="k.csv")  # fmt: skip
    KpiUpload.objects.filter(pk=upload.pk).update(created_at=timezone.now() - timedelta(minutes=7))
    body = api_as(admin_user_role).get("/api/v1/status/").json()
    assert body["broker"] == "down"
    ingestion = next(q for q in body["queues"] if q["name"] == "ingestion")
    assert ingestion["depth"] is None
    assert 420 <= ingestion["oldest_age_s"] < 440


@pytest.mark.django_db
def test_queue_depths_come_from_the_broker():
    from config.celery import app
    from kpis.ingestion.tasks import ingest_upload

    app.control.purge()  # what other tests left
    before = {q["name"]: q["depth"] for q in system.system_status()["queues"]}
    ingest_upload.apply_async((999_999,))
    ingest_upload.apply_async((999_998,))
    after = {q["name"]: q["depth"] for q in system.system_status()["queues"]}
    app.control.purge()
    assert after["ingestion"] == before["ingestion"] + 2
    assert after["reports"] == before["reports"]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [("manager", 200), ("auditor", 200),
                                              ("admin", 200), ("procurement", 403)])  # fmt: skip
def test_the_status_page_is_for_staff_roles(client, make_user, role, status):
    client.force_login(make_user(role))
    response = client.get("/status/")
    assert response.status_code == status
    if status == 200:
        assert b"status-queue-ingestion" in response.content
        assert b"never heard from" in response.content


@pytest.mark.django_db
def test_the_oldest_pending_e_mail_is_the_email_queues_oldest_job(api_as, manager_user):
    from outbox.models import OutboxMail

    OutboxMail.objects.create(kind="reminder", object_ref="x", recipient="a@x.example",
                              subject="S", body="B")  # fmt: skip
    OutboxMail.objects.update(created_at=timezone.now() - timedelta(seconds=90))
    body = api_as(manager_user).get("/api/v1/status/").json()
    email = next(q for q in body["queues"] if q["name"] == "email")
    assert 90 <= email["oldest_age_s"] < 100
