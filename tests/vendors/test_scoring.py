"""Scores, ranking and sensitivity of a sourcing event (DOMAIN.md "Scores and ranking")."""

import dataclasses
from datetime import date, timedelta
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import vendors.domain.scoring as scoring
from core.channels import Channel
from core.money import cents, two_places
from tests.support.scoring import (
    EVENT,
    PROPOSAL_A,
    PROPOSAL_B,
    PROPOSAL_C,
    START,
    VENDOR_A,
    VENDOR_B,
    VENDOR_C,
    at,
)
from vendors.domain.pricing import (
    ChannelPrice,
    OneOffFees,
    PriceList,
    PricingModel,
)
from vendors.domain.scoring import (
    Certification,
    Contender,
    Criterion,
    Flip,
    OfferedLanguage,
    ProposalSpec,
    RequiredLanguage,
    Scores,
    VendorLanguage,
    VendorProfile,
    Weights,
    WeightsError,
    flip_weight,
    language_score,
    language_terms,
    parse_weights,
    parse_weights_query,
    rank_event,
    rank_order,
    sensitivity,
)

D = Decimal
M = PricingModel
TCO_A, TCO_B, TCO_C = D(1_321_560), D(1_732_500), D(1_493_000)

# cost = 100 x 1,321,560 / TCO:          A 100, B 76.2805..., C 88.5170...
# expertise = 100 x (0.4 x min(years, 10)/10 + 0.3 x channels served + 0.3 x median/5):
#   A: 0.4 x 10/10 + 0.3 x 2/2 + 0.3 x 4/5 = 0.94 -> 94
#   B: 0.4 x 4/10 + 0.3 x 1/2 + 0.3 x 3.5/5 = 0.16 + 0.15 + 0.21 -> 52
#   C (no ratings, 0.4 and 0.3 rescaled by 0.7): (0 + 0.3 x 2/2) / 0.7 -> 42.857...
# security = 100 x points held / 50:
#   A: PCI DSS expired, no SOC 2 -> 0; B: 30 + 20 -> 100; C: SOC 2 -> 40
# language = 100 x sum of share x proficiency x coverage:
#   A: 0.6 x 1 x 1 + 0.4 x 0.85 x 1 = 0.94 -> 94
#   B: 0.6 x 0.95 x 0.5 + 0.4 x 1 x 1 = 0.685 -> 68.5
#   C: 0.6 x 0.5 + 0.4 x 0.95 = 0.68 -> 68
# total = (40 cost + 20 expertise + 20 security + 20 language) / 100:
#   A: 40 + 18.8 + 0 + 18.8 = 77.60
#   B: 30.5122 + 10.4 + 20 + 13.7 = 74.61
#   C: 35.4068 + 8.5714 + 8 + 13.6 = 65.58
COST_B = 100 * TCO_A / TCO_B
COST_C = 100 * TCO_A / TCO_C
EXPERTISE_C = D(100) * D("0.3") / D("0.7")


@pytest.fixture(scope="module")
def ranking():
    return rank_event(event=EVENT, proposals=[PROPOSAL_C, PROPOSAL_B, PROPOSAL_A])


def row(ranking, proposal_id):
    return next(r for r in ranking.results if r.proposal == proposal_id)


def test_hand_calculated_event_ranks_hourly_then_fte_then_per_contact(ranking):
    assert [(r.proposal, r.rank) for r in ranking.results] == [(101, 1), (102, 2), (103, 3)]
    assert [two_places(r.total) for r in ranking.results] == [D("77.60"), D("74.61"), D("65.58")]


def test_hand_calculated_event_staffing_is_shared_by_every_proposal(ranking):
    phone, email = ranking.staffing
    assert (phone.agents, phone.production_hours, cents(phone.paid_hours)) == (
        8,
        D(1408),
        D("2011.43"),
    )
    assert (email.agents, email.production_hours) == (None, D(400))
    for result in ranking.results:
        assert result.explanation.forecast[0].staffing is phone


def test_hand_calculated_monthly_costs_and_tco(ranking):
    a, b, c = (row(ranking, n) for n in (101, 102, 103))
    assert (a.monthly_cost, a.tco) == (D(54_440), TCO_A)
    assert (b.monthly_cost, b.tco) == (D(72_000), TCO_B)
    assert (c.monthly_cost, c.tco) == (D(62_000), TCO_C)


def test_hand_calculated_scores(ranking):
    a, b, c = (row(ranking, n).scores for n in (101, 102, 103))
    assert (a.cost, a.expertise, a.security, a.language) == (100, 94, 0, 94)
    assert (b.cost, b.expertise, b.security, b.language) == (COST_B, 52, 100, D("68.5"))
    assert (c.cost, c.expertise, c.security, c.language) == (COST_C, EXPERTISE_C, 40, 68)
    assert two_places(COST_B) == D("76.28")
    assert two_places(COST_C) == D("88.52")
    assert two_places(EXPERTISE_C) == D("42.86")


def test_hand_calculated_totals_are_exact_weighted_sums(ranking):
    a, b, c = (row(ranking, n).total for n in (101, 102, 103))
    assert a == D("77.6")
    # Totals are exact sums of the 28-digit scores, so recompute them with room to spare.
    with localcontext(prec=60):
        assert b == (40 * COST_B + 20 * 52 + 20 * 100 + 20 * D("68.5")) / 100
        assert c == (40 * COST_C + 20 * EXPERTISE_C + 20 * 40 + 20 * 68) / 100


def test_an_hourly_bid_stating_fewer_hours_than_required_is_understaffed_and_priced_on_required(
    ranking,
):
    a = row(ranking, 101)
    assert a.understaffed == (Channel.PHONE,)
    phone, email = a.explanation.forecast
    assert (phone.stated_hours, phone.required_production_hours, phone.production_hours) == (
        D(1300),
        D(1408),
        D(1408),
    )
    assert (email.price_channel, email.production_hours, email.understaffed) == (None, 400, False)
    amounts = [(line.channel, line.quantity, line.amount) for line in a.explanation.pricing.lines]
    assert amounts == [(Channel.PHONE, 1408, 42_240), (Channel.EMAIL, 400, 11_200)]


def test_an_fte_bid_stating_more_than_required_is_priced_on_its_stated_fte(ranking):
    b = row(ranking, 102)
    assert b.understaffed == ()
    phone, email = b.explanation.forecast
    assert (phone.required_fte, phone.stated_fte, phone.fte) == (13, 14, 14)
    assert (email.required_fte, email.stated_fte, email.fte) == (4, None, 4)
    pricing = b.explanation.pricing
    assert pricing.quoted.usage_charge == D(72_000)  # 18 FTE x 4,000 USD
    assert pricing.minimum_applied
    assert pricing.quoted.monthly_total == D(80_000)
    assert b.explanation.fx_rate == pricing.fx_rate == D("0.9")
    assert pricing.converted.one_off_fees == D(4500)


def test_a_per_contact_bid_is_priced_on_contacts_and_handled_minutes(ranking):
    c = row(ranking, 103)
    phone, email = c.explanation.forecast
    assert (phone.contacts, email.handled_minutes) == (10_000, 20_400)
    assert c.understaffed == ()  # blended bids state no staffing


def test_hand_calculated_sensitivity(ranking):
    # Cost weight x, the other three share 100 - x equally (20:20:20):
    #   A(x) = 188/3 + x (100 - 188/3) / 100        = 62.667 + 0.37333 x
    #   B(x) = 73.5 + x (76.2805 - 73.5) / 100      = 73.5   + 0.02781 x
    #   equal at x = 10.8333 / 0.34553 = 31.35 (C never catches A within 0-100).
    # The other criteria by the same method: B overtakes A at expertise 13.87,
    # security 22.32 (C would only at 38.49) and language 9.38; each time B (102) then leads.
    assert ranking.sensitivity == scoring.Sensitivity(
        cost=Flip(D("31.35"), 102),
        expertise=Flip(D("13.87"), 102),
        security=Flip(D("22.32"), 102),
        language=Flip(D("9.38"), 102),
    )


def test_a_ranking_with_an_unrated_proposal_is_provisional(ranking):
    assert ranking.provisional
    assert [r.provisional for r in ranking.results] == [False, False, True]


def test_a_ranking_whose_qualified_proposals_are_all_rated_is_final():
    rated = dataclasses.replace(PROPOSAL_C, ratings=(2,))
    unrated_but_disqualified = dataclasses.replace(
        PROPOSAL_A, id=104, vendor=dataclasses.replace(VENDOR_A, certifications=()), ratings=()
    )
    result = rank_event(
        event=EVENT, proposals=[PROPOSAL_A, PROPOSAL_B, rated, unrated_but_disqualified]
    )
    assert not result.provisional
    # With a rating of 2 the rating term is back: 0 + 0.3 + 0.3 x 2/5 = 0.42.
    assert row(result, 103).scores.expertise == 42


def test_the_result_rows_carry_the_api_ranking_shape(ranking):
    a = row(ranking, 101)
    assert (a.proposal, a.vendor, a.rank, a.qualified, a.disqualification_reasons) == (
        101,
        1,
        1,
        True,
        (),
    )
    assert ranking.weights == EVENT.weights
    assert {f.name for f in dataclasses.fields(a)} >= {
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
    }


def test_staffing_is_computed_once_per_event_not_per_proposal(monkeypatch):
    calls = []
    original = scoring.channel_staffing

    def counting(**kwargs):
        calls.append(kwargs["channel"])
        return original(**kwargs)

    monkeypatch.setattr(scoring, "channel_staffing", counting)
    rank_event(event=EVENT, proposals=[PROPOSAL_A, PROPOSAL_B, PROPOSAL_C])
    assert calls == [Channel.PHONE, Channel.EMAIL]


def test_what_if_weights_can_change_the_winner():
    cheap_first = rank_event(
        event=EVENT,
        proposals=[PROPOSAL_A, PROPOSAL_B, PROPOSAL_C],
        weights=Weights(cost=10, expertise=10, security=70, language=10),
    )
    assert cheap_first.results[0].proposal == 102  # B holds every desired certificate
    assert cheap_first.weights.security == 70


# Disqualification ---------------------------------------------------------------------------


def test_a_disqualified_proposal_lists_every_reason_and_ranks_last_unscored():
    event = dataclasses.replace(EVENT, must_have_certifications=("ISO 27001", "GDPR DPA"))
    vendor = VendorProfile(
        id=9,
        name="Delta",
        certifications=(Certification(name="ISO 27001", valid_until=date(2025, 6, 30)),),
    )
    proposal = ProposalSpec(
        id=109,
        vendor=vendor,
        submitted_at=at(1) - timedelta(days=30),  # the earliest, still after every qualified one
        price_list=PriceList(
            currency="GBP",
            channel_prices=(ChannelPrice(channel=Channel.PHONE, model=M.PER_CONTACT, rate=D(1)),),
        ),
        ratings=(5,),
    )
    gdpr = Certification(name="GDPR DPA")
    vendor_a = dataclasses.replace(VENDOR_A, certifications=(*VENDOR_A.certifications, gdpr))
    qualified_a = dataclasses.replace(PROPOSAL_A, vendor=vendor_a)
    result = rank_event(event=event, proposals=[proposal, PROPOSAL_B, qualified_a])
    assert [(r.proposal, r.rank, r.qualified) for r in result.results] == [
        (101, 1, True),
        (109, 2, False),  # disqualified ones follow in order of submission
        (102, 3, False),
    ]
    delta = row(result, 109)
    assert delta.disqualification_reasons == (
        "must-have certification ISO 27001 expired on 2025-06-30, before the start date 2026-01-01",
        "must-have certification GDPR DPA is missing",
        "channel email is not priced",
        "no FX rate from GBP to EUR",
    )
    assert (delta.scores, delta.total, delta.tco, delta.monthly_cost) == (None, None, None, None)
    assert row(result, 102).disqualification_reasons == (
        "must-have certification GDPR DPA is missing",
    )
    # B is priced (its reasons are not about price), so its cost is still shown.
    assert row(result, 102).tco == TCO_B
    # A single qualified proposal has nobody to lose to.
    assert result.sensitivity == scoring.Sensitivity(None, None, None, None)


def test_a_cheaper_disqualified_proposal_does_not_set_the_lowest_tco():
    cheap = dataclasses.replace(
        PROPOSAL_C,
        id=110,
        vendor=dataclasses.replace(VENDOR_C, id=10, certifications=()),
        price_list=dataclasses.replace(
            PROPOSAL_C.price_list, monthly_fees=(), one_off_fees=OneOffFees()
        ),
    )
    result = rank_event(event=EVENT, proposals=[PROPOSAL_A, PROPOSAL_B, PROPOSAL_C, cheap])
    assert row(result, 110).disqualification_reasons == (
        "must-have certification ISO 27001 is missing",
    )
    # Its price is still shown, but the cost scores are against A's TCO as before.
    assert row(result, 110).tco == 24 * D(61_320)
    assert row(result, 101).scores.cost == 100
    assert row(result, 102).scores.cost == COST_B


def test_a_proposal_in_another_currency_with_a_rate_qualifies(ranking):
    assert row(ranking, 102).qualified


# Ties ---------------------------------------------------------------------------------------

EQUAL = Weights(cost=25, expertise=25, security=25, language=25)


def contender(pid, *, cost, expertise=50, security=50, language=50, tco=1000, day=1):
    return Contender(
        proposal=pid,
        scores=Scores(
            cost=D(cost), expertise=D(expertise), security=D(security), language=D(language)
        ),
        tco=D(tco),
        submitted_at=at(day),
    )


def test_equal_totals_are_ranked_by_lower_tco():
    pricier = contender("x", cost=80, expertise=70, tco=1250)
    cheaper = contender("y", cost=100, expertise=50, tco=1000)
    assert [c.proposal for c in rank_order(weights=EQUAL, contenders=[pricier, cheaper])] == [
        "y",
        "x",
    ]


def test_equal_totals_and_tco_are_ranked_by_earlier_submission():
    later = contender("x", cost=100, day=5)
    earlier = contender("y", cost=100, day=4)
    assert [c.proposal for c in rank_order(weights=EQUAL, contenders=[later, earlier])] == [
        "y",
        "x",
    ]


def test_identical_bids_tie_on_total_and_tco_and_the_earlier_one_ranks_first():
    twin = dataclasses.replace(PROPOSAL_A, id=99, submitted_at=at(1) + timedelta(seconds=1))
    result = rank_event(event=EVENT, proposals=[twin, PROPOSAL_A])
    first, second = result.results
    assert (first.proposal, second.proposal) == (101, 99)
    assert first.total == second.total and first.tco == second.tco


# Sensitivity --------------------------------------------------------------------------------

FORTY = Weights(cost=40, expertise=20, security=20, language=20)


def test_the_winner_flips_at_the_cost_weight_computed_by_hand():
    # X(x) = x + 0.5 (100 - x) = 50 + 0.5 x; Y(x) = 0.6 x + 0.9 (100 - x) = 90 - 0.3 x.
    # Today (40): X 70, Y 78, Y leads. Equal at 0.8 x = 40: x = 50.
    x = contender("x", cost=100, expertise=50, security=50, language=50, tco=600)
    y = contender("y", cost=60, expertise=90, security=90, language=90)
    assert rank_order(weights=FORTY, contenders=[x, y])[0] is y
    assert flip_weight(criterion=Criterion.COST, weights=FORTY, contenders=[x, y]) == D("50.00")


def test_a_crossing_at_100_flips_only_if_the_tie_break_favours_the_challenger():
    # Same cost score (same TCO); Y is better elsewhere. At cost weight 100 both total 100.
    earlier_x = contender("x", cost=100, expertise=40, security=40, language=40, day=1)
    later_y = contender("y", cost=100, expertise=90, security=90, language=90, day=2)
    assert flip_weight(
        criterion=Criterion.COST, weights=FORTY, contenders=[earlier_x, later_y]
    ) == D("100.00")
    later_x = dataclasses.replace(earlier_x, submitted_at=at(3))
    assert (
        flip_weight(criterion=Criterion.COST, weights=FORTY, contenders=[later_x, later_y]) is None
    )


def test_a_tie_today_decided_by_tco_flips_at_todays_weight():
    # Equal totals today (25 each): Y leads on lower TCO; any more expertise weight favours X.
    x = contender("x", cost=80, expertise=70, tco=1250)
    y = contender("y", cost=100, expertise=50, tco=1000)
    assert flip_weight(criterion=Criterion.EXPERTISE, weights=EQUAL, contenders=[x, y]) == D(
        "25.00"
    )


def test_the_crossing_nearest_todays_weight_is_reported():
    # Cost weight 40, the rest 20:20:20. Totals as (mean of the other three) + x (S - mean)/100:
    # L: 60 flat. U: 42 + 0.40 x reaches 60 at 45. Dn: 66 - 0.20 x reaches 60 at 30.
    leader = contender("l", cost=60, expertise=60, security=60, language=60)
    up = contender("u", cost=82, expertise=42, security=42, language=42)
    down = contender("d", cost=46, expertise=66, security=66, language=66)
    assert flip_weight(criterion=Criterion.COST, weights=FORTY, contenders=[leader, up, down]) == D(
        "45.00"
    )
    # U': 38 + 0.40 x reaches 60 at 55, now farther than 30.
    far_up = contender("u", cost=78, expertise=38, security=38, language=38)
    assert flip_weight(
        criterion=Criterion.COST, weights=FORTY, contenders=[leader, far_up, down]
    ) == D("30.00")


def test_a_criterion_weighted_100_spreads_the_remainder_equally():
    # Cost 100 today: X leads on cost alone. Lowering it to x gives the others (100 - x)/3 each:
    # X(x) = x; Y(x) = 0.5 x + (100 - x) = 100 - 0.5 x; equal at x = 200/3 = 66.67.
    all_cost = Weights(cost=100, expertise=0, security=0, language=0)
    x = contender("x", cost=100, expertise=0, security=0, language=0, tco=500)
    y = contender("y", cost=50, expertise=100, security=100, language=100)
    assert flip_weight(criterion=Criterion.COST, weights=all_cost, contenders=[x, y]) == D("66.67")


def test_a_proposal_best_on_every_criterion_is_robust():
    best = contender("b", cost=100, expertise=90, security=90, language=90, tco=900)
    other = contender("o", cost=90, expertise=80, security=80, language=80)
    assert sensitivity(weights=FORTY, contenders=[best, other]) == scoring.Sensitivity(
        None, None, None, None
    )


def test_a_single_contender_is_robust():
    alone = contender("a", cost=100)
    assert flip_weight(criterion=Criterion.COST, weights=FORTY, contenders=[alone]) is None


def _leader_at(weights, criterion, x, contenders):
    """Naive check: the leader with the criterion's weight set to x, in exact fractions."""
    others = [c for c in Criterion if c is not criterion]
    room = sum(weights.of(c) for c in others)
    share = {c: Fraction(weights.of(c), room) if room else Fraction(1, 3) for c in others}

    def total(c):
        value = x * Fraction(c.scores.of(criterion))
        return value + sum((100 - x) * share[o] * Fraction(c.scores.of(o)) for o in others)

    return min(contenders, key=lambda c: (-total(c), c.tie_key)).proposal


score = st.integers(min_value=0, max_value=100)


@st.composite
def contests(draw):
    cut = sorted(draw(st.lists(st.integers(0, 100), min_size=3, max_size=3)))
    parts = [cut[0], cut[1] - cut[0], cut[2] - cut[1], 100 - cut[2]]
    weights = Weights(*parts)
    count = draw(st.integers(min_value=2, max_value=5))
    contenders = [
        Contender(
            proposal=f"p{n}",
            scores=Scores(*(D(draw(score)) for _ in range(4))),
            tco=D(draw(st.integers(1, 3))),
            submitted_at=at(draw(st.integers(1, 3))),
        )
        for n in range(count)
    ]
    return weights, contenders, draw(st.sampled_from(list(Criterion)))


@given(contests())
def test_flip_weight_agrees_with_a_naive_scan_of_weights(contest):
    weights, contenders, criterion = contest
    today = Fraction(weights.of(criterion))
    leader = _leader_at(weights, criterion, today, contenders)
    flip = flip_weight(criterion=criterion, weights=weights, contenders=contenders)
    grid = [Fraction(n, 4) for n in range(401)]
    if flip is None:
        assert all(_leader_at(weights, criterion, x, contenders) == leader for x in grid)
        return
    flip = Fraction(flip)
    reach = abs(flip - today) - Fraction(1, 100)
    # Nothing changes closer to today than the reported weight (less its rounding)...
    assert all(
        _leader_at(weights, criterion, x, contenders) == leader
        for x in grid
        if abs(x - today) < reach
    )
    # ...and just past it, on its side (either side for a tie today), the leader differs.
    sides = [1, -1] if flip == today else [1 if flip > today else -1]
    beyond = [
        min(max(flip + side * Fraction(1, 100), Fraction(0)), Fraction(100)) for side in sides
    ]
    assert any(_leader_at(weights, criterion, x, contenders) != leader for x in beyond)


# Language and certificates ------------------------------------------------------------------


def test_a_language_matches_whatever_its_region_and_case():
    terms = language_terms(
        required=[RequiredLanguage(tag="pt-BR", share=D(1))],
        offered=[OfferedLanguage(tag="PT-pt", level="c2")],
    )
    assert (terms[0].matched_tag, terms[0].proficiency) == ("PT-pt", D("0.95"))
    assert language_score(terms=terms) == 95


def test_the_best_offered_match_counts_with_its_hours_coverage():
    terms = language_terms(
        required=[
            RequiredLanguage(tag="de", share=D("0.5")),
            RequiredLanguage(tag="fr", share=D("0.5")),
        ],
        offered=[
            OfferedLanguage(tag="de-AT", level="native", hours_coverage=D("0.4")),
            OfferedLanguage(tag="de-DE", level="C1"),
            OfferedLanguage(tag="fr", level="B1"),
        ],
    )
    # de: max(1.0 x 0.4, 0.85 x 1) = 0.85; fr: B1 counts 0.
    assert [t.value for t in terms] == [D("0.425"), D(0)]
    assert language_score(terms=terms) == D("42.5")


def test_a_proposal_without_languages_is_judged_on_the_vendor_profile():
    vendor = dataclasses.replace(
        VENDOR_A,
        languages=(VendorLanguage(tag="nl", level="native"), VendorLanguage(tag="en", level="B2")),
    )
    proposal = dataclasses.replace(PROPOSAL_A, vendor=vendor, languages=())
    result = rank_event(event=EVENT, proposals=[proposal])
    only = result.results[0]
    assert only.explanation.languages_from == "vendor profile"
    assert only.scores.language == 80  # 0.6 x 1 + 0.4 x 0.5


def test_certificates_compare_case_and_space_insensitively_and_must_be_valid_on_the_start_date():
    expired_yesterday = dataclasses.replace(
        VENDOR_B,
        certifications=(
            Certification(name="ISO27001"),
            Certification(name="pcidss", valid_until=START - timedelta(days=1)),
            Certification(name="soc 2 type ii", valid_until=START),
        ),
    )
    result = rank_event(
        event=EVENT, proposals=[dataclasses.replace(PROPOSAL_B, vendor=expired_yesterday)]
    )
    only = result.results[0]
    assert only.qualified
    assert [(t.name, t.held) for t in only.explanation.certifications] == [
        ("PCI DSS", False),
        ("SOC 2 Type II", True),
    ]
    assert only.scores.security == 40


# What-if weights ----------------------------------------------------------------------------


def test_what_if_weights_parse_from_a_mapping_of_whole_numbers():
    raw = {"cost": 40, "expertise": "20", "security": " 30 ", "language": 10}
    assert parse_weights(raw=raw) == Weights(cost=40, expertise=20, security=30, language=10)


def test_what_if_weights_parse_from_the_api_query_value():
    parsed = parse_weights_query(text="cost:40,expertise:20,security:20,language:20")
    assert parsed == FORTY


@pytest.mark.parametrize(
    ("raw", "problems"),
    [
        (
            {"cost": 50, "expertise": 20, "security": 20, "language": 20},
            [("weights", "must sum to 100, they sum to 110")],
        ),
        (
            {"cost": 40, "expertise": 20, "security": 20},
            [("language", "must be a whole number from 0 to 100")],
        ),
        (
            {"cost": 40.5, "expertise": True, "security": -1, "language": "x", "speed": 1},
            [
                ("speed", "is not a criterion"),
                ("cost", "must be a whole number from 0 to 100"),
                ("expertise", "must be a whole number from 0 to 100"),
                ("security", "must be a whole number from 0 to 100"),
                ("language", "must be a whole number from 0 to 100"),
            ],
        ),
    ],
)
def test_unusable_what_if_weights_report_every_problem(raw, problems):
    with pytest.raises(WeightsError) as raised:
        parse_weights(raw=raw)
    assert raised.value.problems == problems
    assert isinstance(raised.value, ValueError)


def test_a_malformed_query_value_is_refused():
    with pytest.raises(WeightsError) as raised:
        parse_weights_query(text="cost=40,cost:10,cost:20")
    assert raised.value.problems == [
        ("weights", "'cost=40' is not criterion:weight"),
        ("cost", "is given more than once"),
    ]
