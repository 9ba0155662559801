"""The event form's seasons (twelve factors, a sparkline) and time bands, as a person edits them."""

import pytest

from tests.support.pages import event_form, page
from tests.support.vendors import event_make
from vendors.models import SourcingEvent
from vendors.web.sparkline import sparkline_points

pytestmark = pytest.mark.django_db

PEAK = {f"season-0-m{n}": "0.9" for n in range(1, 11)} | {
    "season-0-m11": "1.5",
    "season-0-m12": "1.5",
}
BANDS = {
    f"band-{n}-{key}": value
    for n, band in enumerate(
        (("day", "180", "0.7"), ("evening", "50", "0.2"), ("weekend", "30", "0.1"))
    )
    for key, value in zip(("channel", "name", "hours", "share"), ("phone", *band), strict=True)
}


def errors_of(response) -> dict:
    forms = response.context["forms"]
    return {
        "seasons": [f.errors for f in forms.seasons.forms],
        "bands": [f.errors for f in forms.bands.forms],
        "bands_table": list(forms.bands.non_form_errors()),
        "channels": [f.errors for f in forms.channels.forms],
        "form": forms.form.errors,
    }


def test_seasons_bands_and_patience_are_saved_from_the_form(client, procurement_user):
    client.force_login(procurement_user)
    data = event_form(
        **{"season-0-channel": "phone", **PEAK, **BANDS, "chan-0-patience_seconds": "120"}
    )
    response = client.post("/events/new/", data)
    assert response.status_code == 302, errors_of(response)
    phone, email = SourcingEvent.objects.get().channels
    assert phone["profile"]["months"] == ["0.9000"] * 10 + ["1.5000", "1.5000"]
    assert [b["name"] for b in phone["profile"]["bands"]] == ["day", "evening", "weekend"]
    assert phone["patience_seconds"] == 120
    assert "profile" not in email


def test_a_blank_month_counts_as_one(client, procurement_user):
    client.force_login(procurement_user)
    months = {f"season-0-m{n}": "" for n in range(1, 13)} | {
        "season-0-m1": "0.5",
        "season-0-m2": "1.5",
    }
    response = client.post("/events/new/", event_form(**{"season-0-channel": "phone", **months}))
    assert response.status_code == 302, errors_of(response)
    months = SourcingEvent.objects.get().channels[0]["profile"]["months"]
    assert months == ["0.5000", "1.5000"] + ["1.0000"] * 10


def test_the_edit_form_shows_the_factors_bands_and_a_sparkline(client, procurement_user, vendor):
    event = event_make(
        invited=[vendor],
        opened=False,
        channels=[
            {
                "channel": "phone", "monthly_volume": 10000, "aht_seconds": 300,
                "sl_percent": "80", "sl_seconds": 20, "opening_hours": "260",
                "profile": {
                    "months": ["0.9"] * 10 + ["1.5", "1.5"],
                    "bands": [
                        {"name": "day", "hours": "200", "share": "0.8"},
                        {"name": "night", "hours": "60", "share": "0.2"},
                    ],
                },
            }
        ],
    )  # fmt: skip
    client.force_login(procurement_user)
    html = page(client, f"/events/{event.pk}/edit/")
    assert 'name="season-0-m11" value="1.5000"' in html
    assert 'name="band-1-name" value="night"' in html
    volumes = [9000] * 10 + [15000, 15000]
    assert f'points="{sparkline_points(volumes)}"' in html
    assert "Monthly volume, January to December: 9,000" in html
    assert "seasons.js" in html


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        (
            {"season-0-channel": "phone", **PEAK, "season-0-m1": "2"},
            ("seasons", 0, "channel"),
            "Factors must sum to 12 (an average of 1); they sum to 13.1.",
        ),
        (
            {**BANDS, "band-2-hours": "20"},
            ("bands_table", None, None),
            "phone: Band hours must sum to the opening hours (260); they sum to 250.",
        ),
        (
            {**BANDS, "band-2-name": "Day"},
            ("bands", 2, "name"),
            "Band Day is named more than once.",
        ),
        (
            {**BANDS, "band-0-channel": "chat"},
            ("bands", 0, "channel"),
            "This channel is not in the Channels table above.",
        ),
        (
            {"chan-1-patience_seconds": "60"},
            ("channels", 1, "patience_seconds"),
            "Only real-time channels (phone, chat) have callers who hang up.",
        ),
    ],
)
def test_profile_problems_are_shown_on_their_row(client, procurement_user, change, where, words):
    client.force_login(procurement_user)
    response = client.post("/events/new/", event_form(**change))
    assert response.status_code == 200
    errors = errors_of(response)
    part, row, field = where
    found = errors[part] if row is None else errors[part][row][field]
    assert any(words in message for message in found), errors
    assert not SourcingEvent.objects.exists()


def test_the_event_page_states_seasons_bands_and_patience(client, procurement_user, vendor):
    event = event_make(
        invited=[vendor],
        channels=[
            {
                "channel": "phone", "monthly_volume": 10000, "aht_seconds": 300,
                "sl_percent": "80", "sl_seconds": 20, "opening_hours": "260",
                "profile": {"bands": [{"name": "day", "hours": "200", "share": "0.8"},
                                      {"name": "night", "hours": "60", "share": "0.2"}]},
                "patience_seconds": 90,
            },
            {"channel": "email", "monthly_volume": 100, "aht_seconds": 60},
        ],
    )  # fmt: skip
    client.force_login(procurement_user)
    html = page(client, f"/events/{event.pk}/")
    assert html.count('data-testid="channel-profile"') == 1
    assert "bands day 200 h 80%, night 60 h 20%; callers hang up after 90 s on average" in html
