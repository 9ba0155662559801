"""Required languages and language coverage through the events API, the event form, history,
the ranking API, the comparison page, its exports and the comparison report.

The hand-calculated event of tests/support/ranking.py is 60 % Dutch and 40 % English; here its
Dutch is required at C1 for every opening hour:
  Alpha offers nl native (100 %) and en-GB C1        -> qualifies; coverage 60 + 40 = 100 %
  Bravo offers nl C2 for 50 % of hours, en native    -> disqualified; coverage 30 + 40 = 70 %
  Charlie (its profile) nl B2, en C2                 -> disqualified; coverage 60 + 40 = 100 %
  Delta nl and en native, but no GDPR DPA            -> disqualified (certificate only); 100 %
"""

import csv
import io

import pytest
from openpyxl import load_workbook

from reports.builders.comparison import build_comparison
from tests.support.openapi import check, openapi_schema
from tests.support.pages import event_form, page
from tests.support.ranking import hand_event
from tests.support.vendors import event_make, event_payload, proposal_make, vendor_make
from vendors.models import SourcingEvent
from vendors.services.events import event_update
from vendors.services.proposals import proposal_update
from vendors.tasks import event_changes

pytestmark = pytest.mark.django_db

URL = "/api/v1/events/"
NL_C1 = {"tag": "nl", "share": "0.6", "required": True, "minimum_level": "C1"}
BRAVO_REASON = (
    "Dutch (nl) is required at C1 or better for 100% of opening hours; offered: nl at C2 for 50%"
)
CHARLIE_REASON = (
    "Dutch (nl) is required at C1 or better for 100% of opening hours; offered: nl at B2 for 100%"
)


@pytest.fixture(scope="module")
def openapi():
    return openapi_schema()


@pytest.fixture
def dutch_required(make_user):
    event, ids = hand_event(make_user)
    # The deadline has passed (the event is frozen): the requirement is set as stored data.
    SourcingEvent.objects.filter(pk=event.pk).update(
        languages=[
            {"tag": "nl", "share": "0.6", "required": True, "minimum_level": "C1"},
            {"tag": "en", "share": "0.4"},
        ]
    )
    event.refresh_from_db()
    return event, ids


# The events API -------------------------------------------------------------------------------


def test_an_event_states_a_required_language_with_its_level_and_coverage(
    api_as, procurement_user, openapi
):
    languages = [
        {**NL_C1, "minimum_hours_coverage": "0.8"},
        {"tag": "en", "share": "0.4"},
    ]
    response = api_as(procurement_user).post(URL, event_payload(languages=languages), format="json")
    assert response.status_code == 201, response.content
    check(openapi, "post", URL, response)
    assert response.json()["languages"] == [
        {
            "tag": "nl",
            "share": "0.6000",
            "required": True,
            "minimum_level": "C1",
            "minimum_hours_coverage": "0.8000",
        },
        {
            "tag": "en",
            "share": "0.4000",
            "required": False,
            "minimum_level": None,
            "minimum_hours_coverage": None,
        },
    ]


def test_a_required_language_without_a_coverage_must_cover_every_hour(api_as, procurement_user):
    body = (
        api_as(procurement_user)
        .post(URL, event_payload(languages=[NL_C1, {"tag": "en", "share": "0.4"}]), format="json")
        .json()
    )
    assert body["languages"][0]["minimum_hours_coverage"] == "1.0000"
    assert SourcingEvent.objects.get().languages[0]["minimum_hours_coverage"] == "1"


@pytest.mark.parametrize(
    ("language", "field", "words"),
    [
        ({"required": True}, "minimum_level", "needs a minimum level"),
        ({"minimum_level": "C1"}, "minimum_level", "Applies only to a required language"),
        ({"minimum_hours_coverage": "0.5"}, "minimum_hours_coverage", "Applies only"),
        ({"required": True, "minimum_level": "C7"}, "minimum_level", "not a valid choice"),
        (
            {"required": True, "minimum_level": "B2", "minimum_hours_coverage": "1.5"},
            "minimum_hours_coverage",
            "at most 1",
        ),
    ],
)
def test_a_bad_requirement_is_a_400_naming_the_field(
    api_as, procurement_user, language, field, words
):
    languages = [{"tag": "nl", "share": "0.6", **language}, {"tag": "en", "share": "0.4"}]
    response = api_as(procurement_user).post(URL, event_payload(languages=languages), format="json")
    assert response.status_code == 400
    errors = response.json()
    # DRF names nested fields as {"languages": {"0": {field: [...]}}}; the domain as a path.
    messages = errors.get(f"languages[0].{field}") or errors["languages"]["0"][field]
    assert any(words in message for message in messages), errors


# The event form and history -------------------------------------------------------------------


def test_the_form_sets_a_requirement_with_a_checkbox_a_level_and_a_percentage(
    client, procurement_user
):
    client.force_login(procurement_user)
    data = event_form(
        **{
            "lang-0-required": "on",
            "lang-0-minimum_level": "C1",
            "lang-0-minimum_hours_coverage": "80",
        }
    )
    response = client.post("/events/new/", data)
    assert response.status_code == 302, response.context["forms"].languages.errors
    event = SourcingEvent.objects.get()
    assert event.languages[0] == {
        "tag": "nl",
        "share": "0.6000",
        "required": True,
        "minimum_level": "C1",
        "minimum_hours_coverage": "0.8",
    }
    assert event.languages[1] == {"tag": "en", "share": "0.4000"}
    detail = page(client, f"/events/{event.pk}/")
    assert "required: C1 (advanced) or better for 80% of opening hours" in detail
    edit = page(client, f"/events/{event.pk}/edit/")
    assert (
        'name="lang-0-required" aria-label="Required (knock-out)" id="id_lang-0-required" checked'
        in edit
    )
    assert '<option value="C1" selected>C1 (advanced)</option>' in edit
    assert 'name="lang-0-minimum_hours_coverage" value="80"' in edit


def test_the_form_shows_a_level_without_the_checkbox_on_its_row(client, procurement_user):
    client.force_login(procurement_user)
    response = client.post("/events/new/", event_form(**{"lang-0-minimum_level": "B2"}))
    assert response.status_code == 200
    errors = response.context["forms"].languages.forms[0].errors
    assert "Applies only to a required language" in errors["minimum_level"][0]
    assert not SourcingEvent.objects.exists()


def test_the_history_names_the_requirement_before_and_after():
    event = event_make(invited=[vendor_make()])
    event_update(
        event=event,
        data={
            "languages": [
                {**NL_C1, "minimum_hours_coverage": "0.75"},
                {"tag": "en", "share": "0.4"},
            ]
        },
    )
    history_id = event.history.order_by("-history_id").first().history_id
    (line,) = [x for x in event_changes(history_id=history_id) if x.startswith("languages")]
    assert line == (
        "languages: nl 60%; en 40% -> "
        "nl 60% (required: C1 or better for 75% of opening hours); en 40%"
    )


# The ranking API, the page, the exports and the report ----------------------------------------


def test_the_ranking_disqualifies_bids_short_of_the_required_dutch_with_the_reason(
    api_as, procurement_user, dutch_required, openapi
):
    event, ids = dutch_required
    response = api_as(procurement_user).get(f"/api/v1/events/{event.pk}/ranking/")
    assert response.status_code == 200
    check(openapi, "get", f"/api/v1/events/{event.pk}/ranking/", response)
    rows = {r["proposal"]: r for r in response.json()["results"]}
    assert [r["proposal"] for r in response.json()["results"]] == [
        ids["Alpha"],
        ids["Bravo"],
        ids["Charlie"],
        ids["Delta"],
    ]
    assert rows[ids["Alpha"]]["qualified"] and rows[ids["Alpha"]]["rank"] == 1
    assert rows[ids["Bravo"]]["disqualification_reasons"] == [BRAVO_REASON]
    assert rows[ids["Charlie"]]["disqualification_reasons"] == [CHARLIE_REASON]
    assert rows[ids["Delta"]]["disqualification_reasons"] == [
        "must-have certification GDPR DPA is missing"
    ]
    coverage = {name: rows[ids[name]]["language_coverage"] for name in ids}
    assert coverage == {"Alpha": "100.00", "Bravo": "70.00", "Charlie": "100.00", "Delta": "100.00"}
    # One qualified proposal: nobody can overtake it.
    assert set(response.json()["sensitivity"].values()) == {None}


def test_the_reason_reads_in_the_callers_language_codes_stay(
    api_as, procurement_user, dutch_required
):
    event, ids = dutch_required
    response = api_as(procurement_user).get(
        f"/api/v1/events/{event.pk}/ranking/", HTTP_ACCEPT_LANGUAGE="nl"
    )
    rows = {r["proposal"]: r for r in response.json()["results"]}
    (reason,) = rows[ids["Bravo"]]["disqualification_reasons"]
    assert "(nl)" in reason and "C1" in reason and "50%" in reason


def test_without_a_requirement_every_proposal_still_shows_its_coverage(
    api_as, procurement_user, make_user
):
    event, ids = hand_event(make_user)
    body = api_as(procurement_user).get(f"/api/v1/events/{event.pk}/ranking/").json()
    rows = {r["proposal"]: r for r in body["results"]}
    assert rows[ids["Bravo"]]["qualified"] and rows[ids["Bravo"]]["language_coverage"] == "70.00"


def test_the_page_shows_the_reason_and_the_coverage(client, procurement_user, dutch_required):
    event, _ = dutch_required
    client.force_login(procurement_user)
    html = page(client, f"/events/{event.pk}/comparison/")
    assert BRAVO_REASON in html and CHARLIE_REASON in html
    assert html.count('data-testid="language-coverage"') == 4
    assert ">70.00%<" in html


def test_the_page_names_who_would_rank_first(client, procurement_user, make_user):
    event, _ = hand_event(make_user)
    client.force_login(procurement_user)
    html = page(client, f"/events/{event.pk}/comparison/")
    assert '<td data-testid="new-winner-security">Bravo Support</td>' in html
    assert '<td data-testid="new-winner-cost">Charlie Support</td>' in html
    assert '<td data-testid="new-winner-language">—</td>' in html


def test_the_csv_has_the_reason_and_the_coverage(client, procurement_user, dutch_required):
    event, ids = dutch_required
    client.force_login(procurement_user)
    text = client.get(f"/events/{event.pk}/comparison/export.csv").content.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    bravo = next(row for row in rows if row[2] == str(ids["Bravo"]))
    assert bravo[header.index("Disqualification reasons")] == BRAVO_REASON
    assert bravo[header.index("Language coverage (% of volume at B2 or better)")] == "70.00"


def test_the_xlsx_names_the_new_winner(client, procurement_user, make_user):
    event, ids = hand_event(make_user)
    client.force_login(procurement_user)
    book = load_workbook(
        io.BytesIO(client.get(f"/events/{event.pk}/comparison/export.xlsx").content)
    )
    rows = {
        row[0].value: [c.value for c in row] for row in book["Sensitivity"].iter_rows(min_row=2)
    }
    assert rows["security"][4:] == [ids["Bravo"], "Bravo Support"]
    assert rows["language"][4:] == [None, None]


def test_the_comparison_report_prints_the_reason_and_the_coverage(dutch_required):
    event, ids = dutch_required
    content = build_comparison({"event": event.pk})
    header = content.csv_header
    bravo = next(r for r in content.csv_rows if r[1] == str(ids["Bravo"]))
    assert bravo[header.index("disqualification_reasons")] == BRAVO_REASON
    assert bravo[header.index("language_coverage_percent")] == "70.00"


def test_the_comparison_report_names_the_new_winners(make_user):
    event, ids = hand_event(make_user)
    context = build_comparison({"event": event.pk}).context
    lines = {line["criterion"]: line for line in context["sensitivity"]}
    assert lines["security"]["new_winner"] == "Bravo Support"
    assert lines["security"]["flip"].new_winner == ids["Bravo"]
    assert lines["cost"]["new_winner"] == "Charlie Support"
    assert lines["language"]["flip"] is None and lines["language"]["new_winner"] is None


# The proposal page ----------------------------------------------------------------------------


def test_a_vendor_sees_on_its_own_open_proposal_that_it_misses_a_required_language(
    client, make_user
):
    bidder = vendor_make()
    event = event_make(
        invited=[bidder],
        languages=[{**NL_C1, "minimum_hours_coverage": "0.9"}, {"tag": "en", "share": "0.4"}],
    )
    proposal = proposal_make(
        event=event,
        vendor=bidder,
        languages=[{"tag": "nl-BE", "level": "C2", "hours_coverage": "0.5"}],
    )
    client.force_login(make_user("vendor", vendor=bidder))
    html = page(client, f"/proposals/{proposal.pk}/")
    assert 'data-testid="language-shortfalls"' in html
    assert (
        "Dutch (nl) is required at C1 or better for 90% of opening hours; "
        "offered: nl-BE at C2 for 50%"
    ) in html
    # Meeting it, the warning goes.
    proposal_update(proposal=proposal, data={"languages": [{"tag": "nl", "level": "native"}]})
    assert 'data-testid="language-shortfalls"' not in page(client, f"/proposals/{proposal.pk}/")


def test_a_buyer_sees_no_language_verdict_while_bids_are_sealed(client, procurement_user):
    bidder = vendor_make()
    event = event_make(invited=[bidder], languages=[NL_C1, {"tag": "en", "share": "0.4"}])
    proposal = proposal_make(event=event, vendor=bidder, languages=[{"tag": "en", "level": "C1"}])
    client.force_login(procurement_user)
    html = page(client, f"/proposals/{proposal.pk}/")
    assert 'data-testid="sealed-note"' in html
    assert 'data-testid="language-shortfalls"' not in html and "Dutch (nl)" not in html
