"""The cheapest split's exact search: 20 proposals x 5 channels within 0.5 s.

Pure (no database): random seasonal bids (12 calendar months, a minimum charge, fixed and
one-off fees, some vendors serving only some channels), searched by branch and bound. Baseline
in the same run: trying every assignment of a smaller case (8 proposals x 5 channels, 32,768
assignments) with the same cost function, and the branch and bound on that same case.
Usage: .venv/bin/python bench/bench_scenarios.py [--seed 17] [--runs 20]
"""

import argparse
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.channels import Channel  # noqa: E402
from vendors.domain.scenarios import (  # noqa: E402
    MonthCharges,
    ProposalCosts,
    brute_force_assignment,
    cheapest_assignment,
)

CHANNELS = tuple(Channel)
BASE = {
    Channel.PHONE: 90000,
    Channel.CHAT: 40000,
    Channel.EMAIL: 25000,
    Channel.SOCIAL: 8000,
    Channel.BACKOFFICE: 15000,
}
SEASON = (0.9, 0.85, 0.9, 0.95, 1.0, 0.95, 0.9, 0.9, 1.0, 1.1, 1.25, 1.3)


def proposal(rng: random.Random, pid: int) -> ProposalCosts:
    """A bid about the market's price, each channel within +-25%, with fees and a minimum."""
    factors = {c: rng.uniform(0.75, 1.25) for c in CHANNELS}
    months = tuple(
        MonthCharges(
            count=2 if m < 12 else 1,
            usage={c: Decimal(str(round(BASE[c] * factors[c] * s, 2))) for c in CHANNELS},
        )
        for m, s in enumerate(SEASON, start=1)
    )
    serves = frozenset(c for c in CHANNELS if c is Channel.PHONE or rng.random() < 0.85)
    return ProposalCosts(
        id=pid,
        months=months,
        serves=serves,
        one_off_fees=Decimal(rng.randrange(20000, 150000)),
        fixed_monthly_fees=Decimal(rng.randrange(1000, 12000)),
        minimum_monthly_charge=Decimal(rng.randrange(0, 150000)),
        fx_rate=rng.choice([Decimal(1), Decimal("0.92")]),
    )


def timed(function, runs: int) -> tuple[float, object]:
    """The median wall time of `runs` calls, and the last answer."""
    times, answer = [], None
    for _ in range(runs):
        start = time.perf_counter()
        answer = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), answer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    big = [proposal(rng, n) for n in range(1, 21)]
    small = big[:8]
    worst, nodes = 0.0, []
    for seed in range(args.runs):
        case = [proposal(random.Random(seed), n) for n in range(1, 21)]
        start = time.perf_counter()
        _, visited = cheapest_assignment(channels=CHANNELS, proposals=case)
        worst = max(worst, time.perf_counter() - start)
        nodes.append(visited)
    search, (found, visited) = timed(
        lambda: cheapest_assignment(channels=CHANNELS, proposals=big), args.runs
    )
    brute, brute_found = timed(
        lambda: brute_force_assignment(channels=CHANNELS, proposals=small), 1
    )
    small_search, (small_found, _) = timed(
        lambda: cheapest_assignment(channels=CHANNELS, proposals=small), args.runs
    )
    assert small_found == brute_found, "branch and bound disagrees with brute force"
    print(f"20 proposals x 5 channels: median {search:.4f} s ({visited} nodes of 3,200,000)")
    print(f"  worst of {args.runs} random events: {worst:.4f} s; nodes median "
          f"{statistics.median(nodes):.0f}, max {max(nodes)}")  # fmt: skip
    print(f"8 proposals x 5 channels: brute force {brute:.4f} s (32,768 assignments), "
          f"branch and bound {small_search:.4f} s, ratio x{brute / small_search:.0f}")  # fmt: skip
    print(f"20 x 5 search / 8 x 5 brute force: x{search / brute:.3f}")
    print("target 0.5 s:", "met" if worst <= 0.5 else "MISSED")


if __name__ == "__main__":
    main()
