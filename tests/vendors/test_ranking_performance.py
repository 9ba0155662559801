"""The ranking's performance criterion from the database: each bidder's target-months in the
12 months before the bid deadline, read for every bidder at once through the provider that
kpis registers; a newcomer gets the event's score. Worked out by hand below.

The clock is pinned (tests/conftest.py) to 2026-12-02, and the hand event's deadline is a
minute before it: the window is 2025-12 to 2026-11.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from tests.support.evaluation import make_contract
from tests.support.ranking import COST, EXPERTISE, LANGUAGE, SECURITY, hand_event
from tests.support.track_records import judged_months
from tests.support.vendors import closed_event_with_proposals, vendor_make
from vendors.models import Proposal, SourcingEvent

pytestmark = pytest.mark.django_db

D = Decimal
M, W, B, X = "met", "warning", "breach", "missing"
WHAT_IF = "?weights=cost:40,expertise:20,security:20,language:10,performance:10"


def two(value: Decimal) -> str:
    return str(value.quantize(D("0.01"), rounding=ROUND_HALF_UP))


def vendor_of(proposal_id: int):
    return Proposal.objects.select_related("vendor").get(pk=proposal_id).vendor


@pytest.fixture
def hand(make_user):
    """The hand event; Alpha has 14 judged target-months in the window, Bravo 5 (a newcomer),
    Charlie none; the event's newcomer score is 40."""
    event, ids = hand_event(make_user)
    alpha = make_contract(
        vendor_of(ids["Alpha"]), reference="ALPHA-01", start=date(2025, 1, 1),
        end=date(2027, 12, 31),
    )  # fmt: skip
    judged_months(alpha, {"2026-09": [B, B, B, B, B]}, current=False)  # superseded: ignored
    judged_months(alpha, {
        "2025-11": [B, B, B, B, B],  # before the window
        "2026-09": [M, M, M, W, M],  # 4 met, 1 warning
        "2026-10": [M, B, M, X, M],  # 3 met, 1 breach, 1 missing
        "2026-11": [M, W, B, M],  # 2 met, 1 warning, 1 breach (the 5th target not evaluated)
        "2026-12": [B, B, B, B, B],  # the deadline's own month
    })  # fmt: skip
    bravo = make_contract(
        vendor_of(ids["Bravo"]), reference="BRAVO-01", start=date(2025, 1, 1),
        end=date(2027, 12, 31),
    )  # fmt: skip
    judged_months(bravo, {"2026-06": [M, M, M, M, M]})
    SourcingEvent.objects.filter(pk=event.pk).update(newcomer_performance=40)
    return event, ids


def ranking(client, event, query: str = "") -> dict[str, Any]:
    response = client.get(f"/api/v1/events/{event.pk}/ranking/{query}")
    assert response.status_code == 200, response.content
    return response.json()


def rows(body) -> dict[str, dict[str, Any]]:
    return {r["vendor_name"].removesuffix(" Support"): r for r in body["results"]}


def test_the_track_record_counts_the_fourteen_judged_target_months_in_the_window(
    api_as, procurement_user, hand
):
    event, _ = hand
    found = rows(ranking(api_as(procurement_user), event, WHAT_IF))
    # 9 met, 2 warning, 2 breach, 1 missing = 14 judged: 100 x (9 + 0.5 x 2) / 14 = 71.43
    assert found["Alpha"]["track_record"] == {
        "judged": 14, "met": 9, "warning": 2, "breach": 2, "missing": 1, "newcomer": False,
        "score": "71.43", "performance": "71.43", "newcomer_performance": "40.00",
        "period_from": "2025-12", "period_to": "2026-11",
    }  # fmt: skip
    assert found["Alpha"]["scores"]["performance"] == "71.43"
    formula = found["Alpha"]["explanation"]["formulas"]["performance"]
    assert formula == "100 × (9 + 0.5 × 2) / 14 = 71.43"


def test_a_newcomer_gets_the_events_score_and_is_marked(api_as, procurement_user, hand):
    event, _ = hand
    found = rows(ranking(api_as(procurement_user), event, WHAT_IF))
    assert found["Bravo"]["track_record"]["judged"] == 5
    assert found["Bravo"]["track_record"]["newcomer"] is True
    assert found["Bravo"]["track_record"]["score"] is None
    assert found["Bravo"]["scores"]["performance"] == "40.00"
    assert found["Charlie"]["track_record"]["judged"] == 0
    assert found["Charlie"]["scores"]["performance"] == "40.00"


def test_the_performance_weight_changes_each_total_exactly_as_the_formula_says(
    api_as, procurement_user, hand
):
    event, _ = hand
    body = ranking(api_as(procurement_user), event, WHAT_IF)
    performance = {"Alpha": D(1000) / D(14), "Bravo": D(40), "Charlie": D(40)}
    for name, row in rows(body).items():
        if name == "Delta":
            assert row["total"] is None  # disqualified
            continue
        expected = (
            40 * COST[name] + 20 * EXPERTISE[name] + 20 * SECURITY[name] + 10 * LANGUAGE[name]
            + 10 * performance[name]
        ) / 100  # fmt: skip
        assert row["total"] == two(expected), name
    assert body["weights"]["performance"] == 10
    assert "performance" in body["sensitivity"]
    assert {s["criterion"] for s in body["sensitivity_explained"]} >= {"performance"}


def test_an_event_weighing_performance_ranks_with_it_without_a_what_if(
    api_as, procurement_user, hand
):
    event, _ = hand
    SourcingEvent.objects.filter(pk=event.pk).update(weight_language=10, weight_performance=10)
    body = ranking(api_as(procurement_user), event)
    assert body["what_if"] is False
    assert body["event_weights"]["performance"] == 10
    assert rows(body)["Alpha"]["scores"]["performance"] == "71.43"


def test_an_event_that_does_not_weigh_performance_answers_as_before(api_as, procurement_user, hand):
    event, _ = hand
    body = ranking(api_as(procurement_user), event)
    assert set(body["weights"]) == {"cost", "expertise", "security", "language"}
    assert set(body["sensitivity"]) == {"cost", "expertise", "security", "language"}
    alpha = rows(body)["Alpha"]
    assert set(alpha["scores"]) == {"cost", "expertise", "security", "language"}
    assert alpha["total"] == two(
        (40 * COST["Alpha"] + 20 * EXPERTISE["Alpha"] + 20 * SECURITY["Alpha"]
         + 20 * LANGUAGE["Alpha"]) / 100
    )  # fmt: skip
    assert alpha["track_record"]["judged"] == 14  # shown, though not weighed


def test_the_comparison_page_shows_the_performance_score_and_its_inputs(
    client, procurement_user, hand
):
    event, _ = hand
    client.force_login(procurement_user)
    html = client.get(f"/events/{event.pk}/comparison/{WHAT_IF}").content.decode()
    assert 'data-testid="performance"' in html
    assert "14 judged target-months from December 2025 to November 2026: 9 met, 2 warning" in html
    assert (
        "newcomer: 5 judged target-months from December 2025 to November 2026 (fewer than 6)"
        in html
    )
    assert "so the event's default score 40" in html


def _event_with_track_records(count: int, first: int):
    vendors = [vendor_make() for _ in range(count)]
    for n, vendor in enumerate(vendors):
        contract = make_contract(
            vendor, reference=f"TR-{first + n:03}", start=date(2025, 1, 1), end=date(2027, 12, 31)
        )
        judged_months(contract, {"2026-10": [M, M, W, B, X], "2026-11": [M, M, M, M, M]})
    event, _ = closed_event_with_proposals(*vendors)
    SourcingEvent.objects.filter(pk=event.pk).update(
        weight_language=F("weight_language") - 10, weight_performance=10
    )
    return event


def test_the_track_records_cost_one_query_whatever_the_number_of_bidders(api_as, procurement_user):
    client = api_as(procurement_user)
    counts = []
    for event in (_event_with_track_records(2, 0), _event_with_track_records(6, 10)):
        client.get(f"/api/v1/events/{event.pk}/ranking/")  # warm the role cache
        with CaptureQueriesContext(connection) as queries:
            body = ranking(client, event)
        counts.append(len(queries))
        assert all(r["track_record"]["judged"] == 10 for r in body["results"])
        reads = [q["sql"] for q in queries.captured_queries if "kpis_targetresult" in q["sql"]]
        assert len(reads) == 1, reads
    assert counts[0] == counts[1], counts
