"""The SLA targets page of a draft contract (an awarded contract starts with no targets)."""

import pytest

from contracts.models import Contract
from tests.support.contracts import payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(api_as, manager_user, vendor):
    body = {**payload(vendor), "sla_targets": []}
    response = api_as(manager_user).post("/api/v1/contracts/", body, format="json")
    return Contract.objects.get(pk=response.json()["id"])


def rows(*targets) -> dict:
    """Formset POST data: the given rows, then one spare row left alone."""
    data = {"target-TOTAL_FORMS": len(targets) + 1, "target-INITIAL_FORMS": 0}
    for i, target in enumerate([*targets, {}]):
        row = {"metric": "", "channel": "", "expected": "", "minimum": "",
               "critical": "on", "allocation_percent": "0", **target}  # fmt: skip
        data |= {f"target-{i}-{k}": v for k, v in row.items() if v is not None}
    return data


SL = {"metric": "service_level", "channel": "phone", "expected": "80", "minimum": "75",
      "allocation_percent": "50"}  # fmt: skip


def test_the_manager_sets_targets_on_a_draft_and_a_spare_row_is_ignored(
    client, manager_user, contract
):
    client.force_login(manager_user)
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert f'href="/contracts/{contract.pk}/targets/"' in page
    response = client.post(f"/contracts/{contract.pk}/targets/", rows(SL))
    assert response.status_code == 302
    target = contract.targets.get()
    assert (target.metric, target.channel, target.minimum) == ("service_level", "phone", 75)
    again = client.get(f"/contracts/{contract.pk}/targets/").content.decode()
    assert 'value="80.0000"' in again  # the saved target comes back for editing


def test_a_domain_problem_is_shown_on_its_row_and_the_pool_above(client, manager_user, contract):
    client.force_login(manager_user)
    stricter = {**SL, "minimum": "85"}
    html = client.post(f"/contracts/{contract.pk}/targets/", rows(stricter)).content.decode()
    assert "the minimum may not be stricter than expected" in html
    over = [
        {**SL, "allocation_percent": "100"},
        {**SL, "channel": "chat", "allocation_percent": "60"},
    ]
    html = client.post(f"/contracts/{contract.pk}/targets/", rows(*over)).content.decode()
    assert 'data-testid="target-problems"' in html
    assert contract.targets.count() == 0


def test_an_active_contract_changes_its_targets_by_amendment_only(client, manager_user, contract):
    Contract.objects.filter(pk=contract.pk).update(status="active")
    client.force_login(manager_user)
    response = client.get(f"/contracts/{contract.pk}/targets/", follow=True)
    assert "amend its targets" in response.content.decode()


def test_other_roles_cannot_set_targets(client, make_user, contract):
    client.force_login(make_user("auditor"))
    assert client.get(f"/contracts/{contract.pk}/targets/").status_code == 403
