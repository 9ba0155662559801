"""Time an event's ranking through the database: 200 proposals x 5 channels, 0.5 s budget.

Run (PostgreSQL, a throwaway database `<name>_bench` is created and dropped):
  DJANGO_ENV=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/bposla \\
    .venv/bin/python bench/bench_ranking_api.py [PROPOSALS, default 200] [--profiles]
`--profiles`: every channel gets twelve month factors and three time bands (5 channels x 3 bands
x 12 months), phone and chat a patience (Erlang A), and a third of the bids are hybrids scoped
by band and month. Without DATABASE_URL it runs on SQLite. The baseline is the pure ranking
(`rank_event`) of the same proposals already in memory, measured in the same run, so the ratios
say what reading
the rows, rounding, serialising and rendering add on whatever machine this runs.
"""

import os
import random
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
PROPOSALS = int(ARGS[0]) if ARGS else 200
PROFILES = "--profiles" in sys.argv
SEASON = ["0.8", "0.8", "0.9", "0.9", "1", "0.9", "0.8", "0.8", "1", "1.1", "1.4", "1.6"]
BANDS = ("day", "evening", "weekend")


def with_profiles(channels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Seasons and three bands on every channel; patience on phone and chat."""
    result = []
    for need in channels:
        hours = int(need.get("opening_hours") or 220)
        day, evening = round(hours * 0.65), round(hours * 0.2)
        bands = [
            {"name": "day", "hours": day, "share": "0.7"},
            {"name": "evening", "hours": evening, "share": "0.2"},
            {"name": "weekend", "hours": hours - day - evening, "share": "0.1"},
        ]
        extra: dict[str, Any] = {
            "opening_hours": str(hours),
            "profile": {"months": SEASON, "bands": bands},
        }
        if need["channel"] in ("phone", "chat"):
            extra["patience_seconds"] = 120 if need["channel"] == "phone" else 300
        result.append(need | extra)
    return result


def scoped_price(rng: random.Random) -> dict[str, Any]:
    """All channels: dedicated by day and in November-December, blended otherwise."""
    hourly = {"model": "per_production_hour", "rate": rng.randint(30, 75)}
    return {
        "channel": None,
        "model": "hybrid",
        "components": [
            hourly | {"bands": ["day"]},
            hourly | {"bands": list(BANDS[1:]), "months": [11, 12]},
            {"model": "per_contact", "rate": f"{rng.randint(200, 1000) / 100:.2f}",
             "bands": list(BANDS[1:]), "months": list(range(1, 11))},
        ],
    }  # fmt: skip


BUDGET_SECONDS = 0.5
RUNS = 5
CHANNELS = ["phone", "chat", "email", "social", "backoffice"]


def build_event(vendors: list[Any]) -> Any:
    """A five-channel event like bench_scoring's, closed a minute ago."""
    from vendors.services.events import event_create, event_open

    now = timezone.now()
    event = event_create(
        title=f"Benchmark: five channels, {PROPOSALS} bids",
        currency="EUR",
        term_months=36,
        start_date=(now + timedelta(days=60)).date(),
        bid_deadline=now + timedelta(days=1),
        industry="retail",
        weights={"cost": 40, "expertise": 25, "security": 20, "language": 15},
        channels=(with_profiles if PROFILES else list)(
            [
                {
                    "channel": "phone",
                    "monthly_volume": 42000,
                    "aht_seconds": 320,
                    "sl_percent": "80",
                    "sl_seconds": 20,
                    "opening_hours": "372",
                },
                {
                    "channel": "chat",
                    "monthly_volume": 18000,
                    "aht_seconds": 480,
                    "sl_percent": "90",
                    "sl_seconds": 60,
                    "opening_hours": "300",
                },
                {"channel": "email", "monthly_volume": 25000, "aht_seconds": 400},
                {"channel": "social", "monthly_volume": 6000, "aht_seconds": 240},
                {"channel": "backoffice", "monthly_volume": 9000, "aht_seconds": 600},
            ]
        ),
        languages=[
            {"tag": "nl-NL", "share": "0.5"},
            {"tag": "en-GB", "share": "0.3"},
            {"tag": "de-DE", "share": "0.2"},
        ],
        must_have_certifications=["ISO 27001"],
        desired_certifications=[
            {"name": "PCI DSS", "points": 40},
            {"name": "SOC 2 Type II", "points": 30},
            {"name": "GDPR DPA", "points": 30},
        ],
        fx_rates=[{"currency": "USD", "rate": "0.92"}, {"currency": "GBP", "rate": "1.17"}],
        invited_vendors=vendors,
    )
    return event_open(event=event, now=now - timedelta(hours=2))


def channel_price(rng: random.Random, channel: str | None) -> dict[str, Any]:
    """One channel's price in a random model at market-like rates (as bench_scoring)."""
    model = rng.choice(
        ["per_production_hour", "per_fte_month", "per_handled_minute", "per_contact", "hybrid"]
    )
    if model == "hybrid":
        share = rng.choice(["0.5", "0.6", "0.7"])
        return {
            "channel": channel,
            "model": model,
            "components": [
                {"model": "per_production_hour", "rate": rng.randint(30, 75), "share": share},
                {
                    "model": "per_contact",
                    "rate": f"{rng.randint(200, 1000) / 100:.2f}",
                    "share": f"{1 - float(share):.1f}",
                },
            ],
        }
    rate = {
        "per_production_hour": f"{rng.randint(1000, 5000) / 100:.2f}",
        "per_fte_month": rng.randint(3000, 7000),
        "per_handled_minute": f"{rng.randint(50, 200) / 100:.2f}",
        "per_contact": f"{rng.randint(200, 1000) / 100:.2f}",
    }[model]
    price = {"channel": channel, "model": model, "rate": rate}
    if rng.random() < 0.5:
        price["stated_hours"] = rng.randint(500, 20_000)
    if rng.random() < 0.5:
        price["stated_fte"] = rng.randint(5, 120)
    return price


def build_bids(event: Any, vendors: list[Any], rng: random.Random) -> None:
    """One proposal per vendor through `proposal_submit`, then a rating for most of them."""
    from accounts.models import User
    from core.roles import Role, user_set_role
    from vendors.services.proposals import proposal_submit, rating_set

    submitted = timezone.now() - timedelta(hours=1)
    proposals = []
    for number, vendor in enumerate(vendors, start=1):
        prices = [channel_price(rng, c) for c in CHANNELS] if rng.random() < 0.7 else []
        prices.append(channel_price(rng, None))
        if PROFILES and number % 3 == 0:
            prices = [scoped_price(rng)]
        proposals.append(
            proposal_submit(
                event=event,
                vendor=vendor,
                now=submitted,
                currency=rng.choice(["EUR", "EUR", "USD", "GBP"]),
                pricing=prices,
                one_off_fees={"setup": rng.randint(0, 80_000), "training": rng.randint(0, 30_000)},
                monthly_fees=[{"name": "management", "amount": rng.randint(0, 5000)}],
                minimum_monthly_charge=rng.choice([0, 0, 250_000, 600_000]),
                languages=[
                    {
                        "tag": tag,
                        "level": rng.choice(["native", "C2", "C1", "B2", "B1"]),
                        "hours_coverage": rng.choice(["0.5", "1"]),
                    }
                    for tag in ("nl-BE", "en", "de-AT")
                    if rng.random() < 0.8
                ],
            )
        )
    event.bid_deadline = timezone.now() - timedelta(minutes=1)
    event.save(update_fields=["bid_deadline"])
    evaluator = User.objects.create_user(username="bench-evaluator", password="x" * 20)
    user_set_role(user=evaluator, role=Role.PROCUREMENT)
    for proposal in proposals:
        if rng.random() < 0.8:
            rating_set(proposal=proposal, evaluator=evaluator, rating=rng.randint(0, 5))


def build_vendors(rng: random.Random) -> list[Any]:
    from vendors.services.profiles import vendor_create

    vendors = []
    for number in range(1, PROPOSALS + 1):
        certs = [{"name": "ISO 27001", "valid_until": "2030-01-01"}] if rng.random() < 0.95 else []
        certs += [
            {"name": n} for n in ("PCI DSS", "SOC 2 Type II", "GDPR DPA") if rng.random() < 0.5
        ]
        vendors.append(
            vendor_create(
                name=f"Bench Vendor {number:03d}",
                country="NL",
                channels=rng.sample(CHANNELS, rng.randint(2, 5)),
                languages=[{"tag": "nl", "level": "native"}, {"tag": "en", "level": "C1"}],
                certifications=certs,
                industries=[{"industry": "Retail", "years": rng.randint(0, 15)}],
            )
        )
    return vendors


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of several runs: the least disturbed measure of the code itself."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def queries_of(work: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as queries:
        work()
    return len(queries)


def measure() -> None:
    """Fill the database, then time each layer and print it against the pure baseline."""
    from accounts.models import User
    from vendors.domain.scoring import rank_event
    from vendors.ranking import comparison_for, event_ranking, live_proposals, proposal_specs
    from vendors.ranking import event_spec as spec_of
    from vendors.ranking.api import RankingSerializer

    try:  # what the API writes since the plain-data answer; the serializer before it
        from vendors.ranking.payload import ranking_data as write
    except ImportError:
        write = lambda comparison: RankingSerializer(comparison).data  # noqa: E731

    rng = random.Random(20260401)
    started = time.perf_counter()
    vendors = build_vendors(rng)
    event = build_event(vendors)
    build_bids(event, vendors, rng)
    print(f"  filled {PROPOSALS} proposals x 5 channels in {time.perf_counter() - started:.1f} s")

    user = User.objects.get(username="bench-evaluator")
    client = Client()
    client.force_login(user)
    api_url = f"/api/v1/events/{event.pk}/ranking/"
    page_url = f"/events/{event.pk}/comparison/"
    specs = proposal_specs(event, list(live_proposals(event)))
    spec = spec_of(event)
    now = timezone.now()
    assert client.get(api_url).status_code == 200 and client.get(page_url).status_code == 200

    baseline = best_of(RUNS, lambda: rank_event(event=spec, proposals=specs))
    timings = {
        "ORM adapter + ranking (event_ranking)": (
            best_of(RUNS, lambda: event_ranking(event=event)),
            queries_of(lambda: event_ranking(event=event)),
        ),
        "+ rounding and writing the answer (comparison_for + ranking_data)": (
            best_of(RUNS, lambda: write(comparison_for(user=user, event=event, now=now))),
            queries_of(lambda: comparison_for(user=user, event=event, now=now)),
        ),
        "GET /api/v1/events/{id}/ranking/ (whole request)": (
            best_of(RUNS, lambda: client.get(api_url)),
            queries_of(lambda: client.get(api_url)),
        ),
        f"GET /events/{{id}}/comparison/ (whole page, {PROPOSALS} breakdowns)": (
            best_of(RUNS, lambda: client.get(page_url)),
            queries_of(lambda: client.get(page_url)),
        ),
    }
    print(f"  pure rank_event of the loaded specs (baseline): {baseline:.3f} s")
    for label, (elapsed, queries) in timings.items():
        verdict = "within" if elapsed <= BUDGET_SECONDS else "OVER"
        print(
            f"  {label}: {elapsed:.3f} s, {queries} queries (budget {BUDGET_SECONDS} s, "
            f"{verdict}); x{elapsed / baseline:.1f} the baseline"
        )
    cpu = []
    for _ in range(RUNS):
        started = time.process_time()
        client.get(api_url)
        cpu.append(time.process_time() - started)
    print(f"  GET /api/v1/events/{{id}}/ranking/ CPU time of this process: {min(cpu):.3f} s")
    size = len(client.get(api_url).content) / 1024
    print(f"  API answer {size:.0f} KiB")


def main() -> None:
    """Create a throwaway database, measure, drop it."""
    setup_test_environment()
    database = settings.DATABASES["default"]
    database.setdefault("TEST", {})["NAME"] = f"{database['NAME']}_bench"
    if connection.vendor == "sqlite":
        database["TEST"]["NAME"] = None  # in memory
    creation = connection.creation
    original = database["NAME"]
    test_name = creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    shape = "5 channels x 3 bands x 12 months" if PROFILES else "flat"
    print(f"ranking through the database ({connection.vendor}, {test_name}, {shape}):")
    try:
        measure()
    finally:
        creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()
