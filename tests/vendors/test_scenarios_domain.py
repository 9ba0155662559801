"""Award scenarios, pure (DOMAIN.md "Award, split awards and scenarios"; docs/scenarios.md)."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.channels import Channel
from vendors.domain.scenarios import (
    AssignmentError,
    MonthCharges,
    ProblemKind,
    ProposalCosts,
    ScenarioName,
    brute_force_assignment,
    cheapest_assignment,
    event_scenarios_of,
    proposal_channels_tco,
)

D = Decimal
PHONE, CHAT, EMAIL = Channel.PHONE, Channel.CHAT, Channel.EMAIL
ALL = (PHONE, CHAT, EMAIL)


def flat(pid: int, phone: str, chat: str, email: str, **fees) -> ProposalCosts:
    """A proposal priced alike in all twelve months of a one-year term."""
    usage = {PHONE: D(phone), CHAT: D(chat), EMAIL: D(email)}
    return ProposalCosts(
        id=pid,
        months=(MonthCharges(count=12, usage=usage),),
        serves=frozenset(fees.pop("serves", ALL)),
        **{name: D(value) for name, value in fees.items()},
    )


# The hand-worked event: monthly usage charges per channel, EUR, a 12-month term.
A = flat(1, "10000", "5000", "3000")  # ranked first on quality, no fees
B = flat(2, "6500", "6000", "4000", fixed_monthly_fees="1000", one_off_fees="12000")
C = flat(
    3, "12000", "3000", "2000",
    minimum_monthly_charge="10000", fixed_monthly_fees="500", one_off_fees="6000",
)  # fmt: skip
DEE = flat(4, "9000", "4800", "2900")
HAND = (A, B, C, DEE)


def test_a_proposal_restricted_to_channels_keeps_its_fees_and_applies_its_minimum_to_them():
    # C on chat and email: usage 3,000 + 2,000 = 5,000 a month, below the 10,000 minimum, so
    # (10,000 + 500) x 12 + 6,000 one-off = 132,000.
    assert proposal_channels_tco(proposal=C, channels=[CHAT, EMAIL]) == D("132000")
    # C on all three: 17,000 is above the minimum: (17,000 + 500) x 12 + 6,000 = 216,000.
    assert proposal_channels_tco(proposal=C, channels=ALL) == D("216000")
    assert proposal_channels_tco(proposal=C, channels=[]) == 0


def test_the_cheapest_split_of_the_hand_worked_event_is_computed_by_hand():
    # Per channel alone over 12 months (usage x 12, plus the proposal's fees once if used):
    #   phone: A 120,000; B 78,000 + 12,000 fees + 12,000 one-off = 102,000; D 108,000;
    #          C 144,000 + 6,000 + 6,000 = 156,000
    #   chat:  A 60,000; B 72,000 (+ fees); C 36,000 of usage but the minimum makes chat
    #          alone (10,000 + 500) x 12 + 6,000 = 132,000; D 57,600
    #   email: A 36,000; B 48,000 (+ fees); C 24,000 of usage, 132,000 with its minimum;
    #          D 34,800
    # C is the cheapest per unit on chat and email, yet chat + email together still fall
    # below its minimum (132,000 against D's 57,600 + 34,800 = 92,400): it loses both.
    # B is the cheapest on phone even with its fees (102,000 against D's 108,000), but adding
    # chat to it costs (6,500 + 6,000 + 1,000) x 12 + 12,000 - 102,000 = 72,000 > 57,600.
    # So: phone -> B, chat and email -> D = 102,000 + 92,400 = 194,400 (D alone: 200,400).
    scenarios = event_scenarios_of(channels=ALL, proposals=HAND)
    cheapest = scenarios.cheapest_split
    assert cheapest is not None
    assert dict(cheapest.assignments) == {PHONE: 2, CHAT: 4, EMAIL: 4}
    assert cheapest.tco == D("194400")
    assert [(c.proposal, c.channels, c.tco) for c in cheapest.contracts] == [
        (2, (PHONE,), D("102000")),
        (4, (CHAT, EMAIL), D("92400")),
    ]
    # First-ranked A alone: (10,000 + 5,000 + 3,000) x 12 = 216,000; the split saves 21,600.
    assert scenarios.first_ranked.tco == D("216000")
    assert cheapest.difference == D("-21600")


def test_a_composed_split_is_priced_and_compared_with_the_first_ranked_proposal():
    scenarios = event_scenarios_of(
        channels=ALL, proposals=HAND, assignments=[("phone", 1), ("chat", 3), ("email", 3)]
    )
    composed = scenarios.composed
    assert composed is not None and composed.name is ScenarioName.COMPOSED
    # A phone 120,000 + C chat and email 132,000 = 252,000; 36,000 more than A alone.
    assert composed.tco == D("252000")
    assert composed.difference == D("36000")
    assert [s.name for s in scenarios.all()] == [
        ScenarioName.FIRST_RANKED, ScenarioName.CHEAPEST_SPLIT, ScenarioName.COMPOSED
    ]  # fmt: skip


def test_a_composed_split_names_every_bad_channel_and_proposal():
    only_email = flat(5, "1", "1", "1", serves={EMAIL})
    with pytest.raises(AssignmentError) as caught:
        event_scenarios_of(
            channels=ALL,
            proposals=(*HAND, only_email),
            assignments=[("phone", 99), ("chat", 5), ("fax", 1), ("chat", 1)],
        )
    found = {(p.kind, p.channel) for p in caught.value.problems}
    assert found == {
        (ProblemKind.UNQUALIFIED, "phone"),
        (ProblemKind.NOT_SERVED, "chat"),
        (ProblemKind.UNKNOWN_CHANNEL, "fax"),
        (ProblemKind.TWICE, "chat"),
        (ProblemKind.UNASSIGNED, "email"),
    }


def test_a_proposal_that_does_not_serve_a_channel_never_gets_it_in_the_cheapest_split():
    cheap_but_no_phone = flat(5, "1", "1", "1", serves={CHAT, EMAIL})
    mapping, _ = cheapest_assignment(channels=ALL, proposals=(*HAND, cheap_but_no_phone))
    assert mapping == {PHONE: 2, CHAT: 5, EMAIL: 5}


def test_there_is_no_cheapest_split_when_a_channel_is_served_by_no_proposal():
    no_email = flat(5, "1", "1", "1", serves={PHONE, CHAT})
    scenarios = event_scenarios_of(channels=ALL, proposals=(no_email,))
    assert scenarios.cheapest_split is None
    assert scenarios.first_ranked is not None  # the first-ranked proposal alone still exists


def test_ties_go_to_the_proposal_ranked_first():
    twin = flat(7, "9000", "4800", "2900")
    mapping, _ = cheapest_assignment(channels=ALL, proposals=(twin, DEE))
    assert mapping == {PHONE: 7, CHAT: 7, EMAIL: 7}
    mapping, _ = cheapest_assignment(channels=ALL, proposals=(DEE, twin))
    assert mapping == {PHONE: 4, CHAT: 4, EMAIL: 4}


def test_seasonal_months_are_weighted_by_how_often_the_term_has_them():
    # Peak 2 months at 12,000 usage, low 10 months at 4,000; minimum 6,000: the minimum
    # applies in the low months only: 2 x 12,000 + 10 x 6,000 = 84,000.
    proposal = ProposalCosts(
        id=1,
        months=(
            MonthCharges(count=2, usage={PHONE: D("12000")}),
            MonthCharges(count=10, usage={PHONE: D("4000")}),
        ),
        serves=frozenset({PHONE}),
        minimum_monthly_charge=D("6000"),
        fx_rate=D("1"),
    )
    assert proposal_channels_tco(proposal=proposal, channels=[PHONE]) == D("84000")


def test_amounts_are_converted_at_the_proposals_fx_rate():
    usd = flat(1, "100", "0", "0", one_off_fees="50", fx_rate="0.92")
    # (100 x 12 + 50) x 0.92 = 1,150
    assert proposal_channels_tco(proposal=usd, channels=[PHONE]) == D("1150.00")


money = st.integers(min_value=0, max_value=60).map(D)


@st.composite
def small_events(draw):
    channels = draw(st.permutations(list(Channel)))[: draw(st.integers(1, 4))]
    months = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
    proposals = []
    for pid in range(1, draw(st.integers(1, 5)) + 1):
        serves = draw(st.sets(st.sampled_from(channels), min_size=1))
        proposals.append(
            ProposalCosts(
                id=pid * 10,
                months=tuple(
                    MonthCharges(count=n, usage={c: draw(money) for c in channels}) for n in months
                ),
                serves=frozenset(serves),
                one_off_fees=draw(money),
                fixed_monthly_fees=draw(money),
                minimum_monthly_charge=draw(st.integers(0, 150).map(D)),
                fx_rate=draw(st.sampled_from([D(1), D("0.92"), D("1.1")])),
            )
        )
    return tuple(channels), tuple(proposals)


@settings(max_examples=300, deadline=None)
@given(small_events())
def test_branch_and_bound_finds_what_trying_every_assignment_finds(case):
    channels, proposals = case
    found, _ = cheapest_assignment(channels=channels, proposals=proposals)
    assert found == brute_force_assignment(channels=channels, proposals=proposals)
