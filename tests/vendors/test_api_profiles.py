"""Events' channel profiles (seasons, bands) and patience through `/api/v1/events/`."""

import pytest

from tests.support.openapi import check
from tests.support.vendors import event_make, event_payload
from vendors.models import SourcingEvent

pytestmark = pytest.mark.django_db

URL = "/api/v1/events/"
PEAK = ["0.9"] * 10 + ["1.5", "1.5"]
BANDS = [
    {"name": "day", "hours": "180", "share": "0.7"},
    {"name": "evening", "hours": "50", "share": "0.2"},
    {"name": "weekend", "hours": "30", "share": "0.1"},
]


def phone(**extra):
    return {
        "channel": "phone",
        "monthly_volume": 12000,
        "aht_seconds": 330,
        "sl_percent": "80",
        "sl_seconds": 20,
        "opening_hours": "260",
        **extra,
    }


def test_a_profile_and_a_patience_are_kept_and_answered(openapi, api_as, procurement_user, vendor):
    payload = event_payload(
        invited_vendors=[vendor.pk],
        channels=[
            phone(profile={"months": PEAK, "bands": BANDS}, patience_seconds=90),
            {"channel": "email", "monthly_volume": 8000, "aht_seconds": 480},
        ],
    )
    response = api_as(procurement_user).post(URL, payload, format="json")
    assert response.status_code == 201, response.content
    first, second = response.json()["channels"]
    assert first["patience_seconds"] == 90
    assert first["profile"]["months"] == ["0.9000"] * 10 + ["1.5000", "1.5000"]
    assert first["profile"]["bands"] == [
        {"name": "day", "hours": "180.00", "share": "0.7000"},
        {"name": "evening", "hours": "50.00", "share": "0.2000"},
        {"name": "weekend", "hours": "30.00", "share": "0.1000"},
    ]
    assert second["profile"] is None and second["patience_seconds"] is None
    stored = SourcingEvent.objects.get(pk=response.json()["id"]).channels[0]
    assert stored["profile"]["months"][10] == "1.5000"
    assert stored["patience_seconds"] == 90
    opened = event_make(invited=[vendor], channels=payload["channels"])
    url = f"{URL}{opened.pk}/"
    check(openapi, "get", url, api_as(procurement_user).get(url))


def test_an_event_without_profiles_is_stored_as_before(api_as, procurement_user, vendor):
    response = api_as(procurement_user).post(
        URL, event_payload(invited_vendors=[vendor.pk]), format="json"
    )
    stored = SourcingEvent.objects.get(pk=response.json()["id"]).channels
    assert all("profile" not in c and "patience_seconds" not in c for c in stored)


@pytest.mark.parametrize(
    ("channel", "field", "words"),
    [
        (
            phone(profile={"months": ["1"] * 11 + ["2"]}),
            "channels[0].profile.months",
            "Factors must sum to 12 (an average of 1); they sum to 13.",
        ),
        (
            phone(profile={"months": ["1"] * 11}),
            "channels[0].profile.months",
            "Give 12 factors (January to December), not 11.",
        ),
        (
            phone(profile={"months": ["1"] * 11 + ["x"]}),
            "channels",  # a shape error: DRF names the nested item
            "A valid number is required.",
        ),
        (
            phone(profile={"bands": [*BANDS[:2], {**BANDS[2], "hours": "20"}]}),
            "channels[0].profile.bands",
            "Band hours must sum to the opening hours (260); they sum to 250.",
        ),
        (
            phone(profile={"bands": [*BANDS[:2], {**BANDS[2], "share": "0.2"}]}),
            "channels[0].profile.bands",
            "Band shares must sum to 1; they sum to 1.1.",
        ),
        (
            phone(profile={"bands": [*BANDS[:2], {**BANDS[2], "name": "Day"}]}),
            "channels[0].profile.bands[2].name",
            "Band Day is named more than once.",
        ),
        (
            phone(patience_seconds=0),
            "channels[0].patience_seconds",
            "Must be from 1 to 3600.",
        ),
        (
            {"channel": "email", "monthly_volume": 10, "aht_seconds": 60, "patience_seconds": 60},
            "channels[0].patience_seconds",
            "Only real-time channels (phone, chat) have callers who hang up.",
        ),
    ],
)
def test_a_bad_profile_is_a_400_naming_the_field(
    api_as, procurement_user, vendor, channel, field, words
):
    draft = event_make(invited=[vendor], opened=False)
    response = api_as(procurement_user).patch(
        f"{URL}{draft.pk}/", {"channels": [channel]}, format="json"
    )
    assert response.status_code == 400, response.content
    assert words in str(response.json()[field]), response.json()


def test_profile_changes_are_in_the_event_history(api_as, procurement_user, vendor):
    draft = event_make(invited=[vendor], opened=False)
    response = api_as(procurement_user).patch(
        f"{URL}{draft.pk}/",
        {"channels": [phone(profile={"months": PEAK})]},
        format="json",
    )
    assert response.status_code == 200, response.content
    before, after = draft.history.order_by("history_id").values_list("channels", flat=True)[:2]
    assert "profile" not in before[0]
    assert after[0]["profile"] == {"months": ["0.9000"] * 10 + ["1.5000", "1.5000"]}


def test_the_history_page_shows_a_profile_change_as_text(
    api_as, client, procurement_user, auditor_user, vendor
):
    draft = event_make(invited=[vendor], opened=False)
    bands = {"bands": BANDS, "months": PEAK}
    api_as(procurement_user).patch(
        f"{URL}{draft.pk}/",
        {"channels": [phone(profile=bands, patience_seconds=90)]},
        format="json",
    )
    client.force_login(auditor_user)
    page = client.get(f"/history/vendors/sourcingevent/{draft.pk}/").content.decode()
    assert "Phone: 12000 a month, AHT 330 s, 80% in 20 s, 260 h open | Email:" in page
    assert (
        "Phone: 12000 a month, AHT 330 s, 80% in 20 s, 260 h open; seasons Jan 0.9 Feb 0.9" in page
    )
    assert "Nov 1.5 Dec 1.5; bands day 180 h 70%, evening 50 h 20%, weekend 30 h 10%" in page
    assert "callers hang up after 90 s on average" in page
    assert "&#x27;profile&#x27;" not in page and "'profile'" not in page
