"""The performance (track record) criterion in the pure scoring: weights, rescaling, totals."""

from dataclasses import replace
from decimal import Context, Decimal, localcontext

import pytest

from tests.support.scoring import EVENT, PROPOSAL_A, PROPOSAL_B, PROPOSAL_C
from vendors.domain.scoring import (
    Criterion,
    Weights,
    WeightsError,
    parse_weights,
    parse_weights_query,
    rank_event,
    rescale_weights,
)
from vendors.domain.track_record import track_record_of

D = Decimal
# 14 judged target-months: 100 x (9 + 0.5 x 2) / 14 = 1000 / 14 = 71.428571...
FOURTEEN = track_record_of(met=9, warning=2, breach=2, missing=1)
FIFTY = D(50)
FIVE = track_record_of(met=5, warning=0, breach=0, missing=0)  # fewer than 6: a newcomer


def test_weights_written_before_the_criterion_existed_weigh_performance_zero():
    weights = parse_weights_query(text="cost:40,expertise:20,security:20,language:20")
    assert weights == Weights(cost=40, expertise=20, security=20, language=20, performance=0)


def test_performance_counts_towards_the_hundred():
    weights = parse_weights(
        raw={"cost": 40, "expertise": 20, "security": 20, "language": 10, "performance": 10}
    )
    assert weights.performance == 10
    with pytest.raises(WeightsError) as error:
        parse_weights(
            raw={"cost": 40, "expertise": 20, "security": 20, "language": 20, "performance": 10}
        )
    assert error.value.problems == [("weights", "must sum to 100, they sum to 110")]


def test_moving_performance_rescales_the_others_in_proportion():
    weights = Weights(cost=40, expertise=20, security=20, language=20)
    # The other four share 90 as 40:20:20:20 -> 36, 18, 18, 18 exactly.
    assert rescale_weights(weights=weights, criterion=Criterion.PERFORMANCE, value=10) == Weights(
        cost=36, expertise=18, security=18, language=18, performance=10
    )


def test_an_unweighed_performance_takes_no_share_when_the_others_are_all_zero():
    weights = Weights(cost=100, expertise=0, security=0, language=0)
    # As before the criterion: expertise, security and language share 100 (34, 33, 33).
    assert rescale_weights(weights=weights, criterion=Criterion.COST, value=0) == Weights(
        cost=0, expertise=34, security=33, language=33, performance=0
    )


def _ranked(weights: Weights, records: dict, newcomer: Decimal = FIFTY):
    event = replace(EVENT, weights=weights, newcomer_performance=newcomer)
    proposals = [
        replace(p, track_record=records.get(p.id)) for p in (PROPOSAL_A, PROPOSAL_B, PROPOSAL_C)
    ]
    return {r.proposal: r for r in rank_event(event=event, proposals=proposals).results}


def test_a_weight_of_zero_ranks_exactly_as_without_track_records():
    weights = replace(EVENT.weights, performance=0)
    bare = _ranked(weights, {})
    known = _ranked(weights, {PROPOSAL_A.id: FOURTEEN, PROPOSAL_B.id: FIVE})
    assert [(r.rank, r.total) for r in bare.values()] == [(r.rank, r.total) for r in known.values()]


def test_the_performance_weight_adds_its_share_of_the_track_record_to_the_total():
    base = EVENT.weights
    weighed = Weights(
        cost=base.cost, expertise=base.expertise, security=base.security,
        language=base.language - 10, performance=10,
    )  # fmt: skip
    rows = _ranked(weighed, {PROPOSAL_A.id: FOURTEEN, PROPOSAL_B.id: FIVE}, newcomer=D(40))
    a, b = rows[PROPOSAL_A.id], rows[PROPOSAL_B.id]
    assert a.scores.performance == D(1000) / D(14)
    assert b.scores.performance == D(40)  # five judged: the event's newcomer score
    assert a.explanation.track_record == FOURTEEN and b.explanation.track_record.newcomer
    for row in (a, b):
        s = row.scores
        with localcontext(Context(prec=60)):
            expected = (
                weighed.cost * s.cost + weighed.expertise * s.expertise
                + weighed.security * s.security + weighed.language * s.language
                + 10 * s.performance
            ) / 100  # fmt: skip
        places = D("1e-20")
        assert row.total.quantize(places) == expected.quantize(places)
