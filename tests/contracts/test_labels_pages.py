"""Contract pages in human words: codes as labels, money with its currency and separators,
targets as min/max with their unit, labelled inputs, a history that names what changed."""

from decimal import Decimal

import pytest

from contracts.models import Contract
from core import formatting
from tests.support.contracts import payload
from tests.support.language import read_in
from tests.support.vendors import closed_event_with_proposals, vendor_make

pytestmark = pytest.mark.django_db

CODES = ("per_production_hour", "per_contact", "project_management", "asa_seconds",
         "service_level", "---------")  # fmt: skip


@pytest.fixture
def contract(api_as, manager_user, vendor):
    response = api_as(manager_user).post("/api/v1/contracts/", payload(vendor), format="json")
    return Contract.objects.get(pk=response.json()["id"])


def test_the_contract_page_names_every_code_and_shows_targets_with_units(
    client, manager_user, contract
):
    client.force_login(manager_user)
    page = client.get(f"/contracts/{contract.pk}/?month=2026-03").content.decode()
    assert "per production hour" in page and "per contact" in page
    assert "One-off: project management" in page and "€15,000.00" in page
    # service level: higher is better; ASA: lower is better, in seconds.
    assert ">min 80%<" in page and ">min 75%<" in page
    assert ">max 20 seconds<" in page and ">max 30 seconds<" in page
    assert "Service level 72.5%" in page  # a baseline KPI level with its unit
    for code in CODES:
        assert code not in page
    assert "€1,500.00" in page and "1500.00" not in page


def test_a_dutch_reader_sees_decimal_commas_and_the_month_in_dutch(client, manager_user, contract):
    client.force_login(manager_user)
    read_in(client, "nl")
    page = client.get(f"/contracts/{contract.pk}/?month=2026-03").content.decode()
    assert "maart 2026" in page
    assert "€\xa015.000,00" in page and "€\xa059.750,00" in page
    assert "35,00" in page and ">min. 80%<" in page  # "min." in Dutch


def test_the_contract_list_filters_say_any_and_all_instead_of_dashes(client, manager_user):
    client.force_login(manager_user)
    page = client.get("/contracts/").content.decode()
    assert "Any status" in page and "All vendors" in page and "---------" not in page


def test_the_fee_inputs_of_the_amendment_page_carry_their_labels(client, manager_user, contract):
    client.force_login(manager_user)
    client.post(f"/contracts/{contract.pk}/activate/")
    page = client.get(f"/contracts/{contract.pk}/amend/").content.decode()
    for label in ("Name", "Amount per month", "Delete"):
        assert f'aria-label="{label}"' in page


def test_the_baseline_form_says_fte_ict_and_on_cost_properly(client, manager_user, contract):
    client.force_login(manager_user)
    page = client.get(f"/contracts/{contract.pk}/baseline/").content.decode()
    assert "FTE" in page and "ICT per FTE" in page and "Employer on-cost (%)" in page
    for leak in ("Fte<", "Ict per fte", "Employer oncost percent"):
        assert leak not in page


def test_the_history_names_the_person_and_reads_json_as_lines(
    client, manager_user, auditor_user, contract
):
    client.force_login(manager_user)
    client.post(f"/contracts/{contract.pk}/activate/")
    sl = contract.targets.get(metric="service_level")
    response = client.post(
        f"/contracts/{contract.pk}/amend/",
        {"effective_month": "2026-09", "reason": "New minimum", "minimum_monthly_charge": "",
         "fee-TOTAL_FORMS": "0", "fee-INITIAL_FORMS": "0", f"target-{sl.pk}-minimum": "77"},
    )  # fmt: skip
    assert response.status_code == 302
    client.force_login(auditor_user)
    page = client.get(f"/history/contracts/contract/{contract.pk}/").content.decode()
    assert f"<td>{manager_user.username}</td>" in page  # the amendment's author, not an id
    assert "<td>ACME-NL-01</td>" in page  # an amendment's contract by its reference
    assert "Setup: 15,000<br>" in page and "Project management: 0" in page  # one-off fees
    assert "Service level · Phone" in page  # an SLA target by its name
    assert "{&#x27;" not in page and "{'" not in page
    assert "Employer on-cost (%)" in page and "ICT per FTE" in page


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_award_page_shows_the_tco_as_money(client, api_as, make_user, language):
    event, _ = closed_event_with_proposals(vendor_make("Winner BV"), vendor_make("Runner-up BV"))
    procurement = make_user("procurement")
    ranking = api_as(procurement).get(f"/api/v1/events/{event.pk}/ranking/").json()
    tco = Decimal(ranking["results"][0]["tco"])
    client.force_login(procurement)
    read_in(client, language)
    page = client.get(f"/contracts/award/{event.pk}/").content.decode()
    assert formatting.money(tco, event.currency, language=language) in page
    assert f"{tco:.2f}" not in page
