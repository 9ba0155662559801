"""Erlang C staffing of DOMAIN.md, checked against published figures and by properties."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.channels import Channel
from core.money import two_places
from vendors.domain import staffing
from vendors.domain.staffing import (
    channel_staffing,
    erlang_c,
    required_agents,
    service_level,
    traffic_erlangs,
)

EIGHTY = Decimal("0.8")
OCCUPANCY = Decimal("0.85")
SHRINKAGE = Decimal("0.30")


def phone(volume: int, *, aht: int = 300, hours: int = 176):
    return channel_staffing(
        channel=Channel.PHONE,
        monthly_volume=volume,
        aht_seconds=aht,
        opening_hours=hours,
        shrinkage=SHRINKAGE,
        max_occupancy=OCCUPANCY,
        sl_percent=80,
        sl_seconds=20,
    )


def test_traffic_is_arrivals_per_hour_times_aht_in_hours():
    # 10,000 calls / 176 h = 56.818 calls per hour; x 300 s / 3600 = 4.7348 Erlangs.
    traffic = traffic_erlangs(volume=10_000, opening_hours=176, aht_seconds=300)
    assert traffic == Decimal(10_000 * 300) / Decimal(176 * 3600)
    assert two_places(traffic) == Decimal("4.73")


def test_erlang_c_of_14_agents_on_10_erlangs_is_the_textbook_figure():
    assert erlang_c(agents=14, traffic=10) == pytest.approx(0.17413, abs=1e-5)


def test_erlang_c_is_one_when_agents_cannot_keep_up_and_zero_without_traffic():
    assert erlang_c(agents=10, traffic=10) == 1.0
    assert erlang_c(agents=3, traffic=10) == 1.0
    assert erlang_c(agents=5, traffic=0) == 0.0


def test_ten_erlangs_at_180_seconds_and_80_20_needs_14_agents():
    agents = required_agents(
        traffic=10, sl_target=EIGHTY, sl_seconds=20, aht_seconds=180, max_occupancy=OCCUPANCY
    )
    assert agents == 14
    achieved = service_level(agents=14, traffic=10, sl_seconds=20, aht_seconds=180)
    assert achieved == pytest.approx(0.88835, abs=1e-5)
    # 13 agents are not enough: that is why the answer is 14.
    assert service_level(agents=13, traffic=10, sl_seconds=20, aht_seconds=180) < 0.8


def test_reference_case_of_10000_calls_needs_8_agents():
    result = phone(10_000)
    assert two_places(result.traffic_erlangs) == Decimal("4.73")
    assert result.agents == 8
    assert float(result.service_level) == pytest.approx(0.8945, abs=1e-4)  # "about 89%"
    assert two_places(result.arrivals_per_hour) == Decimal("56.82")
    assert two_places(result.occupancy) == Decimal("0.59")  # 4.7348 / 8
    assert result.production_hours == Decimal(8 * 176)  # 1,408 h
    assert two_places(result.paid_hours) == Decimal("2011.43")  # 1,408 / (1 - 0.30)
    assert result.sl_target == EIGHTY


def test_zero_volume_needs_0_agents_and_no_hours():
    result = phone(0)
    assert result.agents == 0
    assert result.production_hours == 0
    assert result.paid_hours == 0
    assert (
        required_agents(
            traffic=0, sl_target=EIGHTY, sl_seconds=20, aht_seconds=180, max_occupancy=OCCUPANCY
        )
        == 0
    )


def test_maximum_occupancy_can_be_the_binding_constraint():
    # SL alone needs 14 agents for 10 Erlangs; at most 50% occupancy needs 20.
    agents = required_agents(
        traffic=10, sl_target=EIGHTY, sl_seconds=20, aht_seconds=180, max_occupancy=Decimal("0.5")
    )
    assert agents == 20


def test_a_low_target_still_needs_more_agents_than_erlangs():
    agents = required_agents(
        traffic=10, sl_target=Decimal(0), sl_seconds=20, aht_seconds=180, max_occupancy=Decimal(1)
    )
    assert agents == 11


def test_3000_erlangs_are_staffed_quickly_and_sensibly(monkeypatch):
    steps = []
    step = staffing._erlang_b_step

    def counted(**kwargs):
        steps.append(kwargs["agents"])
        return step(**kwargs)

    monkeypatch.setattr(staffing, "_erlang_b_step", counted)
    agents = required_agents(
        traffic=3000, sl_target=EIGHTY, sl_seconds=20, aht_seconds=180, max_occupancy=Decimal(1)
    )
    # Quickly: B(n) is computed once for each n up to the answer, never again from B(0) for
    # each candidate (which would take some 40 x 3000 steps here).
    assert steps == list(range(1, agents + 1))
    # A large pool is efficient: a few dozen agents above the traffic reach 80/20.
    assert 3000 < agents < 3060
    assert service_level(agents=agents, traffic=3000, sl_seconds=20, aht_seconds=180) >= 0.8
    assert service_level(agents=agents - 1, traffic=3000, sl_seconds=20, aht_seconds=180) < 0.8


def test_a_percent_passed_as_the_sl_target_is_refused():
    with pytest.raises(ValueError, match="fraction"):
        required_agents(
            traffic=10,
            sl_target=Decimal(80),
            sl_seconds=20,
            aht_seconds=180,
            max_occupancy=OCCUPANCY,
        )


def test_a_real_time_channel_needs_a_service_level_target():
    with pytest.raises(ValueError, match="sl_percent"):
        channel_staffing(
            channel=Channel.CHAT,
            monthly_volume=100,
            aht_seconds=300,
            opening_hours=100,
            shrinkage=SHRINKAGE,
            max_occupancy=OCCUPANCY,
        )


def test_volume_without_opening_hours_is_refused():
    with pytest.raises(ValueError, match="opening hours"):
        traffic_erlangs(volume=100, opening_hours=0, aht_seconds=300)


def test_deferred_channels_need_workload_over_maximum_occupancy_and_no_agent_count():
    result = channel_staffing(
        channel=Channel.EMAIL,
        monthly_volume=3_400,
        aht_seconds=360,
        opening_hours=176,
        shrinkage=SHRINKAGE,
        max_occupancy=OCCUPANCY,
    )
    # 3,400 x 360 s / 3600 = 340 h of work; / 0.85 = 400 production hours.
    assert result.workload_hours == 340
    assert result.production_hours == 400
    assert two_places(result.paid_hours) == Decimal("571.43")  # 400 / 0.70
    assert result.agents is None
    assert result.traffic_erlangs is None
    assert result.service_level is None
    assert result.occupancy == OCCUPANCY


@given(
    traffic=st.decimals(min_value=Decimal("0.1"), max_value=Decimal(400), places=2),
    extra=st.integers(min_value=1, max_value=40),
)
def test_service_level_rises_with_agents(traffic, extra):
    first = int(traffic) + 1
    levels = [
        service_level(agents=n, traffic=traffic, sl_seconds=20, aht_seconds=240)
        for n in range(first, first + extra + 1)
    ]
    assert all(a <= b for a, b in zip(levels, levels[1:], strict=False))
    assert all(0.0 <= level <= 1.0 for level in levels)


@given(
    volume=st.integers(min_value=0, max_value=300_000),
    more=st.integers(min_value=0, max_value=50_000),
    aht=st.integers(min_value=30, max_value=900),
    target=st.sampled_from([Decimal("0.5"), Decimal("0.8"), Decimal("0.9"), Decimal("0.95")]),
)
def test_agents_never_fall_when_volume_rises(volume, more, aht, target):
    def agents(calls: int) -> int:
        traffic = traffic_erlangs(volume=calls, opening_hours=300, aht_seconds=aht)
        return required_agents(
            traffic=traffic,
            sl_target=target,
            sl_seconds=20,
            aht_seconds=aht,
            max_occupancy=OCCUPANCY,
        )

    assert agents(volume) <= agents(volume + more)


@given(
    traffic=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(2000), places=2),
    target=st.sampled_from([Decimal("0.7"), Decimal("0.8"), Decimal("0.9")]),
)
def test_required_agents_is_the_smallest_count_that_meets_every_condition(traffic, target):
    n = required_agents(
        traffic=traffic, sl_target=target, sl_seconds=20, aht_seconds=180, max_occupancy=OCCUPANCY
    )

    def meets(agents: int) -> bool:
        achieved = service_level(agents=agents, traffic=traffic, sl_seconds=20, aht_seconds=180)
        return agents > traffic and achieved >= target and traffic <= OCCUPANCY * agents

    assert meets(n)
    assert not meets(n - 1)
