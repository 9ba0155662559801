"""A body declared larger than the upload limit is refused with 413 before it is read."""

import io

import pytest
from django.test import override_settings

from kpis.models import KpiUpload

pytestmark = pytest.mark.django_db


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readinto = read


def declared(client, path: str, size: int, **extra):
    return client.generic(
        "POST", path, b"", content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(size), **extra,
    )  # fmt: skip


@override_settings(KPI_UPLOAD_MAX_BYTES=1_000)
def test_the_upload_page_answers_413_with_the_limit_unread(client, vendor_user, monkeypatch):
    client.force_login(vendor_user)
    monkeypatch.setattr("django.test.client.FakePayload.read", UnreadableBody().read)
    response = declared(client, "/kpis/", 5_000_000)
    assert response.status_code == 413
    body = response.content.decode()
    assert "The request is 5.0 MB; files up to 0.0 MB are accepted." in body
    assert 'data-testid="size-refusal"' in body and not KpiUpload.objects.exists()


@override_settings(KPI_UPLOAD_MAX_BYTES=2_000_000)
def test_the_api_answers_413_in_json(client, vendor_user, monkeypatch):
    client.force_login(vendor_user)
    monkeypatch.setattr("django.test.client.FakePayload.read", UnreadableBody().read)
    response = declared(client, "/api/v1/kpi-uploads/", 3_000_001)
    assert response.status_code == 413
    assert response.json() == {"detail": "The request is 3.0 MB; files up to 2.0 MB are accepted."}


@override_settings(KPI_UPLOAD_MAX_BYTES=2_000_000)
def test_a_body_within_the_limit_plus_the_forms_room_goes_through(client, vendor_user):
    client.force_login(vendor_user)
    # 2 MB of file plus up to 1 MB of form around it is not refused here (the view decides).
    response = declared(client, "/api/v1/kpi-uploads/", 3_000_000)
    assert response.status_code != 413
