"""`dispute_days`: default 10, set in a draft, frozen with the rest once active, shown."""

import pytest

from tests.support.contracts import payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(api_as, manager_user):
    return api_as(manager_user)


def test_a_new_contract_gives_the_vendor_ten_days_to_dispute(manager, vendor):
    created = manager.post("/api/v1/contracts/", payload(vendor), format="json").json()
    assert created["dispute_days"] == 10


def test_a_draft_sets_its_dispute_days_and_an_active_contract_refuses_the_change(manager, vendor):
    created = manager.post(
        "/api/v1/contracts/", {**payload(vendor), "dispute_days": 15}, format="json"
    ).json()
    url = f"/api/v1/contracts/{created['id']}/"
    assert created["dispute_days"] == 15
    assert manager.patch(url, {"dispute_days": 20}, format="json").json()["dispute_days"] == 20
    for bad in (-1, 366, "ten"):
        answer = manager.patch(url, {"dispute_days": bad}, format="json")
        assert answer.status_code == 400 and "dispute_days" in answer.json(), bad
    manager.post(f"{url}activate/")
    frozen = manager.patch(url, {"dispute_days": 30}, format="json")
    assert frozen.status_code == 409 and "dispute_days" in str(frozen.json())


def test_the_contract_page_shows_the_dispute_window(client, manager, vendor, vendor_user):
    created = manager.post(
        "/api/v1/contracts/", {**payload(vendor), "dispute_days": 7}, format="json"
    ).json()
    client.force_login(vendor_user)
    text = client.get(f"/contracts/{created['id']}/").content.decode()
    assert "7 days after a month is evaluated" in text
