"""Time ranking + sensitivity of a 200-proposal event against its 0.5 s budget.

Run: .venv/bin/python bench/bench_scoring.py
Twice: the flat event, then the same event with a volume profile on every channel (twelve
month factors, three time bands: 5 channels x 3 bands x 12 months), callers' patience on phone
and chat (Erlang A) and a third of the bids hybrids scoped by band and month.
The baseline is pricing alone (the forecast usage of every proposal priced once), measured in
the same run so the ratio says how much the scores, ranking and sensitivity add on top of it
on whatever machine this runs.
"""

import random
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.channels import Channel  # noqa: E402
from vendors.domain.pricing import (  # noqa: E402
    ChannelPrice,
    MonthlyFee,
    OneOffFees,
    PriceComponent,
    PriceList,
    PricingModel,
)
from vendors.domain.scoring import (  # noqa: E402
    Certification,
    DesiredCertification,
    EventChannel,
    EventSpec,
    OfferedLanguage,
    ProposalSpec,
    RequiredLanguage,
    VendorProfile,
    Weights,
    event_staffing,
    forecast_usage,
    price_forecast,
    rank_event,
)
from vendors.domain.staffing import Band, VolumeProfile  # noqa: E402

PROPOSALS = 200
BUDGET_SECONDS = 0.5
RUNS = 7
D = Decimal
M = PricingModel


def build_event() -> EventSpec:
    """A five-channel event with the volumes of a mid-sized European support operation."""
    return EventSpec(
        currency="EUR",
        term_months=36,
        start_date=date(2026, 4, 1),
        industry="retail",
        weights=Weights(cost=40, expertise=25, security=20, language=15),
        channels=(
            EventChannel(Channel.PHONE, 42_000, 320, D(372), D(80), 20),
            EventChannel(Channel.CHAT, 18_000, 480, D(300), D(90), 60),
            EventChannel(Channel.EMAIL, 25_000, 400, D(220)),
            EventChannel(Channel.SOCIAL, 6_000, 240, D(220)),
            EventChannel(Channel.BACKOFFICE, 9_000, 600, D(176)),
        ),
        languages=(
            RequiredLanguage("nl-NL", D("0.5")),
            RequiredLanguage("en-GB", D("0.3")),
            RequiredLanguage("de-DE", D("0.2")),
        ),
        must_have_certifications=("ISO 27001",),
        desired_certifications=(
            DesiredCertification("PCI DSS", 40),
            DesiredCertification("SOC 2 Type II", 30),
            DesiredCertification("GDPR DPA", 30),
        ),
        fx_rates={"USD": D("0.92"), "GBP": D("1.17")},
    )


SEASON = tuple(D(f) for f in ("0.8", "0.8", "0.9", "0.9", "1", "0.9", "0.8", "0.8", "1", "1.1",
                               "1.4", "1.6"))  # fmt: skip
BAND_NAMES = ("day", "evening", "weekend")


def profiled(event: EventSpec) -> EventSpec:
    """The event with seasons, three bands on every channel and patience on phone and chat."""
    channels = []
    for need in event.channels:
        hours = need.opening_hours
        day, evening = (hours * D("0.65")).quantize(D(1)), (hours * D("0.2")).quantize(D(1))
        bands = (
            Band("day", day, D("0.7")),
            Band("evening", evening, D("0.2")),
            Band("weekend", hours - day - evening, D("0.1")),
        )
        patience = {Channel.PHONE: 120, Channel.CHAT: 300}.get(need.channel)
        channels.append(
            replace(
                need, profile=VolumeProfile(months=SEASON, bands=bands), patience_seconds=patience
            )
        )
    return replace(event, channels=tuple(channels))


def scoped_price(rng: random.Random, channel: Channel | None) -> ChannelPrice:
    """Dedicated by day and in November-December, blended otherwise."""
    hourly = D(rng.randint(30, 75))
    contact = D(rng.randint(200, 1000)) / 100
    return ChannelPrice(
        channel=channel,
        model=M.HYBRID,
        components=(
            PriceComponent(M.PER_PRODUCTION_HOUR, hourly, bands=("day",)),
            PriceComponent(M.PER_PRODUCTION_HOUR, hourly, bands=BAND_NAMES[1:], months=(11, 12)),
            PriceComponent(
                M.PER_CONTACT, contact, bands=BAND_NAMES[1:], months=tuple(range(1, 11))
            ),
        ),
    )


def channel_price(rng: random.Random, channel: Channel | None) -> ChannelPrice:
    """One channel's price in a randomly chosen model, at market-like rates."""
    model = rng.choice(list(M))
    if model is M.HYBRID:
        share = D(rng.choice(["0.5", "0.6", "0.7"]))
        return ChannelPrice(
            channel=channel,
            model=model,
            components=(
                PriceComponent(M.PER_PRODUCTION_HOUR, D(rng.randint(30, 75)), share),
                PriceComponent(M.PER_CONTACT, D(rng.randint(200, 1000)) / 100, 1 - share),
            ),
        )
    rate = {
        M.PER_PRODUCTION_HOUR: D(rng.randint(1000, 5000)) / 100,
        M.PER_FTE_MONTH: D(rng.randint(3000, 7000)),
        M.PER_HANDLED_MINUTE: D(rng.randint(50, 200)) / 100,
        M.PER_CONTACT: D(rng.randint(200, 1000)) / 100,
    }[model]
    stated = D(rng.randint(500, 20_000)) if rng.random() < 0.5 else None
    fte = D(rng.randint(5, 120)) if rng.random() < 0.5 else None
    return ChannelPrice(channel, model, rate, stated_hours=stated, stated_fte=fte)


def build_proposal(rng: random.Random, number: int, *, scoped: bool = False) -> ProposalSpec:
    """A proposal with mixed pricing models, currencies, certificates and ratings."""
    certs = [Certification("ISO 27001", date(2028, 1, 1))] if rng.random() < 0.95 else []
    certs += [
        Certification(n) for n in ("PCI DSS", "SOC 2 Type II", "GDPR DPA") if rng.random() < 0.5
    ]
    vendor = VendorProfile(
        id=number,
        name=f"Vendor {number}",
        channels=frozenset(rng.sample(list(Channel), rng.randint(2, 5))),
        certifications=tuple(certs),
        industries={"Retail": rng.randint(0, 15)},
    )
    prices = [channel_price(rng, c) for c in Channel] if rng.random() < 0.7 else []
    prices.append(channel_price(rng, None))
    if scoped and number % 3 == 0:
        prices = [scoped_price(rng, None)]
    return ProposalSpec(
        id=number,
        vendor=vendor,
        submitted_at=datetime(2026, 2, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 40_000)),
        price_list=PriceList(
            currency=rng.choice(["EUR", "EUR", "USD", "GBP"]),
            channel_prices=tuple(prices),
            monthly_fees=(MonthlyFee("management", D(rng.randint(0, 5000))),),
            minimum_monthly_charge=D(rng.choice([0, 0, 250_000, 600_000])),
            one_off_fees=OneOffFees(
                setup=D(rng.randint(0, 80_000)), training=D(rng.randint(0, 30_000))
            ),
        ),
        languages=tuple(
            OfferedLanguage(
                tag, rng.choice(["native", "C2", "C1", "B2", "B1"]), D(rng.choice(["0.5", "1"]))
            )
            for tag in ("nl-BE", "en", "de-AT")
            if rng.random() < 0.8
        ),
        ratings=tuple(rng.randint(0, 5) for _ in range(rng.randint(0, 4))),
    )


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of several runs: the least disturbed measure of the code itself."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    """Time the flat event, then the profiled one (seasons, bands, Erlang A, scoped hybrids)."""
    measure(build_event(), scoped=False, label="flat")
    measure(profiled(build_event()), scoped=True, label="5 channels x 3 bands x 12 months")


def measure(event: EventSpec, *, scoped: bool, label: str) -> None:
    """Time pricing alone and ranking + sensitivity of one event, print the comparison."""
    rng = random.Random(20260401)
    proposals = [build_proposal(rng, n, scoped=scoped) for n in range(1, PROPOSALS + 1)]

    def pricing_only() -> None:
        staffing = event_staffing(event=event)
        for p in proposals:
            forecast = forecast_usage(event=event, staffing=staffing, price_list=p.price_list)
            price_forecast(event=event, price_list=p.price_list, forecast=forecast)

    ranking = rank_event(event=event, proposals=proposals)
    qualified = sum(r.qualified for r in ranking.results)
    baseline = best_of(RUNS, pricing_only)
    elapsed = best_of(RUNS, lambda: rank_event(event=event, proposals=proposals))
    verdict = "within" if elapsed <= BUDGET_SECONDS else "OVER"
    print(
        f"[{label}] ranking+sensitivity {PROPOSALS} proposals: {elapsed:.3f} s "
        f"(budget {BUDGET_SECONDS} s, {verdict}); "
        f"x{elapsed / baseline:.1f} the pricing-only baseline ({baseline:.3f} s)"
    )
    flips = {
        k: (str(v) if v is not None else "robust") for k, v in vars(ranking.sensitivity).items()
    }
    print(f"  {qualified} qualified, winner {ranking.results[0].proposal}, sensitivity {flips}")


if __name__ == "__main__":
    main()
