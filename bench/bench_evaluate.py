"""Time the monthly SLA evaluation of 2,000 contracts x 12 targets on PostgreSQL.

Run: .venv/bin/python bench/bench_evaluate.py [--contracts N] [--database-url URL]

The script drops and recreates its own database (default bposla_bench_evaluate on the local
PostgreSQL), migrates it, and fills it fast: one contract through contract_create and
contract_activate (validated like the API's: four channels in three pricing models, 12 SLA
targets, 8 of them critical), then N-1 copies of it, their targets and one month of KPI values
(the 12 targets' metrics with volumes, and the usage that prices the month) with bulk_create.
About 10 % of the targets are breached, 15 % in warning and 2 % not reported. One manager gets
the breach e-mails (in-memory mail backend). The database is dropped at the end.

Then, in the same run:

- ours: `period_evaluate`, what the monthly job (`previous_month_evaluate`) and `kpis_evaluate`
  run: every contract in force, 500 per transaction (lock, read, price, judge, store the
  evaluations, target results, breaches and chronic flags), then the breach e-mails after
  each commit. Best of three, the month's evaluations deleted between runs; the query count
  is split into evaluation and notification queries;
- again: the same month evaluated once more with nothing changed (no new revision);
- baseline, pure: the arithmetic alone on the same inputs already in memory (vendors.domain.pricing
  `price_usage`, kpis.evaluation.rules `evaluate_month` and `is_chronic` for every target);
- baseline, read: the inputs read as plain tuples (contracts, targets, the month's values).

With `--earn-back K` (default 1) every contract has `earn_back_months` K and the month K
months before is filled and evaluated too (untimed), so each timed run also reads that month's
credits and returns those of targets met since (about 7 % of the critical targets).

Target: at most 15 s for ours.
"""

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bposla_bench_evaluate"
BUDGET_SECONDS = 15
RUNS = 3
PERIOD = date(2026, 3, 1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


D = Decimal

# (metric, channel, expected, minimum, allocation %, critical): 8 critical, 105 % of the pool.
TARGETS = [
    ("service_level", "phone", "80", "75", "15", True),
    ("asa_seconds", "phone", "20", "30", "15", True),
    ("abandonment_rate", "phone", "5", "8", "15", True),
    ("aht_seconds", "phone", "300", "360", "0", False),
    ("service_level", "chat", "85", "80", "15", True),
    ("asa_seconds", "chat", "45", "60", "10", True),
    ("aht_seconds", "chat", "480", "540", "0", False),
    ("email_response_hours", "email", "8", "24", "15", True),
    ("csat", "", "85", "80", "10", True),
    ("fcr_rate", "", "75", "70", "0", False),
    ("nps", "", "30", "20", "0", False),
    ("qa_score", "", "90", "85", "10", True),
]
PRICING = [
    {"channel": "phone", "model": "per_contact", "rate": "4.20"},
    {"channel": "chat", "model": "per_handled_minute", "rate": "0.95"},
    {"channel": "email", "model": "per_contact", "rate": "2.10"},
    {"channel": "backoffice", "model": "per_fte_month", "rate": "3800"},
]
USAGE = [
    ("phone", "contacts_handled", 8_000, 14_000),
    ("chat", "contacts_handled", 3_000, 6_000),
    ("chat", "handled_minutes", 20_000, 40_000),
    ("email", "contacts_handled", 4_000, 9_000),
]


def environment(url: str, var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "VAR_DIR": str(var_dir),
        "DJANGO_ENV": "development",
        "DJANGO_DEBUG": "false",  # DEBUG would keep every query in memory
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.path.lstrip("/"), urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))


def recreate_database(url: str, *, create: bool = True) -> None:
    import psycopg

    name, admin = admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


# --- filling --------------------------------------------------------------------------------


def template_contract(earn_back: int = 0) -> Any:
    """One contract through the domain functions, so that the copies are valid terms."""
    from contracts.services.lifecycle import contract_activate, contract_create
    from vendors.models import Vendor

    vendor = Vendor.objects.create(name="Bench Vendor", country="NL")
    fields = {
        "reference": "EVAL-00000",
        "vendor": vendor,
        "currency": "EUR",
        "start_date": date(2026, 1, 1),
        "end_date": date(2027, 12, 31),
        "pricing": PRICING,
        "one_off_fees": {"setup": "0", "training": "0", "project_management": "0"},
        "monthly_fees": [{"name": "management", "amount": "1500"}],
        "minimum_monthly_charge": D(20_000),
        "contracted_fte": {"backoffice": "4"},
        "at_risk_percent": D(12),
        "earn_back_months": earn_back,
    }
    targets = [
        {"metric": m, "channel": ch, "expected": D(e), "minimum": D(mi),
         "allocation_percent": D(a), "critical": c}
        for m, ch, e, mi, a, c in TARGETS
    ]  # fmt: skip
    return contract_activate(contract=contract_create(fields=fields, targets=targets, user=None))


def fill(count: int, rng: random.Random, earn_back: int = 0) -> None:
    """count contracts like the template, their targets, one month of KPI values, a manager."""
    from accounts.models import User
    from contracts.models import Contract, SlaTarget
    from core.catalogue import METRICS
    from core.roles import Role, user_set_role
    from kpis.models import KpiUpload, KpiValue

    template = template_contract(earn_back)
    copied = {
        f.attname: getattr(template, f.attname)
        for f in Contract._meta.concrete_fields
        if not f.primary_key and f.name != "reference"
    }
    Contract.objects.bulk_create(
        [Contract(**copied, reference=f"EVAL-{n:05d}") for n in range(1, count)],
        batch_size=1000,
    )
    ids = list(Contract.objects.order_by("pk").values_list("pk", flat=True))
    own = [f for f in SlaTarget._meta.concrete_fields if f.name not in ("id", "contract")]
    targets = list(template.targets.all())
    SlaTarget.objects.bulk_create(
        [
            SlaTarget(contract_id=pk, **{f.attname: getattr(t, f.attname) for f in own})
            for pk in ids[1:]
            for t in targets
        ],
        batch_size=5000,
    )
    upload = KpiUpload.objects.create(
        original_name="bench.csv", size=0, sha256="0" * 64, status=KpiUpload.Status.DONE,
        source=KpiUpload.Source.COMMAND,
    )  # fmt: skip
    values = []
    months = [PERIOD, add_months(PERIOD, -earn_back)] if earn_back else [PERIOD]
    for pk, period in ((pk, period) for period in months for pk in ids):
        figures = [(ch, m, level(rng, METRICS[m].direction.value, D(e), D(mi)))
                   for m, ch, e, mi, _a, _c in TARGETS]  # fmt: skip
        figures += [(ch, m, D(rng.randint(low, high))) for ch, m, low, high in USAGE]
        for channel, metric, value in figures:
            if value is None:
                continue  # not reported
            weighted = METRICS[metric].needs_volume
            values.append(
                KpiValue(contract_id=pk, period=period, channel=channel, metric=metric,
                         value=value, volume=D(rng.randint(500, 9000)) if weighted else None,
                         rows=1, daily=False, revision=1, is_current=True, upload=upload)
            )  # fmt: skip
    KpiValue.objects.bulk_create(values, batch_size=5000)
    manager = User.objects.create_user(
        username="bench-manager", email="manager@example.com", password="x" * 20
    )
    user_set_role(user=manager, role=Role.MANAGER)


def level(rng: random.Random, direction: str, expected: Decimal, minimum: Decimal) -> Any:
    """A month's level: met 73 %, warning 15 %, breach 10 %, not reported 2 %."""
    draw = rng.random()
    if draw < 0.02:
        return None
    gap = abs(expected - minimum)
    if draw < 0.75:
        offset = gap * D(rng.randint(0, 100)) / 100
    elif draw < 0.90:
        offset = -gap * D(rng.randint(1, 99)) / 100
    else:
        offset = -gap * D(rng.randint(101, 200)) / 100
    sign = 1 if direction == "higher" else -1
    return max(expected + sign * offset, D(0)).quantize(D("0.0001"))


# --- measuring ------------------------------------------------------------------------------


class Counter:
    """Counts the queries of the evaluation, and apart those of the e-mails after commit."""

    def __init__(self) -> None:
        self.queries = {"evaluation": 0, "notification": 0}
        self.notify_seconds = 0.0
        self.part = "evaluation"

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.queries[self.part] += 1
        return execute(sql, params, many, context)

    def notify(self, real: Callable[..., int]) -> Callable[..., int]:
        def timed(**kwargs: Any) -> int:
            self.part, started = "notification", time.perf_counter()
            try:
                return real(**kwargs)
            finally:
                self.part = "evaluation"
                self.notify_seconds += time.perf_counter() - started

        return timed


@contextmanager
def counted() -> Iterator[Counter]:
    """Count queries for the block; time kpis.evaluation.service's notification hook on its own."""
    from django.db import connection

    from kpis.evaluation import service as evaluate

    counter, real = Counter(), evaluate.findings_notify
    evaluate.findings_notify = counter.notify(real)  # looked up when each chunk commits
    try:
        with connection.execute_wrapper(counter):
            yield counter
    finally:
        evaluate.findings_notify = real


def clear_month(earn_back: int = 0) -> None:
    """Delete the month's evaluations and everything they made (and their history rows)."""
    from django.db import connection

    from kpis.models import Breach, ChronicFlag, Evaluation, TargetResult

    if earn_back:  # keep the earlier month whose credits are earned back
        Breach.objects.filter(period=PERIOD).delete()
        ChronicFlag.objects.filter(period=PERIOD).delete()
        TargetResult.objects.filter(evaluation__period=PERIOD).delete()
        Evaluation.objects.filter(period=PERIOD).delete()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return

    tables = []
    for model in (Breach, ChronicFlag, TargetResult, Evaluation):
        tables.append(model._meta.db_table)
        history = getattr(model, "history", None)
        if history is not None:
            tables.append(history.model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        cursor.execute("ANALYZE")


def read_inputs() -> tuple[list, list, list]:
    """Baseline: the month's inputs as plain tuples, as few queries as possible."""
    from contracts.models import Contract, SlaTarget
    from kpis.models import KpiValue

    contracts = list(
        Contract.objects.filter(status=Contract.Status.ACTIVE).values_list(
            "pk", "currency", "pricing", "monthly_fees", "minimum_monthly_charge",
            "contracted_fte", "fte_hours", "at_risk_percent",
        )
    )  # fmt: skip
    targets = list(
        SlaTarget.objects.values_list(
            "contract_id", "pk", "metric", "channel", "expected", "minimum", "critical",
            "allocation_percent",
        )
    )  # fmt: skip
    values = list(
        KpiValue.objects.filter(period=PERIOD, is_current=True).values_list(
            "contract_id", "channel", "metric", "value"
        )
    )
    return contracts, targets, values


def in_memory(contracts: list, targets: list, values: list) -> list[tuple]:
    """The pure functions' inputs: price list, usage and target inputs per contract."""
    from core.catalogue import METRICS, USAGE_METRICS
    from core.channels import Channel
    from kpis.evaluation.rules import TargetInput
    from vendors.domain.pricing import ChannelUsage
    from vendors.domain.terms import price_list_from_terms

    by_contract: dict[int, dict[tuple[str, str], Decimal]] = defaultdict(dict)
    for contract_id, channel, metric, value in values:
        by_contract[contract_id][(channel, metric)] = value
    targets_of: dict[int, list[tuple]] = defaultdict(list)
    for row in targets:
        targets_of[row[0]].append(row[1:])
    fields = {"contacts_handled": "contacts", "handled_minutes": "handled_minutes",
              "production_hours": "production_hours"}  # fmt: skip
    inputs = []
    for pk, currency, pricing, fees, minimum, fte, fte_hours, at_risk in contracts:
        month = by_contract[pk]
        price_list = price_list_from_terms(
            currency=currency, pricing=pricing, monthly_fees=fees, minimum_monthly_charge=minimum
        )
        usage: dict[str, dict[str, Decimal]] = defaultdict(dict)
        for (channel, metric), value in month.items():
            if metric in USAGE_METRICS and channel:
                usage[channel][fields[metric]] = value
        for channel in fte:
            usage.setdefault(channel, {})
        channel_usage = [
            ChannelUsage(channel=Channel(ch), fte=D(str(fte[ch])) if ch in fte else None, **q)
            for ch, q in sorted(usage.items())
        ]
        judged = [
            TargetInput(id=t_pk, metric=metric, channel=channel or None,
                        direction=METRICS[metric].direction, expected=expected, minimum=low,
                        critical=critical, allocation_percent=allocation,
                        actual=month.get((channel, metric)))
            for t_pk, metric, channel, expected, low, critical, allocation in targets_of[pk]
        ]  # fmt: skip
        inputs.append((price_list, channel_usage, fte_hours, at_risk, judged))
    return inputs


def pure(inputs: list[tuple]) -> int:
    """Baseline: price, judge and check every target for chronic failure, in memory."""
    from core.money import cents
    from kpis.evaluation.rules import evaluate_month, is_chronic
    from vendors.domain.pricing import price_usage

    judged = 0
    history = [None] * 11
    for price_list, usage, fte_hours, at_risk, targets in inputs:
        breakdown = price_usage(price_list=price_list, usage=usage, fte_hours=fte_hours)
        month = evaluate_month(
            charges=cents(breakdown.quoted.monthly_total), at_risk_percent=at_risk, targets=targets
        )
        for result in month.targets:
            is_chronic(statuses=[*history, result.status])
            judged += 1
    return judged


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def measure(contracts: int, earn_back: int = 0) -> None:
    from django.core import mail

    from kpis.evaluation.service import Trigger, period_evaluate
    from kpis.models import Breach, ChronicFlag, Evaluation, TargetResult

    def run() -> list:
        return period_evaluate(period=PERIOD, trigger=Trigger.SCHEDULE)

    if earn_back:
        period_evaluate(period=add_months(PERIOD, -earn_back), trigger=Trigger.SCHEDULE)
    runs = []
    for _ in range(RUNS):
        clear_month(earn_back)
        mail.outbox = []
        cpu = time.process_time()
        with counted() as counter:
            seconds, done = timed(run)
        runs.append((seconds, counter, time.process_time() - cpu))
    best, counter, best_cpu = min(runs, key=lambda r: r[0])
    stored = {
        "evaluations": Evaluation.objects.filter(period=PERIOD).count(),
        "target results": TargetResult.objects.filter(evaluation__period=PERIOD).count(),
        "breaches": Breach.objects.filter(period=PERIOD).count(),
        "chronic flags": ChronicFlag.objects.filter(period=PERIOD).count(),
        "e-mails": len(mail.outbox),
    }
    stored["earn-back lines"] = sum(
        len(lines)
        for lines in Evaluation.objects.filter(period=PERIOD).values_list(
            "earn_back_lines", flat=True
        )
    )
    assert len(done) == contracts and stored["evaluations"] == contracts, stored
    with counted() as again_counter:
        again, repeated = timed(run)
    assert not any(d.created for d in repeated)

    read_seconds, inputs = min((timed(read_inputs) for _ in range(RUNS)), key=lambda r: r[0])
    memory = in_memory(*inputs)
    pure_seconds, judged = min((timed(lambda: pure(memory)) for _ in range(RUNS)),
                               key=lambda r: r[0])  # fmt: skip
    assert judged == contracts * len(TARGETS), judged

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"contract months:              {contracts:,} x {len(TARGETS)} targets")
    print("stored:                       " + ", ".join(f"{v:,} {k}" for k, v in stored.items()))
    all_runs = ", ".join(f"{s:.2f}" for s, _, _ in runs)
    print(f"ours (period_evaluate):       {best:.2f} s (best of {RUNS}: {all_runs} s)")
    print(f"  CPU of this process:        {best_cpu:.2f} s (the server's not included)")
    print(f"  of which breach e-mails:    {counter.notify_seconds:.2f} s")
    queries, chunks = counter.queries, -(-contracts // 500)
    print(f"  queries:                    {queries['evaluation']} evaluation "
          f"({chunks} chunk{'s' if chunks != 1 else ''} of at most 500), "
          f"{queries['notification']:,} notification")  # fmt: skip
    print(f"again, nothing changed:       {again:.2f} s, "
          f"{sum(again_counter.queries.values())} queries")  # fmt: skip
    print(f"baseline, pure arithmetic:    {pure_seconds:.3f} s "
          f"(ratio {best / pure_seconds:.1f}x; evaluation without e-mails "
          f"{(best - counter.notify_seconds) / pure_seconds:.1f}x)")  # fmt: skip
    print(f"baseline, reading the inputs: {read_seconds:.3f} s (ratio {best / read_seconds:.1f}x)")
    print(f"peak RSS:                     {peak_mb:.0f} MB")
    print("load average:                 " + ", ".join(f"{n:.1f}" for n in os.getloadavg()))
    ok = best <= BUDGET_SECONDS
    print(f"{'PASS' if ok else 'FAIL'}  at most {BUDGET_SECONDS} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=2000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--earn-back", type=int, default=1, help="earn_back_months (0: none)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-evaluate-"))
    recreate_database(args.database_url)
    setup_django(environment(args.database_url, work / "var"))
    from django.core.management import call_command
    from django.db import connections

    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        fill(args.contracts, random.Random(2026), args.earn_back)
        print(f"filled in {time.perf_counter() - started:.1f} s")
        measure(args.contracts, args.earn_back)
    finally:
        connections.close_all()
        recreate_database(args.database_url, create=False)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
