"""`GET /api/v1/events/{id}/ranking/` against a small event ranked by hand, and its rules.

The event, its four bids and every figure below are worked out by hand in the comments (and
recomputed in the tests with plain arithmetic, never with the product's own functions).
"""

import re
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from tests.support.openapi import check
from tests.support.ranking import (
    COST,
    EXPERTISE,
    LANGUAGE,
    SECURITY,
    TCO,
    WEIGHTS,
    hand_event,
    service_level,
    total,
)
from tests.support.vendors import (
    SECRETS,
    closed_event_with_proposals,
    event_make,
    proposal_make,
    vendor_make,
)
from vendors.services.proposals import proposal_withdraw

pytestmark = pytest.mark.django_db

D = Decimal
BUYERS = ["procurement", "manager", "auditor", "admin"]


def cents(value: Decimal) -> str:
    """Half-up to two places, as the API shows money (and, with `two`, every other figure)."""
    return str(value.quantize(D("0.01"), rounding=ROUND_HALF_UP))


two = cents


@pytest.fixture
def hand(make_user):
    return hand_event(make_user)


def ranking(client, event, query: str = "") -> dict[str, Any]:
    response = client.get(f"/api/v1/events/{event.pk}/ranking/{query}")
    assert response.status_code == 200, response.content
    return response.json()


def by_vendor(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["vendor_name"].removesuffix(" Support"): r for r in body["results"]}


# The hand calculation ------------------------------------------------------------------------


def test_the_hand_calculated_event_ranks_alpha_bravo_charlie_then_disqualified_delta(
    api_as, procurement_user, hand
):
    event, ids = hand
    body = ranking(api_as(procurement_user), event)
    assert [(r["proposal"], r["rank"]) for r in body["results"]] == [
        (ids["Alpha"], 1),
        (ids["Bravo"], 2),
        (ids["Charlie"], 3),
        (ids["Delta"], 4),
    ]
    assert [r["total"] for r in body["results"]] == ["90.19", "80.17", "70.17", None]
    assert [two(total(n)) for n in ("Alpha", "Bravo", "Charlie")] == ["90.19", "80.17", "70.17"]
    assert body["provisional"] is True  # Charlie has no rating yet
    assert body["weights"] == WEIGHTS and body["what_if"] is False


def test_erlang_c_gives_five_agents_for_the_phone_channel(api_as, procurement_user, hand):
    event, ids = hand
    # A = 6,000 / 200 x 300 / 3600 = 2.5; by the textbook formula SL(4) < 80% <= SL(5).
    assert service_level(4, 2.5) < 0.80 <= service_level(5, 2.5)
    assert 2.5 / 5 <= 0.85
    body = ranking(api_as(procurement_user), event)
    phone, email = body["staffing"]
    assert (phone["channel"], phone["traffic_erlangs"], phone["agents"]) == ("phone", "2.50", 5)
    assert phone["service_level_percent"] == two(D(repr(service_level(5, 2.5))) * 100) == "88.96"
    assert phone["occupancy_percent"] == "50.00"
    assert (phone["production_hours"], phone["paid_hours"], phone["required_fte"]) == (
        "1000.00",
        cents(D(1000) / D("0.7")),  # 1,428.57
        9,
    )
    assert (email["workload_hours"], email["production_hours"], email["required_fte"]) == (
        "170.00",
        "200.00",
        2,
    )


def test_hand_calculated_hours_monthly_costs_and_tco(api_as, procurement_user, hand):
    event, _ = hand
    rows = by_vendor(ranking(api_as(procurement_user), event))
    # Monthly cost and TCO of each bid, in EUR.
    assert {n: (r["monthly_cost"], r["tco"]) for n, r in rows.items()} == {
        "Alpha": ("39000.00", "954000.00"),
        "Bravo": ("43200.00", "1040400.00"),
        "Charlie": ("39570.00", "953680.00"),
        "Delta": ("7700.00", "184800.00"),
    }
    assert {n: cents(t) for n, t in TCO.items()} == {n: r["tco"] for n, r in rows.items()}
    # Alpha: understaffed on phone, priced on the 1,000 required hours, not the 900 stated.
    alpha = rows["Alpha"]["explanation"]
    phone = alpha["channels"][0]
    assert rows["Alpha"]["understaffed"] == ["phone"]
    assert (
        phone["required_production_hours"],
        phone["stated_hours"],
        phone["production_hours"],
    ) == (
        "1000.00",
        "900.00",
        "1000.00",
    )
    assert [
        (x["channel"], x["rate"], x["quantity"], x["amount"]) for x in alpha["pricing"]["lines"]
    ] == [
        ("phone", "32.00", "1000.00", "32000.00"),
        ("email", "27.50", "200.00", "5500.00"),
    ]
    assert alpha["tco_formula"] == "18,000.00 + 24 × 39,000.00 = 954,000.00 EUR"
    # Bravo: FTE in USD, 12 FTE x 3,800 = 45,600 < minimum 48,000, converted at 0.90.
    bravo = rows["Bravo"]["explanation"]
    assert [c["fte"] for c in bravo["channels"]] == ["10.00", "2.00"]
    assert rows["Bravo"]["understaffed"] == []
    pricing = bravo["pricing"]
    assert (pricing["quoted"]["usage_charge"], pricing["minimum_applied"]) == ("45600.00", True)
    assert (pricing["quoted"]["monthly_total"], pricing["converted"]["monthly_total"]) == (
        "48000.00",
        "43200.00",
    )
    assert (bravo["currency"], bravo["fx_rate"], pricing["converted"]["one_off_fees"]) == (
        "USD",
        "0.9",
        "3600.00",
    )
    assert rows["Bravo"]["minimum_top_up"] == "2160.00"  # (48,000 - 45,600) x 0.90
    # Charlie: contacts and handled minutes.
    charlie = rows["Charlie"]["explanation"]
    assert [(x["quantity"], x["amount"]) for x in charlie["pricing"]["lines"]] == [
        ("6000.00", "30600.00"),
        ("10200.00", "8670.00"),
    ]
    assert rows["Charlie"]["cost_per_contact"] == cents(D(39570) / 7700)  # 5.14


def test_hand_calculated_scores(api_as, procurement_user, hand):
    event, _ = hand
    rows = by_vendor(ranking(api_as(procurement_user), event))
    for name in ("Alpha", "Bravo", "Charlie"):
        assert rows[name]["scores"] == {
            "cost": two(COST[name]),
            "expertise": two(EXPERTISE[name]),
            "security": two(SECURITY[name]),
            "language": two(LANGUAGE[name]),
        }, name
    assert rows["Alpha"]["scores"]["cost"] == "99.97" and rows["Bravo"]["scores"]["cost"] == "91.66"
    assert rows["Charlie"]["scores"]["expertise"] == "42.86"
    assert [rows[n]["provisional"] for n in ("Alpha", "Bravo", "Charlie")] == [False, False, True]
    formulas = rows["Alpha"]["explanation"]["formulas"]
    assert formulas["expertise"] == "100 × (0.4 × 10/10 + 0.3 × 2/2 + 0.3 × 4.5/5) = 97.00"
    assert formulas["security"] == "100 × 30 / 50 = 60.00"
    assert formulas["language"] == "100 × (0.6 × 1 × 1 + 0.4 × 0.85 × 1) = 94.00"
    assert formulas["cost"] == "100 × 953,680.00 / 954,000.00 = 99.97"


def test_a_disqualified_bid_is_last_unscored_and_says_why(api_as, procurement_user, hand):
    event, _ = hand
    delta = by_vendor(ranking(api_as(procurement_user), event))["Delta"]
    assert (delta["rank"], delta["qualified"], delta["scores"], delta["total"]) == (
        4,
        False,
        None,
        None,
    )
    assert delta["disqualification_reasons"] == ["must-have certification GDPR DPA is missing"]


def test_hand_calculated_sensitivity(api_as, procurement_user, hand):
    event, ids = hand
    body = ranking(api_as(procurement_user), event)
    # Security weight s, the others 2:1:1 of (100 - s). Alpha and Bravo tie where
    # 0.6 s + (100 - s) a = s + (100 - s) b, a and b their rescaled rest of the total.
    a = (2 * COST["Alpha"] + EXPERTISE["Alpha"] + LANGUAGE["Alpha"]) / 400
    b = (2 * COST["Bravo"] + EXPERTISE["Bravo"] + LANGUAGE["Bravo"]) / 400
    security_flip = 100 * (a - b) / (a - b + D("0.4"))  # 36.03
    # Cost weight c, the others equal: Charlie overtakes Alpha just before c = 100.
    ra, rc = (EXPERTISE["Alpha"] + 60 + 94) / 300, (EXPERTISE["Charlie"] + 40 + 68) / 300
    cost_flip = 100 * (ra - rc) / (ra - rc + (COST["Charlie"] - COST["Alpha"]) / 100)  # 99.90
    # Bravo is the one that overtakes on security, Charlie (the cheapest) on cost.
    assert body["sensitivity"] == {
        "cost": {"flip_weight": two(cost_flip), "new_winner": ids["Charlie"]},
        "expertise": None,
        "security": {"flip_weight": two(security_flip), "new_winner": ids["Bravo"]},
        "language": None,
    }
    assert (two(security_flip), two(cost_flip)) == ("36.03", "99.90")
    words = {line["criterion"]: line["sentence"] for line in body["sensitivity_explained"]}
    assert words["security"] == (
        "With the security weight at 36.03 (today 20), Bravo Support would rank first."
    )
    assert words["cost"] == (
        "With the cost weight at 99.90 (today 40), Charlie Support would rank first."
    )
    assert words["language"].startswith("Robust")


def test_what_if_weights_re_rank_without_saving(api_as, procurement_user, hand):
    event, ids = hand
    client = api_as(procurement_user)
    body = ranking(client, event, "?weights=cost:10,expertise:10,security:70,language:10")
    what_if = {"cost": 10, "expertise": 10, "security": 70, "language": 10}
    assert body["weights"] == what_if and body["what_if"] is True
    assert body["event_weights"] == WEIGHTS
    assert [r["proposal"] for r in body["results"]][:2] == [ids["Bravo"], ids["Alpha"]]
    assert body["results"][0]["total"] == two(total("Bravo", what_if))
    event.refresh_from_db()
    assert (event.weight_cost, event.weight_security) == (40, 20)
    assert ranking(client, event)["weights"] == WEIGHTS


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "cost:50,expertise:20,security:20,language:20",
            "The weights must sum to 100, they sum to 110.",
        ),
        ("cost:40,expertise:20,security:20", "language: must be a whole number from 0 to 100."),
        ("cost:40,expertise:20,security:20,language:2x", "language: must be a whole number"),
        ("cost=40", "'cost=40' is not criterion:weight."),
        ("price:40,expertise:20,security:20,language:20", "price: is not a criterion."),
        ("", "'' is not criterion:weight"),
    ],
)
def test_unusable_weights_are_a_400_that_says_why(api_as, procurement_user, hand, query, message):
    event, _ = hand
    response = api_as(procurement_user).get(f"/api/v1/events/{event.pk}/ranking/?weights={query}")
    assert response.status_code == 400
    messages = response.json()["weights"]
    assert any(message in m for m in messages), messages
    assert messages[-1].startswith("Use ?weights=cost:40")


# Who may read it, and when ------------------------------------------------------------------


@pytest.fixture
def open_event():
    vendor = vendor_make()
    event = event_make(invited=[vendor])
    proposal_make(event=event, vendor=vendor)
    return event


@pytest.mark.parametrize("role", BUYERS)
def test_before_the_deadline_every_buyer_gets_a_409_naming_the_deadline(
    api_as, make_user, open_event, role
):
    response = api_as(make_user(role)).get(f"/api/v1/events/{open_event.pk}/ranking/")
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert "sealed until" in detail and open_event.bid_deadline.isoformat() in detail
    assert [s for s in SECRETS if s in response.content.decode()] == []


@pytest.mark.parametrize("role", BUYERS)
def test_after_the_deadline_every_buyer_reads_the_ranking(api_as, make_user, role):
    event, (proposal,) = closed_event_with_proposals(vendor_make())
    body = ranking(api_as(make_user(role)), event)
    assert [r["proposal"] for r in body["results"]] == [proposal.pk]


def test_vendor_users_never_see_a_ranking(api_as, make_user):
    vendor = vendor_make()
    event, _ = closed_event_with_proposals(vendor)
    client = api_as(make_user("vendor", vendor=vendor))
    assert client.get(f"/api/v1/events/{event.pk}/ranking/").status_code == 404
    assert client.get(f"/api/v1/events/{event.pk}/ranking/?weights=bad").status_code == 404


def test_anonymous_clients_get_a_401(open_event):
    response = APIClient().get(f"/api/v1/events/{open_event.pk}/ranking/")
    assert response.status_code == 401


def test_an_unknown_event_is_a_404(api_as, procurement_user):
    assert api_as(procurement_user).get("/api/v1/events/999999/ranking/").status_code == 404


def test_a_withdrawn_proposal_is_not_ranked(api_as, procurement_user):
    first, second = vendor_make(), vendor_make()
    now = timezone.now()
    event = event_make(
        invited=[first, second],
        bid_deadline=now - timedelta(minutes=1),
        now=now - timedelta(hours=2),
    )
    kept = proposal_make(event=event, vendor=first, now=now - timedelta(hours=1))
    gone = proposal_make(event=event, vendor=second, now=now - timedelta(hours=1))
    proposal_withdraw(proposal=gone, now=now - timedelta(minutes=30))
    body = ranking(api_as(procurement_user), event)
    assert [r["proposal"] for r in body["results"]] == [kept.pk]


# Query count and schema ----------------------------------------------------------------------


def _event_with(count: int):
    vendors = [vendor_make() for _ in range(count)]
    event, _ = closed_event_with_proposals(*vendors)
    return event


def test_the_query_count_does_not_grow_with_the_number_of_proposals(api_as, procurement_user):
    client = api_as(procurement_user)
    counts = []
    for event in (_event_with(2), _event_with(20)):
        client.get(f"/api/v1/events/{event.pk}/ranking/")  # warm the role cache
        with CaptureQueriesContext(connection) as queries:
            body = ranking(client, event)
        counts.append(len(queries))
        assert len(body["results"]) in (2, 20)
    assert counts[0] == counts[1], counts


def test_every_answer_matches_the_documented_schema(
    openapi, api_as, procurement_user, hand, open_event
):
    event, _ = hand
    client = api_as(procurement_user)
    for url in (
        f"/api/v1/events/{event.pk}/ranking/",
        f"/api/v1/events/{event.pk}/ranking/?weights=cost:10,expertise:10,security:70,language:10",
        f"/api/v1/events/{event.pk}/ranking/?weights=cost:1",
        f"/api/v1/events/{open_event.pk}/ranking/",
        "/api/v1/events/999999/ranking/",
    ):
        check(openapi, "get", url, client.get(url))


def test_the_schema_documents_the_api_md_fields(openapi):
    result = openapi["components"]["schemas"]["RankingResult"]["properties"]
    for name in (
        "proposal",
        "vendor",
        "rank",
        "qualified",
        "disqualification_reasons",
        "tco",
        "monthly_cost",
        "understaffed",
        "scores",
        "total",
    ):
        assert name in result, name
    ranking_schema = openapi["components"]["schemas"]["Ranking"]["properties"]
    assert {"provisional", "weights", "results", "sensitivity"} <= set(ranking_schema)
    assert re.fullmatch(r"\^.*\$", result["tco"]["pattern"])
