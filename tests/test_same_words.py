"""The page and the API answer the same words for the same mistake (each rule is stated once,
in the service's validator): events, proposals and contracts, several mistakes each."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.forms import BaseFormSet
from django.utils import timezone

from tests.support.vendors import event_make

pytestmark = pytest.mark.django_db

# A message the contract page could not place on a field carries its path (`pricing[0].rate: `).
PATH_LABEL = re.compile(r"^[a-z_]+(\[\d+\])?(\.[a-z_]+(\[\d+\])?)*: ")


def _form_words(form) -> set[str]:
    if isinstance(form, BaseFormSet):
        words = set(form.non_form_errors())
        for row in form.forms:
            words |= _form_words(row)
        return words
    return {text for texts in form.errors.values() for text in texts}


def page_words(response, *names: str) -> set[str]:
    """Every error message the page shows on its forms and tables (paths stripped)."""
    assert response.status_code == 200, "the form is shown again with its errors"
    words: set[str] = set()
    for name in names:
        part = response.context[name]
        for form in getattr(part, "parts", (part,)):
            words |= _form_words(form)
    return {PATH_LABEL.sub("", text) for text in words}


def api_words(response) -> set[str]:
    """Every error message of a 400 answer, however it is nested."""
    assert response.status_code == 400, response.content

    def walk(node: Any) -> set[str]:
        if isinstance(node, dict):
            return set().union(*(walk(v) for v in node.values())) if node else set()
        if isinstance(node, list):
            return set().union(*(walk(v) for v in node)) if node else set()
        return {str(node)}

    return walk(response.json())


def management(prefix: str, rows: int) -> dict[str, str]:
    return {f"{prefix}-TOTAL_FORMS": str(rows), f"{prefix}-INITIAL_FORMS": "0"}


# Events --------------------------------------------------------------------------------------


def event_pair(vendor, **change: Any) -> tuple[dict, dict]:
    """The same event as the page's form and as the API's body; `change` edits both."""
    now = timezone.localtime()
    start = (now + timedelta(days=60)).date().isoformat()
    deadline = now + timedelta(days=7)
    phone = {"volume": "12000", "sl_percent": "80", "share_nl": "0.6", "cost": "40"} | change
    start = change.get("start_date", start)
    page = {
        "title": "Customer service NL/EN 2027", "currency": "EUR", "term_months": "24",
        "start_date": start, "bid_deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
        "industry": "e-commerce", "shrinkage": "0.30", "max_occupancy": "0.85",
        "fte_hours": "160",
        "w-cost": phone["cost"], "w-expertise": "25", "w-security": "20", "w-language": "15",
        **management("chan", 2),
        "chan-0-channel": "phone", "chan-0-monthly_volume": phone["volume"],
        "chan-0-aht_seconds": "330", "chan-0-sl_percent": phone["sl_percent"],
        "chan-0-sl_seconds": "20", "chan-0-opening_hours": "260",
        **management("lang", 2),
        "lang-0-tag": "nl", "lang-0-share": phone["share_nl"],
        "lang-1-tag": "en", "lang-1-share": "0.4",
        **management("cert", 1), **management("fx", 1),
        "invited_vendors": [vendor.pk],
    }  # fmt: skip
    channel = {"channel": "phone", "monthly_volume": int(phone["volume"]), "aht_seconds": 330,
               "sl_seconds": 20, "opening_hours": "260"}  # fmt: skip
    if phone["sl_percent"] != "":
        channel["sl_percent"] = phone["sl_percent"]
    api = {
        "title": "Customer service NL/EN 2027", "currency": "EUR", "term_months": 24,
        "start_date": start, "bid_deadline": deadline.replace(second=0, microsecond=0).isoformat(),
        "industry": "e-commerce", "shrinkage": "0.30", "max_occupancy": "0.85",
        "fte_hours": "160",
        "weights": {"cost": int(phone["cost"]), "expertise": 25, "security": 20, "language": 15},
        "channels": [channel],
        "languages": [{"tag": "nl", "share": phone["share_nl"]}, {"tag": "en", "share": "0.4"}],
        "invited_vendors": [vendor.pk],
    }  # fmt: skip
    return page, api


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"volume": "0"}, "Must be from 1 to 100000000."),  # out of range
        ({"sl_percent": "100"}, "Must be less than 100."),  # out of range
        ({"sl_percent": ""}, "A number is required."),  # a real-time channel's missing part
        ({"share_nl": "0.5"}, "Shares must sum to 1, they sum to 0.9."),  # across rows
        ({"cost": "50"}, "Must sum to 100, they sum to 110."),  # across weights
        ({"start_date": "2000-01-01"}, "The contract cannot start before the bid deadline."),
    ],
)
def test_an_event_mistake_reads_the_same_on_the_page_and_in_the_api(
    client, api_as, procurement_user, vendor, change, words
):
    page, api = event_pair(vendor, **change)
    client.force_login(procurement_user)
    on_page = page_words(client.post("/events/new/", page), "forms")
    in_api = api_words(api_as(procurement_user).post("/api/v1/events/", api, format="json"))
    assert on_page == in_api == {words}


# Proposals -----------------------------------------------------------------------------------


def proposal_pair(**change: str) -> tuple[dict, dict]:
    """The same proposal as the portal's form and as the API's body (without its event)."""
    given = {"rate": "35", "share": "0.5", "email": ""} | change
    page = {
        "currency": "EUR", "minimum_monthly_charge": "0",
        "oneoff-setup": "0", "oneoff-training": "0", "oneoff-project_management": "0",
        **management("price", 2),
        "price-0-channel": "phone", "price-0-model": "per_production_hour",
        "price-0-rate": given["rate"],
        "price-1-channel": given["email"], "price-1-model": "hybrid",
        "price-1-c1_model": "per_contact", "price-1-c1_rate": "4", "price-1-c1_share": "0.5",
        "price-1-c2_model": "per_handled_minute", "price-1-c2_rate": "0.8",
        "price-1-c2_share": given["share"],
        **management("fee", 0), **management("lang", 0),
    }  # fmt: skip
    api = {
        "currency": "EUR",
        "pricing": [
            {"channel": "phone", "model": "per_production_hour", "rate": given["rate"]},
            {"channel": given["email"] or None, "model": "hybrid", "components": [
                {"model": "per_contact", "rate": "4", "share": "0.5"},
                {"model": "per_handled_minute", "rate": "0.8", "share": given["share"]},
            ]},
        ],
    }  # fmt: skip
    return page, api


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"rate": "-4"}, "Must not be negative."),  # out of range
        ({"rate": "4.123456"}, "Use at most 4 decimal places."),  # out of range
        ({"email": "phone"}, "Phone is priced more than once."),  # across rows
        ({"share": "0.3"}, "Shares must sum to 1, they sum to 0.8000."),  # across components
    ],
)
def test_a_proposal_mistake_reads_the_same_on_the_page_and_in_the_api(
    client, api_as, vendor, vendor_user, change, words
):
    event = event_make(invited=[vendor])
    page, api = proposal_pair(**change)
    client.force_login(vendor_user)
    response = client.post(f"/portal/events/{event.pk}/propose/", page)
    on_page = page_words(response, "forms")
    answer = api_as(vendor_user).post(
        "/api/v1/proposals/", {"event": event.pk, **api}, format="json"
    )
    assert on_page == api_words(answer) == {words}


def test_a_channel_left_unpriced_reads_the_same_on_the_page_and_in_the_api(
    client, api_as, vendor, vendor_user
):
    event = event_make(invited=[vendor])
    page, api = proposal_pair()
    page |= {"price-TOTAL_FORMS": "1"}
    api["pricing"] = api["pricing"][:1]
    client.force_login(vendor_user)
    on_page = page_words(client.post(f"/portal/events/{event.pk}/propose/", page), "forms")
    answer = api_as(vendor_user).post(
        "/api/v1/proposals/", {"event": event.pk, **api}, format="json"
    )
    assert (
        on_page == api_words(answer) == {"email is not priced; price it or give a price for all."}
    )


# Contracts -----------------------------------------------------------------------------------


def contract_pair(vendor, **change: str) -> tuple[dict, dict]:
    """The same direct contract as the page's form and as the API's body."""
    given = {"currency": "EUR", "rate": "4.50", "minimum": "70", "allocation": "40"} | change
    page = {
        "reference": "SAME-01", "vendor": vendor.pk, "currency": given["currency"],
        "start_date": "2026-01-01", "end_date": "2026-12-31", "minimum_monthly_charge": "0",
        "at_risk_percent": "12", "pool_percent": "150", "retained_management_monthly": "0",
        "fte_hours": "160",
        "price-TOTAL_FORMS": "1", "price-INITIAL_FORMS": "0",
        "price-0-channel": "phone", "price-0-model": "per_contact", "price-0-rate": given["rate"],
        "fee-TOTAL_FORMS": "0", "fee-INITIAL_FORMS": "0",
        "oneoff-setup": "0", "oneoff-training": "0", "oneoff-project_management": "0",
        "target-TOTAL_FORMS": "1", "target-INITIAL_FORMS": "0",
        "target-0-metric": "service_level", "target-0-channel": "phone",
        "target-0-expected": "80", "target-0-minimum": given["minimum"],
        "target-0-critical": "on", "target-0-allocation_percent": given["allocation"],
    }  # fmt: skip
    api = {
        "reference": "SAME-01", "vendor": vendor.pk, "currency": given["currency"],
        "start_date": "2026-01-01", "end_date": "2026-12-31", "minimum_monthly_charge": "0",
        "at_risk_percent": "12", "pool_percent": "150", "retained_management_monthly": "0",
        "fte_hours": "160",
        "pricing": [{"channel": "phone", "model": "per_contact", "rate": given["rate"]}],
        "one_off_fees": {"setup": "0", "training": "0", "project_management": "0"},
        "sla_targets": [{"metric": "service_level", "channel": "phone", "expected": "80",
                         "minimum": given["minimum"], "critical": True,
                         "allocation_percent": given["allocation"]}],
    }  # fmt: skip
    return page, api


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"rate": "-1"}, "must not be negative"),  # out of range
        ({"rate": "4.12345"}, "use at most 4 decimal places"),  # out of range
        ({"currency": "XXY"}, "'XXY' is not an ISO 4217 currency"),  # reference data
        ({"allocation": "0"}, "a critical target needs an allocation"),  # a missing part
        ({"minimum": "85"}, "the minimum may not be stricter than expected (80)"),  # across fields
        ({"allocation": "200"}, "critical allocations sum to 200%, more than the pool of 150%"),
    ],
)
def test_a_contract_mistake_reads_the_same_on_the_page_and_in_the_api(
    client, api_as, manager_user, vendor, change, words
):
    page, api = contract_pair(vendor, **change)
    client.force_login(manager_user)
    response = client.post("/contracts/new/", page)
    on_page = page_words(response, "form", "prices", "fees", "one_off", "targets")
    in_api = api_words(api_as(manager_user).post("/api/v1/contracts/", api, format="json"))
    assert on_page == in_api == {words}
