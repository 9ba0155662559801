"""Required languages, language coverage, the sensitivity's new winner and the what-if's
rescaling (DOMAIN.md "Language requirements" and "Scores ... sensitivity"), worked by hand."""

import dataclasses
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support.scoring import (
    EVENT,
    PROPOSAL_A,
    PROPOSAL_B,
    PROPOSAL_C,
    VENDOR_A,
    at,
)
from vendors.domain.pricing import ChannelPrice, PriceList, PricingModel
from vendors.domain.scoring import (
    Contender,
    Criterion,
    Flip,
    OfferedLanguage,
    RequiredLanguage,
    Scores,
    Weights,
    WeightsError,
    flip,
    language_coverage,
    language_shortfalls,
    rank_event,
    rescale_weights,
)

D = Decimal
FORTY = Weights(cost=40, expertise=20, security=20, language=20)

# The event of the issue: 55 % of the volume Dutch, 45 % English.
DUTCH = RequiredLanguage(tag="nl", share=D("0.55"))
ENGLISH = RequiredLanguage(tag="en", share=D("0.45"))
DUTCH_C1 = dataclasses.replace(DUTCH, required=True, minimum_level="C1")
EVENT_55 = dataclasses.replace(EVENT, languages=(DUTCH, ENGLISH), must_have_certifications=())

# E: the cheapest bid of all (A's hourly prices at 20 instead of 28-30), English and German
# only: no Dutch at all. Phone 1,408 x 20 + email 400 x 20 = 36,160 a month, no fees.
NO_DUTCH = dataclasses.replace(
    PROPOSAL_A,
    id=105,
    vendor=dataclasses.replace(VENDOR_A, id=5, name="Echo"),
    submitted_at=at(5),
    price_list=PriceList(
        currency="EUR",
        channel_prices=(
            ChannelPrice(channel=None, model=PricingModel.PER_PRODUCTION_HOUR, rate=D(20)),
        ),
    ),
    languages=(
        OfferedLanguage(tag="en-GB", level="native"),
        OfferedLanguage(tag="de", level="native"),
    ),
)
BIDS = [PROPOSAL_A, PROPOSAL_B, PROPOSAL_C, NO_DUTCH]


def result(ranking, proposal_id):
    return next(r for r in ranking.results if r.proposal == proposal_id)


def test_without_a_requirement_the_vendor_without_dutch_ranks_first():
    # The complaint: E is cheapest (cost 100) and its 45 % English scores 45 on language.
    ranking = rank_event(event=EVENT_55, proposals=BIDS)
    assert ranking.results[0].proposal == 105
    assert result(ranking, 105).scores.language == D(45)  # nl: not offered -> 0


def test_a_required_dutch_at_c1_disqualifies_the_vendor_without_dutch_with_the_reason():
    event = dataclasses.replace(EVENT_55, languages=(DUTCH_C1, ENGLISH))
    ranking = rank_event(event=event, proposals=BIDS)
    echo = result(ranking, 105)
    assert not echo.qualified and echo.scores is None
    assert echo.disqualification_reasons == (
        "nl is required at C1 or better for 100% of opening hours; offered: not at all",
    )
    # B offers nl at C2 but only half the hours; C offers nl at every hour but only at B2.
    assert result(ranking, 102).disqualification_reasons == (
        "nl is required at C1 or better for 100% of opening hours; offered: nl C2 for 50%",
    )
    assert result(ranking, 103).disqualification_reasons == (
        "nl is required at C1 or better for 100% of opening hours; offered: nl B2 for 100%",
    )
    # A (nl-BE native: the region may differ) is the only qualified bid and ranks first.
    assert [(r.proposal, r.qualified) for r in ranking.results] == [
        (101, True),
        (102, False),
        (103, False),
        (105, False),
    ]


def test_a_lower_coverage_minimum_lets_a_part_time_c2_offer_qualify():
    half = dataclasses.replace(DUTCH_C1, minimum_hours_coverage=D("0.5"))
    event = dataclasses.replace(EVENT_55, languages=(half, ENGLISH))
    ranking = rank_event(event=event, proposals=BIDS)
    assert result(ranking, 102).qualified  # C2 >= C1 and 50 % >= 50 %
    assert result(ranking, 105).disqualification_reasons == (
        "nl is required at C1 or better for 50% of opening hours; offered: not at all",
    )


def test_a_native_requirement_is_met_only_by_native_speakers():
    native = RequiredLanguage(tag="nl-NL", share=D(1), required=True, minimum_level="native")
    c2 = OfferedLanguage(tag="nl", level="C2")
    assert language_shortfalls(required=[native], offered=[c2])[0].sentence() == (
        "nl-NL is required at native or better for 100% of opening hours; offered: nl C2 for 100%"
    )
    assert (
        language_shortfalls(required=[native], offered=[OfferedLanguage("nl-BE", "native")]) == ()
    )


def test_two_part_time_offers_are_not_added_up():
    # 60 % and 40 % of the hours may be the same hours: one offer must meet the minimum alone.
    need = dataclasses.replace(DUTCH_C1, minimum_hours_coverage=D("0.8"))
    offers = [OfferedLanguage("nl", "C1", D("0.6")), OfferedLanguage("nl-BE", "native", D("0.4"))]
    (shortfall,) = language_shortfalls(required=[need], offered=offers)
    # Offers are listed best level first.
    assert shortfall.sentence() == (
        "nl is required at C1 or better for 80% of opening hours; "
        "offered: nl-BE native for 40%, nl C1 for 60%"
    )


def test_a_language_that_is_not_required_never_disqualifies():
    assert language_shortfalls(required=[DUTCH, ENGLISH], offered=[]) == ()


# Language coverage: share x hours coverage over the languages offered at B2 or better.
#   A: nl-BE native 100 %, en-US C1 100 %            -> 0.55 + 0.45        = 1
#   B: nl C2 50 %, EN native 100 %                   -> 0.55 x 0.5 + 0.45  = 0.725
#   C: nl B2 100 %, en C2 100 % (B2 counts)          -> 0.55 + 0.45        = 1
#   E: no Dutch, en-GB native                        -> 0.45
@pytest.mark.parametrize(
    ("proposal", "coverage"),
    [(PROPOSAL_A, D(1)), (PROPOSAL_B, D("0.725")), (PROPOSAL_C, D(1)), (NO_DUTCH, D("0.45"))],
)
def test_language_coverage_by_hand(proposal, coverage):
    ranking = rank_event(event=EVENT_55, proposals=BIDS)
    assert result(ranking, proposal.id).language_coverage == coverage


def test_coverage_counts_the_best_hours_at_b2_or_better_and_ignores_lower_levels():
    offers = [
        OfferedLanguage("nl", "native", D("0.6")),
        OfferedLanguage("nl", "B1", D(1)),  # below B2: does not count
        OfferedLanguage("en-US", "B2", D("0.3")),
        OfferedLanguage("en", "C2", D("0.2")),
    ]
    # 0.55 x 0.6 + 0.45 x 0.3 = 0.33 + 0.135 = 0.465
    assert language_coverage(required=[DUTCH, ENGLISH], offered=offers) == D("0.465")


def test_an_event_without_languages_has_no_coverage_figure():
    assert language_coverage(required=[], offered=[OfferedLanguage("nl", "native")]) is None


def test_a_disqualified_proposal_still_shows_its_coverage():
    event = dataclasses.replace(EVENT_55, languages=(DUTCH_C1, ENGLISH))
    assert result(rank_event(event=event, proposals=BIDS), 105).language_coverage == D("0.45")


# Sensitivity names the new winner -----------------------------------------------------------


def contender(pid, *, cost, rest, tco=1000, day=1):
    """Cost score `cost`, the three other scores `rest`."""
    return Contender(
        proposal=pid,
        scores=Scores(cost=D(cost), expertise=D(rest), security=D(rest), language=D(rest)),
        tco=D(tco),
        submitted_at=at(day),
    )


def test_the_new_winner_is_the_rival_that_crosses_nearest_todays_weight():
    # Cost weight x, the rest 20:20:20, so a total is rest + x (cost - rest) / 100:
    # L: 60 flat. U: 42 + 0.40 x reaches 60 at 45. Dn: 66 - 0.20 x reaches 60 at 30.
    leader = contender("l", cost=60, rest=60)
    up = contender("u", cost=82, rest=42)
    down = contender("d", cost=46, rest=66)
    assert flip(criterion=Criterion.COST, weights=FORTY, contenders=[leader, up, down]) == Flip(
        D("45.00"), "u"
    )
    far_up = contender("u", cost=78, rest=38)  # 38 + 0.40 x reaches 60 at 55: farther than 30
    assert flip(criterion=Criterion.COST, weights=FORTY, contenders=[leader, far_up, down]) == Flip(
        D("30.00"), "d"
    )


def test_when_two_rivals_cross_at_the_same_weight_the_steeper_one_wins():
    # L: 60 flat. U1: 42 + 0.40 x; U2: 51 + 0.20 x. Both reach 60 at x = 45; past 45, U1 leads.
    # U2 wins the tie at 45 itself (lower TCO), but that is a tie, not a new ranking.
    leader = contender("l", cost=60, rest=60, tco=900)
    steep = contender("u1", cost=82, rest=42, tco=1200)
    gentle = contender("u2", cost=71, rest=51, tco=1000)
    found = flip(criterion=Criterion.COST, weights=FORTY, contenders=[leader, gentle, steep])
    assert found == Flip(D("45.00"), "u1")


def test_a_hand_ranked_event_names_bravo_as_the_new_winner_on_every_criterion():
    # tests/support/scoring.py: A leads 77.60 to B 74.61; B overtakes A first on every criterion
    # (cost 31.35, expertise 13.87, security 22.32, language 9.38).
    # The event weighs no track record (performance 0): its sensitivity is about the four others.
    ranking = rank_event(event=EVENT, proposals=[PROPOSAL_A, PROPOSAL_B, PROPOSAL_C])
    weighed = [c for c in Criterion if c is not Criterion.PERFORMANCE]
    assert {c: getattr(ranking.sensitivity, c.value).new_winner for c in weighed} == dict.fromkeys(
        weighed, 102
    )
    assert ranking.sensitivity.performance is None


# The what-if's rescaling --------------------------------------------------------------------


def test_moving_cost_to_41_takes_the_point_from_the_largest_remainder():
    # The other 59 in 20:20:20: 19.667 each -> 19, 19, 19 and 2 left over: expertise and security
    # (equal remainders go in criterion order).
    assert rescale_weights(weights=FORTY, criterion=Criterion.COST, value=41) == Weights(
        41, 20, 20, 19
    )


def test_rescaling_keeps_proportions_and_spreads_equally_from_all_zero():
    start = Weights(cost=40, expertise=30, security=20, language=10)
    # 50 in 30:20:10 -> 25, 16.667, 8.333 -> 25, 17, 8
    assert rescale_weights(weights=start, criterion=Criterion.COST, value=50) == Weights(
        50, 25, 17, 8
    )
    all_cost = Weights(cost=100, expertise=0, security=0, language=0)
    assert rescale_weights(weights=all_cost, criterion=Criterion.COST, value=0) == Weights(
        0, 34, 33, 33
    )


def test_a_weight_outside_0_100_is_refused():
    with pytest.raises(WeightsError):
        rescale_weights(weights=FORTY, criterion=Criterion.SECURITY, value=101)


@given(
    st.lists(st.integers(0, 100), min_size=3, max_size=3),
    st.sampled_from(list(Criterion)),
    st.integers(0, 100),
)
def test_rescaled_weights_are_whole_and_sum_to_100(cuts, criterion, value):
    a, b, c = sorted(cuts)
    weights = Weights(a, b - a, c - b, 100 - c)
    moved = rescale_weights(weights=weights, criterion=criterion, value=value)
    assert sum(moved.of(k) for k in Criterion) == 100
    assert moved.of(criterion) == value
    # Each other weight is within one point of its exact proportional share.
    others = [k for k in Criterion if k is not criterion]
    room = sum(weights.of(k) for k in others)
    for k in others:
        exact = D(100 - value) * (D(weights.of(k)) / room if room else D(1) / 3)
        assert abs(moved.of(k) - exact) < 1


def _naive_leader(weights, criterion, x, contenders):
    """The leader with the criterion's weight set to x (fractions), others in proportion."""
    others = [c for c in Criterion if c is not criterion]
    room = sum(weights.of(c) for c in others)
    share = {c: Fraction(weights.of(c), room) if room else Fraction(1, 3) for c in others}

    def total(c):
        value = x * Fraction(c.scores.of(criterion))
        return value + sum((100 - x) * share[o] * Fraction(c.scores.of(o)) for o in others)

    return min(contenders, key=lambda c: (-total(c), c.tie_key))


@st.composite
def contests(draw):
    a, b, c = sorted(draw(st.lists(st.integers(0, 100), min_size=3, max_size=3)))
    weights = Weights(a, b - a, c - b, 100 - c)
    contenders = [
        Contender(
            proposal=f"p{n}",
            scores=Scores(*(D(draw(st.integers(0, 100))) for _ in range(4))),
            tco=D(draw(st.integers(1, 3))),
            submitted_at=at(draw(st.integers(1, 3))),
        )
        for n in range(draw(st.integers(2, 5)))
    ]
    return weights, contenders, draw(st.sampled_from(list(Criterion)))


@given(contests())
def test_the_new_winner_is_who_leads_just_past_the_crossing(contest):
    weights, contenders, criterion = contest
    found = flip(criterion=criterion, weights=weights, contenders=contenders)
    if found is None:
        return
    today = Fraction(weights.of(criterion))
    leader = _naive_leader(weights, criterion, today, contenders)
    winner = next(c for c in contenders if c.proposal == found.new_winner)
    assert winner is not leader
    # The exact crossing of the leader and the new winner, solved independently...
    others = [c for c in Criterion if c is not criterion]
    room = sum(weights.of(c) for c in others)
    share = {c: Fraction(weights.of(c), room) if room else Fraction(1, 3) for c in others}

    def line(c):  # total(x) = p + q x
        rest = sum(share[o] * Fraction(c.scores.of(o)) for o in others)
        return rest, (Fraction(c.scores.of(criterion)) - rest) / 100

    (p1, q1), (p2, q2) = line(leader), line(winner)
    crossing = (p1 - p2) / (q2 - q1)
    # ... rounds to the reported weight, and just past it (or at it, at a bound) the new
    # winner leads, by the naive ranking.
    assert abs(crossing - Fraction(found.weight)) <= Fraction(1, 200)
    step = 1 if crossing > today or (crossing == today and q2 > q1) else -1
    probe = crossing if crossing in (0, 100) else crossing + step * Fraction(1, 10**9)
    assert _naive_leader(weights, criterion, probe, contenders) is winner
